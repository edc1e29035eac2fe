// Builds the breached-password store (breached_passwords.h) from the Pwned
// Passwords download format, in bounded memory: lines are parsed into
// sorted runs of `run_bytes` written to disk, then merged with the current
// store into a new file that replaces it by rename. A billion hashes need
// a few GB of temporary disk, never the RAM to hold them.
//
// Accepted lines (CRLF or LF, surrounding blanks ignored, empty lines
// skipped): "SHA1:COUNT" (40 hex digits), or "SUFFIX:COUNT" (35 hex digits)
// after SetPrefix with the 5-hex prefix of a per-prefix file. A hash seen
// twice keeps its larger count, so re-importing a newer dump updates it.
//
// Thread safety: not thread-safe. Importers may run at once in one work
// dir (their run files are named apart); Finish calls must not overlap for
// one output (LoginEngine serializes them).
//
// Example:
//   BreachedPasswordImporter importer({.work_dir = "/var/lib/lureguard"});
//   importer.Add("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824\n");
//   absl::StatusOr<int64_t> total =
//       importer.Finish(current_store, "/var/lib/lureguard/breached.lgpw",
//                       absl::Now());

#ifndef LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORD_IMPORT_H_
#define LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORD_IMPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/login/breached_passwords.h"

namespace lureguard::login {

class BreachedPasswordImporter {
 public:
  struct Options {
    // Where sorted runs are written while importing (removed afterwards).
    std::string work_dir;
    // Memory for the run being sorted. 64 MiB holds 2.8 M hashes.
    size_t run_bytes = size_t{64} << 20;
  };

  explicit BreachedPasswordImporter(Options options);
  ~BreachedPasswordImporter();  // removes any run files left

  BreachedPasswordImporter(const BreachedPasswordImporter&) = delete;
  BreachedPasswordImporter& operator=(const BreachedPasswordImporter&) = delete;

  // Lines from now on are suffixes of `prefix` (5 hex digits); empty: full
  // hashes. InvalidArgument naming `prefix` otherwise.
  absl::Status SetPrefix(absl::string_view prefix);

  // Parses the next bytes; a line may continue in the next call.
  // InvalidArgument "line N: ..." on a bad line (never echoing the hash),
  // after which the import must be abandoned.
  absl::Status Add(absl::string_view bytes);

  // Merges everything added with every hash of `existing` (may be null)
  // into a new store at `output`, atomically replacing what is there.
  // Returns the number of hashes in the new store.
  //
  // `still_wanted` (may be empty) is asked during the merge and just before
  // the new store replaces the old one; when it says no, the merge stops,
  // `output` is left as it was and the result is Cancelled.
  absl::StatusOr<int64_t> Finish(
      const BreachedPasswordStore* existing, const std::string& output,
      absl::Time now, const std::function<bool()>& still_wanted = nullptr);

  // Removes the run files and half-written stores that imports into
  // `work_dir` for `output` left behind when their process died (killed,
  // crashed, power lost). File names carry FileTag(): on this host, the
  // files of processes no longer running (and of our own pid: in a
  // container every start is pid 1) go; another host's (a replica on a
  // shared volume) go only once untouched for 24 hours. Called at start,
  // before any import of this process. Returns the bytes removed.
  static int64_t RemoveAbandonedFiles(const std::string& work_dir,
                                      const std::string& output);

  // "<pid>@<host>", the writer tag in this process's file names; the host
  // name keeps letters and digits, anything else becomes '_'.
  static std::string FileTag();

  int64_t lines() const { return lines_; }

 private:
  struct Entry {
    Sha1 hash;
    uint32_t count;
  };

  absl::Status ParseLine(absl::string_view line);
  absl::Status FlushRun();

  Options options_;
  const uint64_t id_;    // names this importer's run files
  std::string prefix_;   // 5 uppercase hex digits, or empty
  std::string partial_;  // an incomplete last line
  int64_t lines_ = 0;
  std::vector<Entry> run_;
  std::vector<std::string> run_paths_;
};

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORD_IMPORT_H_
