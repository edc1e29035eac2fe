#include "server/lookalike/internal/edits.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"

namespace lureguard::lookalike::internal {
namespace {

// Keyboard rows, top to bottom; each row sits half a key to the right of the
// one above, so key (r, c) touches (r-1, c), (r-1, c+1), (r+1, c-1), (r+1, c).
constexpr const char* kQwertyRows[] = {"1234567890-", "qwertyuiop", "asdfghjkl",
                                       "zxcvbnm"};
constexpr const char* kQwertzRows[] = {"1234567890-", "qwertzuiop", "asdfghjkl",
                                       "yxcvbnm"};
constexpr const char* kAzertyRows[] = {"1234567890-", "azertyuiop",
                                       "qsdfghjklm", "wxcvbn"};

using AdjacencyTable = std::array<std::array<bool, 128>, 128>;

AdjacencyTable BuildAdjacency(const char* const (&rows)[4]) {
  AdjacencyTable table{};
  auto key_at = [&](int r, int c) -> int {
    if (r < 0 || r >= 4 || c < 0) return -1;
    const char* row = rows[r];
    const int length = static_cast<int>(std::char_traits<char>::length(row));
    return c < length ? static_cast<unsigned char>(row[c]) : -1;
  };
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; rows[r][c] != '\0'; ++c) {
      const int self = static_cast<unsigned char>(rows[r][c]);
      const int neighbours[] = {key_at(r, c - 1),     key_at(r, c + 1),
                                key_at(r - 1, c),     key_at(r - 1, c + 1),
                                key_at(r + 1, c - 1), key_at(r + 1, c)};
      for (int n : neighbours) {
        if (n < 0) continue;
        table[self][n] = true;
        table[n][self] = true;
      }
    }
  }
  return table;
}

const AdjacencyTable& Adjacency(Keyboard keyboard) {
  static const AdjacencyTable qwerty = BuildAdjacency(kQwertyRows);
  static const AdjacencyTable qwertz = BuildAdjacency(kQwertzRows);
  static const AdjacencyTable azerty = BuildAdjacency(kAzertyRows);
  switch (keyboard) {
    case Keyboard::kQwertz:
      return qwertz;
    case Keyboard::kAzerty:
      return azerty;
    case Keyboard::kQwerty:
      break;
  }
  return qwerty;
}

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

std::string Quote(char c) { return std::string("'") + c + "'"; }

}  // namespace

namespace {

// The distance for limits up to 2 (Ukkonen's observation that a small
// limit needs only the few alignments it allows). Past the common prefix
// and suffix, one edit explains a core of at most one character on each
// side, or two swapped ones. For two, the first differing character of `a`
// is substituted, deleted, transposed with its neighbour, or the first of
// `b` is inserted before it, and each branch is settled with one edit: at
// most five linear scans, against a matrix row per character. This runs
// for every index candidate (issue 5).
int SmallEditDistance(absl::string_view a, absl::string_view b, int limit) {
  const size_t length_difference =
      a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_difference > static_cast<size_t>(limit)) return limit + 1;
  size_t prefix = 0;
  const size_t shorter = std::min(a.size(), b.size());
  while (prefix < shorter && a[prefix] == b[prefix]) ++prefix;
  a.remove_prefix(prefix);
  b.remove_prefix(prefix);
  size_t suffix = 0;
  const size_t rest = std::min(a.size(), b.size());
  while (suffix < rest &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  a.remove_suffix(suffix);
  b.remove_suffix(suffix);
  if (a.empty() || b.empty()) {
    return static_cast<int>(std::min<size_t>(std::max(a.size(), b.size()),
                                             static_cast<size_t>(limit) + 1));
  }
  if (limit == 0) return 1;
  // Both cores are non-empty and differ at both ends.
  if (a.size() == 1 && b.size() == 1) return 1;
  if (a.size() == 2 && b.size() == 2 && a[0] == b[1] && a[1] == b[0]) {
    return 1;
  }
  if (limit == 1) return 2;
  int best = limit + 1;
  auto branch = [&](absl::string_view x, absl::string_view y) {
    if (best <= 1) return;
    best =
        std::min(best, 1 + SmallEditDistance(x, y, std::min(limit, best) - 1));
  };
  if (a.size() >= 2 && b.size() >= 2 && a[0] == b[1] && a[1] == b[0]) {
    branch(a.substr(2), b.substr(2));  // transposition
  }
  branch(a.substr(1), b.substr(1));  // substitution
  branch(a.substr(1), b);            // deletion
  branch(a, b.substr(1));            // insertion
  return best;
}

}  // namespace

