#include "tests/unit/lookalike/permutations.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/internal/suffixes.h"
#include "server/url/url.h"

namespace lureguard::lookalike::testing {
namespace {

// Keyboard rows, as dnstwist lays them out (its qwerty, qwertz and azerty
// tables list each key's neighbours; rows with a half-key offset give the
// same neighbourhoods).
constexpr const char* kLayouts[][4] = {
    {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"},
    {"1234567890-", "qwertzuiop", "asdfghjkl", "yxcvbnm"},
    {"1234567890-", "azertyuiop", "qsdfghjklm", "wxcvbn"},
};

std::string Neighbours(char c) {
  std::string out;
  for (const auto& rows : kLayouts) {
    for (int r = 0; r < 4; ++r) {
      const std::string row = rows[r];
      const size_t col = row.find(c);
      if (col == std::string::npos) continue;
      auto add = [&](int rr, int cc) {
        if (rr < 0 || rr >= 4 || cc < 0) return;
        const std::string other = rows[rr];
        if (cc < static_cast<int>(other.size()) &&
            out.find(other[cc]) == std::string::npos && other[cc] != '-') {
          out.push_back(other[cc]);
        }
      };
      const int c0 = static_cast<int>(col);
      add(r, c0 - 1);
      add(r, c0 + 1);
      add(r - 1, c0);
      add(r - 1, c0 + 1);
      add(r + 1, c0 - 1);
      add(r + 1, c0);
    }
  }
  return out;
}

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

bool ValidLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// ASCII homoglyphs (dnstwist's table, the ASCII part).
const std::pair<const char*, const char*> kAsciiGlyphs[] = {
    {"o", "0"},  {"l", "1"},  {"i", "1"},  {"i", "l"},  {"m", "rn"},
    {"w", "vv"}, {"d", "cl"}, {"rn", "m"}, {"vv", "w"}, {"cl", "d"},
};

// Cyrillic letters that look like Latin ones in lowercase.
const std::pair<char, const char*> kCyrillic[] = {
    {'a', "\u0430"}, {'c', "\u0441"}, {'e', "\u0435"}, {'o', "\u043e"},
    {'p', "\u0440"}, {'x', "\u0445"}, {'y', "\u0443"}, {'i', "\u0456"},
    {'j', "\u0458"}, {'s', "\u0455"}, {'h', "\u04bb"}, {'l', "\u04cf"},
    {'d', "\u0501"}, {'q', "\u051b"}, {'w', "\u051d"},
};

const char* CyrillicFor(char c) {
  for (const auto& [latin, cyrillic] : kCyrillic) {
    if (latin == c) return cyrillic;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& FuzzerNames() {
  static const std::vector<std::string>* const names =
      new std::vector<std::string>{
          "addition",    "omission",         "repetition",      "replacement",
          "insertion",   "transposition",    "vowel-swap",      "bitsquatting",
          "plural",      "homoglyph",        "cyrillic",        "whole-script",
          "hyphenation", "subdomain-split",  "dropped-dot",     "tld-swap",
          "combosquat",  "target-embedding", "hosting-platform"};
  return *names;
}

std::vector<Permutation> Permutations(absl::string_view label_view,
                                      absl::string_view suffix_view) {
  const std::string label(label_view);
  const std::string suffix(suffix_view);
  const std::string original = absl::StrCat(label, ".", suffix);
  std::vector<Permutation> out;
  std::set<std::string> seen{original};
  auto emit = [&](const std::string& fuzzer, const std::string& l,
                  const std::string& rest) {
    if (l.empty() || l.front() == '-' || l.back() == '-') return;
    std::string host = absl::StrCat(l, ".", rest);
    if (!seen.insert(host).second) return;
    out.push_back({std::move(host), fuzzer});
  };
  const size_t n = label.size();
  for (char c = 'a'; c <= 'z'; ++c) emit("addition", label + c, suffix);
  for (char c = '0'; c <= '9'; ++c) emit("addition", label + c, suffix);
  for (size_t i = 0; i < n; ++i) {
    emit("omission", label.substr(0, i) + label.substr(i + 1), suffix);
  }
  for (size_t i = 0; i < n; ++i) {
    emit("repetition", label.substr(0, i + 1) + label.substr(i), suffix);
  }
  for (size_t i = 0; i < n; ++i) {
    for (char k : Neighbours(label[i])) {
      std::string s = label;
      s[i] = k;
      emit("replacement", s, suffix);
    }
  }
  for (size_t i = 1; i + 1 < n; ++i) {
    for (char k : Neighbours(label[i])) {
      emit("insertion", label.substr(0, i) + k + label.substr(i), suffix);
      emit("insertion", label.substr(0, i + 1) + k + label.substr(i + 1),
           suffix);
    }
  }
  for (size_t i = 0; i + 1 < n; ++i) {
    if (label[i] == label[i + 1]) continue;
    std::string s = label;
    std::swap(s[i], s[i + 1]);
    emit("transposition", s, suffix);
  }
  for (size_t i = 0; i < n; ++i) {
    if (!IsVowel(label[i])) continue;
    for (char v : std::string("aeiou")) {
      if (v == label[i]) continue;
      std::string s = label;
      s[i] = v;
      emit("vowel-swap", s, suffix);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string s = label;
      s[i] = static_cast<char>(s[i] ^ (1 << bit));
      if (s[i] >= 'A' && s[i] <= 'Z') continue;  // same host after lowering
      if (!ValidLabelChar(s[i])) continue;
      emit("bitsquatting", s, suffix);
    }
  }
  emit("plural", label + "s", suffix);
  emit("plural", label + "es", suffix);
  for (const auto& [from, to] : kAsciiGlyphs) {
    for (size_t at = label.find(from); at != std::string::npos;
         at = label.find(from, at + 1)) {
      std::string s = label;
      s.replace(at, std::char_traits<char>::length(from), to);
      emit("homoglyph", s, suffix);
    }
  }
  // Cyrillic: one letter replaced, then every replaceable letter.
  std::string whole;
  bool all = true;
  for (size_t i = 0; i < n; ++i) {
    const char* cyr = CyrillicFor(label[i]);
    if (cyr == nullptr) {
      all = false;
      whole.push_back(label[i]);
      continue;
    }
    whole += cyr;
    emit("cyrillic", label.substr(0, i) + cyr + label.substr(i + 1), suffix);
  }
  if (all) emit("whole-script", whole, suffix);
  for (size_t i = 1; i < n; ++i) {
    emit("hyphenation", label.substr(0, i) + "-" + label.substr(i), suffix);
  }
  for (size_t i = 2; i + 2 <= n; ++i) {
    emit("subdomain-split", label.substr(0, i), label.substr(i) + "." + suffix);
  }
  emit("dropped-dot", "www" + label, suffix);
  for (const char* tld : {"net", "org", "co", "xyz", "top", "info", "online",
                          "shop", "site", "app", "cc", "ru"}) {
    emit("tld-swap", label, tld);
  }
  for (const char* word : {"login", "secure", "account", "support", "verify",
                           "update", "wallet", "help", "service"}) {
    emit("combosquat", label + "-" + word, "com");
    emit("combosquat", std::string(word) + "-" + label, "net");
    emit("combosquat", label + word, "com");
  }
  emit("target-embedding", label, suffix + ".account-verify.net");
  emit("target-embedding", label + "-" + suffix, "evil-example.net");
  emit("target-embedding", "secure." + label, suffix + "-x.top");
  emit("target-embedding", "login." + label, suffix + ".example-host.ru");
  emit("hosting-platform", label + "-login", "webflow.io");
  emit("hosting-platform", "secure-" + label, "weebly.com");
  emit("hosting-platform", label + "-verify", "vercel.app");
  emit("hosting-platform", label, "pages.dev");
  return out;
}

bool OutOfReach(const std::string& host) {
  for (const Brand& b : DefaultBrands()) {
    for (const std::string& d : b.domains) {
      if (host == d || (host.size() > d.size() &&
                        host.compare(host.size() - d.size() - 1, d.size() + 1,
                                     "." + d) == 0)) {
        return true;
      }
    }
  }
  return internal::IsVettedSuffix(url::PublicSuffix(host));
}

}  // namespace lureguard::lookalike::testing
