#include "server/lists/internal/feed_formats.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/common/utf8.h"

namespace lureguard::lists::internal {
namespace {

absl::Status Invalid(absl::string_view why) {
  return absl::InvalidArgumentError(why);
}

int FindColumn(const std::vector<std::string>& header, absl::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(header[i]), name)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// PhishTank marks rows "yes"/"no"; its verified_online dumps hold only
// "yes" rows, but a full dump or a hand-made file may not.
absl::Status CheckPhishtankFlags(absl::string_view verified,
                                 absl::string_view online) {
  if (absl::EqualsIgnoreCase(verified, "no")) {
    return Invalid("not verified as phishing by PhishTank (verified 'no')");
  }
  if (absl::EqualsIgnoreCase(online, "no")) {
    return Invalid("offline (online 'no')");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<EntryValue> UrlFeedEntry(absl::string_view url) {
  url = absl::StripAsciiWhitespace(url);
  if (url.empty()) return Invalid("the URL is empty");
  return NormalizeEntryValue(url.substr(0, url.find_first_of("?#")),
                             EntryKind::kUrlPrefix);
}

absl::StatusOr<EntryValue> ParseAdblockRule(absl::string_view rule) {
  rule = absl::StripAsciiWhitespace(rule);
  if (absl::StartsWith(rule, "@@")) {
    return Invalid("exception rule ('@@'): allow rules are not imported");
  }
  for (absl::string_view cosmetic : {"##", "#@#", "#?#", "#$#", "#%#"}) {
    if (absl::StrContains(rule, cosmetic)) {
      return Invalid(
          "cosmetic rule: only '||host^' network rules are "
          "imported");
    }
  }
  if (!absl::StartsWith(rule, "||")) {
    return Invalid(
        "not a '||host^' rule: only host and host/path rules are "
        "imported");
  }
  absl::string_view pattern = rule.substr(2);
  // Options follow the last '$'; a '$' in a URL path is rare enough that
  // filter lists escape it.
  const size_t dollar = pattern.rfind('$');
  if (dollar != absl::string_view::npos) {
    for (absl::string_view option :
         absl::StrSplit(pattern.substr(dollar + 1), ',')) {
      if (absl::StripAsciiWhitespace(option) == "badfilter") {
        return Invalid("'$badfilter' cancels another rule; not imported");
      }
    }
    pattern = pattern.substr(0, dollar);
  }
  if (absl::EndsWith(pattern, "|")) pattern.remove_suffix(1);
  if (absl::EndsWith(pattern, "^")) pattern.remove_suffix(1);
  if (pattern.empty()) return Invalid("'||' rule without a host");
  if (pattern.find('*') != absl::string_view::npos) {
    return Invalid("wildcard '*' rules are not imported");
  }
  if (pattern.find_first_of("^|") != absl::string_view::npos) {
    return Invalid("separator '^' or '|' inside the rule is not imported");
  }
  const size_t slash = pattern.find('/');
  if (slash == absl::string_view::npos) {
    return NormalizeEntryValue(pattern, EntryKind::kDomain);
  }
  // A path rule matches the URLs starting with it; "&" or "?" ends the part
  // that identifies the page.
  return UrlFeedEntry(absl::StrCat("http://", pattern));
}

bool IsFeedCsvHeader(const std::vector<std::string>& fields) {
  return fields.size() >= 2 && FindColumn(fields, "url") >= 0;
}

absl::StatusOr<FeedCsvColumns> ParseFeedCsvHeader(
    absl::string_view format, const std::vector<std::string>& header) {
  FeedCsvColumns columns;
  columns.count = header.size();
  columns.url = FindColumn(header, "url");
  if (columns.url < 0) {
    return Invalid(absl::StrCat(format,
                                " header has no 'url' column (columns: ",
                                absl::StrJoin(header, ", "), ")"));
  }
  if (format == "urlhaus-csv") {
    columns.url_status = FindColumn(header, "url_status");
  } else {
    columns.verified = FindColumn(header, "verified");
    columns.online = FindColumn(header, "online");
  }
  return columns;
}

absl::StatusOr<EntryValue> ParseFeedCsvRow(
    const FeedCsvColumns& columns, const std::vector<std::string>& row) {
  if (row.size() != columns.count) {
    return Invalid(absl::StrCat("row has ", row.size(),
                                " fields; the header names ", columns.count));
  }
  if (columns.url_status >= 0) {
    // URLhaus: "offline" URLs no longer serve malware, and their hosts are
    // often cleaned or reassigned; "online" and "unknown" stay in.
    absl::string_view status = row[columns.url_status];
    if (absl::EqualsIgnoreCase(status, "offline")) {
      return Invalid("URL is offline (url_status 'offline')");
    }
  }
  RETURN_IF_ERROR(CheckPhishtankFlags(
      columns.verified >= 0 ? absl::string_view(row[columns.verified]) : "",
      columns.online >= 0 ? absl::string_view(row[columns.online]) : ""));
  return UrlFeedEntry(row[columns.url]);
}

absl::StatusOr<EntryValue> ParsePhishtankJsonRecord(absl::string_view json) {
  google::protobuf::Struct record;
  auto status = google::protobuf::util::JsonStringToMessage(
      std::string(json.data(), json.size()), &record);
  if (!status.ok()) {
    return Invalid(absl::StrCat(
        "invalid JSON: ",
        std::string(status.message().data(), status.message().size())));
  }
  const auto& fields = record.fields();
  auto text = [&](const std::string& name) -> std::string {
    auto it = fields.find(name);
    if (it == fields.end() ||
        it->second.kind_case() != google::protobuf::Value::kStringValue) {
      return "";
    }
    return it->second.string_value();
  };
  auto url = fields.find("url");
  if (url == fields.end() ||
      url->second.kind_case() != google::protobuf::Value::kStringValue) {
    return Invalid("the object has no \"url\" string");
  }
  RETURN_IF_ERROR(CheckPhishtankFlags(text("verified"), text("online")));
  if (!IsValidUtf8(url->second.string_value())) {
    return Invalid("the URL is not valid UTF-8");
  }
  return UrlFeedEntry(url->second.string_value());
}

}  // namespace lureguard::lists::internal
