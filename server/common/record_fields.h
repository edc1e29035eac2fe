// The payload encoding of the small state records that capabilities keep in
// the store's record collections (feeds, CT logs): one "key=value" line per
// field, values C-escaped. Text rather than protobuf so that `sqlite3` shows
// a record as it is; keys a reader does not know (from a newer version) are
// skipped, so records stay readable across upgrades and rollbacks.
//
// Example:
//   RecordFieldWriter w;
//   w.Text("name", "phishtank");
//   w.Number("interval_s", 3600);
//   std::string payload = std::move(w).Finish();
//
//   absl::Status s = ForEachRecordField(payload, "feed record",
//       [&](absl::string_view key, const RecordField& field) {
//         if (key == "name") name = field.text;
//         else if (key == "interval_s" && field.is_number) ...
//       });

#ifndef LUREGUARD_SERVER_COMMON_RECORD_FIELDS_H_
#define LUREGUARD_SERVER_COMMON_RECORD_FIELDS_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lureguard {

// Builds a record payload, one field at a time.
class RecordFieldWriter {
 public:
  void Text(absl::string_view key, absl::string_view value);
  void Number(absl::string_view key, int64_t value);
  std::string Finish() && { return std::move(out_); }

 private:
  std::string out_;
};

// One decoded field: its text, and its value when the text is an integer.
struct RecordField {
  std::string text;
  bool is_number = false;
  int64_t number = 0;
};

// Calls `visit` for every field of `payload`, in order. DataLoss naming
// `what` and the key for a line without '=' or with a bad escape.
absl::Status ForEachRecordField(
    absl::string_view payload, absl::string_view what,
    absl::FunctionRef<void(absl::string_view key, const RecordField& field)>
        visit);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_RECORD_FIELDS_H_
