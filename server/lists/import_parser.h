// Parses list files (admin imports and feeds) into normalized entries,
// streaming: the file may arrive in chunks of any size, and memory stays
// bounded by one line or record, not the file.
//
// Formats (names fixed by the design):
//   "entries"        one admin value per line, kind inferred as in
//                    CreateListEntry
//   "domains"        one domain per line: the domain and its subdomains
//   "hosts"          hosts-file lines "0.0.0.0 host..."; exact hosts
//   "urls"           one URL per line (OpenPhish); URL prefixes "host/path"
//                    without the query, which varies per victim
//   "phishtank-csv"  PhishTank CSV with its header; the "url" column, rows
//                    with verified or online "no" skipped
//   "phishtank-json" PhishTank JSON: an array of objects with "url",
//                    streamed one object at a time; the same rules
//   "urlhaus-csv"    URLhaus CSV; the header may be the "# id,dateadded,url,
//                    ..." comment of the official dump; url_status
//                    "offline" rows skipped
//   "adblock"        AdBlock/uBlock rules: "||host^" a domain entry,
//                    "||host/path^" a URL prefix, options ignored; any
//                    other rule skipped
//   "auto"           detected from the content: '[' or '{' first is JSON, a
//                    CSV header naming "url" is PhishTank ("phish_id") or
//                    URLhaus ("url_status"), "||" rules or "! " comments are
//                    adblock, otherwise hosts, urls or entries from the first
//                    meaningful line.
// In line formats blank lines and comments ('#', and '!' as in adblock
// lists) are skipped; a UTF-8 byte-order mark and CRLF line ends are
// accepted. CSV follows RFC 4180, including quoted fields that span lines.
//
// Invalid lines fail the parse, or with `skip_invalid` are counted and
// skipped with the first few reasons. Input that is not the format at all
// (an HTML page, a CSV header without "url", broken or truncated JSON, CSV
// rows before any header) fails the parse even with `skip_invalid`: no
// line of it could be right, and a feed must never turn into an empty list
// because its server answered with an error page.
//
// Thread safety: not thread-safe; one parser per import.
//
// Example:
//   ImportParser parser("auto", /*skip_invalid=*/false);
//   for (absl::string_view chunk : chunks) {
//     if (absl::Status s = parser.AddChunk(chunk); !s.ok()) return s;
//   }
//   absl::StatusOr<ImportResult> result = std::move(parser).Finish();

#ifndef LUREGUARD_SERVER_LISTS_IMPORT_PARSER_H_
#define LUREGUARD_SERVER_LISTS_IMPORT_PARSER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/lists/entry_value.h"
#include "server/store/store.h"

namespace lureguard::lists {

// What a finished import parse produced.
struct ImportResult {
  std::vector<EntryValue> entries;  // unique, in file order
  int64_t duplicate_count = 0;
  int64_t skipped_count = 0;
  // "line N: reason" (or "record N: reason" for JSON), the first few.
  std::vector<std::string> skipped_examples;
  std::string format;  // the format used ("auto" resolved)
  // The threat the format's source lists: "malware" for URLhaus,
  // "phishing" for PhishTank; empty when the format does not say.
  std::string threat_hint;
};

// The threat type a list in `format` holds when the feed or import does not
// say: kMalware for URLhaus's formats ("urlhaus-csv"; URLhaus lists only
// malware distribution sites), kPhishing for every other format.
store::ThreatType DefaultThreatType(absl::string_view format);

class ImportParser {
 public:
  // Lines longer than this are invalid: no real host or URL list has them,
  // and the cap bounds the memory a hostile file can take.
  static constexpr size_t kMaxLineLength = 8192;
  // A CSV record spanning lines or one JSON object may be longer than a
  // line (PhishTank's "details" array), but not longer than this.
  static constexpr size_t kMaxRecordLength = 65536;
  static constexpr size_t kMaxSkippedExamples = 5;

  // `format` is one of the names above ("" means "auto"); an unknown name
  // makes AddChunk and Finish fail. With `skip_invalid`, invalid lines are
  // counted and skipped; otherwise the first one fails the parse.
  ImportParser(absl::string_view format, bool skip_invalid);
  ~ImportParser();
  ImportParser(ImportParser&&) noexcept;
  ImportParser& operator=(ImportParser&&) noexcept;

  // Feeds the next bytes of the file. Returns InvalidArgument naming the
  // line when the input is invalid (see above); the parser must then be
  // discarded (later calls return the same error).
  absl::Status AddChunk(absl::string_view chunk);

  // Parses the last, unterminated line and returns the result.
  absl::StatusOr<ImportResult> Finish() &&;

  static bool IsKnownFormat(absl::string_view format);
  // OK for a known format; else InvalidArgument "format: unknown format
  // 'X' (known: ...)" listing every format, for each caller that takes one.
  static absl::Status CheckFormat(absl::string_view format);

 private:
  struct FormatState;  // per-format state: CSV header, JSON scanner
  enum class Mode { kSniffing, kLines, kJson };

  absl::Status AddBytes(absl::string_view chunk);
  absl::Status AddLines(absl::string_view chunk);
  absl::Status AddJson(absl::string_view chunk);
  absl::Status ParseLine(absl::string_view line);
  absl::Status ParseComment(absl::string_view line);
  absl::Status ParseCsvLine(absl::string_view line);
  absl::Status DetectLineFormat(absl::string_view line);
  absl::StatusOr<std::vector<EntryValue>> ParseValues(absl::string_view line);
  absl::Status AddEntry(EntryValue value);
  absl::Status Reject(absl::string_view reason);
  absl::Status RejectAt(absl::string_view where, int64_t number,
                        absl::string_view reason);
  absl::Status NotThisFormat(absl::string_view reason) const;

  std::string format_;
  bool skip_invalid_;
  Mode mode_ = Mode::kLines;
  bool at_start_ = true;
  int64_t line_number_ = 0;
  std::string head_;  // bytes held while "auto" sniffs JSON vs lines
  std::string partial_line_;
  absl::Status status_;  // sticky once a call failed
  std::unique_ptr<FormatState> state_;
  absl::flat_hash_set<std::string> seen_;
  ImportResult result_;
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_IMPORT_PARSER_H_
