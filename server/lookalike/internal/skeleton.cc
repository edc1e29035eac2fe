#include "server/lookalike/internal/skeleton.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace lureguard::lookalike::internal {
namespace {

// A confusable that UTS #39 does not map to ASCII: the ASCII it imitates and,
// for a glyph that imitates two letters, the second reading.
struct Confusable {
  UChar32 code_point;
  const char* primary;
  const char* alternative;  // nullptr when unambiguous
};

// Our additions to UTS #39, compiled from the glyph shapes in lowercase
// fonts (the way Chromium's IDN spoof checker extends the skeleton table).
constexpr Confusable kConfusables[] = {
    // ASCII digits that read as letters ('1' is l or i).
    {'1', "l", "i"},
    // Latin small capitals (IPA and phonetic extensions).
    {0x1D00, "a", nullptr},
    {0x0299, "b", nullptr},
    {0x1D04, "c", nullptr},
    {0x1D05, "d", nullptr},
    {0x1D07, "e", nullptr},
    {0xA730, "f", nullptr},
    {0x0262, "g", nullptr},
    {0x029C, "h", nullptr},
    {0x026A, "i", nullptr},
    {0x1D0A, "j", nullptr},
    {0x1D0B, "k", nullptr},
    {0x029F, "l", nullptr},
    {0x1D0D, "m", nullptr},
    {0x0274, "n", nullptr},
    {0x1D0F, "o", nullptr},
    {0x1D18, "p", nullptr},
    {0x0280, "r", nullptr},
    {0xA731, "s", nullptr},
    {0x1D1B, "t", nullptr},
    {0x1D1C, "u", nullptr},
    {0x1D20, "v", nullptr},
    {0x1D21, "w", nullptr},
    {0x028F, "y", nullptr},
    {0x1D22, "z", nullptr},
    // Latin Extended letters with strokes, hooks and tails.
    {0x0180, "b", nullptr},
    {0x0253, "b", nullptr},
    {0x0188, "c", nullptr},
    {0x023C, "c", nullptr},
    {0x0111, "d", nullptr},
    {0x0257, "d", nullptr},
    {0x0256, "d", nullptr},
    {0x018C, "d", nullptr},
    {0x00F0, "d", nullptr},
    {0x0247, "e", nullptr},
    {0x0192, "f", nullptr},
    {0x01E5, "g", nullptr},
    {0x0260, "g", nullptr},
    {0x0127, "h", nullptr},
    {0x0266, "h", nullptr},
    {0x0268, "i", nullptr},
    {0x0131, "i", nullptr},
    {0x0249, "j", nullptr},
    {0x029D, "j", nullptr},
    {0x0237, "j", nullptr},
    {0x0199, "k", nullptr},
    {0x0138, "k", nullptr},
    {0x0142, "l", nullptr},
    {0x019A, "l", nullptr},
    {0x026B, "l", nullptr},
    {0x026C, "l", nullptr},
    {0x026D, "l", nullptr},
    {0x0140, "l", nullptr},
    {0x0271, "m", nullptr},
    {0x0272, "n", nullptr},
    {0x019E, "n", nullptr},
    {0x0273, "n", nullptr},
    {0x014B, "n", nullptr},
    {0x00F8, "o", nullptr},
    {0x0275, "o", nullptr},
    {0x01A5, "p", nullptr},
    {0x1D7D, "p", nullptr},
    {0x00FE, "p", nullptr},
    {0x02A0, "q", nullptr},
    {0x024B, "q", nullptr},
    {0x024D, "r", nullptr},
    {0x027D, "r", nullptr},
    {0x027E, "r", nullptr},
    {0x0282, "s", nullptr},
    {0x023F, "s", nullptr},
    {0x0167, "t", nullptr},
    {0x01AD, "t", nullptr},
    {0x0288, "t", nullptr},
    {0x0289, "u", nullptr},
    {0x028B, "u", "v"},  // v with hook ʋ: reads as u or v
    {0x01B4, "y", nullptr},
    {0x024F, "y", nullptr},
    {0x01B6, "z", nullptr},
    {0x0225, "z", nullptr},
    {0x0290, "z", nullptr},
    {0x0240, "z", nullptr},
    {0x00E6, "ae", nullptr},
    {0x0153, "oe", nullptr},
    {0x017F, "f", nullptr},
    {0x0269, "i", nullptr},
    // Cyrillic lowercase letters that look like ASCII in most fonts but
    // that UTS #39 maps elsewhere (to small capitals, or not at all).
    {0x04CF, "l", "i"},  // palochka: l or i
    {0x044C, "b", nullptr},
    {0x0432, "b", nullptr},
    {0x043D, "h", nullptr},
    {0x043A, "k", nullptr},
    {0x043C, "m", nullptr},
    {0x043F, "n", nullptr},
    {0x0442, "t", nullptr},
    {0x0448, "w", nullptr},
    {0x0449, "w", nullptr},
    {0x049D, "k", nullptr},
    {0x049B, "k", nullptr},
    {0x0493, "f", nullptr},
    {0x0491, "r", nullptr},
    {0x0454, "e", nullptr},
    {0x04BD, "e", nullptr},
    {0x04AB, "c", nullptr},
    {0x04B1, "y", nullptr},
    {0x04B3, "x", nullptr},
    {0x0495, "h", nullptr},
    {0x04A3, "h", nullptr},
    {0x045B, "h", nullptr},
    {0x0501, "d", nullptr},
    {0x051D, "w", nullptr},
    {0x051B, "q", nullptr},
    // Greek lowercase letters UTS #39 leaves non-ASCII.
    {0x03C4, "t", nullptr},
    {0x03BA, "k", nullptr},
    {0x03B7, "n", nullptr},
    {0x03C9, "w", nullptr},
    {0x03B2, "b", nullptr},
    {0x03B5, "e", nullptr},
    {0x03C7, "x", nullptr},
    {0x03B3, "y", nullptr},
    {0x03C0, "n", nullptr},
    // What ICU's skeleton itself produces for some of the above.
    {0x0185, "b", nullptr},
    {0x028D, "m", nullptr},
    {0xA793, "e", "c"},  // c with bar: reads as e, and as c
    // Extended-Latin folds (issue #19): IPA letters and letters with hooks,
    // descenders, curls and strokes that UTS #39 maps to another non-ASCII
    // letter or leaves alone, so that a label with two or three of them
    // ("pa\u0177p\u0259l") still meets its brand. Letters with diacritics
    // need no entry: ICU's skeleton decomposes them (NFD) and the marks
    // are dropped. Each entry names the letter its glyph reads as.
    {0x0259, "a", "e"},      // schwa ə: a turned e, read as a (dnstwist) or e
    {0x0250, "a", nullptr},  // turned a ɐ
    {0x0258, "e", nullptr},  // reversed e ɘ
    {0x025B, "e", nullptr},  // open e ɛ
    {0x0254, "o", "c"},      // open o ɔ: a reversed c
    {0x0279, "r", nullptr},  // turned r ɹ
    {0x027C, "r", nullptr},  // r with long leg ɼ
    {0xA7A7, "r", nullptr},  // r with oblique stroke ꞧ
    {0xA791, "n", nullptr},  // n with descender ꞑ
    {0xA7A5, "n", nullptr},  // n with oblique stroke ꞥ
    {0x0235, "n", nullptr},  // n with curl ȵ
    {0xA7A9, "s", nullptr},  // s with oblique stroke ꞩ
    {0x0255, "c", nullptr},  // c with curl ɕ
    {0xA794, "c", nullptr},  // c with palatal hook ꞔ
    {0x2C6A, "k", nullptr},  // k with descender ⱪ
    {0xA7A3, "k", nullptr},  // k with oblique stroke ꞣ
    {0xA741, "k", nullptr},  // k with stroke ꝁ
    {0xA743, "k", nullptr},  // k with diagonal stroke ꝃ
    {0xA745, "k", nullptr},  // k with stroke and diagonal stroke ꝅ
    {0xA749, "l", nullptr},  // l with high stroke ꝉ
    {0xA747, "l", nullptr},  // broken l ꝇ
    {0x0234, "l", nullptr},  // l with curl ȴ
    {0x01AB, "t", nullptr},  // t with palatal hook ƫ
    {0x0236, "t", nullptr},  // t with curl ȶ
    {0x2C73, "w", nullptr},  // w with hook ⱳ
    {0xA751, "p", nullptr},  // p with stroke through descender ꝑ
    {0xA753, "p", nullptr},  // p with flourish ꝓ
    {0xA755, "p", nullptr},  // p with squirrel tail ꝕ
    {0xA757, "q", nullptr},  // q with stroke through descender ꝗ
    {0xA759, "q", nullptr},  // q with diagonal stroke ꝙ
    {0xA797, "b", nullptr},  // b with flourish ꞗ
    {0x2C71, "v", nullptr},  // v with right hook ⱱ
    {0x2C74, "v", nullptr},  // v with curl ⱴ
    {0x1D8C, "v", nullptr},  // v with palatal hook ᶌ
    {0xA75F, "v", nullptr},  // v with diagonal stroke ꝟ
    {0x0265, "u", "h"},      // turned h ɥ: a u with a descender
    {0x028A, "u", nullptr},  // upsilon ʊ
    {0xA795, "h", nullptr},  // h with palatal hook ꞕ
    {0x2C68, "h", nullptr},  // h with descender ⱨ
    {0xA7A1, "g", nullptr},  // g with oblique stroke ꞡ
    {0xA799, "f", nullptr},  // f with stroke ꞙ
    {0x0291, "z", nullptr},  // z with curl ʑ
    {0x2C6C, "z", nullptr},  // z with descender ⱬ
    {0xA74B, "o", nullptr},  // o with long stroke overlay ꝋ
    {0xA74D, "o", nullptr},  // o with loop ꝍ
};

const absl::flat_hash_map<UChar32, const Confusable*>& ConfusableMap() {
  static const auto* const map = [] {
    auto* m = new absl::flat_hash_map<UChar32, const Confusable*>();
    for (const Confusable& c : kConfusables) (*m)[c.code_point] = &c;
    return m;
  }();
  return *map;
}

const USpoofChecker* SpoofChecker() {
  static const USpoofChecker* const checker = [] {
    UErrorCode error = U_ZERO_ERROR;
    USpoofChecker* c = uspoof_open(&error);
    return U_FAILURE(error) ? nullptr : c;
  }();
  return checker;
}

// Folds one ASCII byte into the skeleton alphabet at `p` (room for two),
// '1' read as `one`; returns the end of what it wrote.
constexpr char* FoldAscii(char c, char one, char* p) {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  switch (c) {
    case '0':
      *p++ = 'o';
      break;
    case '1':
      *p++ = one;
      break;
    case 'm':
      *p++ = 'r';
      *p++ = 'n';
      break;
    case 'w':
      *p++ = 'v';
      *p++ = 'v';
      break;
    case 'd':
      *p++ = 'c';
      *p++ = 'l';
      break;
    default:
      *p++ = c;
  }
  return p;
}

void AppendAsciiFolded(char c, std::string* out) {
  char folded[2];
  out->append(folded, static_cast<size_t>(FoldAscii(c, 'l', folded) - folded));
}

void AppendFolded(absl::string_view ascii, std::string* out) {
  for (char c : ascii) AppendAsciiFolded(c, out);
}

void AppendUtf8(UChar32 c, std::string* out) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, U8_MAX_LENGTH, c, error);
  if (!error) out->append(buffer, length);
}

