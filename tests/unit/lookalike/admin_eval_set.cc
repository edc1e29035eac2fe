#include "tests/unit/lookalike/admin_eval_set.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/lookalike/brand_codec.h"

namespace lureguard::lookalike::testing {
namespace {

// The tab-separated fields of every line of `path` that is neither empty
// nor a '#' comment.
absl::StatusOr<std::vector<std::vector<std::string>>> ReadRows(
    const std::string& path, size_t fields) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::vector<std::vector<std::string>> rows;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> row = absl::StrSplit(line, '\t');
    if (row.size() != fields) {
      return absl::DataLossError(absl::StrCat(
          path, ": line ", number, ": ", row.size(), " fields, want ", fields));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// dnstwist's fuzzers that make one edit of the label.
bool IsSingleEditFuzzer(const std::string& fuzzer) {
  static const auto* const kSingleEdit = new absl::flat_hash_set<std::string>{
      "addition",   "bitsquatting", "insertion",     "omission",
      "repetition", "replacement",  "transposition", "vowel-swap"};
  return kSingleEdit->contains(fuzzer);
}

// The label of `domain` left of its first dot: "commbank" of
// "commbank.com.au" (the brands of the set have no subdomains).
std::string Label(const std::string& domain) {
  return domain.substr(0, domain.find('.'));
}

std::string Describe(const LookalikeMatch& m) {
  char weight[16];
  std::snprintf(weight, sizeof(weight), "%.2f", m.weight);
  return absl::StrCat(weight, " ", m.brand, " ", m.technique_name, ": ",
                      m.evidence);
}

}  // namespace

bool InScope(const AdminLookalike& row, const std::string& brand_label) {
  if (brand_label.size() < 5 &&
      (IsSingleEditFuzzer(row.fuzzer) || row.fuzzer == "subdomain")) {
    return false;
  }
  if (row.fuzzer == "dictionary") {
    // The brand's whole label, hyphens and all, somewhere in the host.
    return row.host.find(brand_label) != std::string::npos;
  }
  return true;
}

absl::StatusOr<std::vector<Brand>> LoadAdminBrands(const std::string& dir) {
  absl::StatusOr<std::vector<std::vector<std::string>>> rows =
      ReadRows(absl::StrCat(dir, "/admin-brands.tsv"), 3);
  if (!rows.ok()) return rows.status();
  std::vector<Brand> brands = DefaultBrands();
  for (const std::vector<std::string>& row : *rows) {
    // What CreateBrand stores for `brands add NAME --domain D` and what the
    // snapshot publisher reads back.
    Brand added;
    added.name = row[0];
    added.domains = {row[1]};
    absl::StatusOr<Brand> stored = DecodeBrand(EncodeBrand(added));
    if (!stored.ok()) return stored.status();
    brands.push_back(*std::move(stored));
  }
  return brands;
}

absl::StatusOr<std::vector<AdminLookalike>> LoadAdminLookalikes(
    const std::string& dir) {
  absl::StatusOr<std::vector<std::vector<std::string>>> rows =
      ReadRows(absl::StrCat(dir, "/admin-lookalikes.tsv"), 4);
  if (!rows.ok()) return rows.status();
  std::vector<AdminLookalike> out;
  out.reserve(rows->size());
  for (std::vector<std::string>& row : *rows) {
    out.push_back({std::move(row[0]), std::move(row[1]), std::move(row[2]),
                   std::move(row[3])});
  }
  return out;
}

AdminRecall ScoreAdminLookalikes(const BrandIndex& index,
                                 const std::vector<Brand>& brands,
                                 const std::vector<AdminLookalike>& rows) {
  AdminRecall recall;
  for (const AdminLookalike& row : rows) {
    if (!index.OfficialBrand(row.host, "").empty()) continue;
    auto brand =
        std::find_if(brands.begin(), brands.end(),
                     [&](const Brand& b) { return b.name == row.brand; });
    if (brand == brands.end()) continue;
    const std::vector<LookalikeMatch> matches = index.MatchHost(row.host, "");
    double best = 0;
    for (const LookalikeMatch& m : matches) {
      if (m.brand == row.brand) best = std::max(best, m.weight);
    }
    const bool hit = best >= 0.5;
    const bool in_scope = InScope(row, Label(brand->domains.front()));
    std::vector<Tally*> tallies = {&recall.out_of_scope};
    if (in_scope) {
      tallies = {&recall.in_scope, &recall.fuzzer[row.fuzzer],
                 &recall.split[row.split]};
    }
    for (Tally* t : tallies) {
      ++t->total;
      if (hit) ++t->hits;
    }
    if (!hit && in_scope) {
      std::string miss =
          absl::StrCat(row.brand, " ", row.fuzzer, " ", row.host);
      for (const LookalikeMatch& m : matches) {
        absl::StrAppend(&miss, " | ", Describe(m));
      }
      recall.misses.push_back(std::move(miss));
    }
  }
  return recall;
}

}  // namespace lureguard::lookalike::testing
