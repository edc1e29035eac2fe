#include "server/lookalike/brand_index.h"

#include <libpsl.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/lookalike/internal/aho_corasick.h"
#include "server/lookalike/internal/brand_index_data.h"
#include "server/lookalike/internal/deletion_index.h"
#include "server/lookalike/internal/dictionary.h"
#include "server/lookalike/internal/edits.h"
#include "server/lookalike/internal/skeleton.h"
#include "server/lookalike/internal/word_lists.h"

namespace lureguard::lookalike {

using internal::BrandInfo;
using internal::Found;
using internal::kMinExactLength;
using internal::TokenFilter;
using internal::TokenInfo;

namespace {

absl::string_view TechniqueName(Technique t) {
  switch (t) {
    case Technique::kHomoglyph:
      return "homoglyph";
    case Technique::kTypo:
      return "typo";
    case Technique::kSeparator:
      return "separator";
    case Technique::kCombosquat:
      return "combosquat";
    case Technique::kTargetEmbedding:
      return "target-embedding";
    case Technique::kTldSwap:
      return "tld-swap";
    case Technique::kIdnSpoof:
      return "idn-spoof";
    case Technique::kHostingPlatform:
      return "hosting-platform";
  }
  return "unknown";
}

// Whether a private-section public suffix is a shared hosting platform (its
// subdomains are user sites) rather than a registry reselling names under
// a pseudo-TLD ("us.kg", "fr.com", "co.com").
bool IsPrivatePlatformSuffix(const std::string& suffix) {
  if (suffix.find('.') == std::string::npos) return false;
  const size_t first_dot = suffix.find('.');
  if (first_dot <= 3) return false;  // "us.kg", "fr.com", "co.com"
  // psl_latest reads the list from disk: once per process.
  static const psl_ctx_t* const psl = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  if (psl == nullptr) return false;
  // libpsl answers by binary search over the whole list, twice: ~2,500
  // instructions, once for every host under a multi-label suffix (issue 5).
  // The suffixes a thread meets are few; the cache is bounded all the same.
  thread_local absl::flat_hash_map<std::string, bool> cache;
  if (auto it = cache.find(suffix); it != cache.end()) return it->second;
  const bool platform =
      psl_is_public_suffix2(psl, suffix.c_str(),
                            PSL_TYPE_PRIVATE | PSL_TYPE_NO_STAR_RULE) &&
      !psl_is_public_suffix2(psl, suffix.c_str(),
                             PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE);
  if (cache.size() >= 4096) cache.clear();
  cache.emplace(suffix, platform);
  return platform;
}

}  // namespace

absl::string_view TechniqueCategoryName(Technique technique) {
  return TechniqueName(technique);
}

namespace {

bool Visible(const BrandInfo& b, absl::string_view tenant) {
  return b.tenant.empty() || b.tenant == tenant;
}

// Tokens shorter than this are not looked for in free text: "hp", "ups"
// and "dhl" are words of ordinary sentences far more often than brands.
// Brand names are looked for at any length.
constexpr size_t kMinMentionTokenLength = 5;
// Longest brand name, in words, that MentionedBrands looks for.
constexpr int kMaxMentionWords = 4;

bool IsWordCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         static_cast<unsigned char>(c) >= 0x80;
}

// `text` as lowercase words joined by single spaces: "Haier  Biomedical,"
// -> "haier biomedical".
std::string MentionKey(absl::string_view text) {
  std::string key;
  bool gap = false;
  for (char c : text) {
    if (IsWordCharacter(c)) {
      if (gap && !key.empty()) key.push_back(' ');
      gap = false;
      key.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else {
      gap = true;
    }
  }
  return key;
}

// One word lowercased (all of Unicode, not only ASCII: "РАYPAL") and
// reduced to its skeleton, so that look-alike letters meet the brand.
std::string WordSkeleton(absl::string_view word) {
  std::string lower;
  if (internal::IsAscii(word)) {
    lower = absl::AsciiStrToLower(word);
  } else {
    icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), word.size()))
        .toLower()
        .toUTF8String(lower);
  }
  return internal::Skeleton(lower);
}

