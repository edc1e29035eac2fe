#include "server/lookalike/brand.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/common/status_macros.h"
#include "server/url/url.h"

namespace lureguard::lookalike {
namespace {

std::string_view Std(absl::string_view s) { return {s.data(), s.size()}; }

absl::StatusOr<std::string> CanonicalDomain(absl::string_view domain,
                                            size_t line_number) {
  absl::StatusOr<std::string> host = url::CanonicalizeHost(Std(domain));
  if (!host.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", line_number, ": domain '", domain,
                     "': ", host.status().message()));
  }
  return host;
}

absl::StatusOr<std::vector<Brand>> ParseBrands(absl::string_view text) {
  std::vector<Brand> brands;
  size_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripTrailingAsciiWhitespace(line);
    if (absl::StripAsciiWhitespace(line).empty() ||
        absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#")) {
      continue;
    }
    if (line_number == 1 && absl::StartsWithIgnoreCase(line, "brand\t")) {
      continue;
    }
    std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    if (fields.size() < 3 || fields.size() > 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number,
                       ": want NAME<TAB>TOKENS<TAB>DOMAINS[<TAB>TENANT], got ",
                       fields.size(), " fields"));
    }
    Brand brand;
    brand.name = std::string(absl::StripAsciiWhitespace(fields[0]));
    if (brand.name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number, ": brand name is empty"));
    }
    for (absl::string_view token :
         absl::StrSplit(fields[1], ',', absl::SkipWhitespace())) {
      brand.tokens.push_back(
          absl::AsciiStrToLower(absl::StripAsciiWhitespace(token)));
    }
    for (absl::string_view domain :
         absl::StrSplit(fields[2], ',', absl::SkipWhitespace())) {
      ASSIGN_OR_RETURN(
          std::string canonical,
          CanonicalDomain(absl::StripAsciiWhitespace(domain), line_number));
      brand.domains.push_back(std::move(canonical));
    }
    if (brand.domains.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", line_number, ": brand '", brand.name, "' has no domain"));
    }
    if (fields.size() == 4) {
      brand.tenant = std::string(absl::StripAsciiWhitespace(fields[3]));
    }
    brands.push_back(std::move(brand));
  }
  return brands;
}

absl::StatusOr<std::vector<Brand>> ParseRankedDomains(absl::string_view text,
                                                      int top_n) {
  std::vector<Brand> brands;
  absl::flat_hash_map<std::string, size_t> brand_of_label;
  absl::flat_hash_map<std::string, bool> seen;
  size_t line_number = 0;
  int taken = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (top_n > 0 && taken >= top_n) break;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    // Tranco's "RANK,DOMAIN"; a header "rank,domain" is skipped.
    if (const size_t comma = line.find(','); comma != absl::string_view::npos) {
      int rank = 0;
      if (!absl::SimpleAtoi(line.substr(0, comma), &rank)) {
        if (line_number == 1) continue;
        return absl::InvalidArgumentError(
            absl::StrCat("line ", line_number, ": rank '",
                         line.substr(0, comma), "' is not a number"));
      }
      line = absl::StripAsciiWhitespace(line.substr(comma + 1));
    }
    ASSIGN_OR_RETURN(std::string domain, CanonicalDomain(line, line_number));
    ++taken;
    if (!seen.emplace(domain, true).second) continue;
    std::string label = DomainLabel(domain);
    auto [it, inserted] = brand_of_label.emplace(label, brands.size());
    if (inserted) {
      Brand& brand = brands.emplace_back();
      brand.name = domain;
      brand.tokens.push_back(std::move(label));
    }
    brands[it->second].domains.push_back(std::move(domain));
  }
  return brands;
}

}  // namespace

absl::StatusOr<BrandListFormat> ParseBrandListFormat(absl::string_view name) {
  if (name == "brands") return BrandListFormat::kBrands;
  if (name == "ranked-domains") return BrandListFormat::kRankedDomains;
  return absl::InvalidArgumentError(absl::StrCat(
      "format '", name, "': want \"brands\" or \"ranked-domains\""));
}

absl::StatusOr<std::vector<Brand>> ParseBrandList(absl::string_view text,
                                                  BrandListFormat format,
                                                  int top_n) {
  switch (format) {
    case BrandListFormat::kBrands:
      return ParseBrands(text);
    case BrandListFormat::kRankedDomains:
      return ParseRankedDomains(text, top_n);
  }
  return absl::InvalidArgumentError("unknown brand list format");
}

std::string DomainLabel(const std::string& domain) {
  const std::string suffix = url::PublicSuffix(domain);
  absl::string_view rest = domain;
  if (!suffix.empty() && suffix.size() < domain.size()) {
    rest = rest.substr(0, domain.size() - suffix.size() - 1);
  }
  const size_t dot = rest.rfind('.');
  return std::string(dot == absl::string_view::npos ? rest
                                                    : rest.substr(dot + 1));
}

}  // namespace lureguard::lookalike
