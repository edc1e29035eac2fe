// The CLI spelling of threat types (`--threat phishing|malware|unwanted`,
// the THREAT table column) and its mapping onto lureguard.v1.ThreatType.
// Pure functions.
#ifndef LUREGUARD_CLIENT_THREAT_TYPE_H_
#define LUREGUARD_CLIENT_THREAT_TYPE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "lureguard/v1/verdict.pb.h"

namespace lureguard::cli {

// Maps a --threat value to the API enum: phishing → PHISHING, malware →
// MALWARE, unwanted → UNWANTED. InvalidArgumentError naming the flag and
// value otherwise (SUSPICIOUS is a verdict's judgement, never a list's).
absl::StatusOr<lureguard::v1::ThreatType> ThreatTypeFromFlag(
    absl::string_view value);

// The lowercase name of `threat` for tables ("malware", "suspicious"); "-"
// when unspecified and the number for values this CLI does not know.
std::string ThreatTypeFlagName(lureguard::v1::ThreatType threat);

// A verdict's threat types for a table cell: "malware,phishing"; "-" when
// there are none.
std::string ThreatTypesCell(const google::protobuf::RepeatedField<int>& types);

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_THREAT_TYPE_H_
