// The lookalike techniques of BrandIndex::Match, one function each, as
// Chromium's components/lookalikes/core/lookalike_url_util.cc has one per
// heuristic: MatchLabels calls them in order for one host, and each offers
// its matches with a calibrated weight and a sentence of evidence (Add).

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/lookalike/brand_index.h"
#include "server/lookalike/internal/brand_index_data.h"
#include "server/lookalike/internal/dictionary.h"
#include "server/lookalike/internal/edits.h"
#include "server/lookalike/internal/skeleton.h"
#include "server/lookalike/internal/suffixes.h"
#include "server/lookalike/internal/word_lists.h"

namespace lureguard::lookalike {

using internal::BrandInfo;
using internal::Found;
using internal::kMinExactLength;
using internal::SubstringContext;
using internal::TokenFilter;
using internal::TokenInfo;
using internal::TypoEdit;

namespace {

// Calibrated weights (see tests/bench/lookalike_eval.cc for the figures
// they were tuned on). Homoglyphs and embeddings of the brand domain are
// deliberate deception: BLOCK on their own. A plain typo is often an
// unrelated name: WARN. Combosquats sit between.
constexpr double kWeightIdnHomograph = 0.95;
constexpr double kWeightAsciiHomoglyph = 0.9;
constexpr double kWeightHomoglyphCombo = 0.9;
constexpr double kWeightEmbeddedDomain = 0.95;
constexpr double kWeightEmbeddedTypo = 0.85;
constexpr double kWeightTokenSubdomain = 0.75;
constexpr double kWeightShortTokenSubdomain = 0.55;
constexpr double kWeightTypo = 0.6;
constexpr double kWeightTypoWithLure = 0.75;
constexpr double kWeightDoubleTypo = 0.5;
// Two edits inside the short stem in front of a word that the host keeps
// ("sberbank" for "swedbank", EditsInsideStem): a reason for the verdict to
// weigh with others, not a WARN on its own.
constexpr double kWeightDoubleTypoInStem = 0.4;
constexpr double kWeightTypoInPart = 0.55;
constexpr double kWeightFirstLetterHomoglyph = 0.7;
constexpr double kWeightShortTokenCombosquat = 0.45;
constexpr double kWeightShortTokenCombosquatWithLure = 0.7;
// A four- or five-letter token glued to one word ("myvisa", "ikeastore"):
// the word makes it a combosquat more often than not, but names that short
// sit inside unrelated names too, so WARN, never BLOCK on its own.
constexpr double kWeightShortTokenWordCombosquat = 0.55;
constexpr double kWeightHyphenation = 0.8;
constexpr double kWeightDroppedDot = 0.85;
constexpr double kWeightSubdomainSplit = 0.75;
constexpr double kWeightTldSwap = 0.7;
// A brand token that is not the label of one of its domains, as a site's
// whole name ("haier.com" for Haier Biomedical at haiermedical.com): the
// brand's word, but not its domain under another suffix.
constexpr double kWeightTokenAsSite = 0.6;
// One edit of a long official label ("haiermedlcal" for "haiermedical"):
// labels that long rarely sit one edit from an unrelated name (see
// kMinBlockingTypoLength), so such a host is the brand's domain, mistyped
// on purpose.
constexpr double kWeightOfficialLabelTypo = 0.88;
constexpr double kWeightCombosquat = 0.7;
constexpr double kWeightCombosquatWithLure = 0.8;
constexpr double kWeightSubstring = 0.6;
// The brand beside an infrastructure word and nothing else ("shopifycdn",
// "slack-edge"): the shape of the brand's own CDN and API hosts, so a
// reason for the verdict to weigh with others, not a WARN on its own.
constexpr double kWeightBrandInfrastructure = 0.45;
constexpr double kWeightCommonWordPiece = 0.5;
constexpr double kWeightHostingPlatform = 0.7;

// Shortest official label whose one-edit typos block on their own. At 9
// letters, one edit of the default brands' main labels meets 2 hosts of
// the top 100,000 domains (instgram.com, instragram.com); at 8, 9
// (telegraf.*, telegra.ph, whatwapp.io); at 7, 15 (lookalike_eval fp).
constexpr size_t kMinBlockingTypoLength = 9;

// Longest public suffix glued to a short token that IsShortTokenCombosquat
// can meet, in skeleton form ("cornau" of com.au), with a margin.
constexpr size_t kMaxGluedSuffixLength = 12;

// Longest stem in front of a word inside which two edits leave too little
// of a brand (EditsInsideStem): two of four letters or fewer. Shortest word
// after it: the dictionary's shortest.
constexpr size_t kMaxEditedStemLength = 4;
// A site label read without its hyphens has at most this many pieces: a
// name split with a typo beside it ("pay-pall", "myethre-wallet"), not a
// sentence of words.
constexpr int kMaxHyphenatedPieces = 3;
constexpr size_t kMinKeptWordLength = 4;

// Longest entry of the common-word list (internal/word_lists.cc), in
// skeleton form, with a margin.
constexpr size_t kMaxCommonWordLength = 16;

// Replaces `*parts` with the '-' or '_'-separated non-empty parts of
// `label`, or with nothing when it has no separator.
void SplitParts(absl::string_view label,
                std::vector<absl::string_view>* parts) {
  parts->clear();
  if (label.find_first_of("-_") == absl::string_view::npos) return;
  size_t begin = 0;
  for (size_t i = 0; i <= label.size(); ++i) {
    if (i == label.size() || label[i] == '-' || label[i] == '_') {
      if (i > begin) parts->push_back(label.substr(begin, i - begin));
      begin = i + 1;
    }
  }
}

// True when `rest` (what follows a token in the host, with its separator)
// begins with one of the brand's public suffixes and then a separator:
// "paypal" + ".com.evil.net", "paypal" + "-com-secure.net".
// `*embedded_suffix` points into `brand`.
bool FollowedByOfficialSuffix(const BrandInfo& brand, absl::string_view rest,
                              absl::string_view* embedded_suffix) {
  if (rest.size() < 2 || (rest[0] != '.' && rest[0] != '-')) return false;
  // '-' in `rest` reads as '.': "paypal-com-secure.net" embeds "paypal.com".
  auto separator = [](char c) { return c == '.' || c == '-'; };
  const absl::string_view after = rest.substr(1);
  for (const std::string& suffix : brand.suffixes) {
    if (after.size() <= suffix.size() || !separator(after[suffix.size()])) {
      continue;
    }
    bool equal = true;
    for (size_t i = 0; i < suffix.size() && equal; ++i) {
      const char c = after[i] == '-' ? '.' : after[i];
      equal = c == suffix[i];
    }
    if (equal) {
      *embedded_suffix = suffix;
      return true;
    }
  }
  return false;
}

// Whether `piece`, the rest of a '-'-separated part beside a brand token
// (skeleton form), is one word a host pairs with a brand name: a lure word
// ("myvisa", "visabank") or an everyday word ("tescostore"). Empty counts:
// the token starts or ends the part.
bool IsWordBesideToken(absl::string_view piece) {
  return piece.empty() || internal::IsLureKeywordSkeleton(piece) ||
         internal::IsCommonWordSkeleton(piece);
}

// The longest two words TwoWordsBesideToken reads ("verification" and
// "center" are 18 letters).
constexpr size_t kMaxTwoWordsLength = 20;

// Whether `piece` is two such words, one of them a lure word: the words
// of a kit's name glued after a short brand ("uspstrackingcenter").
bool TwoWordsBesideToken(absl::string_view piece) {
  if (piece.size() < 5 || piece.size() > kMaxTwoWordsLength) return false;
  for (size_t k = 2; k + 2 <= piece.size(); ++k) {
    const absl::string_view first = piece.substr(0, k);
    const absl::string_view second = piece.substr(k);
    if (!IsWordBesideToken(first) || !IsWordBesideToken(second)) continue;
    if (internal::IsLureKeywordSkeleton(first) ||
        internal::IsLureKeywordSkeleton(second)) {
      return true;
    }
  }
  return false;
}

// The `n`th '-'-separated piece of `label`, empty ones counted: the part
// of a label that its skeleton's `n`th piece stands for (skeletons keep
// the hyphens).
absl::string_view NthPart(absl::string_view label, size_t n) {
  size_t begin = 0;
  for (; n > 0; --n) {
    const size_t dash = label.find('-', begin);
    if (dash == absl::string_view::npos) return {};
    begin = dash + 1;
  }
  return label.substr(begin, label.find('-', begin) - begin);
}

// Whether `part` ends with one of `brand`'s public suffixes written
// without its dots ("visacom", "argoscouk"), and that suffix is all of
// `after`, the skeleton of what follows the token: a suffix's skeleton is
// one letter longer for each m, w and d ("com" reads "corn").
bool EndsWithGluedSuffix(const BrandInfo& brand, absl::string_view part,
                         absl::string_view after) {
  for (const std::string& suffix : brand.suffixes) {
    size_t i = part.size(), skeleton_length = 0;
    bool equal = true;
    for (size_t k = suffix.size(); k-- > 0 && equal;) {
      if (suffix[k] == '.') continue;
      equal = i > 0 && part[--i] == suffix[k];
      const char c = suffix[k];
      skeleton_length += (c == 'm' || c == 'w' || c == 'd') ? 2 : 1;
    }
    if (equal && skeleton_length == after.size()) return true;
  }
  return false;
}

// Whether `before` and `after`, the skeletons of what surrounds a token of
// `brand` inside `part`, are each empty, a lure word or a word of a brand's
// own infrastructure ("stripecdn"), or `after` is the brand's suffix glued
// on ("stripecom").
bool BesideLureWordsOnly(const BrandInfo& brand, absl::string_view part,
                         absl::string_view before, absl::string_view after) {
  auto lure_or_nothing = [](absl::string_view piece) {
    return piece.empty() || internal::IsLureKeywordSkeleton(piece) ||
           internal::IsInfrastructureWordSkeleton(piece);
  };
  return lure_or_nothing(before) &&
         (lure_or_nothing(after) || EndsWithGluedSuffix(brand, part, after));
}

// Whether a short brand token (shorter than min_substring_length: "visa",
// "ikea"), found inside `part` with `before` and `after` (in skeleton
// form) around it, is a combosquat (issue #19). Four letters turn
// up inside any long word ("advisable", "zoominfo"), so the context must
// name the rest: one word on each side that is empty or a lure or everyday
// word ("myvisa", "visabank", "ikeastore": `clean_split`, the same for
// every token of the hit), or the brand's own suffix glued to it
// ("visacom", "bbvaes").
bool IsShortTokenCombosquat(const BrandInfo& brand, bool clean_split,
                            absl::string_view part, absl::string_view before,
                            absl::string_view after) {
  if (clean_split) return true;
  if (!before.empty() || after.empty()) return false;
  return EndsWithGluedSuffix(brand, part, after);
}

// Whether the two edits that turn `token` into `part` all fall inside a
// stem of at most kMaxEditedStemLength letters that is no English word, in
// front of a dictionary word that `part` keeps letter for letter:
// "sberbank", "nedbank" and "seabank" keep "bank" of "swedbank" and change
// two of the four letters of "swed"; "gettransfer" keeps "transfer" of
// "wetransfer", "morgan" (morgan.edu) "morgan" of "jpmorgan", "indrive"
// "drive" of "onedrive". Two edits are allowed from eight letters on because
// six letters of the brand are left; here what is left is a word that
// unrelated names end with ("...bank", "...drive"), and the brand's own
// part is gone. A stem that is a word stays: a brand of two words is the
// pairing, and real phishing hosts change either word ("cenbase",
// "conebase" for "coinbase", "tecebook" for "facebook", "metamiesk"). So do
// edits on both sides of the boundary ("svedbamk") and the word first, then
// the stem: "whatsapp" is no "what" + "sapp", and phishing hosts edit its
// end.
bool EditsInsideStem(absl::string_view part, absl::string_view token) {
  const size_t n = token.size();
  const size_t common = std::min(n, part.size());
  size_t suffix = 0;
  while (suffix < common &&
         part[part.size() - 1 - suffix] == token[n - 1 - suffix]) {
    ++suffix;
  }
  // The edits lie inside token[0, n - suffix): in a stem token[0, k) when
  // n - suffix <= k.
  for (size_t k = n - std::min(n, suffix); k <= kMaxEditedStemLength; ++k) {
    if (k == 0 || k + kMinKeptWordLength > n) continue;
    if (internal::IsDictionaryWord(token.substr(k)) &&
        !internal::IsDictionaryWord(token.substr(0, k))) {
      return true;
    }
  }
  return false;
}

// An automaton hit as the label's own letters read, for the dictionary
// guards (internal/dictionary.h).
class HitInText {
 public:
  explicit HitInText(absl::string_view text) : text_(text) {}

