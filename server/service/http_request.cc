#include "server/service/http_request.h"

#include "absl/strings/str_split.h"

namespace lureguard::service {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<absl::string_view> HttpRequest::Query(
    absl::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string PercentDecode(absl::string_view encoded, bool plus_as_space) {
  std::string decoded;
  decoded.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '%' && i + 2 < encoded.size()) {
      const int high = HexValue(encoded[i + 1]);
      const int low = HexValue(encoded[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    decoded.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  return decoded;
}

void SplitTarget(absl::string_view target, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query) {
  const size_t question = target.find('?');
  path = PercentDecode(target.substr(0, question), /*plus_as_space=*/false);
  query.clear();
  if (question == absl::string_view::npos) return;
  for (absl::string_view pair :
       absl::StrSplit(target.substr(question + 1), absl::ByAnyChar("&;"),
                      absl::SkipEmpty())) {
    const size_t equals = pair.find('=');
    query.emplace_back(
        PercentDecode(pair.substr(0, equals), /*plus_as_space=*/true),
        equals == absl::string_view::npos
            ? std::string()
            : PercentDecode(pair.substr(equals + 1), /*plus_as_space=*/true));
  }
}

}  // namespace lureguard::service
