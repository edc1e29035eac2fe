// FILE|- arguments: the commands that upload a file (list imports,
// breached-password imports, messages to rewrite) read it through one
// piece of code, so "-" means stdin, errors name the file, and uploads
// stream in bounded chunks the same way everywhere.

#ifndef LUREGUARD_CLIENT_INPUT_FILE_H_
#define LUREGUARD_CLIENT_INPUT_FILE_H_

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <istream>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::cli {

// An opened FILE|- argument.
class InputFile {
 public:
  // "-" reads `stdin_stream`; any other path is opened in binary mode.
  // FailedPrecondition `cannot open "PATH": reason` when it cannot be.
  static absl::StatusOr<InputFile> Open(const std::string& path,
                                        std::istream& stdin_stream);

  InputFile(InputFile&&) = default;
  InputFile& operator=(InputFile&&) = default;

  std::istream& stream() { return file_.is_open() ? file_ : *stdin_; }
  // "stdin" or the path, for messages and progress lines.
  const std::string& display_name() const { return display_name_; }
  // The file's size when known (not for stdin or pipes).
  std::optional<uint64_t> size() const { return size_; }

  // How ForEachChunk ended.
  enum class End { kEndOfInput, kStopped, kReadError };

  // Reads the input in chunks of `chunk_bytes` (at least 1) and hands each
  // to `send`, with `first` true for the first. `send` is called at least
  // once, with an empty chunk for empty input, so a stream is always
  // opened with its first message. Stops early when `send` returns false.
  End ForEachChunk(
      size_t chunk_bytes,
      absl::FunctionRef<bool(absl::string_view chunk, bool first)> send);

 private:
  InputFile() = default;

  std::ifstream file_;
  std::istream* stdin_ = nullptr;
  std::string display_name_;
  std::optional<uint64_t> size_;
};

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_INPUT_FILE_H_
