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
//   creators.push_back(std::make_unique<RpcObserverFactory>(metrics, log));
//   builder.experimental().SetInterceptorCreators(std::move(creators));

#ifndef LUREGUARD_SERVER_SERVICE_RPC_OBSERVER_H_
#define LUREGUARD_SERVER_SERVICE_RPC_OBSERVER_H_

#include "grpcpp/support/server_interceptor.h"
#include "server/service/metrics.h"
#include "server/service/request_log.h"

namespace lureguard::service {

class RpcObserverFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` and `log` must outlive the gRPC server.
  RpcObserverFactory(ServerMetrics& metrics, const RequestLog& log)
      : metrics_(metrics), log_(log) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  ServerMetrics& metrics_;
  const RequestLog& log_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_RPC_OBSERVER_H_
