#include "client/output.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"

namespace lureguard::cli {

namespace {
// kubectl separates columns by three spaces.
constexpr size_t kColumnGap = 3;
}  // namespace

TableWriter::TableWriter(std::ostream& out, std::vector<std::string> header)
    : out_(out), header_(std::move(header)) {
  for (const std::string& h : header_) widths_.push_back(DisplayWidth(h));
}

void TableWriter::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    widths_[i] = std::max(widths_[i], DisplayWidth(cells[i]));
  }
  pending_.push_back(std::move(cells));
}

void TableWriter::Flush() {
  if (pending_.empty()) return;
  if (!header_written_) {
    WriteRow(header_);
    header_written_ = true;
  }
  for (const std::vector<std::string>& row : pending_) WriteRow(row);
  rows_written_ += pending_.size();
  pending_.clear();
  out_.flush();
}

void TableWriter::WriteRow(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 < cells.size()) {
      line.append(widths_[i] - DisplayWidth(cells[i]) + kColumnGap, ' ');
    }
  }
  out_ << line << '\n';
}

absl::Status WriteJsonLine(const google::protobuf::Message& message,
                           std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.always_print_primitive_fields = false;
  options.preserve_proto_field_names = false;  // lowerCamelCase, as proto3 JSON
  std::string json;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot write ",
                                            message.GetTypeName(),
                                            " as JSON: ", status.ToString()));
  }
  out << json << '\n';
  out.flush();
  return absl::OkStatus();
}

void WriteKeyValues(
    const std::vector<std::pair<std::string, std::string>>& fields,
    std::ostream& out) {
  size_t width = 0;
  for (const auto& [key, value] : fields) width = std::max(width, key.size());
  for (const auto& [key, value] : fields) {
    out << key << ':' << std::string(width - key.size() + 1, ' ') << value
        << '\n';
  }
  out.flush();
}

size_t DisplayWidth(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;  // count bytes that start a code point
  }
  return n;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

std::string FormatScore(double score) { return absl::StrFormat("%.2f", score); }

std::string FormatReasons(const lureguard::v1::Verdict& verdict) {
  if (verdict.reasons().empty()) return "-";
  std::vector<std::string> parts;
  for (const lureguard::v1::Reason& r : verdict.reasons()) {
    std::string code = lureguard::v1::ReasonCode_Name(r.code());
    if (code.empty())
      code = absl::StrCat("REASON_", static_cast<int>(r.code()));
    if (r.matched().empty()) {
      parts.push_back(std::move(code));
    } else {
      parts.push_back(absl::StrCat(code, "(", r.matched(), ")"));
    }
  }
  return absl::StrJoin(parts, ", ");
}

std::string FormatBytes(uint64_t bytes) {
  constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  double v = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (v >= 1024 && unit + 1 < std::size(kUnits)) {
    v /= 1024;
    ++unit;
  }
  return absl::StrFormat("%.1f %s", v, kUnits[unit]);
}

std::string OrDash(const std::string& text) {
  return text.empty() ? "-" : text;
}

}  // namespace lureguard::cli
