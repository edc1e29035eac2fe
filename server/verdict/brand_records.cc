#include "server/verdict/brand_records.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/lookalike/brand_codec.h"

namespace lureguard::verdict {
namespace {

constexpr char kSettingCollection[] = "setting";
constexpr char kSeededMarker[] = "default-brands-seeded";

}  // namespace

store::StoredRecord BrandRecord(const lookalike::Brand& brand, absl::Time now) {
  store::StoredRecord record;
  record.collection = kBrandCollection;
  record.tenant = brand.tenant;
  record.name = brand.name;
  record.payload = lookalike::EncodeBrand(brand);
  record.update_time = now;
  return record;
}

absl::StatusOr<int> SeedDefaultBrands(store::Store& store, const Clock& clock) {
  ASSIGN_OR_RETURN(std::optional<store::StoredRecord> marker,
                   store.GetRecord(kSettingCollection, "", kSeededMarker));
  if (marker.has_value()) return 0;
  const absl::Time now = clock.Now();
  int written = 0;
  for (const lookalike::Brand& brand : lookalike::DefaultBrands()) {
    if (absl::Status s =
            store.PutRecord(BrandRecord(brand, now), /*affects_snapshot=*/true);
        !s.ok()) {
      return s;
    }
    ++written;
  }
  store::StoredRecord seeded;
  seeded.collection = kSettingCollection;
  seeded.name = kSeededMarker;
  seeded.payload = absl::StrCat(written);
  seeded.update_time = now;
  RETURN_IF_ERROR(store.PutRecord(seeded, /*affects_snapshot=*/false));
  return written;
}

absl::StatusOr<std::vector<lookalike::Brand>> LoadBrands(
    store::Store& store, std::string* fingerprint) {
  ASSIGN_OR_RETURN(std::vector<store::StoredRecord> records,
                   store.ListRecords(kBrandCollection));
  std::vector<lookalike::Brand> brands;
  brands.reserve(records.size());
  fingerprint->clear();
  for (const store::StoredRecord& record : records) {
    absl::StatusOr<lookalike::Brand> brand =
        lookalike::DecodeBrand(record.payload);
    if (!brand.ok()) {
      return absl::DataLossError(absl::StrCat("brand '", record.name,
                                              "': ", brand.status().message()));
    }
    brands.push_back(*std::move(brand));
    absl::StrAppend(fingerprint, record.tenant, "/", record.name, "@",
                    absl::ToUnixMicros(record.update_time), ";");
  }
  return brands;
}

}  // namespace lureguard::verdict