  // The label's bytes the hit's skeleton comes from.
  absl::string_view text() const { return text_; }

  // Whether text() is a dictionary word ("motion", whose skeleton
  // "rnotion" holds "notion"), looked up once when first asked: most hits
  // never need it.
  bool IsWord() {
    if (!is_word_.has_value()) is_word_ = internal::IsDictionaryWord(text_);
    return *is_word_;
  }

  // A longer dictionary word covers the hit ("revolution" over "revolut",
  // "stripes" over "stripe" in "3stripes") and the brand reading is no
  // clean split: the rest of the part is more than one word of our lists.
  bool inside_longer_word = false;

 private:
  absl::string_view text_;
  std::optional<bool> is_word_;
};

// Longest ending that inflects a word ("stripe" + "s", "google" + "d",
// "slack" + "er") for InflectionOnly.
constexpr size_t kMaxInflectionLength = 2;

// Whether the dictionary word at [word_begin, word_end) of `label` only
// inflects the hit's own word ([begin, end), a word itself) and the part
// goes on after it: "amazons" in "amazonshop", "googled" in "googledocs"
// read as the brand followed by a word that starts with those letters, as
// in "yahooservice". At the end of a part ("3stripes", "slacker") the
// inflected word is all there is, and it guards.
bool InflectionOnly(absl::string_view label, size_t begin, size_t end,
                    size_t word_begin, size_t word_end) {
  size_t part_end = label.find('-', end);
  if (part_end == absl::string_view::npos) part_end = label.size();
  return word_begin == begin && word_end <= end + kMaxInflectionLength &&
         word_end < part_end;
}

// Whether the '-'-separated part of `label` around `span` is a dictionary
// word longer than the span.
bool PartIsLongerWord(absl::string_view label, internal::LabelSpan span) {
  const size_t dash = span.begin == 0 ? absl::string_view::npos
                                      : label.rfind('-', span.begin - 1);
  const size_t part_begin = dash == absl::string_view::npos ? 0 : dash + 1;
  size_t part_end = label.find('-', span.end);
  if (part_end == absl::string_view::npos) part_end = label.size();
  return part_end - part_begin > span.end - span.begin &&
         internal::IsDictionaryWord(
             label.substr(part_begin, part_end - part_begin));
}

// Reads hit [begin, end) of the skeleton of `label` (with its `context`)
// back in the label's letters. A token inside a longer English word is
// that word more often than a combosquat ("revolutionparts", "canvaslms"),
// unless what surrounds the token is empty or one lure or everyday word on
// each side, which reads as the brand all the same ("applestore" is
// apple + store although "apples" is a word). Non-ASCII labels
// (`label_ascii` false) are left alone: the dictionary is ASCII English,
// and a brand written with other letters is the attack.
HitInText ReadHitInText(absl::string_view label, bool label_ascii, size_t begin,
                        size_t end, const SubstringContext& context) {
  if (!label_ascii) return HitInText({});
  const internal::LabelSpan span =
      internal::AsciiSkeletonSpanInLabel(label, begin, end);
  HitInText hit(label.substr(span.begin, span.end - span.begin));
  if (context.clean_split) {
    // A part that is one dictionary word is that word, however it splits:
    // "applesauce" is no apple + sauce.
    hit.inside_longer_word = PartIsLongerWord(label, span);
    return hit;
  }
  hit.inside_longer_word = internal::AnyLongerDictionaryWordCovers(
      label, span.begin, span.end, [&](size_t word_begin, size_t word_end) {
        return !(
            InflectionOnly(label, span.begin, span.end, word_begin, word_end) &&
            hit.IsWord());
      });
  return hit;
}

// Whether `token` is one letter in front of an everyday word, the way
// products are named: "icloud", "gmail". The word must be in the
// dictionary and in our list of common words (internal/word_lists.cc):
// "slack" and "stripe" are no "s" in front of "lack" and "tripe", and
// "qlack" is a typo of Slack; the list alone holds a few non-words
// ("oblox").
bool OneLetterBeforeAWord(absl::string_view token) {
  if (token.size() < 5) return false;
  const absl::string_view word = token.substr(1);
  return internal::IsCommonWord(word) && internal::IsDictionaryWord(word);
}

// Whether `hit`, the label's letters an automaton hit for `token` comes
// from, spells the token with digits in place of letters ("0utl00k"), or
// is empty: the label is not ASCII, and the token is written in other
// letters.
bool WrittenWithStandIns(absl::string_view hit, absl::string_view token) {
  return hit != token &&
         (hit.empty() || std::any_of(hit.begin(), hit.end(), [](char c) {
            return c >= '0' && c <= '9';
          }));
}

// Whether `a` and `b` are 'i' and 'l', in either order.
bool IsLetterIOrL(char a, char b) {
  return (a == 'i' && b == 'l') || (a == 'l' && b == 'i');
}

// Whether a '-'-separated part of `label_skeleton` other than the one
// holding byte `at` is a strong lure word ("login" in
// "outlook365-online-login").
bool StrongLurePartBeside(absl::string_view label_skeleton, size_t at) {
  size_t begin = 0;
  while (begin <= label_skeleton.size()) {
    size_t end = label_skeleton.find('-', begin);
    if (end == absl::string_view::npos) end = label_skeleton.size();
    if ((at < begin || at >= end) &&
        internal::IsStrongLureSkeleton(
            label_skeleton.substr(begin, end - begin))) {
      return true;
    }
    begin = end + 1;
  }
  return false;
}

// Whether every part but `except` names infrastructure ("slack-edge",
// "salesforce-dns"): the brand's own hosts, more often than a lure.
bool OnlyInfrastructureParts(const std::vector<absl::string_view>& parts,
                             size_t except) {
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i != except && !internal::IsInfrastructureWord(parts[i])) return false;
  }
  return parts.size() > 1;
}

