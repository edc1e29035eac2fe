// Reading a certificate-transparency log over HTTP, behind the narrow
// CtLogClient interface: RFC 6962 logs (get-sth, get-entries) and Static CT
// logs (checkpoint, data tiles, issuers), which Let's Encrypt now publishes
// to exclusively. HTTP goes through lists::HttpFetcher, so CT reads share
// the feed fetcher's SSRF guard, timeouts and size caps.
//
// Thread safety: a client is safe for concurrent use by multiple threads
// without external synchronization.
//
// Example:
//   CurlHttpFetcher fetcher(options);
//   std::unique_ptr<CtLogClient> log = NewCtLogClient(
//       {.name = "argon", .url = "https://ct.example/2025h1/",
//        .api = CtApi::kRfc6962}, fetcher, /*batch_size=*/256);
//   absl::StatusOr<CtTreeHead> head = log->GetTreeHead();
//   absl::StatusOr<CtBatch> batch = log->GetEntries(0, 100, head->tree_size);

#ifndef LUREGUARD_SERVER_CERTS_CT_LOG_CLIENT_H_
#define LUREGUARD_SERVER_CERTS_CT_LOG_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/certs/ct_leaf.h"
#include "server/lists/http_fetcher.h"

namespace lureguard::certs {

// Which API a log speaks. Values are persisted: never renumber.
enum class CtApi { kRfc6962 = 1, kStatic = 2 };

// "rfc6962" or "static".
absl::string_view CtApiName(CtApi api);

// What an admin configures for a log.
struct CtLogConfig {
  std::string name;  // [a-z0-9][a-z0-9._-]*, at most 64 characters
  // The log's prefix: ".../ct/v1/get-sth" (RFC 6962) or ".../checkpoint"
  // (Static CT) is appended to it.
  std::string url;
  CtApi api = CtApi::kRfc6962;
  absl::Duration interval = absl::Minutes(1);  // between polls at the head
};

// The log's current size.
struct CtTreeHead {
  int64_t tree_size = 0;
  std::string root_hash;  // 32 raw bytes
};

// What one read returned.
struct CtBatch {
  // Parsed entries in index order.
  std::vector<CtEntry> entries;
  // Where the next read starts: past the entries and any malformed ones.
  int64_t next_index = 0;
  // One line per entry that could not be parsed and was skipped, e.g.
  // "entry 42: leaf_input: offset 2: ...".
  std::vector<std::string> malformed;
};

class CtLogClient {
 public:
  virtual ~CtLogClient() = default;

  // The latest tree head (get-sth / checkpoint). Errors: the fetcher's, or
  // Unavailable for an HTTP error status, InvalidArgument for a body that
  // does not parse.
  virtual absl::StatusOr<CtTreeHead> GetTreeHead() = 0;

  // Reads entries from `start` onwards, at most up to `end` (exclusive),
  // in a tree of `tree_size` entries. Logs may return fewer entries than
  // asked (RFC 6962 short batches; one tile at a time here), so the caller
  // continues from `next_index`, which is always greater than `start`.
  // An RFC 6962 entry that does not parse is skipped and reported in
  // `malformed`; a tile that does not parse fails the read (its leaves are
  // framed back to back, so nothing after the damage can be trusted).
  // REQUIRES: 0 <= start < end <= tree_size.
  virtual absl::StatusOr<CtBatch> GetEntries(int64_t start, int64_t end,
                                             int64_t tree_size) = 0;

  // The issuing CA's certificate (DER) of `entry`: from the RFC 6962 chain,
  // or fetched from a Static CT log's issuer/ path, checked against its
  // fingerprint and cached. NotFound when the entry names no issuer.
  virtual absl::StatusOr<std::string> GetIssuer(const CtEntry& entry) = 0;
};

// A client for `config.api`. `fetcher` must outlive it. RFC 6962 reads ask
// for at most `batch_size` entries per get-entries call.
std::unique_ptr<CtLogClient> NewCtLogClient(const CtLogConfig& config,
                                            lists::HttpFetcher& fetcher,
                                            int batch_size);

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_CT_LOG_CLIENT_H_
