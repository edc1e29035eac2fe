#include "server/login/breached_password_generation.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/common/record_fields.h"

namespace lureguard::login {

BreachedPasswordGeneration GenerationOf(const BreachedPasswordStore& store) {
  return {.hashes = store.size(),
          .file_bytes = store.file_bytes(),
          .update_time = store.update_time()};
}

std::string EncodeBreachedPasswordGeneration(
    const BreachedPasswordGeneration& generation) {
  RecordFieldWriter out;
  out.Number("hashes", generation.hashes);
  out.Number("file_bytes", generation.file_bytes);
  out.Number("update_time_s", absl::ToUnixSeconds(generation.update_time));
  return std::move(out).Finish();
}

absl::StatusOr<BreachedPasswordGeneration> DecodeBreachedPasswordGeneration(
    absl::string_view payload) {
  BreachedPasswordGeneration generation;
  int fields = 0;
  absl::Status status = ForEachRecordField(
      payload, "breached-password record",
      [&](absl::string_view key, const RecordField& field) {
        if (!field.is_number) return;  // a text field of a newer version
        if (key == "hashes") {
          generation.hashes = field.number;
          ++fields;
        } else if (key == "file_bytes") {
          generation.file_bytes = field.number;
          ++fields;
        } else if (key == "update_time_s") {
          generation.update_time = absl::FromUnixSeconds(field.number);
          ++fields;
        }
      });
  if (!status.ok()) return status;
  if (fields != 3) {
    return absl::DataLossError(
        "breached-password record: needs hashes, file_bytes and "
        "update_time_s");
  }
  return generation;
}

std::string DescribeGeneration(const BreachedPasswordGeneration& generation) {
  return absl::StrCat(
      generation.hashes, " hashes, ", generation.file_bytes, " bytes, written ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", generation.update_time,
                       absl::UTCTimeZone()));
}

}  // namespace lureguard::login
