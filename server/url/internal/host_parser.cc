#include "server/url/internal/host_parser.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/url/internal/ascii.h"
#include "server/url/internal/idna.h"
#include "server/url/internal/ipv4.h"
#include "server/url/internal/ipv6.h"
#include "server/url/internal/percent_encoding.h"

namespace lureguard::url::internal {
namespace {

// Hosts are quoted in messages up to this length; the rest is noise.
constexpr size_t kQuotedHostLength = 80;

absl::Status HostError(std::string_view host, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "host '", QuoteForMessage(host, kQuotedHostLength), "' ", why));
}

// WHATWG "forbidden domain code point".
bool IsForbiddenDomainByte(unsigned char c) {
  if (c <= 0x20 || c == 0x7f) return true;
  switch (c) {
    case '#':
    case '%':
    case '/':
    case ':':
    case '<':
    case '>':
    case '?':
    case '@':
    case '[':
    case '\\':
    case ']':
    case '^':
    case '|':
      return true;
    default:
      return false;
  }
}

absl::Status ParseIPv6Host(std::string_view input, std::string* out,
                           HostKind* kind) {
  if (input.size() < 2 || input.back() != ']') {
    return HostError(input, "has an unclosed '['");
  }
  const std::optional<IPv6Address> address =
      ParseIPv6(input.substr(1, input.size() - 2));
  if (!address.has_value()) return HostError(input, "is not a valid IPv6");
  out->clear();
  AppendIPv6(*address, out);
  *kind = HostKind::kIPv6;
  return absl::OkStatus();
}

// The domain half of the host parser, from "domain to ASCII" on.
absl::Status ParseDecodedDomain(std::string_view raw, std::string_view domain,
                                std::string* out, HostKind* kind) {
  if (!DomainToAscii(domain, out)) {
    return HostError(raw, "is not a valid domain (UTS #46)");
  }
  for (char c : *out) {
    if (IsForbiddenDomainByte(static_cast<unsigned char>(c))) {
      return HostError(
          raw, absl::StrCat("contains forbidden character '",
                            QuoteForMessage(std::string_view(&c, 1)), "'"));
    }
  }
  if (EndsInANumber(*out)) {
    const std::optional<uint32_t> ipv4 = ParseIPv4(*out);
    if (!ipv4.has_value()) {
      return HostError(raw, "ends in a number but is not a valid IPv4");
    }
    out->clear();
    AppendIPv4(*ipv4, out);
    *kind = HostKind::kIPv4;
    return absl::OkStatus();
  }
  *kind = HostKind::kDomain;
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseWhatwgHost(std::string_view input, std::string* out,
                             HostKind* kind) {
  if (input.empty()) return absl::InvalidArgumentError("host is empty");
  if (input.front() == '[') return ParseIPv6Host(input, out, kind);
  if (input.find('%') == std::string_view::npos) {
    return ParseDecodedDomain(input, input, out, kind);
  }
  std::string decoded;
  AppendPercentDecoded(input, &decoded);
  return ParseDecodedDomain(input, decoded, out, kind);
}

void CollapseDots(std::string* host) {
  size_t w = 0;
  for (size_t r = 0; r < host->size(); ++r) {
    const char c = (*host)[r];
    if (c == '.' && (w == 0 || (*host)[w - 1] == '.')) continue;
    (*host)[w++] = c;
  }
  if (w > 0 && (*host)[w - 1] == '.') --w;
  host->resize(w);
}

bool CanonicalizeWhatwgHostForSafeBrowsing(std::string_view whatwg_host,
                                           std::string* out, HostKind* kind) {
  out->assign(whatwg_host);
  if (*kind != HostKind::kDomain) return true;
  const size_t before = out->size();
  CollapseDots(out);
  if (out->empty()) return false;
  // "1.2.3.4.." is a domain to WHATWG but an address once dots collapse.
  if (out->size() != before && EndsInANumber(*out)) {
    if (const std::optional<uint32_t> ipv4 = ParseIPv4(*out)) {
      out->clear();
      AppendIPv4(*ipv4, out);
      *kind = HostKind::kIPv4;
    }
  }
  return true;
}

bool CanonicalizeRawHostForSafeBrowsing(std::string_view raw, std::string* out,
                                        HostKind* kind) {
  std::string unescaped;
  AppendFullyUnescaped(raw, &unescaped);
  if (!unescaped.empty() && unescaped.front() == '[') {
    if (ParseIPv6Host(unescaped, out, kind).ok()) return true;
  } else {
    // As written first, so a host AnalyzeUrl accepts canonicalizes the same
    // way here ("a.00.." is a domain; "a.00" would have to be an IPv4).
    // Then with dots collapsed, which rescues "..1.2.3.4".
    std::string parsed;
    if (ParseDecodedDomain(unescaped, unescaped, &parsed, kind).ok()) {
      return CanonicalizeWhatwgHostForSafeBrowsing(parsed, out, kind);
    }
    CollapseDots(&unescaped);
    if (unescaped.empty()) return false;
    if (ParseDecodedDomain(unescaped, unescaped, &parsed, kind).ok()) {
      return CanonicalizeWhatwgHostForSafeBrowsing(parsed, out, kind);
    }
  }
  // Not a host a browser accepts; keep the bytes so the hash still matches
  // the list entry that was computed the same way, unless unescaping made
  // it span URL delimiters ("a%2Fb"), which no reading of it can name.
  if (unescaped.find_first_of("/\\?@:") != std::string::npos) return false;
  LowercaseAscii(&unescaped);
  *kind = HostKind::kDomain;
  out->clear();
  AppendPercentEncoded(unescaped, EncodeSet::kSafeBrowsing, out);
  return !out->empty();
}

}  // namespace lureguard::url::internal
