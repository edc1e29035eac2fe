// Evaluation of the lookalike engine on real data (not a microbenchmark):
//
//   lookalike_eval hosts HOST...    explain the matches of some hosts
//   lookalike_eval recall           permutation recall per fuzzer, default
//                                   brands with labels of 5+ characters
//   lookalike_eval phish            recall on eval/brand-lookalikes-phishing
//   lookalike_eval phishtank        recall on PhishTank's human brand labels
//                                   (phishtank-labeled.tsv), per brand
//   lookalike_eval fp [N]           false positives on top-domains-100k,
//                                   worst N offenders listed
//   lookalike_eval negatives        hard negatives: brand infrastructure in
//                                   the top lists and the ANSSI lists
//   lookalike_eval admin [-v] [DIR] recall on brands an admin adds
//                                   (tests/data/lookalike, or DIR), per
//                                   fuzzer and split; -v lists the misses
//   LOOKALIKE_ADMIN_BRANDS=1 lookalike_eval fp|negatives|hosts|dump ...
//                                   the same with those brands added
//   lookalike_eval dump FILE [top]  every match of every host in FILE (one
//                                   per line), with the default brands or,
//                                   with "top", top-domains-100k as brands:
//                                   diff two builds' output to check that a
//                                   speed change altered no answer
//
// Reads ../shared/data (LUREGUARD_DATA_DIR); prints figures on stdout.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/lookalike/brand_index.h"
#include "server/url/url.h"
#include "tests/unit/lookalike/admin_eval_set.h"
#include "tests/unit/lookalike/permutations.h"

namespace {

using lureguard::lookalike::BrandIndex;
using lureguard::lookalike::DefaultBrands;
using lureguard::lookalike::LookalikeMatch;
using lureguard::lookalike::TechniqueCategoryName;

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string Data(const std::string& relative) {
  return std::string(LUREGUARD_DATA_DIR) + "/" + relative;
}

std::string Describe(const LookalikeMatch& m) {
  char weight[16];
  std::snprintf(weight, sizeof(weight), "%.2f", m.weight);
  return std::string(weight) + " " + m.brand + " " +
         std::string(TechniqueCategoryName(m.technique)) + "/" +
         m.technique_name + " (" + m.official_domain + "): " + m.evidence;
}

double Best(const std::vector<LookalikeMatch>& ms, const std::string& brand) {
  double best = 0;
  for (const auto& m : ms) {
    if (brand.empty() || m.brand == brand) best = std::max(best, m.weight);
  }
  return best;
}

int Hosts(const BrandIndex& index, int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    std::cout << argv[i] << "\n";
    for (const auto& m : index.MatchHost(argv[i], "")) {
      std::cout << "  " << Describe(m) << "\n";
    }
  }
  return 0;
}

int Dump(const BrandIndex& index, const std::string& file) {
  for (const std::string& host : ReadLines(file)) {
    if (host.empty()) continue;
    std::cout << host << "\n";
    for (const auto& m : index.MatchHost(host, "")) {
      std::cout << "  " << Describe(m) << "\n";
    }
  }
  return 0;
}

int Recall(const BrandIndex& index, bool verbose) {
  std::map<std::string, std::pair<int, int>> per_fuzzer;  // hits, total
  std::map<std::string, std::pair<int, int>> per_brand;
  int hits = 0, total = 0;
  for (const auto& brand : DefaultBrands()) {
    for (const std::string& token : brand.tokens) {
      if (token.size() < 5) continue;
      std::string suffix = "com";
      for (const std::string& d : brand.domains) {
        if (d.rfind(token + ".", 0) == 0) {
          suffix = d.substr(token.size() + 1);
          break;
        }
      }
      for (const auto& p :
           lureguard::lookalike::testing::Permutations(token, suffix)) {
        auto ms = index.MatchHost(p.host, "");
        if (lureguard::lookalike::testing::OutOfReach(p.host)) continue;
        const bool hit = Best(ms, brand.name) >= 0.5;
        auto& f = per_fuzzer[p.fuzzer];
        auto& b = per_brand[brand.name];
        f.second++;
        b.second++;
        total++;
        if (hit) {
          f.first++;
          b.first++;
          hits++;
        } else if (verbose) {
          std::cout << "MISS " << brand.name << " " << p.fuzzer << " "
                    << p.host;
          for (const auto& m : ms) std::cout << " | " << Describe(m);
          std::cout << "\n";
        }
      }
    }
  }
  for (const auto& [name, ht] : per_fuzzer) {
    std::printf("fuzzer %-18s %6d/%-6d %6.2f%%\n", name.c_str(), ht.first,
                ht.second, 100.0 * ht.first / ht.second);
  }
  for (const auto& [name, ht] : per_brand) {
    if (ht.first * 100 < ht.second * 98) {
      std::printf("brand below 98%%: %-16s %5d/%-5d %6.2f%%\n", name.c_str(),
                  ht.first, ht.second, 100.0 * ht.first / ht.second);
    }
  }
  std::printf("TOTAL recall %d/%d = %.2f%%\n", hits, total,
              100.0 * hits / total);
  return 0;
}