// MentionKey with every word replaced by its skeleton.
std::string SkeletonKey(absl::string_view text) {
  std::string key;
  for (absl::string_view word :
       absl::StrSplit(MentionKey(text), ' ', absl::SkipEmpty())) {
    if (!key.empty()) key.push_back(' ');
    key += WordSkeleton(word);
  }
  return key;
}

// The brand's display name as one host label would spell it: letters and
// digits, lowercase, diacritics dropped ("Haier Biomedical" ->
// "haierbiomedical", "Société Générale" -> "societegenerale"). Empty for a
// name that is a domain (the ranked-domains import names brands
// "google.com": its label is a token already) and for letters that do not
// fold to ASCII: how an attacker transliterates them is not ours to guess.
std::string NameLabel(absl::string_view name) {
  if (name.find('.') != absl::string_view::npos) return "";
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return "";
  const icu::UnicodeString folded = nfd->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), name.size())),
      status);
  if (U_FAILURE(status)) return "";
  std::string label;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (c < 0x80) {
      if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
        label.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
      }
      continue;
    }
    if (u_charType(c) == U_NON_SPACING_MARK) continue;  // a diacritic
    if (u_isalnum(c)) return "";  // a letter of another script
  }
  return label;
}

void AddNameKey(std::string key, uint32_t brand,
                absl::flat_hash_map<std::string, std::vector<uint32_t>>& map) {
  if (key.empty()) return;
  std::vector<uint32_t>& ids = map[std::move(key)];
  if (std::find(ids.begin(), ids.end(), brand) == ids.end()) {
    ids.push_back(brand);
  }
}

}  // namespace

absl::StatusOr<BrandIndex> BrandIndex::Build(std::vector<Brand> brands,
                                             BrandIndexOptions options) {
  auto data = std::make_unique<Data>();
  data->options = std::move(options);
  for (const std::string& entry : data->options.allowlist) {
    absl::StatusOr<std::string> host = url::CanonicalizeHost(entry);
    if (!host.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "allowlist entry '", entry, "': ", host.status().message()));
    }
    data->allow.insert(*std::move(host));
  }
  absl::flat_hash_set<std::pair<std::string, std::string>> names;
  for (const Brand& brand : brands) {
    if (brand.name.empty()) {
      return absl::InvalidArgumentError("brand with an empty name");
    }
    if (!names.emplace(brand.tenant, brand.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("brand '", brand.name, "': defined twice"));
    }
    if (brand.domains.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("brand '", brand.name, "': domains: none given"));
    }
    const uint32_t id = static_cast<uint32_t>(data->brands.size());
    BrandInfo& info = data->brands.emplace_back();
    info.name = brand.name;
    info.tenant = brand.tenant;
    ASSIGN_OR_RETURN(std::vector<std::string> labels,
                     data->AddDomains(brand, id));
    absl::Status tokens = data->AddTokens(brand, id, labels);
    if (!tokens.ok()) return tokens;
  }
  data->IndexTokens();
  return BrandIndex(std::move(data));
}

absl::StatusOr<std::vector<std::string>> BrandIndex::Data::AddDomains(
    const Brand& brand, uint32_t id) {
  BrandInfo& info = brands[id];
  std::vector<std::string> labels;
  for (const std::string& domain : brand.domains) {
    absl::StatusOr<std::string> host = url::CanonicalizeHost(domain);
    if (!host.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("brand '", brand.name, "': domain '", domain,
                       "': ", host.status().message()));
    }
    std::string suffix = url::PublicSuffix(*host);
    if (!suffix.empty() && suffix.size() + 1 < host->size()) {
      const std::string rest =
          host->substr(0, host->size() - suffix.size() - 1);
      const size_t dot = rest.rfind('.');
      labels.push_back(dot == std::string::npos ? rest : rest.substr(dot + 1));
      if (std::find(info.suffixes.begin(), info.suffixes.end(), suffix) ==
          info.suffixes.end()) {
        brand_suffixes.insert(suffix);
        info.suffixes.push_back(suffix);
      }
    }
    std::vector<uint32_t>& owners = official[*host];
    if (std::find(owners.begin(), owners.end(), id) == owners.end()) {
      owners.push_back(id);
    }
    info.domains.push_back(*std::move(host));
  }
  return labels;
}

