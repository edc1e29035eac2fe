#include "server/lists/import_parser.h"

#include <algorithm>
#include <array>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/common/ip_range.h"
#include "server/common/status_macros.h"
#include "server/common/utf8.h"
#include "server/lists/internal/csv.h"
#include "server/lists/internal/feed_formats.h"
#include "server/lists/internal/json_array_scanner.h"

namespace lureguard::lists {
namespace {

using internal::CsvRecordStatus;

constexpr std::array<absl::string_view, 9> kFormats = {
    "auto",          "entries",        "domains",     "hosts",  "urls",
    "phishtank-csv", "phishtank-json", "urlhaus-csv", "adblock"};
constexpr absl::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";
// How much leading whitespace "auto" reads before giving up on JSON.
constexpr size_t kMaxSniffBytes = 4096;

// Hosts files map names to these sinkhole addresses; any other address
// makes the line a real mapping, which is not a block entry.
bool IsSinkholeAddress(absl::string_view address) {
  return address == "0.0.0.0" || address == "127.0.0.1" || address == "::" ||
         address == "::1" || address == "0" || address == "::0";
}

bool IsCsvFormat(absl::string_view format) {
  return format == "phishtank-csv" || format == "urlhaus-csv";
}

bool HasColumn(const std::vector<std::string>& fields, absl::string_view name) {
  return std::any_of(fields.begin(), fields.end(), [&](const std::string& f) {
    return absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(f), name);
  });
}

// Whether the input opening with `head` is JSON or lines, or nullopt while
// `head` is too short to say. Adblock lists may open with
// "[Adblock Plus 2.0]", so '[' means JSON only before '{', ']' or a value.
std::optional<bool> SniffJson(absl::string_view head, bool at_end) {
  if (!at_end && head.size() < kUtf8ByteOrderMark.size() &&
      absl::StartsWith(kUtf8ByteOrderMark, head)) {
    return std::nullopt;
  }
  if (absl::StartsWith(head, kUtf8ByteOrderMark)) {
    head.remove_prefix(kUtf8ByteOrderMark.size());
  }
  const size_t size = head.size();
  head = absl::StripLeadingAsciiWhitespace(head);
  if (head.empty()) {
    if (at_end || size > kMaxSniffBytes) return false;
    return std::nullopt;
  }
  if (head.front() == '{') return true;
  if (head.front() != '[') return false;
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(head.substr(1));
  if (rest.empty()) {
    if (at_end) return true;
    return std::nullopt;
  }
  return rest.front() == '{' || rest.front() == ']' || rest.front() == '"';
}

std::string Abbreviate(absl::string_view text) {
  constexpr size_t kMax = 160;
  if (text.size() <= kMax) return std::string(text);
  return absl::StrCat(text.substr(0, kMax), "...");
}

}  // namespace

struct ImportParser::FormatState {
  bool adblock_hint = false;     // "auto" saw "! " comments
  bool seen_meaningful = false;  // a non-comment line was read
  std::optional<internal::FeedCsvColumns> csv_columns;
  std::string csv_pending;  // a record whose quoted field spans lines
  int64_t csv_pending_line = 0;
  std::vector<std::string> csv_fields;
  std::optional<internal::JsonArrayScanner> json;
};

store::ThreatType DefaultThreatType(absl::string_view format) {
  return absl::StartsWith(format, "urlhaus-") ? store::ThreatType::kMalware
                                              : store::ThreatType::kPhishing;
}

bool ImportParser::IsKnownFormat(absl::string_view format) {
  for (absl::string_view known : kFormats) {
    if (known == format) return true;
  }
  return false;
}

absl::Status ImportParser::CheckFormat(absl::string_view format) {
  if (IsKnownFormat(format)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("format: unknown format '", format,
                   "' (known: ", absl::StrJoin(kFormats, ", "), ")"));
}

ImportParser::ImportParser(absl::string_view format, bool skip_invalid)
    : format_(format.empty() ? "auto" : format),
      skip_invalid_(skip_invalid),
      state_(std::make_unique<FormatState>()) {
  if (format_ == "auto") mode_ = Mode::kSniffing;
  if (format_ == "phishtank-json") mode_ = Mode::kJson;
}

