// The URL engine: the front door of every verdict.
//
// Parses a URL the way a browser does (WHATWG URL Standard, special schemes
// http and https), canonicalizes it the way Safe Browsing does ("URLs and
// Hashing"), and derives what the other capabilities look at: the host a
// browser would contact, its registrable domain (libpsl), the Safe Browsing
// host-suffix x path-prefix expressions, and structural signals.
//
// All functions are pure, thread-safe and never throw; any input (bytes, not
// necessarily UTF-8) gives either a result or an InvalidArgument status whose
// message says what was wrong.
//
// Example:
//   absl::StatusOr<UrlAnalysis> a = AnalyzeUrl("HTTP://PAYPAL.COM./a/../b");
//   // a->canonical_url == "http://paypal.com/b", a->registrable_domain ==
//   // "paypal.com", a->expressions == {"paypal.com/b", "paypal.com/"}

#ifndef LUREGUARD_SERVER_URL_URL_H_
#define LUREGUARD_SERVER_URL_URL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"

namespace lureguard::url {

// The form of a parsed host.
enum class HostKind { kDomain, kIPv4, kIPv6 };

// Structural facts about a URL that phishing uses and the verdict can weigh.
enum class UrlSignal {
  kIpHost,               // host is an IPv4 or IPv6 literal
  kUserinfo,             // `user[:pass]@` before the host
  kManyAt,               // more than one `@` in the URL
  kEncodedHost,          // host written in a numeric/percent-encoded form
  kLong,                 // URL longer than ordinary links
  kManySubdomains,       // many labels below the registrable domain
  kPunycode,             // host has `xn--` labels
  kInvisibleCharacters,  // invisible or bidi-override characters
  kNestedUrl,            // another URL nested in the query
  kParserDifferential,   // a lenient legacy parser sees another host
};

// A URL as the WHATWG parser sees it (http and https only).
struct ParsedUrl {
  std::string scheme;    // "http" or "https"
  std::string username;  // percent-encoded, as serialized by WHATWG
  std::string password;  // percent-encoded, as serialized by WHATWG
  // Serialized host: ASCII lowercase domain (punycode for IDN), dotted-quad
  // IPv4, or bracketed compressed IPv6.
  std::string host;
  HostKind host_kind = HostKind::kDomain;
  int port = -1;     // -1 when absent or the scheme's default
  std::string path;  // serialized, begins with "/"
  bool has_query = false;
  std::string query;  // without the leading "?"
  bool has_fragment = false;
  std::string fragment;  // without the leading "#"

  // The WHATWG serialization ("href").
  std::string Href() const;

  // Every field back to its default, the strings' room kept.
  void Clear();

  friend bool operator==(const ParsedUrl&, const ParsedUrl&) = default;
};

// Parses `input` as an absolute http(s) URL, or as scheme-less `host/path`
// (taken as http). Returns InvalidArgument for empty input, other schemes,
// and anything the WHATWG parser rejects, with the reason in the message.
absl::StatusOr<ParsedUrl> ParseUrl(std::string_view input);

// Resolves `reference` against the absolute http(s) URL `base`, as a
// browser resolves a link in a document with that base URL: "//host/x",
// "/x", "x/../y", "?q", "http:x" (same scheme) are relative; an absolute
// reference is parsed as ParseUrl does. InvalidArgument when the result is
// not an http(s) URL the WHATWG parser accepts.
// REQUIRES: `base` came from ParseUrl or ResolveUrl.
absl::StatusOr<ParsedUrl> ResolveUrl(std::string_view reference,
                                     const ParsedUrl& base);

// One label of a host as displayed, with the writing systems its letters
// come from, for the lookalike models.
struct HostLabel {
  std::string text;  // the label in Unicode (UTF-8), e.g. "\u0430pple"
  // ISO 15924 codes of the scripts of its code points, sorted, Common and
  // Inherited (digits, '-', combining marks) left out: {"Cyrl", "Latn"}
  // for "\u0430pple", {"Latn"} for "paypal", {} for "123". Two held in
  // place: nearly every label has one or two, and every URL check makes
  // its host's labels.
  absl::InlinedVector<std::string, 2> scripts;

  friend bool operator==(const HostLabel&, const HostLabel&) = default;
};

// Everything the verdict path needs to know about one URL.
struct UrlAnalysis {
  // Lowercased scheme of the input ("http", "https", "javascript", ...);
  // "http" for scheme-less input.
  std::string scheme;
  // True for http(s). When false, only `scheme` is set: non-web URLs have no
  // host to check.
  bool is_web = false;
  ParsedUrl parsed;
  // Safe Browsing canonical form, e.g. "http://paypal.com/b?x=1".
  std::string canonical_url;
  // Canonical host (ASCII, lowercase, no trailing dot), as in canonical_url.
  std::string host;
  HostKind host_kind = HostKind::kDomain;
  // `host` converted to Unicode for display (UTS #46 ToUnicode).
  std::string unicode_host;
  // The labels of `unicode_host`, left to right; empty for IP hosts.
  std::vector<HostLabel> labels;
  // eTLD+1 with libpsl (ICANN and private sections); empty for IP hosts and
  // hosts that are public suffixes themselves.
  std::string registrable_domain;
  // The public suffix of `host`; empty for IP hosts.
  std::string public_suffix;
  // Hosts that a lenient legacy parser would contact instead of `host`
  // (set together with UrlSignal::kParserDifferential): check them too.
  std::vector<std::string> alternate_hosts;
  // Structural signals, each at most once, in enum order.
  std::vector<UrlSignal> signals;