// The fold of every byte as FoldAscii writes it, '1' read as 'l': its
// letters and how many there are (1 or 2).
struct AsciiFoldTable {
  struct Fold {
    char letters[2];
    uint8_t length;
  };
  Fold fold[256];
  constexpr AsciiFoldTable() : fold() {
    for (int c = 0; c < 256; ++c) {
      char letters[2] = {0, 0};
      const char* end = FoldAscii(static_cast<char>(c), 'l', letters);
      fold[c] = {{letters[0], letters[1]}, static_cast<uint8_t>(end - letters)};
    }
  }
};
constexpr AsciiFoldTable kAsciiFolds;

// AppendFolded into a cleared `*out`, with '1' read as `one`. Written in
// place, by table: every label and part of every host checked goes through
// here, and the strings of a reused `*out` keep their capacity.
void AsciiFold(absl::string_view label, char one, std::string* out) {
  out->clear();
  char folded[2 * 64 + 1];  // 'm', 'w' and 'd' fold to two letters
  while (!label.empty()) {
    const absl::string_view chunk = label.substr(0, 64);
    label.remove_prefix(chunk.size());
    char* p = folded;
    for (char c : chunk) {
      const AsciiFoldTable::Fold& f = kAsciiFolds.fold[static_cast<uint8_t>(c)];
      // Both letters are written and the second overwritten by the next
      // fold when the first is all there is: no branch per byte.
      p[0] = c == '1' ? one : f.letters[0];
      p[1] = f.letters[1];
      p += f.length;
    }
    out->append(folded, static_cast<size_t>(p - folded));
  }
}