ImportParser::~ImportParser() = default;
ImportParser::ImportParser(ImportParser&&) noexcept = default;
ImportParser& ImportParser::operator=(ImportParser&&) noexcept = default;

absl::Status ImportParser::AddChunk(absl::string_view chunk) {
  if (!status_.ok()) return status_;
  status_ = CheckFormat(format_);
  if (!status_.ok()) return status_;
  status_ = AddBytes(chunk);
  return status_;
}

absl::Status ImportParser::AddBytes(absl::string_view chunk) {
  switch (mode_) {
    case Mode::kSniffing: {
      absl::StrAppend(&head_, chunk);
      std::optional<bool> json = SniffJson(head_, /*at_end=*/false);
      if (!json) return absl::OkStatus();
      mode_ = *json ? Mode::kJson : Mode::kLines;
      if (*json) format_ = "phishtank-json";
      std::string head = std::move(head_);
      head_.clear();
      return AddBytes(head);
    }
    case Mode::kLines:
      return AddLines(chunk);
    case Mode::kJson:
      return AddJson(chunk);
  }
  return absl::OkStatus();
}

absl::Status ImportParser::AddLines(absl::string_view chunk) {
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

absl::Status ImportParser::AddJson(absl::string_view chunk) {
  FormatState& state = *state_;
  if (!state.json) state.json.emplace(kMaxRecordLength);
  absl::Status status = state.json->Add(chunk, [this](absl::string_view object,
                                                      bool oversized) {
    ++line_number_;
    if (oversized) {
      return RejectAt("record", line_number_,
                      absl::StrCat("longer than ", kMaxRecordLength, " bytes"));
    }
    absl::StatusOr<EntryValue> value =
        internal::ParsePhishtankJsonRecord(object);
    if (!value.ok()) {
      return RejectAt("record", line_number_, value.status().message());
    }
    return AddEntry(*std::move(value));
  });
  if (!status.ok() && !absl::StartsWith(status.message(), "record ")) {
    return absl::InvalidArgumentError(
        absl::StrCat("phishtank-json: ", status.message()));
  }
  return status;
}

absl::StatusOr<ImportResult> ImportParser::Finish() && {
  RETURN_IF_ERROR(AddChunk(""));
  if (mode_ == Mode::kSniffing) {
    mode_ = SniffJson(head_, /*at_end=*/true).value_or(false) ? Mode::kJson
                                                              : Mode::kLines;
    if (mode_ == Mode::kJson) format_ = "phishtank-json";
    std::string head = std::move(head_);
    head_.clear();
    RETURN_IF_ERROR(AddBytes(head));
  }
  if (mode_ == Mode::kJson) {
    if (!state_->json) state_->json.emplace(kMaxRecordLength);
    if (absl::Status s = state_->json->Finish(); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("phishtank-json: ", s.message()));
    }
  } else {
    if (!partial_line_.empty()) {
      std::string last = std::move(partial_line_);
      RETURN_IF_ERROR(ParseLine(last));
    }
    if (!state_->csv_pending.empty()) {
      state_->csv_pending.clear();
      if (absl::Status s =
              RejectAt("line", state_->csv_pending_line,
                       "a quoted field is not closed at the end of the input");
          !s.ok()) {
        return s;
      }
    }
  }
  result_.format = format_;
  if (format_ == "urlhaus-csv") result_.threat_hint = "malware";
  if (absl::StartsWith(format_, "phishtank-")) result_.threat_hint = "phishing";
  return std::move(result_);
}

absl::Status ImportParser::Reject(absl::string_view reason) {
  return RejectAt("line", line_number_, reason);
}

absl::Status ImportParser::RejectAt(absl::string_view where, int64_t number,
                                    absl::string_view reason) {
  std::string message = absl::StrCat(where, " ", number, ": ", reason);
  if (!skip_invalid_) return absl::InvalidArgumentError(message);
  ++result_.skipped_count;
  if (result_.skipped_examples.size() < kMaxSkippedExamples) {
    result_.skipped_examples.push_back(std::move(message));
  }
  return absl::OkStatus();
}