  // Every field back to its default, the strings' and vectors' room kept.
  void Clear();

  friend bool operator==(const UrlAnalysis&, const UrlAnalysis&) = default;
};

// The names of an analysed URL that a verdict on it is reported and keyed
// with: what outlives the analysis. Its working parts (the parsed
// components, labels, lookup expressions, signals) are about a kilobyte
// per URL, and a verdict held in a cache of checks need not keep them.
struct UrlNames {
  std::string scheme;  // as UrlAnalysis::scheme
  bool is_web = false;
  std::string canonical_url;
  std::string host;
  std::string unicode_host;
  std::string registrable_domain;
  std::string public_suffix;
};

// Moves the names out of `analysis`, which is left with its working parts.
UrlNames TakeNames(UrlAnalysis&& analysis);

// What follows the host in a canonical URL (canonical_url, CanonicalizeUrl):
// its path and query, "/a/b?x=1", or "/" when it has neither.
std::string_view CanonicalPathAndQuery(std::string_view canonical_url);

// The Safe Browsing lookup expressions of an analysed URL ("URLs and
// Hashing": at most 5 hosts x 6 paths, without scheme, e.g.
// "a.b.c/1/2.html?param=1", "a.b.c/1/", "b.c/"), by which URL-kind list
// entries are found; none for a non-web URL. Made on demand, not by
// AnalyzeUrl: most list snapshots hold hosts only. Written over `out`,
// whose strings are reused, so a caller that keeps one (per thread)
// allocates nothing once they have grown.
void LookupExpressions(const UrlAnalysis& url, std::vector<std::string>& out);

// Parses, canonicalizes and analyzes `input`. Non-web schemes succeed with
// `is_web == false`. Returns InvalidArgument for empty input or a web URL that
// cannot be parsed, with the reason in the message.
absl::StatusOr<UrlAnalysis> AnalyzeUrl(std::string_view input);

// AnalyzeUrl into `out`, every field of which it sets (on failure `out`
// holds no analysis to use). A caller that keeps one per thread reuses
// its strings' and vectors' room: the engine does, for each URL it has
// not cached.
absl::Status AnalyzeUrl(std::string_view input, UrlAnalysis& out);

// The Safe Browsing canonical URL of `input` ("URLs and Hashing"), for
// hashing and list matching. Lenient where the WHATWG parser is strict: a
// host a browser would refuse ("host%23.com", " x.com", invalid UTF-8) is
// kept, lowercased and escaped, as the reference implementations do. Also
// accepts the other special schemes ws, wss and ftp. For input both accept,
// AnalyzeUrl gives this as canonical_url. InvalidArgument for input with
// no host ("/path", "http:///x", "mailto:a@b").
absl::StatusOr<std::string> CanonicalizeUrl(std::string_view input);

// Canonicalizes a bare host as a browser would (percent-decoding, UTS #46
// IDNA to ASCII, lowercase, numeric IPv4 forms to dotted quad, trailing dots
// removed). For list entries and brand domains. InvalidArgument on failure.
absl::StatusOr<std::string> CanonicalizeHost(std::string_view host);

// The registrable domain of a canonical host (eTLD+1), or empty.
std::string RegistrableDomain(std::string_view canonical_host);

// The public suffix of a canonical host, or empty for IP hosts.
std::string PublicSuffix(std::string_view canonical_host);

// The section of the Public Suffix List that gives a canonical host its
// public suffix. kUnlisted when only the list's default rule "*" applies,
// which makes any last label a suffix ("notes.txt" would have "txt"), and
// for IP hosts. Registries run ICANN suffixes; private ones (github.io,
// blogspot.com) let anyone name a host under them.
enum class SuffixSection { kUnlisted, kIcann, kPrivate };
SuffixSection PublicSuffixSection(std::string_view canonical_host);

// WHATWG "percent-decode": each %XX becomes its byte once; a '%' not
// followed by two hex digits stays. For parameters that carry a URL.
std::string PercentDecode(std::string_view in);

// The IPv4 address an IPv6 host stands for, as a dotted quad: the last 32
// bits of an IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96 but not
// :: or ::1) or NAT64 (64:ff9b::/96) address, which reach that IPv4 host.
// `host` is an IPv6 literal, brackets optional. nullopt for anything else.
std::optional<std::string> EmbeddedIpv4(std::string_view host);

// Short stable name of a signal, e.g. "ip-host", for logs and Reason.technique.
std::string_view SignalName(UrlSignal signal);

}  // namespace lureguard::url

#endif  // LUREGUARD_SERVER_URL_URL_H_
