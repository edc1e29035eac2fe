// lureguard.v1.UrlService on gRPC's callback API: translates requests into
// engine checks and verdicts back into responses. Never blocks: a check
// reads the engine's current snapshot and returns.

#ifndef LUREGUARD_SERVER_SERVICE_URL_SERVICE_H_
#define LUREGUARD_SERVER_SERVICE_URL_SERVICE_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "lureguard/v1/config.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "server/common/bounded_cache.h"
#include "server/service/authorize.h"
#include "server/service/metrics.h"
#include "server/service/url_checker.h"
#include "server/verdict/engine.h"

namespace lureguard::service {

// All three methods take raw bytes and decode them with the lenient twins
// of lureguard/internal/lenient_requests.proto, so that a URL that is not
// UTF-8 is an INVALID_ARGUMENT naming the field (in a batch or a stream:
// that URL's `error`) rather than a decoding failure inside gRPC.
using UrlServiceBase = v1::UrlService::WithRawCallbackMethod_CheckUrl<
    v1::UrlService::WithRawCallbackMethod_CheckUrls<
        v1::UrlService::WithRawCallbackMethod_StreamCheckUrls<
            v1::UrlService::Service>>>;

// CheckUrl's full method name, as interceptors see it.
inline constexpr absl::string_view kCheckUrlMethod =
    "/lureguard.v1.UrlService/CheckUrl";

class UrlServiceImpl final : public UrlServiceBase {
 public:
  // `engine`, `authorizer` and `metrics` must outlive the service. A null
  // `authorizer` serves without authentication (in-process benchmarks
  // only); a null `metrics` counts nothing.
  UrlServiceImpl(const verdict::Engine& engine, const v1::Limits& limits,
                 const Authorizer* authorizer,
                 ServerMetrics* metrics = nullptr);

  // The tenant a caller's checks use, or the status to answer with:
  // Unauthenticated, PermissionDenied, ResourceExhausted, or the tenant it
  // may not use.
  absl::StatusOr<std::string> AuthorizeCheck(
      grpc::CallbackServerContext& context,
      absl::string_view requested_tenant) const;

  // A stream message's tenant and how long to hold the message before
  // checking it: a key over its rate waits for its next token, up to
  // `max_wait`, rather than failing the stream (see AuthorizePaced).
  struct PacedCheck {
    std::string tenant;
    absl::Duration delay = absl::ZeroDuration();
  };
  absl::StatusOr<PacedCheck> AuthorizePacedCheck(
      grpc::CallbackServerContext& context, const std::string& requested_tenant,
      absl::Duration max_wait) const;

  grpc::ServerUnaryReactor* CheckUrl(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CheckUrls(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* StreamCheckUrls(
      grpc::CallbackServerContext* context) override;

  // Checks one URL into `response`; the status names `field` on failure.
  absl::Status Check(absl::string_view field, const std::string& url,
                     const std::string& tenant,
                     v1::CheckUrlResponse& response) const;
  // As Check, but a per-URL failure goes into `response.error` (batches and
  // streams); only Unavailable is returned.
  absl::Status CheckItem(absl::string_view field, const std::string& url,
                         const std::string& tenant,
                         v1::CheckUrlResponse& response) const;

 private:
  const UrlChecker checker_;
  // A CheckUrl answer as sent, without the two fields each call sets
  // (verdict_id, cache_ttl), for the engine's check it encodes: that check
  // is recognised by the engine's shared check (engine.h: SharedCheck;
  // calls answered from the engine's cache share it, and only those two
  // fields differ).
  struct EncodedCheck {
    std::shared_ptr<const verdict::UrlCheck> check;
    std::string bytes;
  };

  // Encodes the check of `url` as a CheckUrlResponse into `out`, reusing
  // the encoding of a check the engine keeps.
  void Encode(absl::string_view url, const verdict::Engine::SharedCheck& shared,
              grpc::ByteBuffer& out) const;

  const v1::Limits limits_;
  const Authorizer* const authorizer_;
  mutable BoundedCache<std::shared_ptr<const EncodedCheck>> encodings_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_URL_SERVICE_H_
