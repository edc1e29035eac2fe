// Fuzz target for the URL engine: parse, canonicalize, analyze and
// canonicalize-host on arbitrary bytes. Besides the sanitizers, it checks
// the promises of server/url/url.h that hold for every input.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "server/url/url.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

// The engine promises bounded work for inputs up to this size (issue 3).
constexpr size_t kMaxInput = 8192;

// A host may grow through UTS #46 mapping (U+FDFA becomes 18 code points,
// then Punycode), paths and queries by at most 3x through escaping.
constexpr size_t kMaxGrowth = 64;

using lureguard::fuzz::Check;

// The host of a canonical URL "scheme://host/...".
std::string_view HostOf(std::string_view canonical) {
  const size_t begin = canonical.find("://") + 3;
  return canonical.substr(begin, canonical.find('/', begin) - begin);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t bound = kMaxGrowth * size + 256;
  using lureguard::url::AnalyzeUrl;
  using lureguard::url::CanonicalizeHost;
  using lureguard::url::CanonicalizeUrl;
  using lureguard::url::ParseUrl;

  absl::StatusOr<lureguard::url::ParsedUrl> parsed = ParseUrl(input);
  if (parsed.ok()) {
    const std::string href = parsed->Href();
    Check(href.size() <= bound, "href is bounded", input);
    // The serialization of a parsed URL parses to itself.
    absl::StatusOr<lureguard::url::ParsedUrl> again = ParseUrl(href);
    Check(again.ok(), "href parses", input);
    Check(again->Href() == href, "href is a fixed point", input);
  }

  absl::StatusOr<std::string> canonical = CanonicalizeUrl(input);
  if (canonical.ok()) {
    Check(canonical->size() <= bound, "canonical URL is bounded", input);
    absl::StatusOr<std::string> again = CanonicalizeUrl(*canonical);
    Check(again.ok(), "canonical URL canonicalizes", input);
    // Safe Browsing leaves '\\' and '?' decoded from %5C and %3F in the
    // path, and keeps hosts that browsers refuse; such output is for
    // hashing and need not reparse to itself. Everything else must.
    if (canonical->find_first_of("\\?") == std::string::npos &&
        CanonicalizeHost(HostOf(*canonical)).ok()) {
      Check(*again == *canonical, "canonicalization is idempotent", input);
    }
  }

  absl::StatusOr<lureguard::url::UrlAnalysis> analysis = AnalyzeUrl(input);
  Check(analysis.ok() || !analysis.status().message().empty(), "errors say why",
        input);
  if (analysis.ok() && analysis->is_web) {
    Check(parsed.ok(), "AnalyzeUrl accepts only what ParseUrl accepts", input);
    Check(!analysis->host.empty(), "web URLs have a host", input);
    thread_local std::vector<std::string> expressions;
    LookupExpressions(*analysis, expressions);
    Check(!expressions.empty() && expressions.size() <= 30,
          "1 to 30 expressions", input);
    Check(absl::StartsWith(expressions[0], analysis->host),
          "the first expression is on the exact host", input);
    Check(analysis->signals.size() <= 10, "signals at most once", input);
    if (canonical.ok()) {
      Check(analysis->canonical_url == *canonical,
            "AnalyzeUrl and CanonicalizeUrl agree", input);
    }
    // "8440.00.." is a domain to WHATWG, but collapsing its dots leaves a
    // name that ends in a number without being IPv4, which CanonicalizeHost
    // refuses; any host it accepts must come back unchanged.
    absl::StatusOr<std::string> host = CanonicalizeHost(analysis->host);
    Check(!host.ok() || *host == analysis->host,
          "the canonical host is a fixed point", input);
  }

  (void)CanonicalizeHost(input);
  return 0;
}
