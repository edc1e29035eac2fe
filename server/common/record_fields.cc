#include "server/common/record_fields.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lureguard {

void RecordFieldWriter::Text(absl::string_view key, absl::string_view value) {
  absl::StrAppend(&out_, key, "=", absl::CEscape(value), "\n");
}

void RecordFieldWriter::Number(absl::string_view key, int64_t value) {
  absl::StrAppend(&out_, key, "=", value, "\n");
}

absl::Status ForEachRecordField(
    absl::string_view payload, absl::string_view what,
    absl::FunctionRef<void(absl::string_view key, const RecordField& field)>
        visit) {
  RecordField field;
  for (absl::string_view line : absl::StrSplit(payload, '\n')) {
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return absl::DataLossError(
          absl::StrCat(what, ": line without '=': ", line));
    }
    const absl::string_view key = line.substr(0, eq);
    if (!absl::CUnescape(line.substr(eq + 1), &field.text)) {
      return absl::DataLossError(absl::StrCat(what, ": bad escape in ", key));
    }
    field.is_number = absl::SimpleAtoi(field.text, &field.number);
    visit(key, field);
  }
  return absl::OkStatus();
}

}  // namespace lureguard