// The same for a substring hit in `label_skeleton`: the label is the token
// and one infrastructure word ("shopifycdn"), with no other part that could
// be a lure ("stripecdn-verify").
bool OnlyInfrastructureBeside(const SubstringContext& context,
                              absl::string_view label_skeleton) {
  if (context.before.empty() == context.after.empty() ||
      label_skeleton.find('-') != absl::string_view::npos) {
    return false;
  }
  return internal::IsInfrastructureWordSkeleton(
      context.before.empty() ? context.after : context.before);
}

bool HasLurePart(const std::vector<absl::string_view>& parts, size_t except) {
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i != except && internal::IsLureKeyword(parts[i])) return true;
  }
  return false;
}

std::string Quoted(absl::string_view s) { return absl::StrCat("'", s, "'"); }

// Homoglyph technique and name for a label whose skeleton equals a token:
// ASCII look-alikes, or a Unicode homograph named by the label's scripts.
std::pair<Technique, absl::string_view> HomoglyphKind(
    const url::HostLabel& label) {
  if (internal::IsAscii(label.text)) {
    return {Technique::kHomoglyph, "ascii-homoglyph"};
  }
  const auto& scripts = label.scripts;
  if (scripts.size() > 1) return {Technique::kIdnSpoof, "mixed-script"};
  if (scripts.size() == 1 && scripts[0] != "Latn") {
    return {Technique::kIdnSpoof, "whole-script"};
  }
  return {Technique::kIdnSpoof, "latin-homoglyph"};
}

// The cheap first test of a typo candidate against the part queried: the
// deletion index returns keys up to twice the budget away, and most are
// rejected here from a TokenFilter's few bytes, before the token is read.
class TypoPrefilter {
 public:
  TypoPrefilter(absl::string_view part, bool ascii,
                const std::vector<std::string>& part_skeletons)
      : part_(part),
        ascii_(ascii),
        part_skeletons_(part_skeletons),
        part_characters_(internal::CharacterSet(part)),
        part_counts_(internal::CountCharacters(part)),
        skeleton_count_(
            std::min<size_t>(part_skeletons.size(), internal::kMaxSkeletons)) {
    for (size_t k = 0; k < skeleton_count_; ++k) {
      skeleton_characters_[k] = internal::CharacterSet(part_skeletons[k]);
      skeleton_counts_[k] = internal::CountCharacters(part_skeletons[k]);
    }
  }

  // Whether the token `filter` describes may be within `limit` edits of the
  // part (by text when it is ASCII) or of one of its skeletons.
  bool MayMatch(const TokenFilter& filter, int limit) const {
    if (part_skeletons_.size() > skeleton_count_) return true;
    if (ascii_ && LengthsWithin(part_.size(), filter.text_length, limit) &&
        internal::CharacterSetsWithin(part_characters_, filter.text_characters,
                                      limit) &&
        internal::CharacterCountsWithin(part_counts_, filter.text_counts,
                                        limit)) {
      return true;
    }
    for (size_t k = 0; k < skeleton_count_; ++k) {
      if (LengthsWithin(part_skeletons_[k].size(), filter.skeleton_length,
                        limit) &&
          internal::CharacterSetsWithin(skeleton_characters_[k],
                                        filter.skeleton_characters, limit) &&
          internal::CharacterCountsWithin(skeleton_counts_[k],
                                          filter.skeleton_counts, limit)) {
        return true;
      }
    }
    return false;
  }

 private:
  static bool LengthsWithin(size_t a, size_t b, int limit) {
    return (a > b ? a - b : b - a) <= static_cast<size_t>(limit);
  }

  const absl::string_view part_;
  const bool ascii_;
  const std::vector<std::string>& part_skeletons_;
  const uint32_t part_characters_;
  const internal::CharacterCounts part_counts_;
  const size_t skeleton_count_;
  uint32_t skeleton_characters_[internal::kMaxSkeletons];
  internal::CharacterCounts skeleton_counts_[internal::kMaxSkeletons];
};

// Compares `part` with `token` by their text when the part is ASCII, and by
// skeletons when that finds no edit within `limit` (or finds them equal).
TypoEdit ClosestEdit(absl::string_view part, bool ascii,
                     const std::vector<std::string>& part_skeletons,
                     const TokenInfo& token, int limit) {
  TypoEdit edit;
  edit.distance = ascii ? internal::BoundedEditDistance(part, token.text, limit)
                        : limit + 1;
  edit.part = part;
  edit.token = token.text;
  if (edit.distance <= limit && edit.distance != 0) return edit;
  for (const std::string& s : part_skeletons) {
    const int ds = internal::BoundedEditDistance(s, token.skeleton, limit);
    if (ds >= 1 && ds <= limit &&
        (edit.distance == 0 || ds < edit.distance || edit.distance > limit)) {
      edit.distance = ds;
      edit.part = s;
      edit.token = token.skeleton;
      edit.via_skeleton = true;
    }
  }
  return edit;
}

}  // namespace

bool BrandIndex::Data::Eligible(const Query& q, uint32_t token) const {
  const uint32_t b = token_brands[token];
  return (global_brands[b] != 0 || brands[b].tenant == q.tenant) &&
         std::find(q.excluded.begin(), q.excluded.end(), b) == q.excluded.end();
}

// A candidate is kept only while it can still be returned: it beats the
// brand's best so far and fewer than max_matches other brands are stronger.
// Entries only improve and new ones only join, so a candidate that ranks
// out when offered stays out of the result, and is not even recorded:
// with a large brand set a host touches many brands ("fmonline" is within
// two edits of a hundred tokens), and each recorded entry made every later
// offer and the final sort longer.
internal::Found* BrandIndex::Data::Claim(Query& q, uint32_t token,
                                         double weight) const {
  const uint32_t brand = token_brands[token];
  Found* slot = nullptr;
  size_t stronger = 0;
  for (Found& f : q.found) {
    if (f.brand == brand) {
      slot = &f;
    } else if (f.match.weight > weight ||
               (f.match.weight == weight && f.brand < brand)) {
      ++stronger;
    }
  }
  if (slot != nullptr && slot->match.weight >= weight) return nullptr;
  if (stronger >= options.max_matches) {
    // Ranked out for good: its entry, if any, keeps its weaker match.
    return nullptr;
  }
  if (slot == nullptr) {
    slot = &q.found.emplace_back();
    slot->brand = brand;
  }
  slot->match.weight = weight;
  slot->token = token;
  return slot;
}

