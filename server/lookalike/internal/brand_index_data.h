// The private state of a BrandIndex, shared by brand_index.cc (building,
// Match's set-up and ranking, mentions) and brand_index_techniques.cc (one
// function per lookalike technique). Nothing outside server/lookalike/
// includes it.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_BRAND_INDEX_DATA_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_BRAND_INDEX_DATA_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/lookalike/internal/aho_corasick.h"
#include "server/lookalike/internal/deletion_index.h"
#include "server/lookalike/internal/edits.h"
#include "server/lookalike/internal/huge_pages.h"
#include "server/lookalike/internal/word_lists.h"
#include "server/url/url.h"

namespace lureguard::lookalike {
namespace internal {

// Shortest token matched exactly (homoglyph, TLD swap, as a whole part):
// two-letter names collide with everything.
inline constexpr size_t kMinExactLength = 3;

// Shortest token looked for glued to a word (IsShortTokenCombosquat):
// most three-letter names ("ups", "irs", "att") end and begin too many
// words; TokenInfo::distinctive_short ones count as four.
inline constexpr size_t kMinShortComboLength = 4;

// One indexed token: a word naming a brand or the label of its main
// domain, with its skeleton.
struct TokenInfo {
  std::string text;      // as given, lowercase
  std::string skeleton;  // primary skeleton
  uint32_t brand = 0;
  bool common_word = false;
  // A domain's label, not a word the brand was given, that is an English
  // dictionary word but no common word ("booking", "stripe", "zoom"):
  // inside a longer label it counts only beside lure words
  // (MatchSubstringHit).
  bool dictionary_word = false;
  // A word the brand was given (BrandSpec token words; every default
  // brand's), not only its domains' labels or its name.
  bool given = false;
  // The label of one of the brand's domains left of its public suffix
  // ("haiermedical" of haiermedical.com, "icloud" of icloud.com), not only
  // a word naming it.
  bool official_label = false;
  // The brand's name spelled as a label (no token words were given and it
  // differs from every domain's label): typos of one edit only.
  bool from_name = false;
  // Three letters that run together in no English word ("dhl", "bbc";
  // not "ups" of "groups" nor "att" of "attach"): inside a label they are
  // the name, so the token takes the four-letter names' rules
  // (IsShortTokenCombosquat, MatchPartToken's weights).
  bool distinctive_short = false;
};

// One brand as the index keeps it: canonical domains and their suffixes.
struct BrandInfo {
  std::string name;
  std::string tenant;
  std::vector<std::string> domains;
  // Public suffixes of `domains` ("com", "co.uk"), for target embedding.
  std::vector<std::string> suffixes;
};

// What typo verification needs to reject a candidate without reading its
// TokenInfo (two more cache misses): lengths, CharacterSets and
// CharacterCounts (edits.h).
struct TokenFilter {
  uint32_t text_characters = 0;
  uint32_t skeleton_characters = 0;
  uint16_t text_length = 0;
  uint16_t skeleton_length = 0;
  // The letters the short-name rules count (MatchSubstringHit): text_length,
  // or four for a distinctive three-letter token (TokenInfo).
  uint16_t combo_length = 0;
  CharacterCounts text_counts;
  CharacterCounts skeleton_counts;
  uint8_t max_edits = 1;  // BrandIndex::Data::MaxTypoEdits
};

// A candidate before the strongest per brand is kept.
struct Found {
  uint32_t brand;
  // For the official domain, looked up only for the matches returned: the
  // token matched and the suffix imitated (in the UrlAnalysis or the
  // brand, both alive until Match returns).
  uint32_t token;
  absl::string_view imitated_suffix;
  LookalikeMatch match;
};

// The closest edit between a part and a token, within a limit.
struct TypoEdit {
  int distance = 0;  // 0 or above the limit: no typo
  // What was compared: the part and the token's text, or a skeleton of the
  // part and the token's skeleton. Views, not copies: this is made for
  // every index candidate.
  absl::string_view part;
  absl::string_view token;
  bool via_skeleton = false;
};

// What surrounds an automaton hit inside its '-'-separated part (skeleton
// form), and what it makes of the hit.
struct SubstringContext {
  absl::string_view before;  // from the part's start to the token
  absl::string_view after;   // from the token to the part's end
  bool lure = false;         // before and after are empty or lure words
  // before and after are each empty or one lure or everyday word of our
  // lists (for a short token at a part's edge, the other side may be two
  // with a lure word among them): the brand reading splits the part
  // cleanly ("applestore", "uspstrackingcenter").
  bool clean_split = false;
  // A token shorter than min_substring_length: only a combosquat with one
  // word (clean_split) or its suffix glued on (IsShortTokenCombosquat).
  bool short_combo = false;
};

}  // namespace internal

// Everything a BrandIndex holds: brands, tokens and the indexes over them,
// immutable once Build returns.
struct BrandIndex::Data {
  BrandIndexOptions options;
  internal::HugePageVector<internal::BrandInfo> brands;
  internal::HugePageVector<internal::TokenInfo> tokens;
  // Hot copies for the per-candidate visibility test: a candidate's
  // TokenInfo and BrandInfo are cache misses in an index of 100k brands.
  std::vector<uint32_t> token_brands;  // tokens[t].brand
  std::vector<uint8_t> global_brands;  // brands[b].tenant.empty()
  internal::HugePageVector<internal::TokenFilter> token_filters;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> official;
  absl::flat_hash_set<std::string> allow;
  // Every public suffix of every brand's domains (BrandInfo::suffixes):
  // an embedded typo needs one of its brand's right after the label, and
  // most labels left of a site are followed by none (FollowedByAnySuffix).
  absl::flat_hash_set<std::string> brand_suffixes;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> by_skeleton;
  internal::DeletionIndex deletions;
  internal::AhoCorasick automaton;
  internal::HugePageVector<std::vector<uint32_t>> pattern_tokens;
  absl::flat_hash_set<std::string> common_skeletons;
  // Brand names and uncommon tokens as MentionedBrands reads them:
  // lowercase words joined by one space ("haier biomedical").
  absl::flat_hash_map<std::string, std::vector<uint32_t>> by_name;
  // The same keys with every word replaced by its skeleton ("rnicrosoft"),
  // for text where look-alike letters are the attack (display names).
  absl::flat_hash_map<std::string, std::vector<uint32_t>> by_name_skeleton;

