#include "tests/fakes/faulty_file_system.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard {
namespace {

// What FileError names each operation, as the POSIX file system does.
const char* PosixName(FileOperation operation) {
  switch (operation) {
    case FileOperation::kOpenForReading:
      return "open";
    case FileOperation::kSize:
      return "fstat";
    case FileOperation::kRead:
      return "read";
    case FileOperation::kMap:
      return "mmap";
    case FileOperation::kCreate:
      return "create";
    case FileOperation::kAppend:
      return "write";
    case FileOperation::kSync:
      return "fsync";
    case FileOperation::kClose:
      return "close";
    case FileOperation::kRename:
      return "rename";
    case FileOperation::kRemove:
      return "remove";
    case FileOperation::kAccess:
      return "access";
  }
  return "?";
}

class FaultyReadableFile final : public ReadableFile {
 public:
  FaultyReadableFile(FaultyFileSystem& fs, std::string path,
                     std::unique_ptr<ReadableFile> real)
      : fs_(fs), path_(std::move(path)), real_(std::move(real)) {}

  absl::StatusOr<uint64_t> Size() override {
    RETURN_IF_ERROR(fs_.Enter(FileOperation::kSize, path_));
    return real_->Size();
  }
  absl::StatusOr<size_t> Read(char* buffer, size_t n) override {
    RETURN_IF_ERROR(fs_.Enter(FileOperation::kRead, path_));
    return real_->Read(buffer, n);
  }
  absl::StatusOr<MappedRegion> Map() override {
    RETURN_IF_ERROR(fs_.Enter(FileOperation::kMap, path_));
    return real_->Map();
  }

 private:
  FaultyFileSystem& fs_;
  const std::string path_;
  const std::unique_ptr<ReadableFile> real_;
};

class FaultyWritableFile final : public WritableFile {
 public:
  FaultyWritableFile(FaultyFileSystem& fs, std::string path,
                     std::unique_ptr<WritableFile> real)
      : fs_(fs), path_(std::move(path)), real_(std::move(real)) {}

  absl::Status Append(absl::string_view data) override {
    RETURN_IF_ERROR(fs_.Enter(FileOperation::kAppend, path_));
    return real_->Append(data);
  }
  absl::Status Sync() override {
    RETURN_IF_ERROR(fs_.Enter(FileOperation::kSync, path_));
    return real_->Sync();
  }
  // A failed close still releases the descriptor, as close(2) does.
  absl::Status Close() override {
    absl::Status injected = fs_.Enter(FileOperation::kClose, path_);
    absl::Status closed = real_->Close();
    return injected.ok() ? closed : injected;
  }

 private:
  FaultyFileSystem& fs_;
  const std::string path_;
  const std::unique_ptr<WritableFile> real_;
};

}  // namespace

void FaultyFileSystem::Fail(FileOperation operation, int error_number,
                            int nth) {
  absl::MutexLock lock(&mu_);
  failures_[{operation, nth}] = error_number;
}

void FaultyFileSystem::FailAlways(FileOperation operation, int error_number) {
  absl::MutexLock lock(&mu_);
  always_[operation] = error_number;
}

int FaultyFileSystem::calls(FileOperation operation) const {
  absl::MutexLock lock(&mu_);
  auto it = calls_.find(operation);
  return it == calls_.end() ? 0 : it->second;
}

int FaultyFileSystem::NextError(FileOperation operation) {
  absl::MutexLock lock(&mu_);
  const int nth = ++calls_[operation];
  if (auto it = failures_.find({operation, nth}); it != failures_.end()) {
    return it->second;
  }
  if (auto it = always_.find(operation); it != always_.end()) {
    return it->second;
  }
  return 0;
}

absl::Status FaultyFileSystem::Enter(FileOperation operation,
                                     const std::string& path) {
  const int error_number = NextError(operation);
  if (error_number == 0) return absl::OkStatus();
  return FileError(error_number, PosixName(operation), path);
}

absl::StatusOr<std::unique_ptr<ReadableFile>> FaultyFileSystem::OpenForReading(
    const std::string& path) {
  RETURN_IF_ERROR(Enter(FileOperation::kOpenForReading, path));
  absl::StatusOr<std::unique_ptr<ReadableFile>> real =
      DefaultFileSystem().OpenForReading(path);
  if (!real.ok()) return real.status();
  return std::make_unique<FaultyReadableFile>(*this, path, *std::move(real));
}

absl::StatusOr<std::unique_ptr<WritableFile>>
FaultyFileSystem::CreateOwnerOnlyFile(const std::string& path, bool exclusive) {
  RETURN_IF_ERROR(Enter(FileOperation::kCreate, path));
  absl::StatusOr<std::unique_ptr<WritableFile>> real =
      DefaultFileSystem().CreateOwnerOnlyFile(path, exclusive);
  if (!real.ok()) return real.status();
  return std::make_unique<FaultyWritableFile>(*this, path, *std::move(real));
}

absl::Status FaultyFileSystem::Rename(const std::string& from,
                                      const std::string& to) {
  // Named as the POSIX file system names a failed rename.
  RETURN_IF_ERROR(
      Enter(FileOperation::kRename, absl::StrCat(from, "' to '", to)));
  return DefaultFileSystem().Rename(from, to);
}

absl::Status FaultyFileSystem::Remove(const std::string& path) {
  RETURN_IF_ERROR(Enter(FileOperation::kRemove, path));
  return DefaultFileSystem().Remove(path);
}

int FaultyFileSystem::AccessError(const std::string& path, int mode) {
  const int error_number = NextError(FileOperation::kAccess);
  if (error_number != 0) return error_number;
  return DefaultFileSystem().AccessError(path, mode);
}

}  // namespace lureguard
