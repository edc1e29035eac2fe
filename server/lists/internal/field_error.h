// Naming the request field an engine error is about, for the admin owners
// of this folder (ListAdmin, FeedAdmin).

#ifndef LUREGUARD_SERVER_LISTS_INTERNAL_FIELD_ERROR_H_
#define LUREGUARD_SERVER_LISTS_INTERNAL_FIELD_ERROR_H_

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace lureguard::lists::internal {

// `status` with its message prefixed by `field`, unless it names it already
// (the normalizer says "value is empty").
inline absl::Status InField(absl::string_view field,
                            const absl::Status& status) {
  if (status.ok() || absl::StartsWith(status.message(), field)) return status;
  return absl::Status(status.code(),
                      absl::StrCat(field, ": ", status.message()));
}

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_FIELD_ERROR_H_