absl::Status BrandIndex::Data::AddTokens(
    const Brand& brand, uint32_t id, const std::vector<std::string>& labels) {
  // The label of the brand's first (main) domain is a token too, beside
  // the words given: a typo of "haiermedical" is a typo of the brand's
  // domain whatever its token ("haier"). Not every domain's label: brands
  // list infrastructure domains ("msedge.net", "azure.com") whose labels
  // are everyday parts of other hosts.
  std::vector<std::string> words = brand.tokens;
  std::string name_token;
  if (words.empty()) {
    // No words given: the domains' labels, and the name the way a host
    // spells it, which is what the X-Force campaign registered
    // ("haier-biomedical.com" for Haier Biomedical of haiermedical.com).
    words = labels;
    std::string name = NameLabel(brand.name);
    // A label with its hyphens dropped is that label ("deutsche-bank" for
    // Deutsche Bank): its typos and hyphenations are found already.
    const bool spells_a_label =
        std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
          return absl::StrReplaceAll(l, {{"-", ""}}) == name;
        });
    if (name.size() >= options.min_typo_length &&
        name.size() <= internal::kMaxIndexedLength &&
        !internal::IsCommonWord(name) && !spells_a_label) {
      name_token = name;
      words.push_back(std::move(name));
    }
  } else if (!labels.empty() &&
             labels.front().size() >= options.min_typo_length &&
             !internal::IsCommonWord(labels.front())) {
    words.push_back(labels.front());
  }
  absl::flat_hash_set<std::string> seen_tokens;
  for (const std::string& token : words) {
    if (token.empty() || token.size() > internal::kMaxIndexedLength ||
        token.find('.') != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("brand '", brand.name, "': token '", token,
                       "': want one non-empty host label without dots"));
    }
    if (!seen_tokens.insert(token).second) continue;
    TokenInfo& t = tokens.emplace_back();
    t.text = token;
    t.skeleton = internal::Skeleton(token);
    t.brand = id;
    t.common_word = internal::IsCommonWord(token);
    // A word the brand was given names it wherever it appears; a domain's
    // label that is also an English word ("booking", "zoom", "stripe") is
    // as often someone else's word ("trybooking", "legalzoom").
    t.given = std::find(brand.tokens.begin(), brand.tokens.end(), token) !=
              brand.tokens.end();
    t.dictionary_word =
        !t.common_word && !t.given && internal::IsDictionaryWord(token);
    // The label of one of the brand's domains: "icloud" of icloud.com as
    // much as "apple" of apple.com (a brand's first domain need not carry
    // its name: Amazon lists amazonaws.com first).
    t.official_label =
        std::find(labels.begin(), labels.end(), token) != labels.end();
    t.from_name = !name_token.empty() && token == name_token;
    t.distinctive_short = token.size() == 3 && !t.common_word &&
                          !internal::AnyDictionaryWordContains(token) &&
                          std::all_of(token.begin(), token.end(), [](char c) {
                            return c >= 'a' && c <= 'z';
                          });
    if (!t.common_word && token.size() >= kMinMentionTokenLength) {
      AddNameKey(MentionKey(token), id, by_name);
      AddNameKey(SkeletonKey(token), id, by_name_skeleton);
    }
  }
  AddNameKey(MentionKey(brand.name), id, by_name);
  AddNameKey(SkeletonKey(brand.name), id, by_name_skeleton);
  return absl::OkStatus();
}

