// Protected brands in the store: collection "brand", one record per brand
// and tenant, encoded by lookalike/brand_codec.h. The embedded default
// brands are written once, on the first start, so admins manage them like
// any other brand (`lureguard brands rm` removes a default for good).

#ifndef LUREGUARD_SERVER_VERDICT_BRAND_RECORDS_H_
#define LUREGUARD_SERVER_VERDICT_BRAND_RECORDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/common/clock.h"
#include "server/lookalike/brand.h"
#include "server/store/store.h"

namespace lureguard::verdict {

inline constexpr char kBrandCollection[] = "brand";

// Writes lookalike::DefaultBrands() unless this store was seeded before
// (a marker record remembers it, so removed defaults stay removed).
// Returns how many brands were written.
absl::StatusOr<int> SeedDefaultBrands(store::Store& store, const Clock& clock);

// Every stored brand. `fingerprint` receives a string that changes whenever
// any brand record changes, so an unchanged brand index can be reused.
absl::StatusOr<std::vector<lookalike::Brand>> LoadBrands(
    store::Store& store, std::string* fingerprint);

// The store record of `brand`.
store::StoredRecord BrandRecord(const lookalike::Brand& brand, absl::Time now);

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_BRAND_RECORDS_H_
