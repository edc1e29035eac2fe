// The store encoding of a protected brand: "key=value" lines with C-escaped
// values, one line per domain and token, so a record stays readable with
// the sqlite3 shell and tolerant of fields added later.
//
// Example:
//   std::string payload = EncodeBrand(brand);
//   absl::StatusOr<Brand> decoded = DecodeBrand(payload);

#ifndef LUREGUARD_SERVER_LOOKALIKE_BRAND_CODEC_H_
#define LUREGUARD_SERVER_LOOKALIKE_BRAND_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/lookalike/brand.h"

namespace lureguard::lookalike {

std::string EncodeBrand(const Brand& brand);

// DataLoss when `payload` is not an encoded brand.
absl::StatusOr<Brand> DecodeBrand(absl::string_view payload);

}  // namespace lureguard::lookalike

#endif  // LUREGUARD_SERVER_LOOKALIKE_BRAND_CODEC_H_
