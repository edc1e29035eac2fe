#include "server/lists/entry_value.h"

#include <algorithm>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/common/ip_range.h"
#include "server/common/status_macros.h"

namespace lureguard::lists {
namespace {

// Longest value accepted, the URL engine's own limit.
constexpr size_t kMaxValueLength = 8192;

absl::Status Invalid(absl::string_view value, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("'", value, "': ", why));
}

// "ADDRESS" or "ADDRESS/DIGITS", even when the range itself is invalid, so
// that "10.0.0.1/8" gets the CIDR error rather than being read as a URL.
bool LooksLikeIpRange(absl::string_view value) {
  const size_t slash = value.find('/');
  if (!ParseIpAddress(value.substr(0, slash))) return false;
  if (slash == absl::string_view::npos) return true;
  absl::string_view length = value.substr(slash + 1);
  return !length.empty() &&
         std::all_of(length.begin(), length.end(), absl::ascii_isdigit);
}

// A scheme ("mailto:", "http://") is letters, digits, '+', '-' and '.'
// before a colon that is not followed by a port number.
bool HasScheme(absl::string_view value) {
  const size_t colon = value.find(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  for (char c : value.substr(0, colon)) {
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  absl::string_view rest = value.substr(colon + 1);
  return rest.empty() || !absl::ascii_isdigit(rest.front());
}

bool HasSchemeOrPath(absl::string_view value) {
  return HasScheme(value) ||
         value.find_first_of("/?\\") != absl::string_view::npos;
}

absl::StatusOr<url::UrlAnalysis> AnalyzeAsWebUrl(absl::string_view value) {
  absl::StatusOr<url::UrlAnalysis> analysis =
      url::AnalyzeUrl(std::string(value));
  if (!analysis.ok()) return Invalid(value, analysis.status().message());
  if (!analysis->is_web) {
    return Invalid(value, absl::StrCat("scheme '", analysis->scheme,
                                       "' is not http or https"));
  }
  return analysis;
}

// Safe Browsing's canonical form collapses empty labels ("a..1..." to
// "a.1"), which can turn a host a browser accepts into one it refuses as a
// malformed IPv4 address. Such a host names nothing DNS can resolve, and
// the entry could not be entered again as stored (an export re-imported):
// refused. Only a last label that starts with a digit can trip the rule,
// so other hosts skip the second parse.
absl::Status CheckHostReadsAgain(absl::string_view value,
                                 const std::string& host) {
  const size_t dot = host.rfind('.');
  const absl::string_view last =
      absl::string_view(host).substr(dot == std::string::npos ? 0 : dot + 1);
  if (last.empty() || !absl::ascii_isdigit(last.front())) {
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> again = url::CanonicalizeHost(host);
  if (again.ok() && *again == host) return absl::OkStatus();
  return Invalid(
      value, absl::StrCat("host '", host, "', its empty labels removed, ",
                          again.ok() ? absl::StrCat("reads as '", *again, "'")
                                     : again.status().message()));
}

absl::StatusOr<EntryValue> HostEntry(absl::string_view value, EntryKind kind) {
  std::string host;
  if (HasSchemeOrPath(value)) {
    ASSIGN_OR_RETURN(url::UrlAnalysis analysis, AnalyzeAsWebUrl(value));
    if (analysis.parsed.path != "/" || analysis.parsed.has_query) {
      return Invalid(value,
                     "a host or domain entry has no path; use --kind "
                     "url-prefix or url");
    }
    host = analysis.host;
  } else {
    absl::StatusOr<std::string> canonical =
        url::CanonicalizeHost(std::string(value));
    if (!canonical.ok()) return Invalid(value, canonical.status().message());
    host = *std::move(canonical);
  }
  if (std::optional<IpAddress> ip = ParseIpAddress(host)) {
    IpRange single{*ip, ip->BitLength()};
    return EntryValue{EntryKind::kIpRange, single.ToString()};
  }
  RETURN_IF_ERROR(CheckHostReadsAgain(value, host));
  return EntryValue{kind, host};
}

absl::StatusOr<EntryValue> UrlEntry(absl::string_view value,
                                    std::optional<EntryKind> kind) {
  ASSIGN_OR_RETURN(url::UrlAnalysis analysis, AnalyzeAsWebUrl(value));
  if (analysis.host_kind == url::HostKind::kDomain) {
    RETURN_IF_ERROR(CheckHostReadsAgain(value, analysis.host));
  }
  if (!kind) {
    if (analysis.parsed.has_query) {
      kind = EntryKind::kExactUrl;
    } else if (analysis.parsed.path != "/") {
      kind = EntryKind::kUrlPrefix;
    } else if (analysis.host_kind != url::HostKind::kDomain) {
      return HostEntry(analysis.host, EntryKind::kDomain);
    } else {
      return EntryValue{EntryKind::kDomain, analysis.host};
    }
  }
  if (*kind == EntryKind::kUrlPrefix && analysis.parsed.has_query) {
    return Invalid(value,
                   "a URL prefix has no query; use --kind url for an exact "
                   "URL");
  }
  return EntryValue{*kind,
                    UrlExpression(analysis, *kind == EntryKind::kExactUrl)};
}

}  // namespace

std::string UrlExpression(const url::UrlAnalysis& analysis, bool with_query) {
  // The host followed by the path and, when asked for, the query.
  std::string_view path_and_query =
      url::CanonicalPathAndQuery(analysis.canonical_url);
  if (!with_query) {
    path_and_query = path_and_query.substr(0, path_and_query.find('?'));
  }
  std::string expression = analysis.host;
  expression.append(path_and_query);
  return expression;
}

absl::StatusOr<EntryValue> NormalizeEntryValue(absl::string_view value,
                                               std::optional<EntryKind> kind) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return absl::InvalidArgumentError("value is empty");
  if (value.size() > kMaxValueLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "value is ", value.size(), " bytes; the limit is ", kMaxValueLength));
  }
  if (!kind) {
    if (LooksLikeIpRange(value)) kind = EntryKind::kIpRange;
  }
  if (!kind) {
    if (HasSchemeOrPath(value)) return UrlEntry(value, std::nullopt);
    return HostEntry(value, EntryKind::kDomain);
  }
  switch (*kind) {
    case EntryKind::kHost:
    case EntryKind::kDomain:
      return HostEntry(value, *kind);
    case EntryKind::kUrlPrefix:
    case EntryKind::kExactUrl:
      return UrlEntry(value, kind);
    case EntryKind::kIpRange: {
      ASSIGN_OR_RETURN(IpRange range, ParseIpRange(value));
      return EntryValue{EntryKind::kIpRange, range.ToString()};
    }
  }
  return absl::InvalidArgumentError("unknown entry kind");
}

absl::string_view EntryKindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::kHost:
      return "host";
    case EntryKind::kDomain:
      return "domain";
    case EntryKind::kUrlPrefix:
      return "url-prefix";
    case EntryKind::kExactUrl:
      return "url";
    case EntryKind::kIpRange:
      return "cidr";
  }
  return "unknown";
}

std::optional<EntryKind> ParseEntryKindName(absl::string_view name) {
  for (EntryKind kind :
       {EntryKind::kHost, EntryKind::kDomain, EntryKind::kUrlPrefix,
        EntryKind::kExactUrl, EntryKind::kIpRange}) {
    if (EntryKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace lureguard::lists
