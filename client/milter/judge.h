// The one call the milter makes per message: LinkService.RewriteMessage,
// behind an interface so the filter is tested without a server.
//
// GrpcMessageJudge reuses one channel for every message and lets at most
// `max_in_flight` calls run at once: a call over that fails at once with
// FailureKind::kOverloaded instead of queueing behind a slow server while
// the MTA's own timeouts run out.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization (libmilter runs one thread per SMTP session).
//
// Example:
//   GrpcMessageJudge judge(channel, token, absl::Seconds(10), 32);
//   JudgeResult result = judge.Rewrite(request);
//   if (result.response.ok()) ... result.response->verdict() ...

#ifndef LUREGUARD_CLIENT_MILTER_JUDGE_H_
#define LUREGUARD_CLIENT_MILTER_JUDGE_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/milter/metrics.h"
#include "grpcpp/channel.h"
#include "lureguard/v1/link_service.grpc.pb.h"

namespace lureguard::milter {

struct JudgeResult {
  absl::StatusOr<v1::RewriteMessageResponse> response;
  // Why there is no response; meaningless when there is one.
  FailureKind failure = FailureKind::kError;
  // Time spent in the RPC itself.
  absl::Duration rpc_time;
};

class MessageJudge {
 public:
  virtual ~MessageJudge() = default;
  virtual JudgeResult Rewrite(const v1::RewriteMessageRequest& request) = 0;
};

class GrpcMessageJudge final : public MessageJudge {
 public:
  // `token` is sent as "authorization: Bearer TOKEN" when not empty.
  // `metrics` (may be null) counts calls in flight; it must outlive this.
  GrpcMessageJudge(std::shared_ptr<grpc::Channel> channel, std::string token,
                   absl::Duration deadline, int max_in_flight,
                   MilterMetrics* metrics);

  JudgeResult Rewrite(const v1::RewriteMessageRequest& request) override;

 private:
  bool TryAcquire();
  void Release();

  std::unique_ptr<v1::LinkService::Stub> stub_;
  const std::string token_;
  const absl::Duration deadline_;
  const int max_in_flight_;
  MilterMetrics* const metrics_;
  std::atomic<int> in_flight_{0};
};

// The channel to the server: plaintext, or TLS as `tls` says. Receives up
// to 64 MiB, so a rewritten 25 MiB message (plus its link list) fits.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeServerChannel(
    const std::string& server, const v1::MilterTlsConfig& tls);

}  // namespace lureguard::milter

#endif  // LUREGUARD_CLIENT_MILTER_JUDGE_H_