int Phish(const BrandIndex& index, bool verbose) {
  auto lines = ReadLines(Data("eval/brand-lookalikes-phishing.tsv"));
  if (lines.empty()) {
    std::cerr << "no data\n";
    return 1;
  }
  std::map<std::string, std::array<int, 4>>
      per_type;  // total, any, right, block
  std::map<std::string, int> missed_brand;
  int total = 0, any = 0, right = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], '\t');
    if (f.size() < 4) continue;
    const std::string& host = f[0];
    const std::string& brand = f[2];
    std::string type = f[3].rfind("typo", 0) == 0 ? "typo" : f[3];
    auto ms = index.MatchHost(host, "");
    const bool a = Best(ms, "") >= 0.5;
    const bool r = Best(ms, brand) >= 0.5;
    auto& t = per_type[type];
    t[0]++;
    total++;
    if (a) {
      t[1]++;
      any++;
    }
    if (r) {
      t[2]++;
      right++;
    }
    if (Best(ms, "") >= 0.85) t[3]++;
    if (!r) {
      missed_brand[brand]++;
      if (verbose) {
        std::cout << "MISS " << brand << " " << f[3] << " " << host;
        for (const auto& m : ms) std::cout << " | " << Describe(m);
        std::cout << "\n";
      }
    }
  }
  for (const auto& [type, t] : per_type) {
    std::printf(
        "%-15s rows %6d  WARN+ any brand %6.2f%%  WARN+ same brand %6.2f%%  "
        "BLOCK %6.2f%%\n",
        type.c_str(), t[0], 100.0 * t[1] / t[0], 100.0 * t[2] / t[0],
        100.0 * t[3] / t[0]);
  }
  std::vector<std::pair<int, std::string>> worst;
  for (const auto& [b, n] : missed_brand) worst.push_back({n, b});
  std::sort(worst.rbegin(), worst.rend());
  std::printf("most missed brands:");
  for (size_t i = 0; i < worst.size() && i < 12; ++i) {
    std::printf(" %s=%d", worst[i].second.c_str(), worst[i].first);
  }
  std::printf("\nTOTAL rows %d  WARN+ any brand %.2f%%  same brand %.2f%%\n",
              total, 100.0 * any / total, 100.0 * right / total);
  return 0;
}

// Lowercase letters and digits only: "eBay, Inc." -> "ebayinc".
std::string Folded(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  return out;
}

