#include "server/common/tenant.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lureguard {
namespace {

bool IsPrintableWithoutSpace(char c) { return c > 0x20 && c < 0x7F; }

// The tenant as the error shows it: escaped, and no longer than a log line
// can bear even when a caller sends kilobytes.
std::string Shown(absl::string_view tenant) {
  constexpr size_t kMaxShown = 64;
  std::string shown = absl::CHexEscape(tenant.substr(0, kMaxShown));
  if (tenant.size() > kMaxShown) absl::StrAppend(&shown, "...");
  return shown;
}

}  // namespace

absl::Status ValidateTenant(absl::string_view tenant) {
  bool valid = tenant.size() <= kMaxTenantBytes;
  for (char c : tenant) valid = valid && IsPrintableWithoutSpace(c);
  if (valid) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "tenant: \"", Shown(tenant), "\" must be up to ", kMaxTenantBytes,
      " printable ASCII characters without spaces"));
}

void AssignTenantKey(absl::string_view tenant, absl::string_view name,
                     std::string& key) {
  key.assign(tenant.data(), tenant.size());
  key.push_back('\0');
  key.append(name.data(), name.size());
}

}  // namespace lureguard
