#include "server/lists/import_parser.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/lists/ip_range.h"

namespace lureguard::lists {
namespace {

constexpr std::array<absl::string_view, 5> kFormats = {
    "auto", "entries", "domains", "hosts", "urls"};
constexpr absl::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// Hosts files map names to these sinkhole addresses; any other address
// makes the line a real mapping, which is not a block entry.
bool IsSinkholeAddress(absl::string_view address) {
  return address == "0.0.0.0" || address == "127.0.0.1" || address == "::" ||
         address == "::1" || address == "0" || address == "::0";
}

absl::string_view DetectFormat(absl::string_view line) {
  std::vector<absl::string_view> fields =
      absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (fields.size() >= 2 && ParseIpAddress(fields[0])) return "hosts";
  if (absl::StrContains(line, "://")) return "urls";
  return "entries";
}

}  // namespace

bool ImportParser::IsKnownFormat(absl::string_view format) {
  for (absl::string_view known : kFormats) {
    if (known == format) return true;
  }
  return false;
}

ImportParser::ImportParser(absl::string_view format, bool skip_invalid)
    : format_(format.empty() ? "auto" : format), skip_invalid_(skip_invalid) {}

absl::Status ImportParser::AddChunk(absl::string_view chunk) {
  if (!IsKnownFormat(format_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: unknown format '", format_,
                     "' (known: auto, entries, domains, hosts, urls)"));
  }
  while (!chunk.empty()) {
    size_t newline = chunk.find('\n');
    if (newline == absl::string_view::npos) {
      if (partial_line_.size() + chunk.size() > kMaxLineLength + 1) {
        // Keep only enough to report the overlong line; drop the rest of it.
        absl::StrAppend(&partial_line_,
                        chunk.substr(0, kMaxLineLength + 1 -
                                            std::min(partial_line_.size(),
                                                     kMaxLineLength + 1)));
      } else {
        absl::StrAppend(&partial_line_, chunk);
      }
      return absl::OkStatus();
    }
    absl::Status status;
    if (partial_line_.empty()) {
      status = ParseLine(chunk.substr(0, newline));
    } else {
      absl::StrAppend(&partial_line_, chunk.substr(0, newline));
      status = ParseLine(partial_line_);
      partial_line_.clear();
    }
    if (!status.ok()) return status;
    chunk.remove_prefix(newline + 1);
  }
  return absl::OkStatus();
}

absl::StatusOr<ImportResult> ImportParser::Finish() && {
  if (!IsKnownFormat(format_)) return AddChunk("");
  if (!partial_line_.empty()) {
    std::string last = std::move(partial_line_);
    if (absl::Status s = ParseLine(last); !s.ok()) return s;
  }
  result_.format = format_;
  return std::move(result_);
}

absl::Status ImportParser::Reject(absl::string_view reason) {
  std::string message = absl::StrCat("line ", line_number_, ": ", reason);
  if (!skip_invalid_) return absl::InvalidArgumentError(message);
  ++result_.skipped_count;
  if (result_.skipped_examples.size() < kMaxSkippedExamples) {
    result_.skipped_examples.push_back(std::move(message));
  }
  return absl::OkStatus();
}

absl::Status ImportParser::ParseLine(absl::string_view line) {
  ++line_number_;
  if (at_start_) {
    at_start_ = false;
    if (absl::StartsWith(line, kUtf8ByteOrderMark)) {
      line.remove_prefix(kUtf8ByteOrderMark.size());
    }
  }
  if (line.size() > kMaxLineLength) {
    return Reject(absl::StrCat("longer than ", kMaxLineLength, " bytes"));
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  line = absl::StripAsciiWhitespace(line);
  if (line.empty() || line.front() == '#' || line.front() == '!') {
    return absl::OkStatus();
  }
  if (line.find('\0') != absl::string_view::npos) {
    return Reject("contains a NUL byte");
  }
  if (format_ == "auto") format_ = std::string(DetectFormat(line));

  absl::StatusOr<std::vector<EntryValue>> values = ParseValues(line);
  if (!values.ok()) return Reject(values.status().message());
  for (EntryValue& value : *values) {
    std::string key =
        absl::StrCat(static_cast<int>(value.kind), " ", value.value);
    if (!seen_.insert(std::move(key)).second) {
      ++result_.duplicate_count;
      continue;
    }
    result_.entries.push_back(std::move(value));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<EntryValue>> ImportParser::ParseValues(
    absl::string_view line) {
  std::vector<EntryValue> values;
  if (format_ == "hosts") {
    // "ADDRESS NAME [NAME...] [# comment]"
    line = line.substr(0, line.find('#'));
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() < 2) {
      return absl::InvalidArgumentError(
          "a hosts line is 'ADDRESS NAME...'; no name found");
    }
    if (!IsSinkholeAddress(fields[0])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "address '", fields[0], "' is not a sinkhole (0.0.0.0, 127.0.0.1)"));
    }
    for (size_t i = 1; i < fields.size(); ++i) {
      // Hosts files carry these names for the machine itself.
      if (fields[i] == "localhost" || fields[i] == "localhost.localdomain" ||
          fields[i] == "local" || fields[i] == "broadcasthost" ||
          fields[i] == "0.0.0.0") {
        continue;
      }
      absl::StatusOr<EntryValue> value =
          NormalizeEntryValue(fields[i], EntryKind::kHost);
      if (!value.ok()) return value.status();
      values.push_back(*std::move(value));
    }
    return values;
  }
  std::optional<EntryKind> kind;
  if (format_ == "domains") kind = EntryKind::kDomain;
  if (format_ == "urls") kind = EntryKind::kUrlPrefix;
  if (format_ == "urls") {
    // A URL list names pages; the query varies per victim, so the entry
    // is the page's URL prefix without it.
    line = line.substr(0, line.find_first_of("?#"));
  }
  absl::StatusOr<EntryValue> value = NormalizeEntryValue(line, kind);
  if (!value.ok()) return value.status();
  values.push_back(*std::move(value));
  return values;
}

}  // namespace lureguard::lists