template <typename Evidence>
void BrandIndex::Data::Add(Query& q, uint32_t token, Technique technique,
                           absl::string_view technique_name, double weight,
                           const Evidence& evidence,
                           absl::string_view imitated_suffix) const {
  Found* slot = Claim(q, token, weight);
  if (slot == nullptr) return;
  slot->imitated_suffix = imitated_suffix.empty()
                              ? absl::string_view(q.url->public_suffix)
                              : imitated_suffix;
  slot->match.technique = technique;
  slot->match.technique_name = std::string(technique_name);
  slot->match.evidence = evidence();
}

const std::vector<uint32_t>* BrandIndex::Data::ExactTokens(
    Query& q, absl::string_view text) const {
  internal::LabelSkeletons(text, &q.probe_skeletons);
  auto it = by_skeleton.find(q.probe_skeletons.front());
  return it == by_skeleton.end() ? nullptr : &it->second;
}

template <typename OnToken>
void BrandIndex::Data::ForEachExactToken(
    const Query& q, const std::vector<std::string>& skeletons,
    OnToken on_token) const {
  for (const std::string& skeleton : skeletons) {
    auto it = by_skeleton.find(skeleton);
    if (it == by_skeleton.end()) continue;
    for (uint32_t t : it->second) {
      if (!Eligible(q, t) || tokens[t].text.size() < kMinExactLength) continue;
      on_token(skeleton, t);
    }
  }
}

// The order matters only for evidence: a brand keeps its first strongest
// match, so on equal weights the earlier technique names it.
void BrandIndex::Data::MatchLabels(Query& q) const {
  const auto& labels = q.url->labels;
  const std::string& site_label = labels[q.site].text;
  q.site_ascii = internal::IsAscii(site_label);
  // Under a suffix whose registry vets who registers, nobody picked the
  // site's name to look like a brand: okta.mil, correosdemexico.gob.mx and
  // institutoamazonico.edu.pe are what they say. Their subdomains are
  // still read: a compromised site gets attacker-made ones
  // ("facebook.alheekmah.edu.pk").
  if (!internal::IsVettedSuffix(q.url->public_suffix)) {
    internal::LabelSkeletons(site_label, &q.site_skeletons);
    MatchSiteSkeleton(q);
    MatchHyphenatedSite(q);
    MatchDroppedDot(q);
    MatchSubdomainSplit(q);
    MatchTypos(q, site_label, q.site_skeletons, /*is_part=*/false,
               /*lure=*/false, "label ");
    SplitParts(site_label, &q.parts);
    if (q.parts.size() > 1) MatchParts(q, q.site, q.parts, /*is_site=*/true);
    MatchSubstrings(q, q.site, /*is_site=*/true, q.site_skeletons.front());
  }
  // Labels left of the site: the brand in a subdomain, alone
  // ("paypal.evil.net"), with its domain ("paypal.com.evil.net") or in parts
  // ("amazon-check-co-jp.evil.top").
  for (int i = 0; i < q.site; ++i) {
    const std::string& text = labels[i].text;
    if (text == "www" || text.size() < kMinExactLength) continue;
    MatchSubdomainSkeleton(q, i);
    MatchEmbeddedTypo(q, i);
    // A typo of the brand as a whole subdomain ("amazan.authsecurelogin.com",
    // "appole.indigen.cn"), weighed as a typo inside a longer label; a
    // hyphenated one is read part by part (MatchParts).
    if (text.find('-') == std::string::npos) {
      MatchTypos(q, text, q.label_skeletons, /*is_part=*/true, /*lure=*/false,
                 "subdomain ");
    }
    SplitParts(text, &q.label_parts);
    if (q.label_parts.size() > 1) {
      MatchParts(q, i, q.label_parts, /*is_site=*/false);
    }
    MatchSubstrings(q, i, /*is_site=*/false, q.label_skeletons.front());
  }
}

// The site label as a whole has a token's skeleton: the token itself (on a
// hosting platform, under a suffix the brand does not own, or a brand word
// as a site's name), or a homoglyph of it.
void BrandIndex::Data::MatchSiteSkeleton(Query& q) const {
  const auto& labels = q.url->labels;
  const std::string& site_label = labels[q.site].text;
  ForEachExactToken(
      q, q.site_skeletons, [&](const std::string& skeleton, uint32_t t) {
        const TokenInfo& token = tokens[t];
        if (site_label == token.text) {
          MatchTokenAsSite(q, t);
          return;
        }
        auto [technique, name] = HomoglyphKind(labels[q.site]);
        // "1cloud" for "icloud": a digit for the first letter reads as a name
        // of its own more often than as a spoof.
        const bool first_letter_only =
            q.site_ascii && site_label.size() == token.text.size() &&
            absl::string_view(site_label).substr(1) ==
                absl::string_view(token.text).substr(1);
        Add(q, t, technique, name,
            technique == Technique::kIdnSpoof ? kWeightIdnHomograph
            : first_letter_only               ? kWeightFirstLetterHomoglyph
                                              : kWeightAsciiHomoglyph,
            [&] {
              return absl::StrCat("skeleton ", Quoted(skeleton), " of label ",
                                  Quoted(site_label), " equals brand token ",
                                  Quoted(token.text));
            });
      });
}

// The site label is a token, letter for letter: a site on a hosting
// platform, the brand's domain label under a suffix it does not own (TLD
// swap), or a brand word that is no domain label as a site's whole name.
void BrandIndex::Data::MatchTokenAsSite(Query& q, uint32_t t) const {
  const TokenInfo& token = tokens[t];
  const std::string& site_label = q.url->labels[q.site].text;
  if (q.platform) {
    Add(q, t, Technique::kHostingPlatform, "hosting-platform",
        kWeightHostingPlatform, [&] {
          return absl::StrCat("site name ", Quoted(site_label),
                              q.PlatformNote(), " is brand token ",
                              Quoted(token.text));
        });
  } else if (token.official_label) {
    // A common word too ("ledger", "poste"): the brand's own label under
    // another suffix is the brand's name, whatever else the word means
    // (ledger.band, ledger.cn.com are Ledger kits).
    Add(q, t, Technique::kTldSwap, "tld-swap", kWeightTldSwap, [&] {
      return absl::StrCat("label ", Quoted(site_label),
                          " is the brand's domain label ", Quoted(token.text),
                          " under '", q.url->public_suffix,
                          "', which the brand does not own");
    });
  } else if (!token.common_word) {
    Add(q, t, Technique::kCombosquat, "brand-token", kWeightTokenAsSite, [&] {
      return absl::StrCat("label ", Quoted(site_label), " is brand token ",
                          Quoted(token.text),
                          ", which is not the label of a brand domain");
    });
  }
}

// "pay-pal.com": the site label without its hyphens is a token.
void BrandIndex::Data::MatchHyphenatedSite(Query& q) const {
  const std::string& site_label = q.url->labels[q.site].text;
  if (!q.site_ascii || site_label.find('-') == std::string::npos) return;
  std::string& joined = q.joined;
  joined.assign(site_label);
  joined.erase(std::remove(joined.begin(), joined.end(), '-'), joined.end());
  if (const std::vector<uint32_t>* ts = ExactTokens(q, joined)) {
    for (uint32_t t : *ts) {
      if (!Eligible(q, t) || tokens[t].text.size() < 4) continue;
      Add(q, t, Technique::kSeparator, "hyphenation", kWeightHyphenation, [&] {
        return absl::StrCat("label ", Quoted(site_label), " is brand token ",
                            Quoted(tokens[t].text), " with hyphens inserted");
      });
    }
  }
  // Hyphens and a typo together ("pay-pall", "pay-pals"): each counted as
  // an edit, a 6-letter name is two edits away and unmatched. The hyphens
  // are separators, not letters: the label without them is looked up as
  // a whole label is, for one edit, against tokens without hyphens of
  // their own ("credit-agricole.pl" is no typo of "credit-agricole"). Pieces of
  // one or two letters are words of their own ("x-cloud", "k1-cloud", "c-and-a"
  // are no iCloud or Canva), measured on the top 100k.
  int pieces = 0;
  for (absl::string_view piece : absl::StrSplit(site_label, '-')) {
    if (piece.size() < 3 || ++pieces > kMaxHyphenatedPieces) return;
  }
  q.unhyphenated.assign(joined);
  // Skeletons map letter by letter and keep '-': the site's skeletons
  // without their hyphens are those of the label without its hyphens.
  q.unhyphenated_skeletons.resize(q.site_skeletons.size());
  for (size_t i = 0; i < q.site_skeletons.size(); ++i) {
    std::string& s = q.unhyphenated_skeletons[i];
    s.assign(q.site_skeletons[i]);
    s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  }
  MatchTypos(q, q.unhyphenated, q.unhyphenated_skeletons, /*is_part=*/false,
             /*lure=*/false,
             absl::StrCat("label ", Quoted(site_label), " without hyphens "),
             TypoReading::kWithoutHyphens);
}

