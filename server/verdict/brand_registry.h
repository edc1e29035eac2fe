// The protected brands admins manage: creating, replacing, removing,
// listing and importing them as store records (brand_records.h), with the
// rules those calls share: a brand is checked by building the index the
// next snapshot will build from it (so a brand that would break the
// rebuild is refused now, naming the field), the tenant rule
// (common/tenant.h), and an audit record written in the same store
// transaction as each change.
//
// It lives here rather than in lookalike/ because lookalike/ is a pure
// library that must not depend on the store; this folder already keeps
// brands as store records for the snapshot publisher.
//
// Like lists::ListAdmin it commits and returns; the gRPC layer waits for
// the publish within the call's deadline.
//
// Thread safety: safe for concurrent use (the store serializes writes).
//
// Example:
//   BrandRegistry brands(*store, SystemClock());
//   lookalike::Brand acme{.name = "Acme", .domains = {"acme.example"}};
//   absl::StatusOr<lookalike::Brand> stored = brands.Put(caller, acme);
//   absl::Status removed = brands.Remove(caller, "Acme", "");

#ifndef LUREGUARD_SERVER_VERDICT_BRAND_REGISTRY_H_
#define LUREGUARD_SERVER_VERDICT_BRAND_REGISTRY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/auth/caller.h"
#include "server/common/clock.h"
#include "server/lookalike/brand.h"
#include "server/store/store.h"

namespace lureguard::verdict {

class BrandRegistry {
 public:
  // `store` and `clock` must outlive the registry.
  BrandRegistry(store::Store& store, const Clock& clock);

  // Creates `brand`, or replaces the brand of that name and tenant.
  // InvalidArgument names the field under "brand: " ("brand: name: is
  // empty").
  absl::StatusOr<lookalike::Brand> Put(const auth::Caller& caller,
                                       const lookalike::Brand& brand);

  // The check Put makes before it writes (InvalidArgument naming the field
  // or the brand), for callers with costly work to do before Put: a brand
  // it would refuse is then refused before a certificate probe.
  static absl::Status Validate(const lookalike::Brand& brand);

  // Removes brand `name` of `tenant`. NotFound when there is none.
  absl::Status Remove(const auth::Caller& caller, const std::string& name,
                      const std::string& tenant);

  // Every brand, of every tenant.
  absl::StatusOr<std::vector<lookalike::Brand>> List() const;

  // Creates or replaces every brand of `content`, a list in `format` ("":
  // "brands"; see lookalike::ParseBrandList; `top_n` > 0 keeps the first
  // N of a ranking), all in one transaction. Returns how many brands it
  // wrote. InvalidArgument names "format", "top_n" or "content".
  absl::StatusOr<int64_t> Import(const auth::Caller& caller,
                                 absl::string_view content,
                                 const std::string& format, int top_n);

 private:
  // The stored brand `name` of `tenant` summarized, or "" when none.
  std::string StoredSummary(const std::string& tenant,
                            const std::string& name) const;

  store::Store& store_;
  const Clock& clock_;
};

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_BRAND_REGISTRY_H_
