// Structural signals a phishing verdict can weigh. Each is cheap and
// computed from what parsing already found.

#include "server/url/internal/signals.h"

#include <unicode/utf8.h>

#include <climits>

#include "absl/strings/ascii.h"
#include "server/url/internal/ascii.h"
#include "server/url/internal/percent_encoding.h"

namespace lureguard::url {
namespace internal {
namespace {

// Code points with no visible glyph that attackers insert to split
// keywords or to reverse displayed text (Unicode TR #36 and TR #39 list
// these as spoofing vectors).
bool IsInvisibleCodePoint(UChar32 c) {
  return c == 0x00AD ||                   // soft hyphen
         c == 0x034F ||                   // combining grapheme joiner
         c == 0x061C ||                   // Arabic letter mark
         c == 0x115F || c == 0x1160 ||    // Hangul fillers
         (c >= 0x17B4 && c <= 0x17B5) ||  // Khmer inherent vowels
         (c >= 0x180B && c <= 0x180F) ||  // Mongolian selectors, vowel sep.
         (c >= 0x200B && c <= 0x200F) ||  // zero-width, LRM, RLM
         (c >= 0x202A && c <= 0x202E) ||  // bidi embeddings and overrides
         (c >= 0x2060 && c <= 0x2064) ||  // word joiner, invisible operators
         (c >= 0x2066 && c <= 0x2069) ||  // bidi isolates
         c == 0x2800 ||                   // braille blank
         c == 0x3164 || c == 0xFFA0 ||    // Hangul fillers
         (c >= 0xFE00 && c <= 0xFE0F) ||  // variation selectors
         c == 0xFEFF ||                   // zero-width no-break space
         (c >= 0xE0000 && c <= 0xE007F);  // tags
}

bool HasAnyByteAbove0x7F(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

bool HasPunycodeLabel(std::string_view host) {
  size_t start = 0;
  while (start < host.size()) {
    if (StartsWithIgnoreCase(host.substr(start), "xn--")) return true;
    const size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return false;
}

// A host written so that it reads differently from where it goes: percent
// escapes, an IPv4 address in other than dotted-decimal form, or non-ASCII
// text that maps to a plain ASCII name (fullwidth "ｐａｙｐａｌ．ｃｏｍ").
bool IsEncodedHost(std::string_view raw_host, const UrlAnalysis& a) {
  if (raw_host.find('%') != std::string_view::npos) return true;
  if (a.parsed.host_kind == HostKind::kIPv4) {
    std::string_view written = raw_host;
    if (!written.empty() && written.back() == '.') written.remove_suffix(1);
    return written != a.parsed.host;
  }
  if (a.parsed.host_kind == HostKind::kDomain &&
      HasAnyByteAbove0x7F(raw_host)) {
    return !HasPunycodeLabel(a.host);
  }
  // An IPv4 address written as IPv6 ("[::ffff:c0a8:101]" is 192.168.1.1).
  if (a.parsed.host_kind == HostKind::kIPv6) {
    return EmbeddedIpv4(a.parsed.host).has_value();
  }
  return false;
}

int CountSubdomainLabels(const UrlAnalysis& a) {
  if (a.registrable_domain.empty() ||
      a.host.size() <= a.registrable_domain.size()) {
    return 0;
  }
  std::string_view below(a.host.data(),
                         a.host.size() - a.registrable_domain.size() - 1);
  if (below.starts_with("www.")) {
    below.remove_prefix(4);
  } else if (below == "www") {
    return 0;
  }
  int labels = 1;
  for (char c : below) labels += c == '.';
  return labels;
}

bool HasNestedUrl(std::string_view query) {
  // The canonical query is already fully unescaped ("http%3A%2F%2F" counts).
  for (size_t i = query.find_first_of("hH"); i != std::string_view::npos;
       i = query.find_first_of("hH", i + 1)) {
    const std::string_view rest = query.substr(i);
    if (StartsWithIgnoreCase(rest, "http://") ||
        StartsWithIgnoreCase(rest, "https://")) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool HasInvisibleCharacters(std::string_view text) {
  const char* s = text.data();
  const int32_t length =
      static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  for (int32_t i = 0; i < length;) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0 && IsInvisibleCodePoint(c)) return true;
  }
  return false;
}

void ComputeSignals(const SignalInputs& in, std::vector<UrlSignal>* signals) {
  signals->clear();
  const UrlAnalysis& a = *in.analysis;
  const UrlSplit& split = *in.split;
  if (a.host_kind != HostKind::kDomain) signals->push_back(UrlSignal::kIpHost);
  if (split.has_at) signals->push_back(UrlSignal::kUserinfo);
  int at_signs = 0;
  for (char c : in.input) at_signs += c == '@';
  if (at_signs > kMaxOrdinaryAtSigns) signals->push_back(UrlSignal::kManyAt);
  if (IsEncodedHost(split.host, a)) signals->push_back(UrlSignal::kEncodedHost);
  if (in.input.size() > kLongUrlLength) signals->push_back(UrlSignal::kLong);
  if (CountSubdomainLabels(a) >= kManySubdomainLabels) {
    signals->push_back(UrlSignal::kManySubdomains);
  }
  if (a.host_kind == HostKind::kDomain && HasPunycodeLabel(a.host)) {
    signals->push_back(UrlSignal::kPunycode);
  }
  bool invisible = HasInvisibleCharacters(in.input);
  if (!invisible && in.input.find('%') != std::string_view::npos) {
    std::string unescaped;
    AppendFullyUnescaped(in.input, &unescaped);
    invisible = HasInvisibleCharacters(unescaped);
  }
  if (invisible) signals->push_back(UrlSignal::kInvisibleCharacters);
  if (HasNestedUrl(in.canonical_query))
    signals->push_back(UrlSignal::kNestedUrl);
  if (in.parser_differential) {
    signals->push_back(UrlSignal::kParserDifferential);
  }
}

}  // namespace internal

std::string_view SignalName(UrlSignal signal) {
  switch (signal) {
    case UrlSignal::kIpHost:
      return "ip-host";
    case UrlSignal::kUserinfo:
      return "userinfo";
    case UrlSignal::kManyAt:
      return "many-at";
    case UrlSignal::kEncodedHost:
      return "encoded-host";
    case UrlSignal::kLong:
      return "long-url";
    case UrlSignal::kManySubdomains:
      return "many-subdomains";
    case UrlSignal::kPunycode:
      return "punycode";
    case UrlSignal::kInvisibleCharacters:
      return "invisible-characters";
    case UrlSignal::kNestedUrl:
      return "nested-url";
    case UrlSignal::kParserDifferential:
      return "parser-differential";
  }
  return "unknown";
}

}  // namespace lureguard::url