// "wwwpaypal.com": "www" glued to a token.
void BrandIndex::Data::MatchDroppedDot(Query& q) const {
  const std::string& site_label = q.url->labels[q.site].text;
  if (!q.site_ascii || !absl::StartsWith(site_label, "www") ||
      site_label.size() < 3 + 4) {
    return;
  }
  const absl::string_view rest = absl::string_view(site_label).substr(3);
  const std::vector<uint32_t>* ts = ExactTokens(q, rest);
  if (ts == nullptr) return;
  for (uint32_t t : *ts) {
    if (!Eligible(q, t)) continue;
    Add(q, t, Technique::kSeparator, "dropped-dot", kWeightDroppedDot, [&] {
      return absl::StrCat("label ", Quoted(site_label),
                          " is 'www' + brand token ", Quoted(tokens[t].text),
                          " without the dot");
    });
  }
}

// "pay.pal.com": the label left of the site and the site spell a token.
void BrandIndex::Data::MatchSubdomainSplit(Query& q) const {
  const auto& labels = q.url->labels;
  const int site = q.site;
  const std::string& site_label = labels[site].text;
  if (q.platform || site == 0 || !q.site_ascii ||
      !internal::IsAscii(labels[site - 1].text) ||
      labels[site - 1].text.empty() || site_label.size() < 2) {
    return;
  }
  q.joined.assign(labels[site - 1].text);
  q.joined.append(site_label);
  const std::vector<uint32_t>* ts = ExactTokens(q, q.joined);
  if (ts == nullptr) return;
  for (uint32_t t : *ts) {
    if (!Eligible(q, t) || tokens[t].text.size() < 5) continue;
    Add(q, t, Technique::kSeparator, "subdomain-split", kWeightSubdomainSplit,
        [&] {
          return absl::StrCat("labels ", Quoted(labels[site - 1].text), " and ",
                              Quoted(site_label), " spell brand token ",
                              Quoted(tokens[t].text));
        });
  }
}

// Typos of a whole label or of a '-'-separated part: candidates from the
// deletion index, a cheap filter, then the edit itself.
void BrandIndex::Data::MatchTypos(
    Query& q, absl::string_view part,
    const std::vector<std::string>& part_skeletons, bool is_part, bool lure,
    absl::string_view context, TypoReading reading) const {
  const bool without_hyphens = reading == TypoReading::kWithoutHyphens;
  const int max_edits = without_hyphens ? 1 : 2;
  // A token of min_typo_length with one letter omitted is one shorter;
  // inside a longer label, parts that short are mostly words ("mail").
  const size_t min_length =
      is_part ? options.min_typo_length : options.min_typo_length - 1;
  if (part.size() < min_length || internal::IsCommonWord(part)) return;
  // Inside a longer label, a part that is an English word is that word
  // ("counter-strike" is no typo of "stripe", "canvas-prints" no plural of
  // "canva"). So is a whole label ("sigma.ru", "switch.ch", "stripes.com")
  // against a brand's domain label or name, which the admin gave as no
  // word of the brand's; against a word the brand was given, the typo
  // stands: phishers use those ("allegros.cam" for Allegro).
  if (is_part && internal::IsDictionaryWord(part)) return;
  // Looked up for the first candidate it can turn away: most queries have
  // none.
  std::optional<bool> label_is_word;
  auto is_word = [&] {
    if (!label_is_word.has_value()) {
      label_is_word = !lure && internal::IsDictionaryWord(part);
    }
    return *label_is_word;
  };
  const bool ascii = internal::IsAscii(part);
  CollectTypoCandidates(q, part, ascii, part_skeletons, max_edits);
  // Most queries find no candidate at all: the prefilter's character sets
  // and counts of the part and its skeletons are not worth computing then.
  if (q.ids.empty()) return;
  const TypoPrefilter prefilter(part, ascii, part_skeletons);
  for (uint32_t t : q.ids) {
    const int limit = std::min<int>(token_filters[t].max_edits, max_edits);
    if (!prefilter.MayMatch(token_filters[t], limit) || !Eligible(q, t) ||
        (without_hyphens && absl::StrContains(tokens[t].text, '-')) ||
        (!tokens[t].given && is_word())) {
      continue;
    }
    const TypoEdit edit =
        ClosestEdit(part, ascii, part_skeletons, tokens[t], limit);
    if (edit.distance == 0 || edit.distance > limit) continue;
    if (internal::DiffersOnlyInDigits(edit.part, edit.token)) continue;
    // Chromium's guard: a part differing only in its first letter is
    // usually another word ("paypay", "jcloud"), not a typo. Not so for an
    // 'l' in place of an 'i' or the reverse, which read alike in a URL bar
    // ("lcloud-help", "lnstagram-support"; '1' reads 'l' in skeletons).
    // A whole label too, when the token is one letter in front of a word
    // ("icloud", "gmail"): another letter in front of that word is a name
    // of its own ("pcloud", "qcloud", "fmail").
    if (edit.part.size() == edit.token.size() &&
        edit.part.substr(1) == edit.token.substr(1) &&
        !IsLetterIOrL(edit.part[0], edit.token[0]) &&
        (is_part || OneLetterBeforeAWord(edit.token))) {
      continue;
    }
    // Another of the brand's own names is no typo of it ("mercadolibre"
    // and "mercadolivre" are both Mercado Libre's).
    if (IsTokenOfBrand(part, part_skeletons.front(), token_brands[t])) {
      continue;
    }
    AddTypo(q, t, part, edit, is_part, lure, context);
  }
}

bool BrandIndex::Data::IsTokenOfBrand(absl::string_view text,
                                      const std::string& skeleton,
                                      uint32_t brand) const {
  auto it = by_skeleton.find(skeleton);
  if (it == by_skeleton.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](uint32_t t) {
    return token_brands[t] == brand && tokens[t].text == text;
  });
}

// Replaces q.ids with the tokens the deletion index holds near `part` or
// its skeletons, each once.
void BrandIndex::Data::CollectTypoCandidates(
    Query& q, absl::string_view part, bool ascii,
    const std::vector<std::string>& part_skeletons, int max_edits) const {
  q.ids.clear();
  const int query_deletions =
      std::min(max_edits, part.size() + 2 >= options.long_token_length ? 2 : 1);
  if (ascii) deletions.Candidates(part, query_deletions, &q.ids);
  for (const std::string& s : part_skeletons) {
    if (s != part) deletions.Candidates(s, query_deletions, &q.ids);
  }
  std::sort(q.ids.begin(), q.ids.end());
  q.ids.erase(std::unique(q.ids.begin(), q.ids.end()), q.ids.end());
}

// Names and weighs one verified typo of token `t`. The edit is classified
// and its sentence written only when Claim keeps it: a long label with a
// common ending ("fmonline") is within two edits of dozens of tokens, and
// naming each was a quarter of its lookup.
void BrandIndex::Data::AddTypo(Query& q, uint32_t t, absl::string_view part,
                               const TypoEdit& edit, bool is_part, bool lure,
                               absl::string_view context) const {
  const TokenInfo& token = tokens[t];
  Technique technique = Technique::kTypo;
  double weight = edit.distance == 1
                      ? (lure ? kWeightTypoWithLure : kWeightTypo)
                      : kWeightDoubleTypo;
  if (is_part && !lure) weight = std::min(weight, kWeightTypoInPart);
  if (edit.distance == 2 && EditsInsideStem(edit.part, edit.token)) {
    weight = kWeightDoubleTypoInStem;
  }
  if (edit.distance == 1 && token.official_label && !edit.via_skeleton &&
      token.text.size() >= kMinBlockingTypoLength) {
    weight = std::max(weight, kWeightOfficialLabelTypo);
  }
  if (edit.distance == 1 &&
      internal::IsHyphenInsertion(edit.part, edit.token)) {
    technique = Technique::kSeparator;
    weight = kWeightHyphenation;
  }
  Found* slot = Claim(q, t, weight);
  if (slot == nullptr) return;
  std::string detail;
  slot->imitated_suffix = q.url->public_suffix;
  slot->match.technique = technique;
  slot->match.technique_name =
      internal::ClassifyEdit(edit.part, edit.token, &detail);
  slot->match.evidence = absl::StrCat(
      context, Quoted(part),
      edit.via_skeleton ? absl::StrCat(" (skeleton ", Quoted(edit.part), ")")
                        : std::string(),
      " is brand token ", Quoted(token.text), " with ", detail);
}

