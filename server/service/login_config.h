// The `login` section of ServerConfig: its defaults, its validation and its
// translation into the login engine's options.

#ifndef LUREGUARD_SERVER_SERVICE_LOGIN_CONFIG_H_
#define LUREGUARD_SERVER_SERVICE_LOGIN_CONFIG_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lureguard/v1/config.pb.h"
#include "server/login/login_engine.h"

namespace lureguard::service {

// Fills unset login fields with their documented defaults.
// REQUIRES: config.data_dir() is set (the store path defaults into it).
void ApplyLoginDefaults(v1::ServerConfig& config);

// InvalidArgument naming the field ("login.spray_block_users: 3 is below
// login.spray_challenge_users 5").
absl::Status ValidateLoginConfig(const v1::ServerConfig& config);

// The engine's options. InvalidArgument naming the field when a tenant's
// login origin is not a URL. REQUIRES: ApplyLoginDefaults was called.
absl::StatusOr<login::LoginOptions> LoginOptionsFromConfig(
    const v1::ServerConfig& config);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_LOGIN_CONFIG_H_
