// Naming the request field an error is about, so that every InvalidArgument
// (and NotFound) reads "FIELD: why", for the admin owners (lists/,
// verdict/, certs/) and the gRPC layer alike.

#ifndef LUREGUARD_SERVER_COMMON_FIELD_ERROR_H_
#define LUREGUARD_SERVER_COMMON_FIELD_ERROR_H_

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace lureguard {

// `status` with its message prefixed by `field`, unless it names it already
// (the normalizer says "value is empty"), keeping its code.
inline absl::Status InField(absl::string_view field,
                            const absl::Status& status) {
  if (status.ok() || absl::StartsWith(status.message(), field)) return status;
  return absl::Status(status.code(),
                      absl::StrCat(field, ": ", status.message()));
}

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_FIELD_ERROR_H_
