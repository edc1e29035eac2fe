#include "client/threat_type.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::ThreatType;

struct ThreatName {
  absl::string_view flag;
  ThreatType threat;
};

// The types a list entry or feed may carry, as --threat accepts them.
constexpr ThreatName kListThreats[] = {
    {"phishing", lureguard::v1::PHISHING},
    {"malware", lureguard::v1::MALWARE},
    {"unwanted", lureguard::v1::UNWANTED},
};

}  // namespace

absl::StatusOr<ThreatType> ThreatTypeFromFlag(absl::string_view value) {
  for (const ThreatName& t : kListThreats) {
    if (t.flag == value) return t.threat;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value \"", value,
                   "\" for flag --threat: want phishing, malware or unwanted"));
}

std::string ThreatTypeFlagName(ThreatType threat) {
  if (threat == lureguard::v1::THREAT_TYPE_UNSPECIFIED) return "-";
  if (threat == lureguard::v1::SUSPICIOUS) return "suspicious";
  for (const ThreatName& t : kListThreats) {
    if (t.threat == threat) return std::string(t.flag);
  }
  return absl::StrCat(static_cast<int>(threat));
}

std::string ThreatTypesCell(const google::protobuf::RepeatedField<int>& types) {
  if (types.empty()) return "-";
  std::string cell;
  for (int type : types) {
    if (!cell.empty()) cell += ',';
    cell += ThreatTypeFlagName(static_cast<ThreatType>(type));
  }
  return cell;
}

}  // namespace lureguard::cli
