#include "server/lists/internal/csv.h"

#include "absl/strings/str_cat.h"

namespace lureguard::lists::internal {

CsvRecordStatus ParseCsvRecord(absl::string_view record,
                               std::vector<std::string>* fields,
                               std::string* error) {
  fields->clear();
  fields->emplace_back();
  size_t i = 0;
  while (true) {
    std::string& field = fields->back();
    if (i < record.size() && record[i] == '"') {
      // Quoted field: runs to the next quote that is not doubled.
      ++i;
      while (true) {
        const size_t quote = record.find('"', i);
        if (quote == absl::string_view::npos) {
          return CsvRecordStatus::kOpenQuote;
        }
        field.append(record.data() + i, quote - i);
        i = quote + 1;
        if (i < record.size() && record[i] == '"') {
          field.push_back('"');
          ++i;
          continue;
        }
        break;
      }
      if (i == record.size()) return CsvRecordStatus::kComplete;
      if (record[i] != ',') {
        if (error != nullptr) {
          *error = absl::StrCat("field ", fields->size(),
                                ": text after the closing quote");
        }
        return CsvRecordStatus::kMalformed;
      }
      ++i;
      fields->emplace_back();
      continue;
    }
    // Unquoted field: runs to the next comma and may not contain a quote.
    const size_t comma = record.find(',', i);
    absl::string_view text = record.substr(i, comma == absl::string_view::npos
                                                  ? absl::string_view::npos
                                                  : comma - i);
    if (text.find('"') != absl::string_view::npos) {
      if (error != nullptr) {
        *error = absl::StrCat("field ", fields->size(),
                              ": a quote inside an unquoted field");
      }
      return CsvRecordStatus::kMalformed;
    }
    field.append(text.data(), text.size());
    if (comma == absl::string_view::npos) return CsvRecordStatus::kComplete;
    i = comma + 1;
    fields->emplace_back();
  }
}

}  // namespace lureguard::lists::internal
