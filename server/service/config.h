// Server configuration: the textproto file, the embedded defaults and the
// validation that names the offending field.
//
// Example:
//   absl::StatusOr<v1::ServerConfig> config = LoadConfigFile("lg.textproto");
//   ApplyDefaults(*config);
//   if (absl::Status s = ValidateConfig(*config); !s.ok()) return s;

#ifndef LUREGUARD_SERVER_SERVICE_CONFIG_H_
#define LUREGUARD_SERVER_SERVICE_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lureguard/v1/config.pb.h"
#include "server/certs/ct_monitor.h"
#include "server/verdict/policy.h"

namespace lureguard::service {

namespace v1 = ::lureguard::v1;

inline constexpr char kDefaultListen[] = "127.0.0.1:50051";
inline constexpr char kDefaultHttpListen[] = "127.0.0.1:8080";
inline constexpr char kDefaultDataDir[] = "./var";

// Reads a textproto `lureguard.v1.ServerConfig`. InvalidArgument with the
// file name, line and column when it does not parse; NotFound when the file
// cannot be read.
absl::StatusOr<v1::ServerConfig> LoadConfigFile(const std::string& path);

// Fills every unset field with its documented default.
void ApplyDefaults(v1::ServerConfig& config);

// InvalidArgument naming the field when a value is out of range.
absl::Status ValidateConfig(const v1::ServerConfig& config);

// The engine's policy from the config. REQUIRES: ApplyDefaults was called.
verdict::Policy PolicyFromConfig(const v1::ServerConfig& config);

// The CT monitor's options from the config (alerts start at the policy's
// WARN threshold). REQUIRES: ApplyDefaults was called.
certs::CtMonitorOptions CtOptionsFromConfig(const v1::ServerConfig& config);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_CONFIG_H_
