// What a public suffix says about who can register a name under it: which
// site names a registrant could have chosen to look like a brand.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_SUFFIXES_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_SUFFIXES_H_

#include "absl/strings/string_view.h"

namespace lureguard::lookalike::internal {

// Whether names under `public_suffix` go only to vetted registrants: the
// restricted top-level domains (gov, mil, edu, int) and the government,
// military and academic second levels of country codes ("gov.bd",
// "gob.mx", "gouv.fr", "go.th", "mil.br", "edu.pe", "ac.uk").
bool IsVettedSuffix(absl::string_view public_suffix);

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_SUFFIXES_H_