// The '-'-separated parts of a label: each part whose skeleton is a token
// (target embedding, homoglyph, combosquat), typos of each part, and
// adjacent parts that spell a token.
void BrandIndex::Data::MatchParts(Query& q, int label,
                                  const std::vector<absl::string_view>& parts,
                                  bool is_site) const {
  for (size_t i = 0; i < parts.size(); ++i) {
    const absl::string_view part = parts[i];
    internal::LabelSkeletons(part, &q.part_skeletons);
    const bool lure = HasLurePart(parts, i);
    const bool infrastructure = !lure && OnlyInfrastructureParts(parts, i);
    ForEachExactToken(q, q.part_skeletons,
                      [&](const std::string& skeleton, uint32_t t) {
                        MatchPartToken(q, label, part, skeleton, t, lure,
                                       infrastructure, is_site);
                      });
    MatchTypos(q, part, q.part_skeletons, /*is_part=*/true, lure, "part ");
    if (lure) MatchPluralPart(q, label, part, is_site);
  }
  if (is_site && parts.size() > 2) MatchSplitToken(q, label, parts);
}

// A part of label `label` whose skeleton is token `t`'s: the brand's domain
// written into the label ("paypal-com-secure"), a homoglyph in a part, or a
// combosquat (on a hosting platform: the brand in a site name).
void BrandIndex::Data::MatchPartToken(Query& q, int label,
                                      absl::string_view part,
                                      const std::string& skeleton, uint32_t t,
                                      bool lure, bool infrastructure,
                                      bool is_site) const {
  const TokenInfo& token = tokens[t];
  const std::string& text = q.url->labels[label].text;
  // What follows the part in the host: "-com.evil.net".
  const size_t offset = static_cast<size_t>(part.data() - text.data());
  const std::string& rest = q.RestOfHost(label, offset + part.size());
  absl::string_view embedded_suffix;
  // "ebay-us.com" is a regional site name more often than an embedded
  // "ebay.us": two-letter suffixes count only in front of another part
  // ("amazon-co-jp", "paypal-de-login").
  if (FollowedByOfficialSuffix(brands[token.brand], rest, &embedded_suffix) &&
      (embedded_suffix.size() > 2 || !is_site ||
       offset + part.size() + 1 + embedded_suffix.size() < text.size())) {
    Add(
        q, t, Technique::kTargetEmbedding, "target-embedding",
        kWeightEmbeddedDomain,
        [&] {
          return absl::StrCat("label ", Quoted(text), " embeds brand domain '",
                              token.text, ".", embedded_suffix, "'");
        },
        embedded_suffix);
    return;
  }
  if (part != token.text) {
    auto [technique, name] = HomoglyphKind(q.url->labels[label]);
    Add(q, t, technique, name, kWeightHomoglyphCombo, [&] {
      return absl::StrCat("skeleton ", Quoted(skeleton), " of part ",
                          Quoted(part), " of label ", Quoted(text),
                          " equals brand token ", Quoted(token.text));
    });
    return;
  }
  AddPartCombosquat(q, label, t, lure, infrastructure, is_site, "");
}

// A combosquat of token `t` as a part of label `label` (its plural when
// `plural_part` is set), weighed by what the label's other parts are.
void BrandIndex::Data::AddPartCombosquat(Query& q, int label, uint32_t t,
                                         bool lure, bool infrastructure,
                                         bool is_site,
                                         absl::string_view plural_part) const {
  const TokenInfo& token = tokens[t];
  const std::string& text = q.url->labels[label].text;
  double weight = lure ? kWeightCombosquatWithLure : kWeightCombosquat;
  if (token.common_word) weight = kWeightCommonWordPiece;
  if (token.text.size() <= 3 && !token.distinctive_short) {
    weight = lure ? kWeightShortTokenCombosquatWithLure
                  : kWeightShortTokenCombosquat;
  }
  if (!is_site) weight = std::min(weight, kWeightCombosquat);
  if (infrastructure) weight = std::min(weight, kWeightBrandInfrastructure);
  const std::string plural =
      plural_part.empty()
          ? std::string()
          : absl::StrCat(" (part ", Quoted(plural_part), ", in the plural)");
  if (is_site && q.platform) {
    Add(q, t, Technique::kHostingPlatform, "hosting-platform",
        std::max(weight, kWeightHostingPlatform), [&] {
          return absl::StrCat("site name ", Quoted(text), q.PlatformNote(),
                              " contains brand token ", Quoted(token.text),
                              plural);
        });
  } else {
    Add(q, t, Technique::kCombosquat, "combosquat", weight, [&] {
      return absl::StrCat("label ", Quoted(text), " combines brand token ",
                          Quoted(token.text), plural, " with other words");
    });
  }
}

// A part that is a token with an 's' appended, beside a lure word:
// "apples-login", "support-apples", "apples-24x7-help.pages.dev" (62 of
// the real phishing hosts the evaluation missed). Alone or beside other
// words the plural is the English word it spells ("apples-recipes"),
// which MatchTypos leaves alone. A word that is no plural of the token
// is that word, lure or not: "canvas" (canvas-user-content.com) is no
// more than one Canva, as "canva" is no word.
void BrandIndex::Data::MatchPluralPart(Query& q, int label,
                                       absl::string_view part,
                                       bool is_site) const {
  if (part.size() < kMinExactLength + 1 || part.back() != 's') return;
  const absl::string_view singular = part.substr(0, part.size() - 1);
  if (internal::IsDictionaryWord(part) &&
      !internal::IsDictionaryWord(singular)) {
    return;
  }
  const std::vector<uint32_t>* ts = ExactTokens(q, singular);
  if (ts == nullptr) return;
  for (uint32_t t : *ts) {
    if (!Eligible(q, t) || tokens[t].text != singular) continue;
    AddPartCombosquat(q, label, t, /*lure=*/true, /*infrastructure=*/false,
                      is_site, part);
  }
}

// Adjacent parts of the site label that spell a token: "pay-pal-login".
void BrandIndex::Data::MatchSplitToken(
    Query& q, int label, const std::vector<absl::string_view>& parts) const {
  const std::string& text = q.url->labels[label].text;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    q.joined.assign(parts[i].data(), parts[i].size());
    q.joined.append(parts[i + 1].data(), parts[i + 1].size());
    const std::vector<uint32_t>* ts = ExactTokens(q, q.joined);
    if (ts == nullptr) continue;
    for (uint32_t t : *ts) {
      if (!Eligible(q, t) || tokens[t].text.size() < 5) continue;
      Add(q, t, Technique::kSeparator, "hyphenation", kWeightHyphenation, [&] {
        return absl::StrCat("parts ", Quoted(parts[i]), " and ",
                            Quoted(parts[i + 1]), " of label ", Quoted(text),
                            " spell brand token ", Quoted(tokens[t].text));
      });
    }
  }
}

// Tokens inside longer words ("tosetupamazoncard"): every automaton hit in
// `skeleton`, the primary skeleton of the label, which the caller has
// already computed for its exact lookups (issue #19 item 5: computing it
// again here was one skeleton per label).
void BrandIndex::Data::MatchSubstrings(Query& q, int label, bool is_site,
                                       const std::string& skeleton) const {
  q.skeleton.assign(skeleton);
  q.scan_ascii = internal::IsAscii(q.url->labels[label].text);
  q.word_spans_found = false;
  q.part_bounds_found = false;
  automaton.Scan(
      q.skeleton, [&](size_t end, uint32_t pattern, uint32_t length) {
        MatchSubstringHit(q, label, is_site, end - length, end, pattern);
      });
}

