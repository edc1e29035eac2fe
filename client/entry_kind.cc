#include "client/entry_kind.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::EntryKind;

struct KindName {
  absl::string_view flag;
  EntryKind kind;
};

constexpr KindName kKinds[] = {
    {"host", lureguard::v1::HOST},
    {"domain", lureguard::v1::DOMAIN_WITH_SUBDOMAINS},
    {"url-prefix", lureguard::v1::URL_PREFIX},
    {"url", lureguard::v1::EXACT_URL},
    {"cidr", lureguard::v1::IP_RANGE},
};

}  // namespace

absl::StatusOr<EntryKind> EntryKindFromFlag(absl::string_view value) {
  for (const KindName& k : kKinds) {
    if (k.flag == value) return k.kind;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value \"", value,
                   "\" for flag --kind: want host, domain, url-prefix, url "
                   "or cidr"));
}

std::string EntryKindFlagName(EntryKind kind) {
  if (kind == lureguard::v1::ENTRY_KIND_UNSPECIFIED) return "-";
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return std::string(k.flag);
  }
  const std::string& name = lureguard::v1::EntryKind_Name(kind);
  return name.empty() ? absl::StrCat(static_cast<int>(kind)) : name;
}

}  // namespace lureguard::cli
