// The lookalike-domain engine: given a host, names the protected brand it
// imitates, the technique and the evidence. dnstwist goes from a brand to
// its permutations; a verdict service must go the other way, for every host
// it sees, fast enough for a gateway's request path.
//
// A BrandIndex is an immutable snapshot built off the request path from a
// list of brands. It holds
//   - an exact map from label skeletons (skeleton.h: UTS #39 plus our own
//     confusables) to brand tokens: homoglyphs and IDN homographs;
//   - a symmetric-deletion index over the tokens and their skeletons: typos
//     at edit distance 1 (2 for tokens of long_token_length, 8, or more
//     characters);
//   - an Aho-Corasick automaton over token skeletons: combosquatting and
//     target embedding;
// and never scans the brand list.
//
// Thread safety: Build returns an object whose const methods are safe for
// concurrent use by multiple threads without external synchronization.
//
// Example:
//   absl::StatusOr<BrandIndex> index = BrandIndex::Build(DefaultBrands());
//   std::vector<LookalikeMatch> m = index->MatchHost("paypa1-login.com", "");
//   // m[0].brand == "PayPal", m[0].technique == Technique::kHomoglyph,
//   // m[0].technique_name == "ascii-homoglyph", m[0].weight >= 0.85

#ifndef LUREGUARD_SERVER_LOOKALIKE_BRAND_INDEX_H_
#define LUREGUARD_SERVER_LOOKALIKE_BRAND_INDEX_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/lookalike/brand.h"
#include "server/url/url.h"

namespace lureguard::lookalike {

// Categories of imitation; they mirror the verdict's lookalike ReasonCodes
// (verdict.h: kLookalikeHomoglyph = 40 ... kLookalikeHostingPlatform = 47).
enum class Technique {
  kHomoglyph,        // ASCII look-alike letters: "paypa1", "rnicrosoft"
  kTypo,             // edit distance 1-2: omission, transposition, ...
  kSeparator,        // hyphenation, subdomain split, dropped dot
  kCombosquat,       // token plus other words: "paypal-secure-login"
  kTargetEmbedding,  // brand domain or token left of another domain
  kTldSwap,          // the brand's label under a suffix it does not own
  kIdnSpoof,         // Unicode homograph: whole-script or mixed-script
  kHostingPlatform,  // brand in a site name on a shared hosting platform
};

// Stable lowercase name of a category, e.g. "target-embedding".
absl::string_view TechniqueCategoryName(Technique technique);

// One explained imitation.
struct LookalikeMatch {
  Technique technique = Technique::kTypo;
  // Finer grain: "bitsquatting", "keyboard-replacement", "omission",
  // "repetition", "transposition", "vowel-swap", "insertion", "addition",
  // "plural", "double-typo", "hyphenation", "subdomain-split", "brand-token",
  // "dropped-dot", "ascii-homoglyph", "latin-homoglyph", "mixed-script",
  // "whole-script", "combosquat", "target-embedding", "tld-swap",
  // "hosting-platform".
  std::string technique_name;
  std::string brand;            // Brand::name
  std::string official_domain;  // the brand domain imitated
  // Calibrated confidence in [0, 1] for the verdict's noisy-OR: homoglyphs
  // and embeddings of the brand domain >= 0.85, combosquats ~0.7, plain
  // distance-1 typos ~0.6, weaker guesses below 0.5.
  double weight = 0;
  // One sentence a person can read, e.g. "skeleton 'paypal' of label
  // 'paypa1' equals brand token 'paypal'".
  std::string evidence;
};

// Tuning knobs; the defaults are the ones the evaluation in
// tests/bench/lookalike_eval.cc was run with.
struct BrandIndexOptions {
  // Registrable domains or hosts that never match (with their subdomains).
  std::vector<std::string> allowlist = DefaultInfrastructureDomains();
  // Shortest token matched at edit distance 1; 2 from long_token_length.
  // Chromium's lookalike checks use 5 (kMinLengthForEditDistance).
  size_t min_typo_length = 5;
  size_t long_token_length = 8;
  // Shortest token found inside a longer word rather than as a whole
  // '-'-separated part ("tosetupamazoncard").
  size_t min_substring_length = 6;
  // At most this many matches per host, strongest first.
  size_t max_matches = 4;
};

// The immutable lookalike index over a set of brands.
class BrandIndex {
 public:
  // Validates and indexes `brands`. Returns InvalidArgument naming the brand
  // and field ("brand 'PayPal': domain 'pay pal.com': ...") on bad input.
  static absl::StatusOr<BrandIndex> Build(std::vector<Brand> brands,
                                          BrandIndexOptions options = {});

  BrandIndex(BrandIndex&&) noexcept;
  BrandIndex& operator=(BrandIndex&&) noexcept;
  ~BrandIndex();

  // Matches the host of an analyzed URL against the global brands and those
  // of `tenant`. Returns the strongest match per brand, strongest first, at
  // most options.max_matches; empty for non-web URLs, IP hosts, hosts under
  // any brand's official domain and allow-listed hosts.
  std::vector<LookalikeMatch> Match(const url::UrlAnalysis& url,
                                    absl::string_view tenant) const;

  // The same for a bare host name (certificate SANs, DNS names). A host
  // that does not parse gives no matches.
  std::vector<LookalikeMatch> MatchHost(absl::string_view host,
                                        absl::string_view tenant) const;

  // The name of the brand (global or `tenant`'s) whose official domain is
  // `canonical_host` or one of its parents, or "" when there is none: mail
  // anchor text naming "www.paypal.com" names PayPal. `canonical_host` is
  // ASCII, lowercase, punycode (url::CanonicalizeHost).
  std::string OfficialBrand(absl::string_view canonical_host,
                            absl::string_view tenant) const;

  // A brand named in free text (a mail display name, a page title).
  struct Mention {
    std::string brand;       // Brand::name
    std::string mentioned;   // what the text says: "Haier Biomedical",
                             // "paypal.com", "office365"
    bool by_domain = false;  // the text names one of the brand's domains
    int words = 0;           // words in `mentioned` (1 for a domain)
  };

  // The brands (global or `tenant`'s) that `text` names by their display
  // name (whole words, any case: "HAIER  Biomedical sales" names "Haier
  // Biomedical"), by a token that is no common word ("Office365"), or by
  // one of their domains or a host under one ("service@paypal.com"). At
  // most one mention per brand, the longest; text order. With
  // `confusables`, words are compared by their skeletons (skeleton.h), so
  // "PаyPal" with a Cyrillic а, "PAYPA1" and "Rnicrosoft" name their
  // brands too: for short text where look-alike letters are the attack
  // (display names), as it costs a skeleton per word.
  std::vector<Mention> MentionedBrands(absl::string_view text,
                                       absl::string_view tenant,
                                       bool confusables = false) const;

  // Figures for status pages and benchmarks.
  struct Stats {
    size_t brands = 0;
    size_t tokens = 0;
    size_t deletion_variants = 0;
    size_t memory_bytes = 0;  // approximate heap held by the index
  };
  Stats stats() const;

 private:
  struct Data;
  explicit BrandIndex(std::unique_ptr<Data> data);
  std::unique_ptr<Data> data_;
};

}  // namespace lureguard::lookalike

#endif  // LUREGUARD_SERVER_LOOKALIKE_BRAND_INDEX_H_
