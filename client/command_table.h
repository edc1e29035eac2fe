// The table of lureguard commands: what the parser needs (words, flags,
// argument counts), the help text, and the function that runs each one.
// Built once; immutable afterwards and safe to read from any thread.
#ifndef LUREGUARD_CLIENT_COMMAND_TABLE_H_
#define LUREGUARD_CLIENT_COMMAND_TABLE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "client/args.h"
#include "client/command.h"

namespace lureguard::cli {

// Help for one command. `usage` lines are shown under "Usage:", `summary`
// in group listings, `description` as a paragraph, then `flags` and
// `examples` verbatim (each line indented by the renderer).
struct CommandHelp {
  std::string usage;
  std::string summary;
  std::string description;
  std::string flags;
  std::string examples;
};

// All commands. `specs[i]` and `help[i]`/`run[i]` describe the same command;
// specs are kept contiguous because the parser takes a span of them.
struct CommandTable {
  std::vector<CommandSpec> specs;
  std::vector<CommandHelp> help;
  // Null for `help`, which the dispatcher handles itself.
  std::vector<std::function<int(const CommandContext&)>> run;
};

// The commands of this version of the CLI.
const CommandTable& Commands();

// The help shown by `lureguard --help`.
absl::string_view GlobalHelp();

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_COMMAND_TABLE_H_
