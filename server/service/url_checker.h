// One URL check as every front door runs it (gRPC CheckUrl, CheckUrls,
// StreamCheckUrls and the HTTP front's /authz): the URL against the
// request limits, the engine's verdict, the verdict counted in metrics and
// the URL logged at debug level only. Keeping this in one place is what
// makes the gateways and the API answer alike.
//
// Thread safety: safe for concurrent use; a check reads the engine's
// current snapshot and never blocks.
//
// Example:
//   UrlChecker checker(engine, config.limits(), &metrics);
//   absl::StatusOr<verdict::UrlCheck> check =
//       checker.Check("url", "https://x.test/", "");

#ifndef LUREGUARD_SERVER_SERVICE_URL_CHECKER_H_
#define LUREGUARD_SERVER_SERVICE_URL_CHECKER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lureguard/v1/config.pb.h"
#include "server/service/metrics.h"
#include "server/verdict/engine.h"

namespace lureguard::service {

// Runs URL checks for every front door with the same limits and metrics.
class UrlChecker {
 public:
  // `engine` (and `metrics`, when not null) must outlive the checker.
  UrlChecker(const verdict::Engine& engine, const v1::Limits& limits,
             ServerMetrics* metrics);

  // The verdict for `url` as seen by `tenant` (empty: global data only).
  // InvalidArgument "FIELD: why" for an empty, oversized, non-UTF-8 or
  // unparsable URL; Unavailable while the first snapshot loads.
  absl::StatusOr<verdict::UrlCheck> Check(absl::string_view field,
                                          absl::string_view url,
                                          absl::string_view tenant) const;

  // The same, with the verdict shared with the engine's cache of checks
  // (verdict::Engine::SharedCheck), for CheckUrl, which only encodes it.
  absl::StatusOr<verdict::Engine::SharedCheck> CheckShared(
      absl::string_view field, absl::string_view url,
      absl::string_view tenant) const;

 private:
  const verdict::Engine& engine_;
  const int max_url_length_;
  ServerMetrics* const metrics_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_URL_CHECKER_H_