int BrandIndex::Data::MaxTypoEdits(const internal::TokenInfo& token) const {
  // A name spelled as a label is a second reading of the brand, and long:
  // two edits of one reach other companies ("deutschebank",
  // "deutschebahn").
  if (token.from_name) return 1;
  return token.text.size() >= options.long_token_length ? 2 : 1;
}

// Each token is reachable by its skeleton (exact), by its text and skeleton
// with deletions (typos), and as an automaton pattern.
void BrandIndex::Data::IndexTokens() {
  for (uint32_t i = 0; i < tokens.size(); ++i) {
    const TokenInfo& t = tokens[i];
    by_skeleton[t.skeleton].push_back(i);
    if (t.text.size() >= options.min_typo_length) {
      const int deletion_count = MaxTypoEdits(t);
      deletions.Add(t.text, i, deletion_count);
      if (t.skeleton != t.text) deletions.Add(t.skeleton, i, deletion_count);
    }
    if (t.skeleton.size() >= kMinExactLength) {
      const uint32_t p = automaton.Add(t.skeleton);
      if (p >= pattern_tokens.size()) pattern_tokens.resize(p + 1);
      pattern_tokens[p].push_back(i);
    }
  }
  deletions.Finish();
  automaton.Finish();
  token_brands.reserve(tokens.size());
  token_filters.reserve(tokens.size());
  global_brands.reserve(brands.size());
  for (const TokenInfo& t : tokens) {
    token_brands.push_back(t.brand);
    token_filters.push_back(TokenFilter{
        internal::CharacterSet(t.text), internal::CharacterSet(t.skeleton),
        static_cast<uint16_t>(t.text.size()),
        static_cast<uint16_t>(std::min<size_t>(t.skeleton.size(), 0xFFFF)),
        static_cast<uint16_t>(t.distinctive_short
                                  ? internal::kMinShortComboLength
                                  : t.text.size()),
        internal::CountCharacters(t.text),
        internal::CountCharacters(t.skeleton),
        static_cast<uint8_t>(MaxTypoEdits(t))});
  }
  for (const BrandInfo& b : brands) {
    global_brands.push_back(b.tenant.empty() ? 1 : 0);
  }
}

BrandIndex::BrandIndex(std::unique_ptr<Data> data) : data_(std::move(data)) {}
BrandIndex::BrandIndex(BrandIndex&&) noexcept = default;
BrandIndex& BrandIndex::operator=(BrandIndex&&) noexcept = default;
BrandIndex::~BrandIndex() = default;

