// HOST:PORT listen addresses, as the flags and the config give them, shared
// by the gRPC server and the HTTP listeners.

#ifndef LUREGUARD_SERVER_SERVICE_LISTEN_ADDRESS_H_
#define LUREGUARD_SERVER_SERVICE_LISTEN_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::service {

struct HostPort {
  std::string host;  // without IPv6 brackets: "::1", "127.0.0.1"
  int port = 0;      // 0: any free port
};

// Splits "HOST:PORT" or "[IPV6]:PORT". InvalidArgument "FIELD: why".
absl::StatusOr<HostPort> ParseListenAddress(absl::string_view field,
                                            absl::string_view address);

// True when the address's host is a loopback one (127.0.0.0/8, ::1,
// localhost): plaintext there never leaves the machine.
bool IsLoopbackAddress(absl::string_view address);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_LISTEN_ADDRESS_H_