// Recall on PhishTank's human brand labels: every verified phishing URL
// whose `target` is a default brand ("eBay, Inc." is eBay), one row per
// host. Unlike `phish`, whose rows a name matcher picked, this counts the
// hosts whose names say nothing of the brand (compromised sites, random
// names), which no host-name check can catch.
int PhishTank(const BrandIndex& index, bool verbose) {
  auto lines = ReadLines(Data("phishtank-labeled.tsv"));
  if (lines.size() < 2) {
    std::cerr << "no data\n";
    return 1;
  }
  std::vector<std::pair<std::string, std::string>> brands;  // folded, name
  for (const auto& brand : DefaultBrands()) {
    brands.push_back({Folded(brand.name), brand.name});
  }
  std::map<std::string, std::array<int, 3>> per_brand;  // hosts, named, block
  std::set<std::string> seen;
  int total = 0, named = 0, blocked = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], '\t');
    if (f.size() < 4 || f[2] == "Other") continue;
    const std::string target = Folded(f[2]);
    std::string brand;
    for (const auto& [folded, name] : brands) {
      if (!folded.empty() && target.rfind(folded, 0) == 0) brand = name;
    }
    if (brand.empty()) continue;
    absl::StatusOr<lureguard::url::UrlAnalysis> url =
        lureguard::url::AnalyzeUrl(f[3]);
    if (!url.ok() || url->host.empty() || !seen.insert(url->host).second) {
      continue;
    }
    auto ms = index.Match(*url, "");
    const double best = Best(ms, brand);
    auto& b = per_brand[brand];
    ++b[0];
    ++total;
    if (best >= 0.5) {
      ++b[1];
      ++named;
    }
    if (best >= 0.85) {
      ++b[2];
      ++blocked;
    }
    if (verbose && best < 0.5)
      std::cout << "MISS " << brand << " " << url->host << "\n";
  }
  for (const auto& [brand, b] : per_brand) {
    std::printf("%-20s hosts %5d  named WARN+ %6.2f%%  BLOCK %6.2f%%\n",
                brand.c_str(), b[0], 100.0 * b[1] / b[0], 100.0 * b[2] / b[0]);
  }
  std::printf(
      "TOTAL %d distinct hosts labelled with a default brand: named with it "
      "at WARN+ %.2f%%, BLOCK %.2f%%\n",
      total, 100.0 * named / total, 100.0 * blocked / total);
  return 0;
}

int FalsePositives(const BrandIndex& index, size_t show) {
  auto lines = ReadLines(Data("top-domains-100k.txt"));
  if (lines.empty()) {
    std::cerr << "no data\n";
    return 1;
  }
  int total = 0, warn = 0, block = 0;
  std::vector<std::pair<double, std::string>> offenders;
  std::map<std::string, int> by_technique;
  for (std::string& host : lines) {
    if (host.empty()) continue;
    for (char& c : host) c = static_cast<char>(std::tolower(c));
    ++total;
    auto ms = index.MatchHost(host, "");
    if (ms.empty() || ms[0].weight < 0.5) continue;
    ++warn;
    if (ms[0].weight >= 0.85) ++block;
    by_technique[ms[0].technique_name]++;
    offenders.push_back({ms[0].weight, host + "  " + Describe(ms[0])});
  }
  std::stable_sort(
      offenders.begin(), offenders.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < offenders.size() && i < show; ++i) {
    std::cout << offenders[i].second << "\n";
  }
  for (const auto& [t, n] : by_technique) std::printf("  %s=%d", t.c_str(), n);
  std::printf("\nTOTAL %d hosts  BLOCK %d (%.3f%%)  WARN+ %d (%.3f%%)\n", total,
              block, 100.0 * block / total, warn, 100.0 * warn / total);
  return 0;
}

int Negatives(const BrandIndex& index) {
  int total = 0, warn = 0, block = 0;
  std::map<std::string, std::array<int, 3>> per_list;
  auto check = [&](const std::string& list, const std::string& host) {
    auto ms = index.MatchHost(host, "");
    auto& t = per_list[list];
    t[0]++;
    total++;
    if (!ms.empty() && ms[0].weight >= 0.5) {
      t[1]++;
      warn++;
      if (ms[0].weight >= 0.85) {
        t[2]++;
        block++;
      }
      std::cout << list << " " << host << "  " << Describe(ms[0]) << "\n";
    }
  };
  auto lines = ReadLines(Data("eval/brand-matches-in-top-domains.tsv"));
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], '\t');
    if (f.size() >= 3) check("top-" + f[0], f[2]);
  }
  for (const char* file : {"typosquatting/anssi-do-not-flag.txt",
                           "typosquatting/anssi-legit-but-flagged.txt"}) {
    for (const auto& line : ReadLines(Data(file))) {
      if (line.empty() || line[0] == '#') continue;
      check(file, line);
    }
  }
  for (const auto& [list, t] : per_list) {
    std::printf("%-45s %5d hosts  WARN+ %5d (%.2f%%)  BLOCK %5d (%.2f%%)\n",
                list.c_str(), t[0], t[1], 100.0 * t[1] / t[0], t[2],
                100.0 * t[2] / t[0]);
  }
  std::printf("TOTAL %d  WARN+ %d  BLOCK %d\n", total, warn, block);
  return 0;
}