// One automaton hit: the skeleton of pattern `pattern` at [begin, end) of
// q.skeleton, the skeleton of label `label`.
void BrandIndex::Data::MatchSubstringHit(Query& q, int label, bool is_site,
                                         size_t begin, size_t end,
                                         uint32_t pattern) const {
  const std::string& skeleton = q.skeleton;
  const bool left_edge = begin == 0 || skeleton[begin - 1] == '-';
  const bool right_edge = end == skeleton.size() || skeleton[end] == '-';
  if (left_edge && right_edge) {
    // A whole part: MatchParts has it. A token of several parts
    // ("deutsche-bank") is no part of its own, and inside a longer label
    // ("deutsche-bank-wallet") only this scan sees it.
    const bool several_parts =
        skeleton.find('-', begin) < end && (begin > 0 || end < skeleton.size());
    if (several_parts) MatchSeveralPartToken(q, label, pattern);
    return;
  }
  // A four-letter name takes the short-name rule (one word beside it,
  // IsShortTokenCombosquat) by its letters, not by its skeleton's length:
  // 'm' reads "rn" and 'd' "cl", so "zoom" (skeleton "zoorn") and "lidl"
  // ("licll") passed for five-letter names, which count at the start of
  // any part ("zoominfo", "lidlplus") where "visa" or "ikea" needs a word
  // beside it. Five-letter names keep their skeleton's length: real
  // phishing hosts put "adobe", "gmail" and "ameli" inside longer words
  // ("onedriveadobesafty", "compteameli"). The shortest token of the
  // pattern decides (text_length is the hot copy). Non-ASCII labels keep
  // the skeleton's length, as they skip the dictionary guards: a name
  // written with other letters is the attack.
  size_t letters = end - begin;
  if (q.scan_ascii) {
    for (uint32_t t : pattern_tokens[pattern]) {
      if (token_filters[t].combo_length <= internal::kMinShortComboLength) {
        letters = std::min<size_t>(letters, token_filters[t].combo_length);
      }
    }
  }
  SubstringContext context;
  if (!ReadSubstringContext(q, is_site, begin, end, letters, &context)) return;
  const std::string& text = q.url->labels[label].text;
  // Read once per hit, and only when one of its tokens is eligible.
  std::optional<HitInText> hit;
  std::optional<bool> beside_lure_part;
  // The '-'-separated part of the label the hit lies in, found once.
  std::optional<absl::string_view> part;
  auto hit_part = [&] {
    if (!part.has_value()) {
      part =
          NthPart(text, static_cast<size_t>(std::count(
                            skeleton.begin(), skeleton.begin() + begin, '-')));
    }
    return *part;
  };
  for (uint32_t t : pattern_tokens[pattern]) {
    const TokenInfo& token = tokens[t];
    if (!Eligible(q, t)) continue;
    // A token that is a common word ("outlook") counts beside a lure word:
    // in its own part ("outlooklogin"), or as another part of the label
    // ("outlook365-online-login", "login-outlookonline-server"). Or when
    // digits or other scripts stand in for its letters, which nobody does
    // to the word ("0utl00k1ive", "validacionoutlo0k"): then it is any
    // token. Letters that only read alike ('m' as "rn": "pledgemusic"
    // holds "ledger"'s skeleton) do not count. On a hosting platform, the
    // site's maker chose its name: there the word at either edge of a part
    // is enough ("liveledger-connect.webflow.io", "outlook87348.pages.dev":
    // 289 real phishing hosts, Ledger and Outlook kits, of which none has
    // a lure word beside the brand).
    const bool common_word_alone = token.common_word && !context.lure;
    if (common_word_alone && context.short_combo) continue;
    if (!hit.has_value())
      hit = ReadHitInText(text, q.scan_ascii, begin, end, context);
    if (hit->inside_longer_word ||
        (hit->text() != absl::string_view(token.text) && hit->IsWord())) {
      continue;
    }
    if (common_word_alone && !WrittenWithStandIns(hit->text(), token.text)) {
      const bool on_platform = is_site && q.platform;
      if (!beside_lure_part.has_value()) {
        beside_lure_part = StrongLurePartBeside(skeleton, begin);
      }
      const bool part_edge = context.before.empty() || context.after.empty();
      if (!*beside_lure_part && !(on_platform && part_edge)) continue;
      Add(q, t,
          on_platform ? Technique::kHostingPlatform : Technique::kCombosquat,
          on_platform ? "hosting-platform" : "combosquat",
          kWeightCommonWordPiece, [&] {
            return absl::StrCat(on_platform ? "site name " : "label ",
                                Quoted(text), q.PlatformNote(),
                                " holds brand token ", Quoted(token.text),
                                *beside_lure_part ? " beside a lure word"
                                                  : " at the edge of a part");
          });
      continue;
    }
    // A domain's label that is an English word ("booking") counts beside
    // lure words ("mybooking", "bookingpay", "stripecdn-verify"), not
    // others ("trybooking", "bookingexperts"): its brand gave no word that
    // names it.
    if (token.dictionary_word && !context.lure) {
      if (!BesideLureWordsOnly(brands[token.brand], hit_part(), context.before,
                               context.after)) {
        if (!beside_lure_part.has_value()) {
          beside_lure_part = StrongLurePartBeside(skeleton, begin);
        }
        if (!*beside_lure_part) continue;
      }
    }
    if (context.short_combo) {
      if (token_filters[t].combo_length >= internal::kMinShortComboLength &&
          IsShortTokenCombosquat(brands[token.brand], context.clean_split,
                                 hit_part(), context.before, context.after)) {
        Add(q, t, Technique::kCombosquat, "combosquat",
            kWeightShortTokenWordCombosquat, [&] {
              return absl::StrCat("label ", Quoted(text), " joins brand token ",
                                  Quoted(token.text), " and words beside it");
            });
      }
      continue;
    }
    AddSubstring(q, t, label, is_site, context);
  }
}

// A token of several '-'-separated parts that is a run of whole parts of a
// longer label: "deutsche-bank-wallet".
void BrandIndex::Data::MatchSeveralPartToken(Query& q, int label,
                                             uint32_t pattern) const {
  const std::string& text = q.url->labels[label].text;
  for (uint32_t t : pattern_tokens[pattern]) {
    const TokenInfo& token = tokens[t];
    if (!Eligible(q, t) || token.common_word) continue;
    Add(q, t, Technique::kCombosquat, "combosquat", kWeightCombosquat, [&] {
      return absl::StrCat("label ", Quoted(text), " combines brand token ",
                          Quoted(token.text), " with other words");
    });
  }
}

// Fills q.part_begin_before and q.part_end_from for q.skeleton.
void BrandIndex::Data::FindPartBounds(Query& q) {
  const absl::string_view sk(q.skeleton);
  const size_t n = sk.size();
  q.part_begin_before.resize(n + 1);
  q.part_end_from.resize(n + 1);
  uint32_t begin = 0;
  for (size_t i = 0; i <= n; ++i) {
    if (i > 0 && sk[i - 1] == '-') begin = static_cast<uint32_t>(i);
    q.part_begin_before[i] = begin;
  }
  uint32_t end = static_cast<uint32_t>(n);
  for (size_t i = n + 1; i-- > 0;) {
    if (i < n && sk[i] == '-') end = static_cast<uint32_t>(i);
    q.part_end_from[i] = end;
  }
  q.part_bounds_found = true;
}

// Reads what surrounds a hit inside its '-'-separated part. False when the
// hit cannot be a match: too short for its context, or inside a common word
// ("purchase" holds "chase").
bool BrandIndex::Data::ReadSubstringContext(Query& q, bool is_site,
                                            size_t begin, size_t end,
                                            size_t letters,
                                            SubstringContext* context) const {
  const absl::string_view sk(q.skeleton);
  const size_t length = letters;
  if (!q.part_bounds_found) FindPartBounds(q);
  const size_t part_begin = q.part_begin_before[begin];
  const size_t part_end = q.part_end_from[end];
  const absl::string_view before = sk.substr(part_begin, begin - part_begin);
  const absl::string_view after = sk.substr(end, part_end - end);
  context->before = before;
  context->after = after;
  // A lure word around the token ("applelogin") makes even a short or
  // common token count.
  context->lure = (before.empty() || internal::IsStrongLureSkeleton(before)) &&
                  (after.empty() || internal::IsStrongLureSkeleton(after));
  context->short_combo = false;
  context->clean_split = context->lure;
  if (context->lure) return true;
  // Tokens one shorter than min_substring_length count at the start of a
  // part ("chase100secures", "yahooserivicealert"), and anywhere in a site
  // name on a hosting platform, which whoever made the site chose
  // ("attyahoomail-upgrade03.weebly.com", "24x7applehelpline.netlify.app");
  // shorter ones only beside one word (IsShortTokenCombosquat).
  const size_t min_length = before.empty() || (is_site && q.platform)
                                ? options.min_substring_length - 1
                                : options.min_substring_length;
  // `length` counts the token's letters (MatchSubstringHit).
  if (length < min_length &&
      (!is_site || q.platform || length < internal::kMinShortComboLength)) {
    return false;
  }
  context->clean_split = IsWordBesideToken(before) && IsWordBesideToken(after);
  if (length < min_length) {
    context->short_combo = true;
    // Kits also put a short name first or last in a part and glue two
    // words to it ("uspstrackingcenter"). Read for short tokens only,
    // which need the words around them named: longer ones count without,
    // and most hits are theirs.
    if (!context->clean_split && (before.empty() || after.empty())) {
      context->clean_split =
          TwoWordsBesideToken(before.empty() ? after : before);
    }
    // Neither words nor a suffix glued on (IsShortTokenCombosquat): done
    // before the common-word scan below, as most hits end here.
    if (!context->clean_split && (!before.empty() || after.empty() ||
                                  after.size() > kMaxGluedSuffixLength)) {
      return false;
    }
  }
  // Inside a longer word of our lists ("purchase" holds "chase") the hit
  // is that word, unless the brand reading is a clean split as well:
  // "applestore" is apple + store although "apples" is a word.
  if (context->clean_split) return true;
  return !InsideCommonWord(q, begin, end);
}

