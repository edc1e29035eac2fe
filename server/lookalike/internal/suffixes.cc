#include "server/lookalike/internal/suffixes.h"

#include <algorithm>
#include <iterator>

namespace lureguard::lookalike::internal {

bool IsVettedSuffix(absl::string_view public_suffix) {
  static constexpr absl::string_view kRestricted[] = {"gov", "mil", "edu",
                                                      "int"};
  static constexpr absl::string_view kSecondLevels[] = {
      "gov", "gob", "gouv", "govt", "go", "mil", "edu", "ac"};
  const size_t dot = public_suffix.find('.');
  if (dot == absl::string_view::npos) {
    return std::find(std::begin(kRestricted), std::end(kRestricted),
                     public_suffix) != std::end(kRestricted);
  }
  const absl::string_view second = public_suffix.substr(0, dot);
  const absl::string_view country = public_suffix.substr(dot + 1);
  return country.size() == 2 &&
         std::find(std::begin(kSecondLevels), std::end(kSecondLevels),
                   second) != std::end(kSecondLevels);
}

}  // namespace lureguard::lookalike::internal
