// Ties an audit record to the store transaction that makes the change.
//
// Admin mutations reach the store through several owners (the key ring,
// the feed manager, brand records, list writes). Passing an audit record
// down through each of them would make every capability know about
// auditing; instead the gRPC layer opens a scope around the call, and the
// store, when it commits a transaction that changes something, inserts the
// scope's record in that same transaction. A failed change therefore
// leaves no record, and a record never exists without its change.
//
// A scope is per thread and audits the first changing transaction only: a
// call that makes several writes (create a feed, then fetch it) is one
// audited action, recorded with its first write.
//
// Thread safety: a scope belongs to the thread that opened it. Scopes do not
// nest.
//
// Example:
//   store::AuditScope audit(record);            // actor, method, target...
//   absl::Status s = keys.Revoke("gateway");     // writes record with change
//   bool recorded = audit.written();

#ifndef LUREGUARD_SERVER_STORE_AUDIT_SCOPE_H_
#define LUREGUARD_SERVER_STORE_AUDIT_SCOPE_H_

#include "server/store/store.h"

namespace lureguard::store {

class AuditScope {
 public:
  // Opens the scope on this thread. The record's id and time are set by
  // the store when it writes it.
  explicit AuditScope(AuditRecord record);
  ~AuditScope();

  AuditScope(const AuditScope&) = delete;
  AuditScope& operator=(const AuditScope&) = delete;

  // The record, which the caller may complete (the `after` summary) until
  // the write happens.
  AuditRecord& record() { return record_; }

  // True once a committed transaction carried the record.
  bool written() const { return written_; }

  // For Store implementations: the open scope of this thread whose record
  // is still to be written, or null.
  static AuditScope* Pending();
  // For Store implementations: the transaction carrying the record
  // committed.
  void MarkWritten() { written_ = true; }

 private:
  AuditRecord record_;
  bool written_ = false;
};

}  // namespace lureguard::store

#endif  // LUREGUARD_SERVER_STORE_AUDIT_SCOPE_H_
