#include "server/lookalike/brand_codec.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lureguard::lookalike {

std::string EncodeBrand(const Brand& brand) {
  std::string out;
  auto line = [&out](absl::string_view key, absl::string_view value) {
    absl::StrAppend(&out, key, "=", absl::CEscape(value), "\n");
  };
  line("name", brand.name);
  line("tenant", brand.tenant);
  for (const std::string& domain : brand.domains) line("domain", domain);
  for (const std::string& token : brand.tokens) line("token", token);
  return out;
}

absl::StatusOr<Brand> DecodeBrand(absl::string_view payload) {
  Brand brand;
  for (absl::string_view line : absl::StrSplit(payload, '\n')) {
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    std::string value;
    if (eq == absl::string_view::npos ||
        !absl::CUnescape(line.substr(eq + 1), &value)) {
      return absl::DataLossError(
          absl::StrCat("brand record: malformed line '", line, "'"));
    }
    const absl::string_view key = line.substr(0, eq);
    if (key == "name") {
      brand.name = std::move(value);
    } else if (key == "tenant") {
      brand.tenant = std::move(value);
    } else if (key == "domain") {
      brand.domains.push_back(std::move(value));
    } else if (key == "token") {
      brand.tokens.push_back(std::move(value));
    }
    // Other keys come from a newer version and are ignored.
  }
  if (brand.name.empty()) return absl::DataLossError("brand record: no name");
  return brand;
}

}  // namespace lureguard::lookalike
