#include "server/service/request_limits.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/common/utf8.h"

namespace lureguard::service {

absl::Status CheckUrlField(absl::string_view field, absl::string_view url,
                           int max_length) {
  if (url.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": is empty"));
  }
  if (url.size() > static_cast<size_t>(max_length)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": is ", url.size(), " bytes; the limit is ", max_length));
  }
  if (!IsValidUtf8(url)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is not valid UTF-8"));
  }
  return absl::OkStatus();
}

}  // namespace lureguard::service