int BoundedEditDistance(absl::string_view a, absl::string_view b, int limit) {
  if (limit < 0) return a == b ? 0 : limit + 1;
  if (limit <= 2) return SmallEditDistance(a, b, limit);
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  if (m > 62 || n > 62) return a == b ? 0 : limit + 1;
  // Three rows of the OSA matrix, rotated rather than copied, and only the
  // band |i - j| <= limit computed: a cell outside it is at least
  // |i - j| > limit, so it is stood in for by `cap`. Every cell of value
  // <= limit is still exact (its optimal path stays in the band), which is
  // all the answer needs. This runs once per index candidate, so on the
  // request path.
  const int cap = limit + 1;
  std::array<int, 64> rows[3];
  int* prev2 = rows[0].data();
  int* prev = rows[1].data();
  int* cur = rows[2].data();
  for (int j = 0; j <= m; ++j) prev[j] = std::min(j, cap);
  for (int i = 1; i <= n; ++i) {
    const int lo = std::max(1, i - limit);
    const int hi = std::min(m, i + limit);
    cur[0] = std::min(i, cap);
    cur[lo - 1] = lo == 1 ? cur[0] : cap;
    int row_min = cur[lo - 1];
    for (int j = lo; j <= hi; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (hi < m) cur[hi + 1] = cap;
    if (row_min > limit) return limit + 1;
    int* const oldest = prev2;
    prev2 = prev;
    prev = cur;
    cur = oldest;
  }
  return std::min(prev[m], limit + 1);
}

bool KeysAdjacent(char a, char b, Keyboard keyboard) {
  const auto ua = static_cast<unsigned char>(a);
  const auto ub = static_cast<unsigned char>(b);
  if (ua >= 128 || ub >= 128 || ua == ub) return false;
  return Adjacency(keyboard)[ua][ub];
}

bool KeysAdjacentOnAny(char a, char b) {
  return KeysAdjacent(a, b, Keyboard::kQwerty) ||
         KeysAdjacent(a, b, Keyboard::kQwertz) ||
         KeysAdjacent(a, b, Keyboard::kAzerty);
}

namespace {

// Where the one character that `candidate` adds to `token` may sit: every
// position in [first, last] reads as the insertion ("paypall": 'l' at 5 or
// 6). Null when `candidate` is not `token` with one character added.
struct InsertionRange {
  size_t first;
  size_t last;
};
std::optional<InsertionRange> FindInsertion(absl::string_view candidate,
                                            absl::string_view token) {
  const size_t n = candidate.size();
  const size_t m = token.size();
  if (n != m + 1) return std::nullopt;
  size_t prefix = 0;
  while (prefix < m && candidate[prefix] == token[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < m && candidate[n - 1 - suffix] == token[m - 1 - suffix]) {
    ++suffix;
  }
  if (prefix + suffix < m) return std::nullopt;
  return InsertionRange{m - suffix, prefix};
}

bool InsertsHyphen(absl::string_view candidate, InsertionRange range) {
  for (size_t i = range.first; i <= range.last; ++i) {
    if (candidate[i] == '-') return true;
  }
  return false;
}

}  // namespace

bool IsHyphenInsertion(absl::string_view candidate, absl::string_view token) {
  const std::optional<InsertionRange> range = FindInsertion(candidate, token);
  return range.has_value() && InsertsHyphen(candidate, *range);
}

std::string ClassifyEdit(absl::string_view candidate, absl::string_view token,
                         std::string* detail) {
  detail->clear();
  const size_t n = candidate.size();
  const size_t m = token.size();
  size_t prefix = 0;
  while (prefix < n && prefix < m && candidate[prefix] == token[prefix]) {
    ++prefix;
  }
  if (const std::optional<InsertionRange> range =
          FindInsertion(candidate, token)) {
    // The reading a person would give, where the range leaves a choice.
    const size_t lo = range->first;
    const size_t hi = range->last;
    if (InsertsHyphen(candidate, *range)) {
      *detail = "'-' inserted";
      return "hyphenation";
    }
    for (size_t i = lo; i <= hi; ++i) {
      if ((i > 0 && candidate[i] == candidate[i - 1]) ||
          (i + 1 < n && candidate[i] == candidate[i + 1])) {
        *detail = Quote(candidate[i]) + " doubled";
        return "repetition";
      }
    }
    if (hi == m) {
      *detail = Quote(candidate[m]) + " appended";
      return candidate[m] == 's' ? "plural" : "addition";
    }
    *detail = Quote(candidate[hi]) + " inserted";
    return "insertion";
  } else if (m == n + 1) {
    size_t suffix = 0;
    while (suffix < n && candidate[n - 1 - suffix] == token[m - 1 - suffix]) {
      ++suffix;
    }
    if (prefix + suffix >= n) {
      *detail = Quote(token[prefix]) + " omitted";
      return "omission";
    }
  } else if (n == m && prefix < n) {
    size_t last = n - 1;
    while (last > prefix && candidate[last] == token[last]) --last;
    if (last == prefix) {
      const char c = candidate[prefix];
      const char t = token[prefix];
      *detail = Quote(t) + " replaced by " + Quote(c);
      if (std::popcount(static_cast<unsigned>(static_cast<unsigned char>(c) ^
                                              static_cast<unsigned char>(t))) ==
          1) {
        return "bitsquatting";
      }
      if (KeysAdjacentOnAny(c, t)) return "keyboard-replacement";
      if (IsVowel(c) && IsVowel(t)) return "vowel-swap";
      return "replacement";
    }
    if (last == prefix + 1 && candidate[prefix] == token[last] &&
        candidate[last] == token[prefix]) {
      *detail = absl::StrCat("'", token.substr(prefix, 2), "' swapped");
      return "transposition";
    }
  }
  *detail = "two edits";
  return "double-typo";
}

bool DiffersOnlyInDigits(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size() || a == b) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    const bool both_digits =
        a[i] >= '0' && a[i] <= '9' && b[i] >= '0' && b[i] <= '9';
    if (!both_digits) return false;
  }
  return true;
}

}  // namespace lureguard::lookalike::internal
