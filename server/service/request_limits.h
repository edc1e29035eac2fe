// Checks of request fields against the configured limits, with errors that
// name the field, shared by every service.

#ifndef LUREGUARD_SERVER_SERVICE_REQUEST_LIMITS_H_
#define LUREGUARD_SERVER_SERVICE_REQUEST_LIMITS_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lureguard::service {

// OK when `url` is non-empty UTF-8 of at most `max_length` bytes;
// otherwise InvalidArgument "FIELD: why".
absl::Status CheckUrlField(absl::string_view field, absl::string_view url,
                           int max_length);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_REQUEST_LIMITS_H_
