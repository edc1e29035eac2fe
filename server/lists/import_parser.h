// Parses list files (admin imports, later feeds) line by line into
// normalized entries, streaming: the file may arrive in chunks of any size.
//
// Formats: "entries" (one admin value per line, kind inferred as in
// CreateListEntry), "domains" (one domain per line; the domain and its
// subdomains), "hosts" (hosts-file lines "0.0.0.0 host..."; exact hosts),
// "urls" (one URL per line; URL prefixes without the query), and "auto",
// which picks one of these from the first meaningful line. Blank lines and
// comments ('#', and '!' as in adblock lists) are skipped everywhere; a
// UTF-8 byte-order mark and CRLF line ends are accepted.
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
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/lists/entry_value.h"

namespace lureguard::lists {

// What a finished import parse produced.
struct ImportResult {
  std::vector<EntryValue> entries;  // unique, in file order
  int64_t duplicate_count = 0;
  int64_t skipped_count = 0;
  std::vector<std::string> skipped_examples;  // "line N: reason", first few
  std::string format;                         // the format used
};

class ImportParser {
 public:
  // Lines longer than this are invalid: no real host or URL list has them,
  // and the cap bounds the memory a hostile file can take.
  static constexpr size_t kMaxLineLength = 8192;
  static constexpr size_t kMaxSkippedExamples = 5;

  // `format` is one of the names above; an unknown name makes AddChunk and
  // Finish fail. With `skip_invalid`, invalid lines are counted and
  // skipped; otherwise the first one fails the parse.
  ImportParser(absl::string_view format, bool skip_invalid);

  // Feeds the next bytes of the file. Returns InvalidArgument naming the
  // line when a line is invalid and `skip_invalid` is false; the parser
  // must then be discarded.
  absl::Status AddChunk(absl::string_view chunk);

  // Parses the last, unterminated line and returns the result.
  absl::StatusOr<ImportResult> Finish() &&;

  // Lines seen so far (for progress reports).
  int64_t line_count() const { return line_number_; }

  static bool IsKnownFormat(absl::string_view format);

 private:
  absl::Status ParseLine(absl::string_view line);
  absl::StatusOr<std::vector<EntryValue>> ParseValues(absl::string_view line);
  absl::Status Reject(absl::string_view reason);

  std::string format_;
  bool skip_invalid_;
  bool at_start_ = true;
  int64_t line_number_ = 0;
  std::string partial_line_;
  absl::flat_hash_set<std::string> seen_;
  ImportResult result_;
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_IMPORT_PARSER_H_
