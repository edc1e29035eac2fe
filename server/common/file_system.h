// The few file operations the server does itself (secret key files,
// admin.token, mapping the breached-password store, checking the SQLite
// store can be written), behind one narrow
// interface so that tests can make them fail: LevelDB's `Env` is the model.
// Production uses `DefaultFileSystem()` (POSIX); tests pass a
// `FaultyFileSystem` (tests/fakes/faulty_file_system.h) that injects
// EACCES, ENOSPC, EIO or a failing rename into a real directory, so every
// failure path runs as any user, not only as root.
//
// Errors are `absl::ErrnoToStatus` of the failing call, with a message
// "<operation> '<path>': <strerror>" (`FileError`): NotFound for ENOENT,
// AlreadyExists for EEXIST, PermissionDenied for EACCES/EPERM,
// ResourceExhausted for ENOSPC, Unknown for EIO.
//
// Thread safety: a FileSystem is safe for concurrent use by multiple
// threads; a ReadableFile or WritableFile is used by one thread at a time.
//
// Example:
//   FileSystem& fs = DefaultFileSystem();
//   absl::Status written =
//       WriteOwnerOnlyFileAtomically(fs, dir + "/admin.token", token + "\n");
//   absl::StatusOr<std::string> key = ReadSmallFile(fs, key_path, 4096);

#ifndef LUREGUARD_SERVER_COMMON_FILE_SYSTEM_H_
#define LUREGUARD_SERVER_COMMON_FILE_SYSTEM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard {

// A read-only memory mapping of a whole file; unmapped on destruction.
// An empty file has an empty mapping (data() is null).
class MappedRegion {
 public:
  MappedRegion() = default;
  // Takes ownership of `size` bytes mmap()ed at `data`.
  MappedRegion(const void* data, size_t size) : data_(data), size_(size) {}
  ~MappedRegion();
  MappedRegion(MappedRegion&& other) noexcept;
  MappedRegion& operator=(MappedRegion&& other) noexcept;
  MappedRegion(const MappedRegion&) = delete;
  MappedRegion& operator=(const MappedRegion&) = delete;

  const uint8_t* data() const { return static_cast<const uint8_t*>(data_); }
  size_t size() const { return size_; }
  // Tells the kernel lookups jump around, so it does not read ahead.
  void AdviseRandomAccess() const;

 private:
  const void* data_ = nullptr;
  size_t size_ = 0;
};

// A file open for reading.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // The file's size in bytes now.
  virtual absl::StatusOr<uint64_t> Size() = 0;
  // Reads up to `n` bytes into `buffer`; 0 at the end of the file.
  virtual absl::StatusOr<size_t> Read(char* buffer, size_t n) = 0;
  // Maps the whole file read-only; the mapping outlives this object.
  virtual absl::StatusOr<MappedRegion> Map() = 0;
};

// A file open for writing. Close() reports errors the kernel deferred;
// destroying an unclosed file closes it and drops those errors.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual absl::Status Append(absl::string_view data) = 0;
  // Data written so far reaches the disk (fsync).
  virtual absl::Status Sync() = 0;
  virtual absl::Status Close() = 0;
};

// The operations; see the file comment.
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual absl::StatusOr<std::unique_ptr<ReadableFile>> OpenForReading(
      const std::string& path) = 0;
  // Creates `path` with mode exactly 0600 (whatever the umask). With
  // `exclusive`, AlreadyExists when it exists (O_EXCL: of two processes
  // creating it at once, one wins); otherwise an existing file is
  // truncated and made 0600.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> CreateOwnerOnlyFile(
      const std::string& path, bool exclusive) = 0;
  // rename(2): replaces `to` atomically.
  virtual absl::Status Rename(const std::string& from,
                              const std::string& to) = 0;
  virtual absl::Status Remove(const std::string& path) = 0;
  // 0 when this process, by its effective ids, may access `path` as
  // `mode` (access(2)'s R_OK, W_OK, X_OK bits), else the errno. A question,
  // not an operation: the caller words the answer (the SQLite store names
  // the directory or file an operator must fix).
  virtual int AccessError(const std::string& path, int mode) = 0;
};

// POSIX; lives for the whole process.
FileSystem& DefaultFileSystem();

// The status for `error_number` (an errno) from `operation` on `path`:
// "<operation> '<path>': <strerror>" with absl::ErrnoToStatusCode's code.
absl::Status FileError(int error_number, absl::string_view operation,
                       absl::string_view path);

// The whole file at `path`. OutOfRange when it holds more than `max_bytes`
// (it is then not read further).
absl::StatusOr<std::string> ReadSmallFile(FileSystem& fs,
                                          const std::string& path,
                                          size_t max_bytes);

// Writes `contents` to a new file `path` (mode 0600, exclusive) and syncs
// it. AlreadyExists when `path` exists; on any other failure the partial
// file is removed, so a later start does not read half a secret.
absl::Status CreateOwnerOnlyFileWith(FileSystem& fs, const std::string& path,
                                     absl::string_view contents);

// Replaces `path` with `contents` (mode 0600) atomically: written to
// "<path>.tmp", synced, then renamed over `path`, so readers see the old
// file or the whole new one. On failure `path` is untouched and the
// temporary file removed.
absl::Status WriteOwnerOnlyFileAtomically(FileSystem& fs,
                                          const std::string& path,
                                          absl::string_view contents);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_FILE_SYSTEM_H_
