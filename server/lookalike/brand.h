// Protected brands: who may be imitated, the registrable domains each one
// owns, and the words that name it in a host. Plain values: the index
// (brand_index.h) reads them; the store and admin RPCs persist them.
//
// Example:
//   absl::StatusOr<std::vector<Brand>> brands = ParseBrandList(
//       "PayPal\tpaypal\tpaypal.com,paypal.me\n", BrandListFormat::kBrands);
//   // (*brands)[0].tokens == {"paypal"}

#ifndef LUREGUARD_SERVER_LOOKALIKE_BRAND_H_
#define LUREGUARD_SERVER_LOOKALIKE_BRAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::lookalike {

// A protected brand.
struct Brand {
  // Display name, unique per tenant ("PayPal").
  std::string name;
  // Every registrable domain the brand owns, canonical ASCII ("paypal.com",
  // "paypalobjects.com"). Hosts under them never match this brand, and
  // hosts under them are never flagged at all.
  std::vector<std::string> domains;
  // Words that name the brand inside a host ("paypal"; Microsoft also has
  // "office365", "onedrive", ...). Empty means: the labels of `domains` left
  // of their public suffix, and `name` spelled as a label
  // ("haierbiomedical": brand_index.h).
  std::vector<std::string> tokens;
  // Owning tenant; empty for a global brand that every tenant sees.
  std::string tenant;
};

// The brands protected when the configuration names none: about fifty
// commonly phished brands with the domains they own, compiled by hand.
// Immutable; safe to call from any thread.
const std::vector<Brand>& DefaultBrands();

// Registrable domains that are never flagged although their hosts embed
// brand names: DNS and CDN infrastructure that CNAME chains pass through
// ("paypal.com.akadns.net", "microsoft.com.edgekey.net").
const std::vector<std::string>& DefaultInfrastructureDomains();

// The two import forms of `lureguard brands import`.
enum class BrandListFormat {
  // One brand per line, tab-separated: NAME, TOKENS, DOMAINS[, TENANT], the
  // lists comma-separated ("PayPal<TAB>paypal<TAB>paypal.com,paypal.me").
  // A first line starting with "brand<TAB>" is a header. '#' starts a
  // comment line.
  kBrands,
  // A popularity-ranked domain list, one domain per line, optionally
  // "RANK,DOMAIN" as Tranco publishes it. The first `top_n` lines are
  // protected; domains sharing their label left of the public suffix
  // (google.com, google.de) become one brand named after the best-ranked.
  kRankedDomains,
};

// Parses `format` from its name, "brands" or "ranked-domains".
absl::StatusOr<BrandListFormat> ParseBrandListFormat(absl::string_view name);

// Parses an import file. `top_n` bounds the entries read for
// kRankedDomains (0 or less: all). Returns InvalidArgument naming the line
// and field on malformed input ("line 3: domain 'pay pal.com': ...").
absl::StatusOr<std::vector<Brand>> ParseBrandList(absl::string_view text,
                                                  BrandListFormat format,
                                                  int top_n = 0);

// The label of a canonical domain left of its public suffix, which names
// the site: "google" for google.co.uk and for mail.google.com. What a
// ranked-domains import groups by, and what a brand's other domains share
// (verdict/certificate_domains.h).
std::string DomainLabel(const std::string& domain);

}  // namespace lureguard::lookalike

#endif  // LUREGUARD_SERVER_LOOKALIKE_BRAND_H_
