// Command-line parsing for the lureguard CLI.
//
// The CLI follows kubectl's shape: `lureguard <noun> <verb> ARGS... [flags]`.
// Global flags (--server, --token, -o, --fail-on, --timeout, -h) may appear
// anywhere, before or after the command words; a command's own flags come
// after its words. Both `--flag value` and `--flag=value` are accepted, and
// `--` ends flag parsing (so an entry may start with a dash).
//
// The parser knows nothing about what commands do: it is handed a table of
// CommandSpecs and returns which one matched, with its flags and arguments.
// Pure functions; safe for concurrent use.
//
// Example:
//   static const CommandSpec kCommands[] = {
//       {.path = {"blocklist", "add"}, .flags = {{.name = "kind"}},
//        .min_args = 1, .max_args = 1}};
//   absl::StatusOr<CommandLine> cl =
//       ParseCommandLine({"blocklist", "add", "evil.example", "-o", "json"},
//                        kCommands);
//   // cl->command == &kCommands[0], cl->args == {"evil.example"},
//   // cl->globals.output == OutputFormat::kJson
#ifndef LUREGUARD_CLIENT_ARGS_H_
#define LUREGUARD_CLIENT_ARGS_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::cli {

// How results are written to stdout.
enum class OutputFormat {
  kTable,  // aligned columns with a header, or `key: value` lines
  kJson,   // proto3 JSON mapping, one object per line
};

// Which verdicts of `check url` turn into a non-zero exit code.
enum class FailOn {
  kNever,  // the default: verdicts never change the exit code
  kWarn,   // WARN and CHALLENGE exit 3, BLOCK exits 4
  kBlock,  // BLOCK exits 4
};

// The global flags as given on the command line, validated but not yet
// merged with the environment (see ResolveConnection in cli.h).
struct GlobalFlags {
  std::optional<std::string> server;           // --server
  std::optional<std::string> token;            // --token
  OutputFormat output = OutputFormat::kTable;  // -o, --output
  FailOn fail_on = FailOn::kNever;             // --fail-on
  std::optional<absl::Duration> timeout;       // --timeout, > 0
  bool help = false;                           // -h, --help
  bool tls = false;                            // --tls
  std::optional<std::string> ca;               // --ca FILE (implies TLS)
  std::optional<std::string> cert;             // --cert FILE (mTLS)
  std::optional<std::string> key;              // --key FILE (mTLS)
};

// One flag a command accepts besides the global ones.
struct FlagSpec {
  absl::string_view name;   // long name without the dashes, e.g. "kind"
  bool takes_value = true;  // false for switches such as --all
};

// One command of the CLI, as the parser sees it.
struct CommandSpec {
  std::vector<absl::string_view> path =
      {};                            // the command words: {"check", "url"}
  std::vector<FlagSpec> flags = {};  // its own flags
  int min_args = 0;                  // positional arguments after the path
  int max_args = 0;                  // -1 for no upper bound
};

// The result of parsing argv.
struct CommandLine {
  // The command words that were recognized. When `command` is null these
  // name a group ("blocklist") or are empty.
  std::vector<std::string> words = {};
  // The command that matched; null when the words stop at a group or no
  // words were given (only valid together with --help, or for bare
  // `lureguard`).
  const CommandSpec* command = nullptr;
  // Positional arguments after the command words, in order.
  std::vector<std::string> args = {};
  // The command's own flags by long name; the last occurrence wins.
  // Switches map to "true".
  absl::flat_hash_map<std::string, std::string> flags = {};
  // Every value of each command flag, in order, for repeatable flags such
  // as `brands add --domain A --domain B`.
  absl::flat_hash_map<std::string, std::vector<std::string>> flag_values = {};
  // The global flags.
  GlobalFlags globals = {};

  // True when the command flag `name` was given.
  bool Has(absl::string_view name) const { return flags.contains(name); }
  // The value of command flag `name`, or `fallback` when absent.
  std::string Get(absl::string_view name,
                  absl::string_view fallback = "") const;
  // All values given for command flag `name`, in order; empty when absent.
  std::vector<std::string> GetAll(absl::string_view name) const;
  // "lureguard blocklist add", for messages.
  std::string CommandName() const;
};

// The server's largest page of any List call.
inline constexpr int kMaxPageSize = 1000;

// The command flag --page-size: 0 when absent, else a number from 1 to
// kMaxPageSize; InvalidArgumentError naming the flag and the range.
absl::StatusOr<int> PageSizeFlag(const CommandLine& command_line);

// The command flag --limit: `fallback` when absent, else a positive
// number; InvalidArgumentError naming the flag.
absl::StatusOr<int> LimitFlag(const CommandLine& command_line, int fallback);

// Parses argv (without the program name) against `commands`. Returns
// InvalidArgumentError for an unknown command or flag, a missing or bad
// flag value, or a wrong number of arguments; the message names the
// offender and the command, e.g.
//   unknown flag "--knd" for "lureguard blocklist add"
// When --help is given, argument counts are not checked and unknown command
// words after a valid prefix are still errors. On error, `words_seen` (when
// not null) receives the command words recognized so far, so the caller can
// point at the right help page.
absl::StatusOr<CommandLine> ParseCommandLine(
    std::span<const std::string> argv, std::span<const CommandSpec> commands,
    std::vector<std::string>* words_seen = nullptr);

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_ARGS_H_