absl::Status ImportParser::NotThisFormat(absl::string_view reason) const {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line_number_, ": ", reason));
}

absl::Status ImportParser::AddEntry(EntryValue value) {
  std::string key =
      absl::StrCat(static_cast<int>(value.kind), " ", value.value);
  if (!seen_.insert(std::move(key)).second) {
    ++result_.duplicate_count;
    return absl::OkStatus();
  }
  result_.entries.push_back(std::move(value));
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
  FormatState& state = *state_;
  if (line.size() > kMaxLineLength) {
    if (!state.csv_pending.empty()) {
      state.csv_pending.clear();
      return RejectAt("line", state.csv_pending_line,
                      absl::StrCat("a quoted field runs into a line longer "
                                   "than ",
                                   kMaxLineLength, " bytes"));
    }
    return Reject(absl::StrCat("longer than ", kMaxLineLength, " bytes"));
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // The next line of a CSV record whose quoted field spans lines: taken as
  // it is, blank or not.
  if (!state.csv_pending.empty()) return ParseCsvLine(line);

  line = absl::StripAsciiWhitespace(line);
  if (line.empty()) return absl::OkStatus();
  if (line.front() == '#' || line.front() == '!') return ParseComment(line);
  if (line.find('\0') != absl::string_view::npos) {
    return Reject("contains a NUL byte");
  }
  if (!IsValidUtf8(line)) return Reject("not valid UTF-8");
  if (!state.seen_meaningful) {
    state.seen_meaningful = true;
    // An error page served in place of the list: no line of it is an
    // entry, and skipping them all would empty the list.
    if (line.front() == '<') {
      return NotThisFormat(absl::StrCat(
          "an HTML or XML page, not ",
          format_ == "auto" ? "a list in a known format"
                            : absl::StrCat("a ", format_, " list")));
    }
    if (format_ == "auto") {
      RETURN_IF_ERROR(DetectLineFormat(line));
    }
  }
  if (format_ == "adblock" && line.front() == '[') {
    return absl::OkStatus();  // "[Adblock Plus 2.0]"
  }
  if (IsCsvFormat(format_)) return ParseCsvLine(line);

  absl::StatusOr<std::vector<EntryValue>> values = ParseValues(line);
  if (!values.ok()) return Reject(values.status().message());
  for (EntryValue& value : *values) {
    RETURN_IF_ERROR(AddEntry(std::move(value)));
  }
  return absl::OkStatus();
}

absl::Status ImportParser::ParseComment(absl::string_view line) {
  FormatState& state = *state_;
  if (format_ == "auto" && line.front() == '!') state.adblock_hint = true;
  // URLhaus dumps name their columns in a comment:
  // "# id,dateadded,url,url_status,last_online,threat,tags,...".
  if (line.front() != '#' || state.csv_columns ||
      (format_ != "auto" && format_ != "urlhaus-csv")) {
    return absl::OkStatus();
  }
  absl::string_view text =
      line.substr(line.find_first_not_of('#') == absl::string_view::npos
                      ? line.size()
                      : line.find_first_not_of('#'));
  text = absl::StripLeadingAsciiWhitespace(text);
  std::vector<std::string> fields;
  if (internal::ParseCsvRecord(text, &fields) != CsvRecordStatus::kComplete ||
      fields.size() < 3 || !internal::IsFeedCsvHeader(fields) ||
      (format_ == "auto" && !HasColumn(fields, "url_status"))) {
    return absl::OkStatus();
  }
  format_ = "urlhaus-csv";
  absl::StatusOr<internal::FeedCsvColumns> columns =
      internal::ParseFeedCsvHeader(format_, fields);
  if (!columns.ok()) return NotThisFormat(columns.status().message());
  state.csv_columns = *columns;
  return absl::OkStatus();
}

absl::Status ImportParser::DetectLineFormat(absl::string_view line) {
  if (absl::StartsWith(line, "||") || absl::StartsWith(line, "@@") ||
      absl::StartsWithIgnoreCase(line, "[adblock")) {
    format_ = "adblock";
    return absl::OkStatus();
  }
  std::vector<std::string> fields;
  if (internal::ParseCsvRecord(line, &fields) == CsvRecordStatus::kComplete &&
      internal::IsFeedCsvHeader(fields)) {
    if (HasColumn(fields, "phish_id")) {
      format_ = "phishtank-csv";
    } else if (HasColumn(fields, "url_status") ||
               HasColumn(fields, "urlhaus_link")) {
      format_ = "urlhaus-csv";
    } else {
      return NotThisFormat(absl::StrCat(
          "a CSV header with a 'url' column but neither PhishTank's "
          "'phish_id' nor URLhaus's 'url_status'; name the format (header: ",
          Abbreviate(line), ")"));
    }
    return absl::OkStatus();
  }
  std::vector<absl::string_view> words =
      absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (words.size() >= 2 && ParseIpAddress(words[0])) {
    format_ = "hosts";
  } else if (state_->adblock_hint) {
    format_ = "adblock";
  } else if (absl::StrContains(line, "://")) {
    format_ = "urls";
  } else {
    format_ = "entries";
  }
  return absl::OkStatus();
}

absl::Status ImportParser::ParseCsvLine(absl::string_view line) {
  FormatState& state = *state_;
  absl::string_view record = line;
  int64_t record_line = line_number_;
  if (!state.csv_pending.empty()) {
    absl::StrAppend(&state.csv_pending, "\n", line);
    record = state.csv_pending;
    record_line = state.csv_pending_line;
  }
  std::string error;
  const CsvRecordStatus status =
      internal::ParseCsvRecord(record, &state.csv_fields, &error);
  if (status == CsvRecordStatus::kOpenQuote) {
    if (state.csv_pending.empty()) {
      state.csv_pending = std::string(line);
      state.csv_pending_line = line_number_;
    }
    if (state.csv_pending.size() > kMaxRecordLength) {
      state.csv_pending.clear();
      return RejectAt("line", record_line,
                      absl::StrCat("a quoted field is not closed within ",
                                   kMaxRecordLength, " bytes"));
    }
    return absl::OkStatus();
  }
  const bool continued = !state.csv_pending.empty();
  const bool clean =
      !continued ||
      (record.find('\0') == absl::string_view::npos && IsValidUtf8(record));
  state.csv_pending.clear();  // `record` is dead from here on
  if (!clean) {
    return RejectAt("line", record_line,
                    "contains a NUL byte or invalid UTF-8");
  }
  if (status == CsvRecordStatus::kMalformed) {
    return RejectAt("line", record_line,
                    absl::StrCat("malformed CSV: ", error));
  }
  if (!state.csv_columns) {
    // The first record of a CSV feed without a "#" header is its header.
    absl::StatusOr<internal::FeedCsvColumns> columns =
        internal::ParseFeedCsvHeader(format_, state.csv_fields);
    if (!columns.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", record_line, ": ", Abbreviate(columns.status().message())));
    }
    state.csv_columns = *columns;
    return absl::OkStatus();
  }
  absl::StatusOr<EntryValue> value =
      internal::ParseFeedCsvRow(*state.csv_columns, state.csv_fields);
  if (!value.ok())
    return RejectAt("line", record_line, value.status().message());
  return AddEntry(*std::move(value));
}

absl::StatusOr<std::vector<EntryValue>> ImportParser::ParseValues(
    absl::string_view line) {
  std::vector<EntryValue> values;
  if (format_ == "adblock") {
    ASSIGN_OR_RETURN(EntryValue value, internal::ParseAdblockRule(line));
    values.push_back(std::move(value));
    return values;
  }
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
      ASSIGN_OR_RETURN(EntryValue value,
                       NormalizeEntryValue(fields[i], EntryKind::kHost));
      values.push_back(std::move(value));
    }
    return values;
  }
  if (format_ == "urls") {
    ASSIGN_OR_RETURN(EntryValue value, internal::UrlFeedEntry(line));
    values.push_back(std::move(value));
    return values;
  }
  std::optional<EntryKind> kind;
  if (format_ == "domains") kind = EntryKind::kDomain;
  ASSIGN_OR_RETURN(EntryValue value, NormalizeEntryValue(line, kind));
  values.push_back(std::move(value));
  return values;
}

}  // namespace lureguard::lists