std::string BrandIndex::OfficialBrand(absl::string_view canonical_host,
                                      absl::string_view tenant) const {
  absl::string_view rest = canonical_host;
  while (!rest.empty()) {
    auto it = data_->official.find(rest);
    if (it != data_->official.end()) {
      for (uint32_t b : it->second) {
        if (Visible(data_->brands[b], tenant)) return data_->brands[b].name;
      }
    }
    const size_t dot = rest.find('.');
    if (dot == absl::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return "";
}

std::vector<BrandIndex::Mention> BrandIndex::MentionedBrands(
    absl::string_view text, absl::string_view tenant, bool confusables) const {
  const absl::flat_hash_map<std::string, std::vector<uint32_t>>& names =
      confusables ? data_->by_name_skeleton : data_->by_name;
  std::vector<Mention> mentions;
  auto add = [&](uint32_t b, absl::string_view mentioned, bool by_domain,
                 int words) {
    const BrandInfo& brand = data_->brands[b];
    if (!Visible(brand, tenant)) return;
    for (Mention& m : mentions) {
      if (m.brand != brand.name) continue;
      if (words > m.words) {
        m.mentioned = std::string(mentioned);
        m.by_domain = by_domain;
        m.words = words;
      }
      return;
    }
    mentions.push_back({brand.name, std::string(mentioned), by_domain, words});
  };
  // Words as they stand in `text` (for `mentioned`) and their keys.
  struct Word {
    absl::string_view text;
    std::string key;
  };
  std::vector<Word> words;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordCharacter(text[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    // A run of word characters, dots and hyphens: a word or a host name.
    while (end < text.size() && (IsWordCharacter(text[end]) ||
                                 text[end] == '.' || text[end] == '-')) {
      ++end;
    }
    absl::string_view run = text.substr(i, end - i);
    while (!run.empty() && (run.back() == '.' || run.back() == '-')) {
      run.remove_suffix(1);
    }
    if (run.find('.') != absl::string_view::npos) {
      // A host: the brand owning it or a parent of it.
      absl::StatusOr<std::string> host =
          url::CanonicalizeHost(std::string(run));
      if (host.ok()) {
        absl::string_view rest = *host;
        while (!rest.empty()) {
          auto it = data_->official.find(rest);
          if (it != data_->official.end()) {
            for (uint32_t b : it->second) add(b, run, true, 1);
            break;
          }
          const size_t dot = rest.find('.');
          if (dot == absl::string_view::npos) break;
          rest.remove_prefix(dot + 1);
        }
      }
    }
    // Its words, split at dots and hyphens, for the name lookup.
    for (absl::string_view piece :
         absl::StrSplit(run, absl::ByAnyChar(".-"), absl::SkipEmpty())) {
      words.push_back(
          {piece, confusables ? WordSkeleton(piece) : MentionKey(piece)});
    }
    i = end;
  }
  std::string key;
  for (size_t first = 0; first < words.size(); ++first) {
    key.clear();
    for (size_t n = 0; n < kMaxMentionWords && first + n < words.size(); ++n) {
      if (n > 0) key.push_back(' ');
      key += words[first + n].key;
      auto it = names.find(key);
      if (it == names.end()) continue;
      const absl::string_view last = words[first + n].text;
      const absl::string_view mentioned(
          words[first].text.data(),
          last.data() + last.size() - words[first].text.data());
      for (uint32_t b : it->second) {
        add(b, mentioned, false, static_cast<int>(n + 1));
      }
    }
  }
  return mentions;
}

BrandIndex::Stats BrandIndex::stats() const {
  Stats s;
  s.brands = data_->brands.size();
  s.tokens = data_->tokens.size();
  s.deletion_variants = data_->deletions.variant_count();
  size_t bytes =
      data_->deletions.MemoryBytes() + data_->automaton.MemoryBytes();
  for (const BrandInfo& b : data_->brands) {
    bytes += sizeof(BrandInfo) + b.name.capacity() + b.tenant.capacity();
    for (const auto& d : b.domains) bytes += sizeof(std::string) + d.capacity();
    for (const auto& d : b.suffixes)
      bytes += sizeof(std::string) + d.capacity();
  }
  for (const TokenInfo& t : data_->tokens) {
    bytes += sizeof(TokenInfo) + t.text.capacity() + t.skeleton.capacity();
  }
  // Hash maps: key, value and about one control byte per slot.
  bytes += data_->official.capacity() *
           (sizeof(std::pair<std::string, std::vector<uint32_t>>) + 1 + 12);
  bytes += data_->by_skeleton.capacity() *
           (sizeof(std::pair<std::string, std::vector<uint32_t>>) + 1 + 12);
  bytes +=
      data_->pattern_tokens.capacity() * (sizeof(std::vector<uint32_t>) + 4);
  // The hot per-token copies that candidate filtering reads.
  bytes += data_->token_brands.capacity() * sizeof(uint32_t) +
           data_->global_brands.capacity() +
           data_->token_filters.capacity() * sizeof(TokenFilter);
  s.memory_bytes = bytes;
  return s;
}

std::vector<LookalikeMatch> BrandIndex::MatchHost(
    absl::string_view host, absl::string_view tenant) const {
  absl::StatusOr<url::UrlAnalysis> analysis =
      url::AnalyzeUrl(absl::StrCat("http://", host, "/"));
  if (!analysis.ok()) return {};
  return Match(*analysis, tenant);
}

namespace {

// The brand domain a host imitates: one whose label is `token`, under the
// host's own suffix when the brand has it.
const std::string& OfficialFor(const BrandInfo& brand, absl::string_view token,
                               absl::string_view host_suffix) {
  const std::string* label_match = nullptr;
  const std::string* dot_com = nullptr;
  for (const std::string& d : brand.domains) {
    if (!absl::StartsWith(d, token) || d.size() <= token.size() ||
        d[token.size()] != '.') {
      continue;
    }
    const absl::string_view suffix =
        absl::string_view(d).substr(token.size() + 1);
    if (suffix == host_suffix) return d;
    if (suffix == "com" && dot_com == nullptr) dot_com = &d;
    if (label_match == nullptr) label_match = &d;
  }
  if (dot_com != nullptr) return *dot_com;
  return label_match != nullptr ? *label_match : brand.domains.front();
}

}  // namespace

std::vector<LookalikeMatch> BrandIndex::Match(const url::UrlAnalysis& url,
                                              absl::string_view tenant) const {
  const Data& d = *data_;
  if (!url.is_web || url.host_kind != url::HostKind::kDomain ||
      url.labels.empty() || url.registrable_domain.empty()) {
    return {};
  }
  thread_local Data::Query q;
  q.Reset(&url, tenant);
  for (absl::string_view label : absl::StrSplit(url.host, '.')) {
    q.ascii.push_back(label);
  }
  const int n = static_cast<int>(url.labels.size());
  if (static_cast<int>(q.ascii.size()) != n) return {};
  const int suffix_labels =
      url.public_suffix.empty()
          ? 0
          : 1 + static_cast<int>(std::count(url.public_suffix.begin(),
                                            url.public_suffix.end(), '.'));
  q.site = n - suffix_labels - 1;
  if (q.site < 0) return {};
  if (internal::IsHostingPlatform(url.registrable_domain)) {
    if (q.site == 0) return {};
    q.platform = true;
    q.platform_domain = url.registrable_domain;
    q.site -= 1;
  } else if (suffix_labels >= 2 && IsPrivatePlatformSuffix(url.public_suffix)) {
    q.platform = true;
    q.platform_domain = url.public_suffix;
  }
  // Official and allow-listed names: the site itself or anything above it
  // in the host silences every brand. A parent of the site is the platform
  // the site lives on, and the site is its customer's, not the platform
  // owner's: Microsoft lists azurewebsites.net and Google appspot.com, and
  // their names are the ones most put on those platforms
  // ("office365-login.azurewebsites.net", "google-signin.appspot.com").
  // Only where the owner names its own services under a private suffix
  // ("gmail.googleapis.com") is its brand left out, and no other.
  const bool owner_services =
      q.platform && internal::IsOwnerServiceSuffix(q.platform_domain);
  for (int i = 0; i < n; ++i) {
    const absl::string_view rest = absl::string_view(url.host).substr(
        static_cast<size_t>(q.ascii[i].data() - url.host.data()));
    if (d.allow.contains(rest)) return {};
    auto it = d.official.find(rest);
    if (it == d.official.end()) continue;
    if (i <= q.site) {
      for (uint32_t b : it->second) {
        if (Visible(d.brands[b], tenant)) return {};
      }
    } else if (owner_services) {
      for (uint32_t b : it->second) q.excluded.push_back(b);
    }
  }
  d.MatchLabels(q);
  std::sort(q.found.begin(), q.found.end(), [](const Found& a, const Found& b) {
    if (a.match.weight != b.match.weight)
      return a.match.weight > b.match.weight;
    return a.brand < b.brand;
  });
  std::vector<LookalikeMatch> out;
  for (Found& f : q.found) {
    if (out.size() >= d.options.max_matches) break;
    const BrandInfo& brand = d.brands[f.brand];
    f.match.brand = brand.name;
    f.match.official_domain =
        OfficialFor(brand, d.tokens[f.token].text, f.imitated_suffix);
    out.push_back(std::move(f.match));
  }
  return out;
}

}  // namespace lureguard::lookalike
