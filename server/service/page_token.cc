#include "server/service/page_token.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace lureguard::service {
namespace {

constexpr char kPageTokenPrefix[] = "after:";

}  // namespace

std::string PageToken(int64_t last_id) {
  return absl::WebSafeBase64Escape(absl::StrCat(kPageTokenPrefix, last_id));
}

absl::StatusOr<int64_t> ParsePageToken(const std::string& token) {
  if (token.empty()) return 0;
  std::string decoded;
  int64_t after = 0;
  if (!absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, kPageTokenPrefix) ||
      !absl::SimpleAtoi(
          absl::string_view(decoded).substr(sizeof(kPageTokenPrefix) - 1),
          &after) ||
      after < 0) {
    return absl::InvalidArgumentError(
        "page_token: is not a token from a previous page");
  }
  return after;
}

}  // namespace lureguard::service