// ASCII labels never reach ICU: within ASCII, UTS #39 only maps m, 0 and 1,
// and AsciiFold does the same.
void AsciiSkeletons(absl::string_view label, std::vector<std::string>* out) {
  const bool has_one = label.find('1') != absl::string_view::npos;
  out->resize(has_one ? 2 : 1);
  AsciiFold(label, 'l', &(*out)[0]);
  // The second reading of '1' (as 'i'), on all its occurrences at once.
  if (has_one) AsciiFold(label, 'i', &(*out)[1]);
}

// Skeleton of a code point sequence through ICU, then marks removed and
// the maps applied again.
std::string UnicodeSkeleton(const std::vector<UChar32>& code_points) {
  icu::UnicodeString input;
  for (UChar32 c : code_points) input.append(c);
  icu::UnicodeString skeleton;
  UErrorCode error = U_ZERO_ERROR;
  const USpoofChecker* checker = SpoofChecker();
  if (checker != nullptr) {
    uspoof_getSkeletonUnicodeString(checker, 0, input, skeleton, &error);
  }
  if (checker == nullptr || U_FAILURE(error)) skeleton = input;
  const auto& map = ConfusableMap();
  std::string out;
  out.reserve(code_points.size() + 4);
  for (int32_t i = 0; i < skeleton.length();) {
    const UChar32 c = skeleton.char32At(i);
    i += U16_LENGTH(c);
    const int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) continue;
    if (c < 0x80) {
      AppendAsciiFolded(static_cast<char>(c), &out);
      continue;
    }
    auto it = map.find(c);
    if (it != map.end()) {
      AppendFolded(it->second->primary, &out);
    } else {
      AppendUtf8(u_tolower(c), &out);
    }
  }
  return out;
}

}  // namespace

