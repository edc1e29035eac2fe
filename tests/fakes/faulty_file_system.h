// A FileSystem over a real directory that fails where a test says: the
// nth write runs out of space, opening a file is refused, a rename fails.
// Everything not scripted to fail goes to DefaultFileSystem(), so the
// files a test sees afterwards are real. It lets the failure paths of key
// files, admin.token and the breached-password store run as any user;
// making a real file unwritable needs root's immutable attribute.
//
// Thread safety: safe for concurrent use by multiple threads.
//
// Example:
//   FaultyFileSystem fs;
//   fs.Fail(FileOperation::kAppend, ENOSPC);          // the first write
//   fs.Fail(FileOperation::kRename, EIO, /*nth=*/2);  // the second rename
//   absl::Status s = WriteOwnerOnlyFileAtomically(fs, dir + "/a", "x");
//   // s: ResourceExhausted "write '<dir>/a.tmp': No space left on device"
//   // fs.calls(FileOperation::kRemove) == 1: the partial file went away

#ifndef LUREGUARD_TESTS_FAKES_FAULTY_FILE_SYSTEM_H_
#define LUREGUARD_TESTS_FAKES_FAULTY_FILE_SYSTEM_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/common/file_system.h"

namespace lureguard {

// The operations a FaultyFileSystem counts and can fail.
enum class FileOperation {
  kOpenForReading,
  kSize,
  kRead,
  kMap,
  kCreate,
  kAppend,
  kSync,
  kClose,
  kRename,
  kRemove,
  kAccess,
};

// See the file comment.
class FaultyFileSystem final : public FileSystem {
 public:
  // The `nth` call (counting from 1 over the whole life of this object, on
  // any path) of `operation` fails with `error_number` (an errno) instead
  // of running, with the status the POSIX call would give (FileError).
  void Fail(FileOperation operation, int error_number, int nth = 1);
  // Every call of `operation` from now on fails with `error_number`.
  void FailAlways(FileOperation operation, int error_number);

  // Calls of `operation` so far, failed ones included.
  int calls(FileOperation operation) const;

  absl::StatusOr<std::unique_ptr<ReadableFile>> OpenForReading(
      const std::string& path) override;
  absl::StatusOr<std::unique_ptr<WritableFile>> CreateOwnerOnlyFile(
      const std::string& path, bool exclusive) override;
  absl::Status Rename(const std::string& from, const std::string& to) override;
  absl::Status Remove(const std::string& path) override;
  // An injected error number, else the real answer.
  int AccessError(const std::string& path, int mode) override;

  // Counts a call of `operation` on `path`; the injected error when this
  // call is to fail, OK when it is to run. For the file wrappers.
  absl::Status Enter(FileOperation operation, const std::string& path);

 private:
  // Counts a call of `operation`; the errno it is to fail with, or 0.
  int NextError(FileOperation operation);

  mutable absl::Mutex mu_;
  std::map<FileOperation, int> calls_ ABSL_GUARDED_BY(mu_);
  // (operation, nth call) -> errno.
  std::map<std::pair<FileOperation, int>, int> failures_ ABSL_GUARDED_BY(mu_);
  std::map<FileOperation, int> always_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_FAULTY_FILE_SYSTEM_H_
