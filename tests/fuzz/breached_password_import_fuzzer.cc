// Fuzz target for the breached-password import (Pwned Passwords files).
// Input: the first line is the prefix given to SetPrefix (empty for full
// "SHA1:COUNT" files, 5 hex digits for a per-prefix file), the rest is the
// file.
//
// Besides the sanitizers it checks the promises of
// server/login/breached_password_import.h against a plain reading of the
// accepted lines: chunking never changes the outcome, errors never echo a
// hash, and the store Finish writes holds exactly the hashes of the file,
// each with its largest count; importing the same file again over that
// store changes nothing.

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/login/breached_password_import.h"
#include "server/login/breached_passwords.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::fuzz::Check;
using lureguard::login::BreachedPasswordImporter;
using lureguard::login::BreachedPasswordStore;
using lureguard::login::Sha1;

// One directory per process for the run files and stores; in /dev/shm when
// there is one, so Finish's fsync does not wait for a disk.
// The smallest run the importer allows (1024 hashes): the default 64 MiB
// run is allocated up front, which made each input take 100 ms under ASan.
constexpr size_t kRunBytes = 1024 * 24;

const std::string& WorkDir() {
  static const std::string* const dir = [] {
    std::string pattern =
        std::filesystem::exists("/dev/shm")
            ? "/dev/shm/breached-fuzz-XXXXXX"
            : (std::filesystem::temp_directory_path() / "breached-fuzz-XXXXXX")
                  .string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    std::atexit([] { std::filesystem::remove_all(WorkDir()); });
    return new std::string(pattern);
  }();
  return *dir;
}

absl::Status AddInChunks(BreachedPasswordImporter& importer,
                         absl::string_view file, size_t chunk) {
  while (!file.empty()) {
    const absl::string_view next = file.substr(0, chunk);
    file.remove_prefix(next.size());
    if (absl::Status s = importer.Add(next); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// The hashes a successful import of `file` must hold: each line stripped
// of blanks, "HEX" or "HEX:COUNT", HEX being 40 digits or, after a prefix,
// 35; the largest count of a hash wins, counts over 2^32-1 are capped.
std::map<Sha1, uint32_t> Expected(absl::string_view prefix,
                                  absl::string_view file,
                                  std::string_view input) {
  std::map<Sha1, uint32_t> expected;
  for (absl::string_view line : absl::StrSplit(file, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    std::string hex(line.substr(0, colon));
    uint64_t count = 1;
    if (colon != absl::string_view::npos) {
      Check(absl::SimpleAtoi(line.substr(colon + 1), &count),
            "an accepted line has a decimal count", input);
    }
    if (hex.size() == 35 && !prefix.empty()) {
      hex = absl::StrCat(prefix, hex);
    }
    std::optional<Sha1> hash = lureguard::login::ParseSha1Hex(hex);
    Check(hash.has_value(), "an accepted line has a hash", input);
    uint32_t& kept = expected[*hash];
    kept = std::max(
        kept, static_cast<uint32_t>(std::min<uint64_t>(count, UINT32_MAX)));
  }
  return expected;
}

void CheckStore(const std::string& path,
                const std::map<Sha1, uint32_t>& expected,
                std::string_view input) {
  absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> store =
      BreachedPasswordStore::Open(path);
  Check(store.ok(), "Finish writes a store Open reads", input);
  Check((*store)->size() == static_cast<int64_t>(expected.size()),
        "the store holds each hash once", input);
  auto want = expected.begin();
  (*store)->ForEach([&](const Sha1& hash, uint32_t count) {
    Check(
        want != expected.end() && want->first == hash && want->second == count,
        "the store holds the file's hashes in order with their counts", input);
    ++want;
  });
  for (const auto& [hash, count] : expected) {
    Check((*store)->Lookup(hash) == count, "every hash is found", input);
  }
}

bool HasLongHexRun(absl::string_view text) {
  size_t run = 0;
  for (char c : text) {
    run = absl::ascii_isxdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
    if (run >= 35) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const absl::string_view prefix(input.data(), newline);
  const absl::string_view file(input.data() + newline + 1,
                               input.size() - newline - 1);

  BreachedPasswordImporter whole(
      {.work_dir = WorkDir(), .run_bytes = kRunBytes});
  if (absl::Status s = whole.SetPrefix(prefix); !s.ok()) {
    Check(s.code() == absl::StatusCode::kInvalidArgument &&
              absl::StartsWith(s.message(), "prefix: "),
          "a bad prefix is InvalidArgument naming prefix", input);
    return 0;
  }
  const std::string upper_prefix = absl::AsciiStrToUpper(prefix);
  const std::string output = absl::StrCat(WorkDir(), "/store");
  const absl::Time now = absl::FromUnixSeconds(1767225600);

  absl::Status added = whole.Add(file);
  absl::StatusOr<int64_t> total =
      added.ok() ? whole.Finish(nullptr, output, now) : added;

  BreachedPasswordImporter chunked(
      {.work_dir = WorkDir(), .run_bytes = kRunBytes});
  Check(chunked.SetPrefix(prefix).ok(), "SetPrefix is repeatable", input);
  absl::Status chunked_added = AddInChunks(chunked, file, 1 + size % 13);
  if (chunked_added.ok()) {
    absl::StatusOr<int64_t> chunked_total =
        chunked.Finish(nullptr, output + "-chunked", now);
    Check(chunked_total.ok() == total.ok() &&
              (!total.ok() || *chunked_total == *total) &&
              (total.ok() || chunked_total.status() == total.status()),
          "chunking does not change the outcome", input);
  } else {
    Check(!total.ok() && chunked_added == total.status(),
          "chunking does not change the error", input);
  }

  if (!total.ok()) {
    Check(total.status().code() == absl::StatusCode::kInvalidArgument,
          "a bad line is InvalidArgument", input);
    Check(absl::StartsWith(total.status().message(), "line "),
          "errors name the line", input);
    Check(!HasLongHexRun(total.status().message()), "errors never echo a hash",
          input);
    return 0;
  }
  const std::map<Sha1, uint32_t> expected = Expected(upper_prefix, file, input);
  Check(*total == static_cast<int64_t>(expected.size()),
        "Finish counts the distinct hashes", input);
  CheckStore(output, expected, input);

  // The same file again, merged with the store it made: nothing changes.
  {
    absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> existing =
        BreachedPasswordStore::Open(output);
    Check(existing.ok(), "the store reopens", input);
    BreachedPasswordImporter again(
        {.work_dir = WorkDir(), .run_bytes = kRunBytes});
    Check(again.SetPrefix(prefix).ok() && again.Add(file).ok(),
          "the file imports again", input);
    absl::StatusOr<int64_t> merged =
        again.Finish(existing->get(), output + "-merged", now);
    Check(merged.ok() && *merged == *total, "a re-import adds nothing", input);
  }
  CheckStore(output + "-merged", expected, input);
  return 0;
}
