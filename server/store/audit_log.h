// The audit log, apart from the rest of the store: `AuditLog` is the narrow
// interface that reads it (`audit ls`). Records are not appended through
// it: a store writes the record of the thread's open AuditScope in the
// transaction of the change it describes (audit_scope.h), so a record never
// exists without its change. `Store` inherits it, so the SQLite and
// PostgreSQL stores are audit logs; tests/fakes/in_memory_audit_log.h is
// one in memory, which tests/fakes/in_memory_record_store.h writes as the
// stores do, held to the same assertions as both (audit_log_test.cc).
//
// Thread safety: implementations are safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   AuditLog& audit = *store;  // any Store
//   absl::StatusOr<AuditPage> page =
//       audit.ListAuditRecords({.page_size = 50, .actor = "alice"});

#ifndef LUREGUARD_SERVER_STORE_AUDIT_LOG_H_
#define LUREGUARD_SERVER_STORE_AUDIT_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lureguard::store {

// One audited admin mutation (who, what, when, before and after). Written
// by the store itself, in the transaction of the change, when an
// AuditScope is open on the writing thread (see audit_scope.h).
struct AuditRecord {
  int64_t id = 0;  // assigned by the store; increasing
  absl::Time time = absl::UnixEpoch();
  std::string actor;       // API key name
  std::string actor_role;  // "admin", ...
  std::string method;      // "CreateListEntry", ...
  std::string target;      // "blocklist:evil.example", "key:gateway"
  std::string tenant;
  std::string before;  // one-line summaries; empty: did not exist
  std::string after;   // empty: removed
  std::string request_id;
};

// Which audit records to read: newest first, older than `before_id` when
// it is positive, of one actor and method when those are set.
struct AuditQuery {
  int64_t before_id = 0;
  int page_size = 100;
  std::string actor = {};  // `= {}`: designated initializers may omit it
  std::string method = {};
};

// One page of the audit log, newest first.
struct AuditPage {
  std::vector<AuditRecord> records;
  bool has_more = false;  // older matching records exist
};

// Where audit records are read; see the file comment.
class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // A page of the audit log. REQUIRES: page_size > 0 (else
  // InvalidArgument).
  virtual absl::StatusOr<AuditPage> ListAuditRecords(
      const AuditQuery& query) = 0;
};

}  // namespace lureguard::store

#endif  // LUREGUARD_SERVER_STORE_AUDIT_LOG_H_
