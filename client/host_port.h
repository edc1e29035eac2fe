// HOST[:PORT] arguments of the CLI (`cert probe`, `brands add
// --domains-from-certificate`), split for a ProbeCertificateRequest.

#ifndef LUREGUARD_CLIENT_HOST_PORT_H_
#define LUREGUARD_CLIENT_HOST_PORT_H_

#include <string>

namespace lureguard::cli {

// Splits "host", "host:port", "[v6]" or "[v6]:port" into `host` and
// `port` (0 when none is given). False on a bad port.
bool SplitHostPort(const std::string& text, std::string& host, int& port);

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_HOST_PORT_H_
