// RFC 4180 CSV records: quoted fields, doubled quotes inside them, commas
// and line breaks inside quotes. Used by the PhishTank and URLhaus feed
// formats; private to server/lists/.
//
// Thread safety: pure functions.
//
// Example:
//   std::vector<std::string> fields;
//   CsvRecordStatus s = ParseCsvRecord(R"(1,"a ""b"", c",d)", &fields);
//   // s == kComplete, fields == {"1", "a \"b\", c", "d"}

#ifndef LUREGUARD_SERVER_LISTS_INTERNAL_CSV_H_
#define LUREGUARD_SERVER_LISTS_INTERNAL_CSV_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace lureguard::lists::internal {

enum class CsvRecordStatus {
  kComplete,   // `fields` holds the record
  kOpenQuote,  // a quoted field is still open: the record continues on the
               // next line (the caller appends "\n" and that line)
  kMalformed,  // a quote inside an unquoted field, or text after a closing
               // quote; `error` says which
};

// Splits one record (without its line terminator) into unescaped fields.
// A record of one empty line is one empty field, as RFC 4180 reads it.
// Whitespace around fields is kept: RFC 4180 makes it part of the field.
CsvRecordStatus ParseCsvRecord(absl::string_view record,
                               std::vector<std::string>* fields,
                               std::string* error = nullptr);

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_CSV_H_