  // Build's steps. AddDomains records brand `id`'s official hosts and
  // suffixes and returns the labels of its domains left of their suffixes;
  // AddTokens adds its tokens and the names MentionedBrands looks for;
  // IndexTokens builds the indexes once every brand is in.
  absl::StatusOr<std::vector<std::string>> AddDomains(const Brand& brand,
                                                      uint32_t id);
  absl::Status AddTokens(const Brand& brand, uint32_t id,
                         const std::vector<std::string>& labels);
  void IndexTokens();
  // Edits a typo of `token` may have: 2 from long_token_length letters.
  int MaxTypoEdits(const internal::TokenInfo& token) const;

  // The per-query working state, kept off the heap where it can be.
  struct Query;
  // Tries every technique on the labels of q.url, into q.found.
  void MatchLabels(Query& q) const;

  // Whether `text`, whose primary skeleton is `skeleton`, is itself a
  // token of brand `brand`.
  bool IsTokenOfBrand(absl::string_view text, const std::string& skeleton,
                      uint32_t brand) const;
  // Whether token `token`'s brand is visible to the query's tenant and is
  // not excluded (Query::excluded).
  bool Eligible(const Query& q, uint32_t token) const;
  // The entry to fill for a match of token `token` at `weight`, or null when
  // the match cannot be returned (the brand has as strong a match, or
  // max_matches other brands are stronger). Sets the entry's weight and
  // token; the caller fills in the rest.
  internal::Found* Claim(Query& q, uint32_t token, double weight) const;
  // Offers a match of token `token` for its brand: kept when Claim keeps
  // it. `evidence()` builds the sentence.
  template <typename Evidence>
  void Add(Query& q, uint32_t token, Technique technique,
           absl::string_view technique_name, double weight,
           const Evidence& evidence,
           absl::string_view imitated_suffix = {}) const;
  // Calls on_token(skeleton, token) for every eligible token of at least
  // kMinExactLength letters whose skeleton is one of `skeletons`.
  template <typename OnToken>
  void ForEachExactToken(const Query& q,
                         const std::vector<std::string>& skeletons,
                         OnToken on_token) const;
  // The tokens whose skeleton is the primary skeleton of `text`, or null.
  const std::vector<uint32_t>* ExactTokens(Query& q,
                                           absl::string_view text) const;