// Whether [begin, end) of q.skeleton lies inside a longer common word. The
// word occurrences are found once per label, not per hit: probing every
// substring around a hit cost ~300 hash lookups each. The window is the one
// the per-substring probe used.
bool BrandIndex::Data::InsideCommonWord(Query& q, size_t begin,
                                        size_t end) const {
  const absl::string_view sk(q.skeleton);
  if (!q.word_spans_found) {
    internal::CommonWordSkeletonSpans(sk, &q.word_spans);
    q.word_spans_found = true;
  }
  const size_t length = end - begin;
  const size_t first =
      end > kMaxCommonWordLength ? end - kMaxCommonWordLength : 0;
  const size_t last = std::min(sk.size(), begin + kMaxCommonWordLength);
  for (const internal::WordSpan& w : q.word_spans) {
    if (w.begin >= first && w.begin <= begin && w.end >= end && w.end <= last &&
        w.end - w.begin > length) {
      return true;
    }
  }
  return false;
}

// A token found inside a longer word of label `label`: beside a lure word,
// in a site name on a hosting platform, or plainly inside.
void BrandIndex::Data::AddSubstring(Query& q, uint32_t t, int label,
                                    bool is_site,
                                    const SubstringContext& context) const {
  const TokenInfo& token = tokens[t];
  const bool lure = context.lure;
  const std::string& text = q.url->labels[label].text;
  if (lure && !(is_site && q.platform)) {
    Add(q, t, Technique::kCombosquat, "combosquat",
        token.common_word ? kWeightCommonWordPiece : kWeightCombosquatWithLure,
        [&] {
          return absl::StrCat("label ", Quoted(text), " joins brand token ",
                              Quoted(token.text), " and a lure word");
        });
  } else if (is_site && q.platform) {
    // A lure word weighs on a platform as it does under a domain of the
    // attacker's own ("coinbasewallet.zeabur.app", "coinbasewallet.com"),
    // as MatchPartToken weighs a part.
    Add(q, t, Technique::kHostingPlatform, "hosting-platform",
        lure && !token.common_word
            ? std::max(kWeightHostingPlatform, kWeightCombosquatWithLure)
            : kWeightHostingPlatform,
        [&] {
          return absl::StrCat("site name ", Quoted(text), q.PlatformNote(),
                              " contains brand token ", Quoted(token.text),
                              lure ? " beside a lure word" : "");
        });
  } else {
    Add(q, t, Technique::kCombosquat, "combosquat",
        OnlyInfrastructureBeside(context, q.skeleton)
            ? kWeightBrandInfrastructure
            : kWeightSubstring,
        [&] {
          return absl::StrCat("label ", Quoted(text), " contains brand token ",
                              Quoted(token.text));
        });
  }
}

// A label left of the site whose skeleton is a token: the brand's domain
// embedded left of another ("paypal.com.evil.net"), a homoglyph, or the
// token as a subdomain ("paypal.evil.net").
void BrandIndex::Data::MatchSubdomainSkeleton(Query& q, int label) const {
  internal::LabelSkeletons(q.url->labels[label].text, &q.label_skeletons);
  ForEachExactToken(q, q.label_skeletons,
                    [&](const std::string& skeleton, uint32_t t) {
                      MatchSubdomainToken(q, label, skeleton, t);
                    });
}

// Label `label`, left of the site, has token `t`'s skeleton.
void BrandIndex::Data::MatchSubdomainToken(Query& q, int label,
                                           const std::string& skeleton,
                                           uint32_t t) const {
  const std::string& text = q.url->labels[label].text;
  const TokenInfo& token = tokens[t];
  const std::string& rest = q.RestOfHost(label, text.size());
  absl::string_view embedded_suffix;
  if (FollowedByOfficialSuffix(brands[token.brand], rest, &embedded_suffix)) {
    Add(
        q, t, Technique::kTargetEmbedding, "target-embedding",
        kWeightEmbeddedDomain,
        [&] {
          return absl::StrCat("host embeds brand domain '", token.text, ".",
                              embedded_suffix, "' left of '",
                              q.url->registrable_domain, "'");
        },
        embedded_suffix);
  } else if (text != token.text) {
    auto [technique, name] = HomoglyphKind(q.url->labels[label]);
    Add(q, t, technique, name, kWeightHomoglyphCombo, [&] {
      return absl::StrCat("skeleton ", Quoted(skeleton), " of subdomain ",
                          Quoted(text), " equals brand token ",
                          Quoted(token.text));
    });
  } else if (!token.common_word) {
    Add(q, t, Technique::kTargetEmbedding, "target-embedding",
        token.text.size() >= 5 ? kWeightTokenSubdomain
                               : kWeightShortTokenSubdomain,
        [&] {
          return absl::StrCat("subdomain ", Quoted(text), " of '",
                              q.url->registrable_domain, "' is brand token ",
                              Quoted(token.text));
        });
  }
}

bool BrandIndex::Data::FollowedByAnySuffix(Query& q,
                                           absl::string_view rest) const {
  if (rest.size() < 2 || (rest[0] != '.' && rest[0] != '-')) return false;
  // '-' reads as '.', as in FollowedByOfficialSuffix.
  std::string& after = q.joined;
  after.assign(rest.data() + 1, rest.size() - 1);
  std::replace(after.begin(), after.end(), '-', '.');
  for (size_t end = after.find('.'); end != std::string::npos;
       end = after.find('.', end + 1)) {
    if (brand_suffixes.contains(absl::string_view(after).substr(0, end))) {
      return true;
    }
  }
  return false;
}

// A typo of the brand in front of its own suffix: "anazon.co.jp.evil.com".
void BrandIndex::Data::MatchEmbeddedTypo(Query& q, int label) const {
  const std::string& text = q.url->labels[label].text;
  if (text.size() + 1 < options.min_typo_length || !internal::IsAscii(text)) {
    return;
  }
  const std::string& rest = q.RestOfHost(label, text.size());
  // Only a candidate whose brand owns the suffix that follows can match
  // (FollowedByOfficialSuffix below): most labels left of a site are
  // followed by no brand's suffix at all ("accounts.google.evil.top"),
  // and then the deletion-index lookup is skipped (issue #19 item 5).
  if (!FollowedByAnySuffix(q, rest)) return;
  q.ids.clear();
  deletions.Candidates(text, 1, &q.ids);
  std::sort(q.ids.begin(), q.ids.end());
  q.ids.erase(std::unique(q.ids.begin(), q.ids.end()), q.ids.end());
  for (uint32_t t : q.ids) {
    const TokenInfo& token = tokens[t];
    absl::string_view embedded_suffix;
    if (!Eligible(q, t) ||
        internal::BoundedEditDistance(text, token.text, 1) != 1 ||
        !FollowedByOfficialSuffix(brands[token.brand], rest,
                                  &embedded_suffix)) {
      continue;
    }
    std::string detail;
    const std::string name = internal::ClassifyEdit(text, token.text, &detail);
    Add(
        q, t, Technique::kTargetEmbedding, "target-embedding",
        kWeightEmbeddedTypo,
        [&] {
          return absl::StrCat("host embeds '", text, ".", embedded_suffix,
                              "', brand domain '", token.text, ".",
                              embedded_suffix, "' with ", detail, " (", name,
                              ")");
        },
        embedded_suffix);
  }
}

}  // namespace lureguard::lookalike
