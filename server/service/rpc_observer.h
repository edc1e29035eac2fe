// Observes every gRPC call in one place, as a server interceptor: counts
// it and its latency by method and status code in the metrics, and writes
// its request log line. Covers unary and streaming methods, ours and
// gRPC's (health, reflection), without code in each handler.
//
// Thread safety: the factory is shared by all calls; each interceptor
// belongs to one call.
//
// Example:
//   std::vector<std::unique_ptr<
//       grpc::experimental::ServerInterceptorFactoryInterface>> creators;
//   creators.push_back(
//       std::make_unique<RpcObserverFactory>(metrics, log, in_flight));
//   builder.experimental().SetInterceptorCreators(std::move(creators));

#ifndef LUREGUARD_SERVER_SERVICE_RPC_OBSERVER_H_
#define LUREGUARD_SERVER_SERVICE_RPC_OBSERVER_H_

#include <atomic>

#include "grpcpp/support/server_interceptor.h"
#include "server/service/metrics.h"
#include "server/service/request_log.h"

namespace lureguard::service {

// Creates one observing interceptor per gRPC call.
class RpcObserverFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics`, `log` and `in_flight` must outlive the gRPC server.
  // `in_flight` counts the calls in progress: up when a call arrives, down
  // when it is done with, answered or not (shutdown waits on it).
  RpcObserverFactory(ServerMetrics& metrics, const RequestLog& log,
                     std::atomic<int>& in_flight)
      : metrics_(metrics), log_(log), in_flight_(in_flight) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  ServerMetrics& metrics_;
  const RequestLog& log_;
  std::atomic<int>& in_flight_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_RPC_OBSERVER_H_
