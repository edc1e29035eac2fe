// The lureguard command-line tool as a function: arguments and an
// environment in, output on the given streams, exit code out.
//
// main() wires the process's real environment (std::cin/cout/cerr, getenv,
// isatty); tests pass string streams and a fake environment and run the
// commands against an in-process server. RunCli never prompts and never
// throws.
//
// Example:
//   std::ostringstream out, err;
//   std::istringstream in;
//   CliEnvironment env{.in = &in, .out = &out, .err = &err};
//   int code = RunCli({"status", "--server", "127.0.0.1:50051"}, env);
#ifndef LUREGUARD_CLIENT_CLI_H_
#define LUREGUARD_CLIENT_CLI_H_

#include <cstddef>
#include <functional>
#include <iostream>
#include <optional>
#include <span>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lureguard::cli {

// The server address when neither --server nor LUREGUARD_ADDR is given
// (lureguard-server's default --listen).
inline constexpr absl::string_view kDefaultServer = "127.0.0.1:50051";

// The admin key lureguard-server writes on first start in its default data
// directory; used when neither --token nor LUREGUARD_TOKEN is given.
inline constexpr absl::string_view kDefaultTokenFile = "var/admin.token";

// Everything the CLI takes from the process it runs in.
struct CliEnvironment {
  std::istream* in = &std::cin;
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;
  // Environment variables (LUREGUARD_ADDR, LUREGUARD_TOKEN); nullopt when
  // unset.
  std::function<std::optional<std::string>(const std::string&)> getenv =
      [](const std::string&) { return std::nullopt; };
  // Read for a token when no other source names one; ignored when absent.
  std::string token_file = std::string(kDefaultTokenFile);
  // Whether stderr is a terminal (progress lines are drawn only there).
  bool stderr_is_tty = false;
  // The clock for progress reporting and retry budgets.
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // How the CLI waits out a server's retry pushback.
  std::function<void(absl::Duration)> sleep = [](absl::Duration d) {
    absl::SleepFor(d);
  };
  // Bytes per message of a streamed import.
  size_t import_chunk_bytes = size_t{1} << 20;
};

// Runs `lureguard` with `args` (without the program name) and returns the
// exit code: 0 ok, 1 usage or local error, 2 server error, 3/4 for WARN/BLOCK
// verdicts under --fail-on.
int RunCli(std::span<const std::string> args, const CliEnvironment& env);

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_CLI_H_
