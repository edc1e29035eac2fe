// Writing results to stdout: aligned tables, `key: value` blocks and JSON
// lines.
//
// Tables follow kubectl: an upper-case header, columns separated by three
// spaces, the last column unpadded. JSON is the proto3 JSON mapping
// (lowerCamelCase names, enums by name, 64-bit integers as strings, default
// values omitted), one object per line, so `jq` and line-oriented tools can
// consume a stream of results.
//
// Not thread-safe: one writer per stream.
#ifndef LUREGUARD_CLIENT_OUTPUT_H_
#define LUREGUARD_CLIENT_OUTPUT_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "lureguard/v1/verdict.pb.h"

namespace lureguard::cli {

// Aligned columns written in batches, for output that arrives over time
// (stream results, pages of a list). Rows are buffered until Flush(); the
// header goes out with the first flushed rows. Column widths only grow, so
// rows of one batch line up and later batches line up as well as they can
// without holding everything back.
//
// Example:
//   TableWriter table(std::cout, {"ID", "VALUE"});
//   table.AddRow({"1", "evil.example"});
//   table.Flush();
//   // ID   VALUE
//   // 1    evil.example
class TableWriter {
 public:
  // `out` must outlive the writer.
  TableWriter(std::ostream& out, std::vector<std::string> header);

  // Buffers one row. REQUIRES: as many cells as header columns.
  void AddRow(std::vector<std::string> cells);

  // Writes the buffered rows (and the header before the first ones) and
  // flushes `out`. Does nothing when no rows are buffered.
  void Flush();

  // Rows written so far, header excluded.
  size_t rows_written() const { return rows_written_; }

 private:
  void WriteRow(const std::vector<std::string>& cells);

  std::ostream& out_;
  std::vector<std::string> header_;
  std::vector<size_t> widths_;
  std::vector<std::vector<std::string>> pending_;
  bool header_written_ = false;
  size_t rows_written_ = 0;
};

// Writes `message` in the proto3 JSON mapping on one line, then flushes.
// Returns InternalError when the message cannot be converted.
absl::Status WriteJsonLine(const google::protobuf::Message& message,
                           std::ostream& out);

// Writes `key: value` lines with the values aligned after the longest key.
void WriteKeyValues(
    const std::vector<std::pair<std::string, std::string>>& fields,
    std::ostream& out);

// Number of characters a terminal shows for UTF-8 `s` (code points; wide
// characters count once).
size_t DisplayWidth(absl::string_view s);

// RFC 3339 in UTC, seconds precision: "2024-05-01T12:00:00Z".
std::string FormatTimestamp(const google::protobuf::Timestamp& t);

// A verdict score with two decimals: "0.87".
std::string FormatScore(double score);

// The reasons of a verdict for one table cell: codes, each with the entry or
// brand domain that matched in parentheses, comma-separated; "-" for none.
// Example: "BLOCKLIST_MATCH(evil.example), URL_USERINFO".
std::string FormatReasons(const lureguard::v1::Verdict& verdict);

// A table cell for an optional value: "-" when it is empty.
std::string OrDash(const std::string& text);

// "1.5 MiB", "512 B": byte counts for progress lines.
std::string FormatBytes(uint64_t bytes);

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_OUTPUT_H_
