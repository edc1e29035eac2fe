// Fuzz target for the ZIP reader: every input is read as an archive with
// small limits, so the caps are reached often. Besides the sanitizers, it
// checks the promises of server/mail/zip_archive.h that hold for every
// input: the caps hold whatever the archive declares.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "server/mail/zip_archive.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::fuzz::Check;
using lureguard::mail::ZipContents;
using lureguard::mail::ZipLimits;
using lureguard::mail::ZipMember;

constexpr size_t kMaxInput = 1 << 20;

bool IsHtmlName(std::string_view name) {
  return name.size() >= 5 &&
         absl::EqualsIgnoreCase(
             absl::string_view(name.data() + name.size() - 5, 5), ".html");
}

// Small caps, so that fuzzed inputs reach them.
constexpr ZipLimits kLimits = {
    .max_members = 16, .max_member_bytes = 4096, .max_total_bytes = 10000};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ZipContents> z =
      lureguard::mail::ReadZip(input, kLimits, nullptr);
  if (!z.ok()) {
    Check(z.status().code() == absl::StatusCode::kInvalidArgument &&
              absl::StartsWith(z.status().message(), "not a ZIP archive: "),
          "failures are InvalidArgument 'not a ZIP archive: ...'", input);
    return 0;
  }
  Check(z->members.size() + z->unreadable.size() <= kLimits.max_members,
        "no more members than max_members are looked at", input);
  size_t total = 0;
  for (const ZipMember& m : z->members) {
    Check(m.data.size() <= kLimits.max_member_bytes, "max_member_bytes holds",
          input);
    Check(!m.name.ends_with('/'), "directories are skipped", input);
    Check(!m.truncated || z->truncated,
          "a truncated member marks the archive truncated", input);
    total += m.data.size();
  }
  Check(total <= kLimits.max_total_bytes, "max_total_bytes holds", input);
  if (z->member_count > kLimits.max_members) {
    Check(z->truncated, "more entries than max_members is truncated", input);
  }

  // Only wanted members are read; the rest are skipped.
  absl::StatusOr<ZipContents> html =
      lureguard::mail::ReadZip(input, kLimits, IsHtmlName);
  Check(html.ok(), "an archive that opens once opens again", input);
  for (const ZipMember& m : html->members) {
    Check(IsHtmlName(m.name), "only wanted members are read", input);
  }
  return 0;
}
