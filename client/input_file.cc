#include "client/input_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lureguard::cli {

absl::StatusOr<InputFile> InputFile::Open(const std::string& path,
                                          std::istream& stdin_stream) {
  InputFile input;
  if (path == "-") {
    input.stdin_ = &stdin_stream;
    input.display_name_ = "stdin";
    return input;
  }
  input.display_name_ = path;
  input.file_.open(path, std::ios::binary);
  if (!input.file_) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open \"", path, "\": ", std::strerror(errno)));
  }
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec) input.size_ = size;
  return input;
}

InputFile::End InputFile::ForEachChunk(
    size_t chunk_bytes,
    absl::FunctionRef<bool(absl::string_view chunk, bool first)> send) {
  std::istream& in = stream();
  std::string buffer(std::max<size_t>(chunk_bytes, 1), '\0');
  bool first = true;
  for (;;) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const size_t n = static_cast<size_t>(in.gcount());
    if (in.bad()) return End::kReadError;
    if (n > 0 || first) {
      if (!send(absl::string_view(buffer.data(), n), first)) {
        return End::kStopped;
      }
      first = false;
    }
    if (!in) return End::kEndOfInput;
  }
}

}  // namespace lureguard::cli
