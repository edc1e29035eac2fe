// lureguard: the admin and query CLI of Lureguard. See client/README.md and
// `lureguard --help`.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "client/cli.h"
#include "google/protobuf/stubs/logging.h"

namespace {

// The CLI sends what it is given, UTF-8 or not, so that the server names the
// field and the reason (`url: is not valid UTF-8`) in its answer; protobuf
// logs each such string as it serializes it, which would print a line of
// its own before that answer. Other protobuf messages still go to stderr.
void LogProtobuf(google::protobuf::LogLevel level, const char* filename,
                 int line, const std::string& message) {
  if (level < google::protobuf::LOGLEVEL_WARNING ||
      message.find("contains invalid UTF-8 data when serializing") !=
          std::string::npos) {
    return;
  }
  std::fprintf(
      stderr, "[libprotobuf %s %s:%d] %s\n",
      level == google::protobuf::LOGLEVEL_WARNING ? "WARNING" : "ERROR",
      filename, line, message.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  google::protobuf::SetLogHandler(&LogProtobuf);
  lureguard::cli::CliEnvironment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  env.stderr_is_tty = isatty(STDERR_FILENO) == 1;
  const std::vector<std::string> args(argv + 1, argv + argc);
  return lureguard::cli::RunCli(args, env);
}
