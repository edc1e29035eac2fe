// The Lureguard server process: opens the store (SQLite or PostgreSQL),
// loads the verdict snapshot and follows the store's revisions, serves
// gRPC (UrlService, Envoy's ext_authz, AdminService, LoginService,
// LinkService, MailService, grpc.health.v1, server reflection unless
// turned off), the HTTP
// front (/healthz, /authz, click pages /c/, the login beacon /b/) and the
// Prometheus metrics endpoint, runs the feed refresher and CT monitor
// (one replica at a time on a shared store), and shuts down within its
// grace period.
//
// Health is NOT_SERVING until the first snapshot is published and again
// from the start of a shutdown, so load balancers drain before calls stop.
//
// Example:
//   absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(config);
//   ...
//   (*server)->Shutdown();

#ifndef LUREGUARD_SERVER_SERVICE_SERVER_H_
#define LUREGUARD_SERVER_SERVICE_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lureguard/v1/config.pb.h"
#include "server/common/version.h"

namespace lureguard::service {

// The version reported by GetStatus and --version (from CMake).
using ::lureguard::kVersion;

class Server {
 public:
  // Starts serving `config` (defaults applied and validated by the caller).
  // Fails with a message saying what and where when the data dir or the
  // store cannot be used or the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const v1::ServerConfig& config);

  virtual ~Server() = default;

  // The gRPC address actually bound (the port resolved when 0 was asked).
  virtual std::string listen_address() const = 0;
  // The HTTP front's address, likewise.
  virtual std::string http_address() const = 0;
  // The metrics endpoint's address; empty when metrics are off.
  virtual std::string metrics_address() const = 0;

  // Marks health NOT_SERVING, stops accepting calls, waits up to
  // `shutdown_grace` for calls in flight, then cancels the rest. Idempotent.
  virtual void Shutdown() = 0;

  // Blocks until Shutdown has completed.
  virtual void Wait() = 0;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_SERVER_H_
