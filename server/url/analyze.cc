// AnalyzeUrl: the WHATWG parse decides the host; Safe Browsing rules,
// domains, the legacy-parser comparison and signals are derived from it.

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/url/internal/ascii.h"
#include "server/url/internal/canonical.h"
#include "server/url/internal/domains.h"
#include "server/url/internal/host_parser.h"
#include "server/url/internal/legacy_parser.h"
#include "server/url/internal/percent_encoding.h"
#include "server/url/internal/signals.h"
#include "server/url/internal/url_split.h"
#include "server/url/internal/whatwg.h"
#include "server/url/url.h"

namespace lureguard::url {
namespace {

// Appends the canonical form of `legacy_host` to `alternates` when it
// names another host than `host`. Returns whether the hosts differ.
bool CompareLegacyHost(std::string_view legacy_host, std::string_view host,
                       std::vector<std::string>* alternates) {
  std::string canonical;
  HostKind kind = HostKind::kDomain;
  if (legacy_host.empty() || !internal::CanonicalizeRawHostForSafeBrowsing(
                                 legacy_host, &canonical, &kind)) {
    // The legacy parser finds no host at all: a filter built on it would
    // let the URL through unchecked.
    return true;
  }
  if (canonical == host) return false;
  // Only hosts a browser could also accept are worth checking; the
  // difference itself is the signal.
  if (absl::StatusOr<std::string> valid = CanonicalizeHost(canonical);
      valid.ok() && *valid == canonical) {
    for (const std::string& seen : *alternates) {
      if (seen == canonical) return true;
    }
    alternates->push_back(std::move(canonical));
  }
  return true;
}

// Legacy parsers take the host from the raw string, and Safe Browsing's
// published procedure unescapes the whole URL before taking it; both
// readings are compared with the browser's.
bool FindParserDifferential(std::string_view input,
                            const internal::UrlSplit& split,
                            std::string_view host,
                            std::vector<std::string>* alternates) {
  const std::string_view legacy = internal::LegacyHost(input);
  bool differs = false;
  // Same bytes as the WHATWG host, so the same canonical host.
  if (legacy.data() != split.host.data() ||
      legacy.size() != split.host.size()) {
    differs = CompareLegacyHost(legacy, host, alternates);
  }
  const auto has_escape = [](std::string_view part) {
    return part.find('%') != std::string_view::npos;
  };
  if (has_escape(split.userinfo) || has_escape(split.host) ||
      has_escape(split.port)) {
    std::string unescaped;
    internal::AppendFullyUnescaped(input, &unescaped);
    const std::string_view unescaped_host = internal::LegacyHost(unescaped);
    if (!unescaped_host.empty()) {
      differs |= CompareLegacyHost(unescaped_host, host, alternates);
    }
  }
  return differs;
}

}  // namespace

UrlNames TakeNames(UrlAnalysis&& analysis) {
  return {.scheme = std::move(analysis.scheme),
          .is_web = analysis.is_web,
          .canonical_url = std::move(analysis.canonical_url),
          .host = std::move(analysis.host),
          .unicode_host = std::move(analysis.unicode_host),
          .registrable_domain = std::move(analysis.registrable_domain),
          .public_suffix = std::move(analysis.public_suffix)};
}

void UrlAnalysis::Clear() {
  scheme.clear();
  is_web = false;
  parsed.Clear();
  canonical_url.clear();
  host.clear();
  host_kind = HostKind::kDomain;
  unicode_host.clear();
  labels.clear();
  registrable_domain.clear();
  public_suffix.clear();
  alternate_hosts.clear();
  signals.clear();
}

absl::Status AnalyzeUrl(std::string_view input, UrlAnalysis& a) {
  a.Clear();
  std::string buffer;
  const std::string_view s = internal::PreprocessUrl(input, &buffer);
  internal::UrlSplit split;
  RETURN_IF_ERROR(internal::SplitUrl(s, &split));
  a.scheme = split.scheme;
  if (!split.is_web()) return absl::OkStatus();
  a.is_web = true;
  RETURN_IF_ERROR(internal::ParseSplitUrl(split, &a.parsed));
  a.host_kind = a.parsed.host_kind;
  if (!internal::CanonicalizeWhatwgHostForSafeBrowsing(a.parsed.host, &a.host,
                                                       &a.host_kind)) {
    return absl::InvalidArgumentError(
        absl::StrCat("host '", a.parsed.host, "' has no labels"));
  }

  internal::CanonicalLayout layout;
  internal::AppendCanonicalUrl(a.scheme, a.host, a.parsed.path,
                               a.parsed.has_query, a.parsed.query,
                               &a.canonical_url, &layout);
  const std::string_view canonical = a.canonical_url;
  const std::string_view query = layout.has_query
                                     ? canonical.substr(layout.query_begin + 1)
                                     : std::string_view();

  internal::ComputeDomainParts(a.host, a.host_kind, &a.registrable_domain,
                               &a.public_suffix);
  internal::ComputeUnicodeHost(a.host, a.host_kind, &a.unicode_host);
  internal::ComputeLabels(a.unicode_host, a.host_kind, &a.labels);

  internal::SignalInputs signal_inputs;
  signal_inputs.input = s;
  signal_inputs.split = &split;
  signal_inputs.analysis = &a;
  signal_inputs.canonical_query = query;
  signal_inputs.parser_differential =
      FindParserDifferential(s, split, a.host, &a.alternate_hosts);
  internal::ComputeSignals(signal_inputs, &a.signals);
  return absl::OkStatus();
}

absl::StatusOr<UrlAnalysis> AnalyzeUrl(std::string_view input) {
  UrlAnalysis analysis;
  RETURN_IF_ERROR(AnalyzeUrl(input, analysis));
  return analysis;
}

absl::StatusOr<std::string> CanonicalizeHost(std::string_view host) {
  std::string buffer;
  const std::string_view trimmed = internal::PreprocessUrl(host, &buffer);
  std::string parsed;
  HostKind kind = HostKind::kDomain;
  RETURN_IF_ERROR(internal::ParseWhatwgHost(trimmed, &parsed, &kind));
  std::string canonical;
  if (!internal::CanonicalizeWhatwgHostForSafeBrowsing(parsed, &canonical,
                                                       &kind)) {
    return absl::InvalidArgumentError(
        absl::StrCat("host '", parsed, "' has no labels"));
  }
  return canonical;
}

}  // namespace lureguard::url