bool IsAscii(absl::string_view s) {
  // Eight bytes at a time: asked of every label, part and hit text of
  // every host checked.
  uint64_t high_bits = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof(word));
    high_bits |= word;
  }
  for (; i < s.size(); ++i) high_bits |= static_cast<unsigned char>(s[i]);
  return (high_bits & 0x8080808080808080ULL) == 0;
}

void LabelSkeletons(absl::string_view label, std::vector<std::string>* out) {
  if (IsAscii(label)) {
    AsciiSkeletons(label, out);
    return;
  }
  out->clear();
  // Readings of the label after our map: one per combination of the
  // alternatives of ambiguous glyphs, capped.
  std::vector<std::vector<UChar32>> readings(1);
  const auto& map = ConfusableMap();
  const int32_t length = static_cast<int32_t>(label.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(label.data(), i, length, c);
    if (c < 0) c = 0xFFFD;
    c = u_tolower(c);
    auto it = map.find(c);
    if (it == map.end()) {
      for (auto& r : readings) r.push_back(c);
      continue;
    }
    const Confusable& confusable = *it->second;
    const size_t before = readings.size();
    if (confusable.alternative != nullptr &&
        before * 2 <= static_cast<size_t>(kMaxSkeletons)) {
      for (size_t k = 0; k < before; ++k) {
        std::vector<UChar32> copy = readings[k];
        for (const char* p = confusable.alternative; *p; ++p) {
          copy.push_back(static_cast<unsigned char>(*p));
        }
        readings.push_back(std::move(copy));
      }
    }
    for (size_t k = 0; k < before; ++k) {
      for (const char* p = confusable.primary; *p; ++p) {
        readings[k].push_back(static_cast<unsigned char>(*p));
      }
    }
  }
  for (const auto& reading : readings) {
    std::string s = UnicodeSkeleton(reading);
    if (std::find(out->begin(), out->end(), s) == out->end()) {
      out->push_back(std::move(s));
    }
  }
}

LabelSpan AsciiSkeletonSpanInLabel(absl::string_view label, size_t begin,
                                   size_t end) {
  LabelSpan span{label.size(), label.size()};
  size_t folded = 0;  // skeleton letters made by label[0, i)
  for (size_t i = 0; i < label.size(); ++i) {
    char two[2];
    folded += static_cast<size_t>(FoldAscii(label[i], 'l', two) - two);
    if (span.begin == label.size() && folded > begin) span.begin = i;
    if (folded >= end) {
      span.end = i + 1;
      break;
    }
  }
  return span;
}

std::string Skeleton(absl::string_view label) {
  std::vector<std::string> skeletons;
  LabelSkeletons(label, &skeletons);
  return std::move(skeletons.front());
}

}  // namespace lureguard::lookalike::internal
