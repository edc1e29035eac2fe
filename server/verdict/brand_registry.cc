#include "server/verdict/brand_registry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/field_error.h"
#include "server/common/status_macros.h"
#include "server/common/tenant.h"
#include "server/lookalike/brand_codec.h"
#include "server/lookalike/brand_index.h"
#include "server/store/audit_scope.h"
#include "server/verdict/brand_records.h"

namespace lureguard::verdict {
namespace {

constexpr char kDefaultImportFormat[] = "brands";

// The audit log's one-line summary of a brand.
std::string BrandSummary(const lookalike::Brand& brand) {
  return absl::StrCat("domains=", absl::StrJoin(brand.domains, ","),
                      " tokens=", absl::StrJoin(brand.tokens, ","));
}

// Checks brands the way the snapshot will index them, so a brand that
// would break the next rebuild is refused now, with the field named.
absl::Status ValidateBrands(const std::vector<lookalike::Brand>& brands) {
  for (const lookalike::Brand& brand : brands) {
    if (brand.name.empty()) return absl::InvalidArgumentError("name: is empty");
    RETURN_IF_ERROR(ValidateTenant(brand.tenant));
    if (brand.domains.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("domains: brand '", brand.name, "' needs a domain"));
    }
  }
  return lookalike::BrandIndex::Build(brands).status();
}

}  // namespace

BrandRegistry::BrandRegistry(store::Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

std::string BrandRegistry::StoredSummary(const std::string& tenant,
                                         const std::string& name) const {
  absl::StatusOr<std::optional<store::StoredRecord>> record =
      store_.GetRecord(kBrandCollection, tenant, name);
  if (!record.ok() || !record->has_value()) return "";
  absl::StatusOr<lookalike::Brand> brand =
      lookalike::DecodeBrand((*record)->payload);
  return brand.ok() ? BrandSummary(*brand) : "";
}

absl::Status BrandRegistry::Validate(const lookalike::Brand& brand) {
  return InField("brand", ValidateBrands({brand}));
}

absl::StatusOr<lookalike::Brand> BrandRegistry::Put(
    const auth::Caller& caller, const lookalike::Brand& brand) {
  RETURN_IF_ERROR(Validate(brand));
  const absl::Time now = clock_.Now();
  store::AuditScope audit(auth::AuditRecordOf(
      caller, "CreateBrand", absl::StrCat("brand:", brand.name), brand.tenant,
      now));
  audit.record().before = StoredSummary(brand.tenant, brand.name);
  audit.record().after = BrandSummary(brand);
  RETURN_IF_ERROR(
      store_.PutRecord(BrandRecord(brand, now), /*affects_snapshot=*/true));
  return brand;
}

absl::Status BrandRegistry::Remove(const auth::Caller& caller,
                                   const std::string& name,
                                   const std::string& tenant) {
  if (name.empty()) return absl::InvalidArgumentError("name: is empty");
  RETURN_IF_ERROR(ValidateTenant(tenant));
  store::AuditScope audit(auth::AuditRecordOf(caller, "DeleteBrand",
                                              absl::StrCat("brand:", name),
                                              tenant, clock_.Now()));
  audit.record().before = StoredSummary(tenant, name);
  ASSIGN_OR_RETURN(bool deleted, store_.DeleteRecord(kBrandCollection, tenant,
                                                     name, std::nullopt));
  if (!deleted) {
    return absl::NotFoundError(
        absl::StrCat("name: no brand '", name, "'",
                     tenant.empty() ? "" : " of tenant " + tenant));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<lookalike::Brand>> BrandRegistry::List() const {
  std::string fingerprint;
  return LoadBrands(store_, &fingerprint);
}

absl::StatusOr<int64_t> BrandRegistry::Import(const auth::Caller& caller,
                                              absl::string_view content,
                                              const std::string& format,
                                              int top_n) {
  const std::string format_name =
      format.empty() ? kDefaultImportFormat : format;
  absl::StatusOr<lookalike::BrandListFormat> parsed_format =
      lookalike::ParseBrandListFormat(format_name);
  if (!parsed_format.ok()) return InField("format", parsed_format.status());
  if (top_n < 0) return absl::InvalidArgumentError("top_n: is negative");
  absl::StatusOr<std::vector<lookalike::Brand>> brands =
      lookalike::ParseBrandList(content, *parsed_format, top_n);
  if (!brands.ok()) return InField("content", brands.status());
  RETURN_IF_ERROR(InField("content", ValidateBrands(*brands)));
  // One transaction: all brands and the audit record, or nothing.
  const absl::Time now = clock_.Now();
  std::vector<store::StoredRecord> records;
  records.reserve(brands->size());
  for (const lookalike::Brand& brand : *brands) {
    records.push_back(BrandRecord(brand, now));
  }
  store::AuditScope audit(
      auth::AuditRecordOf(caller, "ImportBrands", "brands", "", now));
  audit.record().after =
      absl::StrCat(brands->size(), " brands, format ", format_name);
  RETURN_IF_ERROR(store_.PutRecords(records, /*affects_snapshot=*/true));
  return static_cast<int64_t>(brands->size());
}

}  // namespace lureguard::verdict