int AdminRecall(const BrandIndex& index,
                const std::vector<lureguard::lookalike::Brand>& brands,
                const std::string& dir, bool verbose) {
  namespace lt = lureguard::lookalike::testing;
  auto rows = lt::LoadAdminLookalikes(dir);
  if (!rows.ok()) {
    std::cerr << rows.status() << "\n";
    return 1;
  }
  const lt::AdminRecall recall = lt::ScoreAdminLookalikes(index, brands, *rows);
  if (verbose) {
    for (const std::string& miss : recall.misses) {
      std::cout << "MISS " << miss << "\n";
    }
  }
  auto print = [](const char* what, const std::string& name,
                  const lt::Tally& t) {
    std::printf("%-8s %-20s %6d/%-6d %6.2f%%\n", what, name.c_str(), t.hits,
                t.total, 100.0 * t.Recall());
  };
  for (const auto& [name, t] : recall.fuzzer) print("fuzzer", name, t);
  for (const auto& [name, t] : recall.split) print("split", name, t);
  print("outside", "scope (InScope)", recall.out_of_scope);
  print("TOTAL", "recall", recall.in_scope);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: lookalike_eval "
                 "hosts|recall|phish|phishtank|fp|negatives|admin|dump\n";
    return 1;
  }
  const std::string mode = argv[1];
  std::vector<lureguard::lookalike::Brand> brands = DefaultBrands();
  const bool verbose = argc > 2 && std::string(argv[2]) == "-v";
  // admin [-v] [DIR]: the defaults plus the brands an admin added.
  std::string admin_dir =
      std::string(LUREGUARD_SOURCE_DIR) + "/tests/data/lookalike";
  if (mode == "admin" && argc > (verbose ? 3 : 2)) {
    admin_dir = argv[verbose ? 3 : 2];
  }
  if (mode == "admin" || ((mode == "fp" || mode == "negatives" ||
                           mode == "hosts" || mode == "dump") &&
                          std::getenv("LOOKALIKE_ADMIN_BRANDS") != nullptr)) {
    auto loaded = lureguard::lookalike::testing::LoadAdminBrands(admin_dir);
    if (!loaded.ok()) {
      std::cerr << loaded.status() << "\n";
      return 1;
    }
    brands = *std::move(loaded);
  }
  if (mode == "dump" && argc > 3 && std::string(argv[3]) == "top") {
    std::ifstream in(Data("top-domains-100k.txt"));
    std::stringstream text;
    text << in.rdbuf();
    std::string lower = text.str();
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    auto parsed = lureguard::lookalike::ParseBrandList(
        lower, lureguard::lookalike::BrandListFormat::kRankedDomains);
    if (!parsed.ok()) {
      std::cerr << parsed.status() << "\n";
      return 1;
    }
    brands = *std::move(parsed);
  }
  auto index = BrandIndex::Build(brands);
  if (!index.ok()) {
    std::cerr << index.status() << "\n";
    return 1;
  }
  if (mode == "admin") return AdminRecall(*index, brands, admin_dir, verbose);
  if (mode == "hosts") return Hosts(*index, argc, argv);
  if (mode == "recall") return Recall(*index, verbose);
  if (mode == "phish") return Phish(*index, verbose);
  if (mode == "phishtank") return PhishTank(*index, verbose);
  if (mode == "fp")
    return FalsePositives(*index, argc > 2 ? std::stoul(argv[2]) : 60);
  if (mode == "negatives") return Negatives(*index);
  if (mode == "dump" && argc > 2) return Dump(*index, argv[2]);
  std::cerr << "unknown mode " << mode << "\n";
  return 1;
}
