// lureguard: the admin and query CLI of Lureguard. See client/README.md and
// `lureguard --help`.
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "client/cli.h"

int main(int argc, char** argv) {
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