  // The techniques, one function each, in the order MatchLabels calls them.
  // Exact skeleton of the site label: homoglyphs, IDN homographs, and the
  // token itself (TLD swap, brand token, hosting platform).
  void MatchSiteSkeleton(Query& q) const;
  void MatchTokenAsSite(Query& q, uint32_t token) const;
  // Separators: "pay-pal", "wwwpaypal", "pay.pal".
  void MatchHyphenatedSite(Query& q) const;
  void MatchDroppedDot(Query& q) const;
  void MatchSubdomainSplit(Query& q) const;
  // Typos via the deletion index: whole labels and '-'-separated parts.
  // How MatchTypos reads `part`: as written, or as a site label with its
  // hyphens dropped (one edit at most, tokens that have hyphens left to
  // the reading as written).
  enum class TypoReading { kAsWritten, kWithoutHyphens };
  void MatchTypos(Query& q, absl::string_view part,
                  const std::vector<std::string>& part_skeletons, bool is_part,
                  bool lure, absl::string_view context,
                  TypoReading reading = TypoReading::kAsWritten) const;
  void CollectTypoCandidates(Query& q, absl::string_view part, bool ascii,
                             const std::vector<std::string>& part_skeletons,
                             int max_edits) const;
  void AddTypo(Query& q, uint32_t token, absl::string_view part,
               const internal::TypoEdit& edit, bool is_part, bool lure,
               absl::string_view context) const;
  // Parts of a label: target embedding, homoglyph, combosquat, typos, and
  // adjacent parts that spell a token.
  void MatchParts(Query& q, int label,
                  const std::vector<absl::string_view>& parts,
                  bool is_site) const;
  void MatchPartToken(Query& q, int label, absl::string_view part,
                      const std::string& skeleton, uint32_t token, bool lure,
                      bool infrastructure, bool is_site) const;
  void AddPartCombosquat(Query& q, int label, uint32_t token, bool lure,
                         bool infrastructure, bool is_site,
                         absl::string_view plural_part) const;
  void MatchPluralPart(Query& q, int label, absl::string_view part,
                       bool is_site) const;
  void MatchSplitToken(Query& q, int label,
                       const std::vector<absl::string_view>& parts) const;
  // Tokens inside longer words, found by the automaton: combosquats.
  void MatchSubstrings(Query& q, int label, bool is_site,
                       const std::string& skeleton) const;
  void MatchSubstringHit(Query& q, int label, bool is_site, size_t begin,
                         size_t end, uint32_t pattern) const;
  void MatchSeveralPartToken(Query& q, int label, uint32_t pattern) const;
  static void FindPartBounds(Query& q);
  bool ReadSubstringContext(Query& q, bool is_site, size_t begin, size_t end,
                            size_t letters,
                            internal::SubstringContext* context) const;
  bool InsideCommonWord(Query& q, size_t begin, size_t end) const;
  void AddSubstring(Query& q, uint32_t token, int label, bool is_site,
                    const internal::SubstringContext& context) const;
  // Labels left of the site: target embedding, homoglyph, the token as a
  // subdomain, and a typo of the brand's domain embedded.
  void MatchSubdomainSkeleton(Query& q, int label) const;
  void MatchSubdomainToken(Query& q, int label, const std::string& skeleton,
                           uint32_t token) const;
  // Whether `rest` (what follows a label in the host, with its separator)
  // begins with some brand's suffix and a separator, as
  // FollowedByOfficialSuffix reads it for one brand.
  bool FollowedByAnySuffix(Query& q, absl::string_view rest) const;
  void MatchEmbeddedTypo(Query& q, int label) const;
};

// Everything one Match call needs, so the techniques read as steps. Each
// thread keeps one and reuses it: its vectors and strings keep their
// capacity, so once warm a lookup allocates only its result (issue 5: ~300
// allocations per host before).
struct BrandIndex::Data::Query {
  void Reset(const url::UrlAnalysis* analysis, absl::string_view for_tenant) {
    url = analysis;
    tenant = for_tenant;
    ascii.clear();
    site = -1;
    platform = false;
    platform_domain = {};
    excluded.clear();
    found.clear();
  }

  // " on hosting platform 'x'", or nothing: for evidence sentences only.
  std::string PlatformNote() const {
    return platform
               ? absl::StrCat(" on hosting platform '", platform_domain, "'")
               : std::string();
  }

  // What follows byte `from` of label `label` in the host, then the labels
  // right of it, dot-separated: "-com.evil.net" after "paypal" in
  // "paypal-com.evil.net". Returns `rest`, overwritten.
  const std::string& RestOfHost(int label, size_t from) {
    rest.assign(url->labels[label].text, from);
    for (size_t l = label + 1; l < url->labels.size(); ++l) {
      rest.push_back('.');
      rest.append(url->labels[l].text);
    }
    return rest;
  }

  const url::UrlAnalysis* url = nullptr;
  absl::string_view tenant;
  std::vector<absl::string_view> ascii;  // labels of url->host
  int site = -1;                         // index of the site label
  bool site_ascii = false;               // the site label is ASCII
  bool platform = false;
  absl::string_view platform_domain;  // in *url
  // Brands owning the private suffix of the site where they name their own
  // services (internal::IsOwnerServiceSuffix).
  std::vector<uint32_t> excluded;
  std::vector<internal::Found> found;
  // Scratch: one buffer per step that must outlive the steps it calls.
  std::vector<std::string> site_skeletons;
  std::vector<std::string> part_skeletons;
  std::vector<std::string> label_skeletons;
  std::vector<std::string> probe_skeletons;  // ExactTokens
  std::string skeleton;                      // substring checks
  bool scan_ascii = false;  // the label MatchSubstrings scans is ASCII
  std::string joined;
  // The site label without its hyphens, and its skeletons (typos).
  std::string unhyphenated;
  std::vector<std::string> unhyphenated_skeletons;
  std::string rest;
  std::vector<absl::string_view> parts;
  std::vector<absl::string_view> label_parts;
  std::vector<uint32_t> ids;
  std::vector<internal::WordSpan> word_spans;  // of `skeleton`, once
  bool word_spans_found = false;               // per label, when needed
  // The '-'-separated part of `skeleton` around a hit at [i, j): it begins
  // at part_begin_before[i], just after the last '-' before byte i (0 if
  // none), and ends at part_end_from[j], the first '-' from byte j (the
  // size if none). Filled once per label when a hit first needs them,
  // instead of two searches per hit.
  std::vector<uint32_t> part_begin_before;
  std::vector<uint32_t> part_end_from;
  bool part_bounds_found = false;
};

}  // namespace lureguard::lookalike

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_BRAND_INDEX_DATA_H_
