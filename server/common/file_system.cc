#include "server/common/file_system.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard {
namespace {

class PosixReadableFile final : public ReadableFile {
 public:
  PosixReadableFile(std::string path, int fd)
      : path_(std::move(path)), fd_(fd) {}
  ~PosixReadableFile() override { close(fd_); }

  absl::StatusOr<uint64_t> Size() override {
    struct stat st;
    if (fstat(fd_, &st) != 0) return FileError(errno, "fstat", path_);
    return static_cast<uint64_t>(st.st_size);
  }

  absl::StatusOr<size_t> Read(char* buffer, size_t n) override {
    ssize_t got;
    do {
      got = read(fd_, buffer, n);
    } while (got < 0 && errno == EINTR);
    if (got < 0) return FileError(errno, "read", path_);
    return static_cast<size_t>(got);
  }

  absl::StatusOr<MappedRegion> Map() override {
    ASSIGN_OR_RETURN(const uint64_t size, Size());
    // mmap() refuses a zero length.
    if (size == 0) return MappedRegion();
    void* data = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd_, 0);
    if (data == MAP_FAILED) return FileError(errno, "mmap", path_);
    return MappedRegion(data, size);
  }

 private:
  const std::string path_;
  const int fd_;
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd)
      : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) close(fd_);
  }

  absl::Status Append(absl::string_view data) override {
    while (!data.empty()) {
      const ssize_t n = write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return FileError(errno, "write", path_);
      data.remove_prefix(static_cast<size_t>(n));
    }
    return absl::OkStatus();
  }

  absl::Status Sync() override {
    if (fsync(fd_) != 0) return FileError(errno, "fsync", path_);
    return absl::OkStatus();
  }

  absl::Status Close() override {
    const int fd = std::exchange(fd_, -1);
    if (fd < 0) return absl::OkStatus();
    if (close(fd) != 0) return FileError(errno, "close", path_);
    return absl::OkStatus();
  }

 private:
  const std::string path_;
  int fd_;
};

class PosixFileSystem final : public FileSystem {
 public:
  absl::StatusOr<std::unique_ptr<ReadableFile>> OpenForReading(
      const std::string& path) override {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return FileError(errno, "open", path);
    return std::make_unique<PosixReadableFile>(path, fd);
  }

  absl::StatusOr<std::unique_ptr<WritableFile>> CreateOwnerOnlyFile(
      const std::string& path, bool exclusive) override {
    const int flags =
        O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
    const int fd = open(path.c_str(), flags, 0600);
    if (fd < 0) return FileError(errno, "create", path);
    // The umask may have taken bits away, and an existing file keeps its
    // mode: a secret is the owner's alone either way.
    if (fchmod(fd, 0600) != 0) {
      const int error = errno;
      close(fd);
      return FileError(error, "chmod", path);
    }
    return std::make_unique<PosixWritableFile>(path, fd);
  }

  absl::Status Rename(const std::string& from, const std::string& to) override {
    if (rename(from.c_str(), to.c_str()) != 0) {
      return FileError(errno, "rename", absl::StrCat(from, "' to '", to));
    }
    return absl::OkStatus();
  }

  absl::Status Remove(const std::string& path) override {
    if (unlink(path.c_str()) != 0) return FileError(errno, "remove", path);
    return absl::OkStatus();
  }

  int AccessError(const std::string& path, int mode) override {
    // AT_EACCESS: the effective ids decide, as they will for the writes.
    return faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0 ? 0 : errno;
  }
};

// Appends, syncs and closes `file`: the first error wins.
absl::Status WriteAllAndClose(WritableFile& file, absl::string_view contents) {
  absl::Status status = file.Append(contents);
  if (status.ok()) status = file.Sync();
  absl::Status closed = file.Close();
  return status.ok() ? closed : status;
}

}  // namespace

MappedRegion::~MappedRegion() {
  if (data_ != nullptr) munmap(const_cast<void*>(data_), size_);
}

MappedRegion::MappedRegion(MappedRegion&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

MappedRegion& MappedRegion::operator=(MappedRegion&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) munmap(const_cast<void*>(data_), size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void MappedRegion::AdviseRandomAccess() const {
  if (data_ != nullptr) madvise(const_cast<void*>(data_), size_, MADV_RANDOM);
}

FileSystem& DefaultFileSystem() {
  static FileSystem* const posix = new PosixFileSystem();
  return *posix;
}

absl::Status FileError(int error_number, absl::string_view operation,
                       absl::string_view path) {
  return absl::ErrnoToStatus(error_number,
                             absl::StrCat(operation, " '", path, "'"));
}

absl::StatusOr<std::string> ReadSmallFile(FileSystem& fs,
                                          const std::string& path,
                                          size_t max_bytes) {
  ASSIGN_OR_RETURN(std::unique_ptr<ReadableFile> file, fs.OpenForReading(path));
  std::string contents;
  char buffer[4096];
  while (true) {
    ASSIGN_OR_RETURN(const size_t n, file->Read(buffer, sizeof(buffer)));
    if (n == 0) return contents;
    contents.append(buffer, n);
    if (contents.size() > max_bytes) {
      return absl::OutOfRangeError(
          absl::StrCat("'", path, "' is longer than ", max_bytes, " bytes"));
    }
  }
}

absl::Status CreateOwnerOnlyFileWith(FileSystem& fs, const std::string& path,
                                     absl::string_view contents) {
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file,
                   fs.CreateOwnerOnlyFile(path, /*exclusive=*/true));
  absl::Status written = WriteAllAndClose(*file, contents);
  if (!written.ok()) fs.Remove(path).IgnoreError();
  return written;
}

absl::Status WriteOwnerOnlyFileAtomically(FileSystem& fs,
                                          const std::string& path,
                                          absl::string_view contents) {
  const std::string temporary = path + ".tmp";
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file,
                   fs.CreateOwnerOnlyFile(temporary, /*exclusive=*/false));
  absl::Status written = WriteAllAndClose(*file, contents);
  if (written.ok()) written = fs.Rename(temporary, path);
  if (!written.ok()) fs.Remove(temporary).IgnoreError();
  return written;
}

}  // namespace lureguard
