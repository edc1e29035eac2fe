#include "client/args.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/duration.h"

namespace lureguard::cli {
namespace {

constexpr absl::string_view kProgram = "lureguard";

// The global flags, by long name. `o` and `h` are the only short forms.
enum class Global {
  kServer,
  kToken,
  kOutput,
  kFailOn,
  kTimeout,
  kHelp,
  kTls,
  kCa,
  kCert,
  kKey
};

struct GlobalSpec {
  absl::string_view name;
  char short_name;
  Global id;
  bool takes_value;
};

constexpr GlobalSpec kGlobals[] = {
    {"server", 0, Global::kServer, true},
    {"token", 0, Global::kToken, true},
    {"output", 'o', Global::kOutput, true},
    {"fail-on", 0, Global::kFailOn, true},
    {"timeout", 0, Global::kTimeout, true},
    {"help", 'h', Global::kHelp, false},
    {"tls", 0, Global::kTls, false},
    {"ca", 0, Global::kCa, true},
    {"cert", 0, Global::kCert, true},
    {"key", 0, Global::kKey, true},
};

std::string Quoted(absl::string_view s) { return absl::StrCat("\"", s, "\""); }

std::string NameOf(const std::vector<std::string>& words) {
  if (words.empty()) return std::string(kProgram);
  return absl::StrCat(kProgram, " ", absl::StrJoin(words, " "));
}

// Applies one global flag value to `g`.
absl::Status ApplyGlobal(Global id, absl::string_view flag,
                         const std::string& value, GlobalFlags& g) {
  switch (id) {
    case Global::kServer:
      if (value.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag ", flag, " needs a HOST:PORT"));
      }
      g.server = value;
      return absl::OkStatus();
    case Global::kToken:
      g.token = value;
      return absl::OkStatus();
    case Global::kOutput:
      if (value == "table") {
        g.output = OutputFormat::kTable;
      } else if (value == "json") {
        g.output = OutputFormat::kJson;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid value ", Quoted(value), " for flag ", flag,
                         ": want table or json"));
      }
      return absl::OkStatus();
    case Global::kFailOn:
      if (value == "warn") {
        g.fail_on = FailOn::kWarn;
      } else if (value == "block") {
        g.fail_on = FailOn::kBlock;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid value ", Quoted(value), " for flag ", flag,
                         ": want warn or block"));
      }
      return absl::OkStatus();
    case Global::kTimeout: {
      absl::StatusOr<absl::Duration> d = ParseCliDuration(value);
      if (!d.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag ", flag, ": ", d.status().message()));
      }
      if (*d <= absl::ZeroDuration()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag ", flag, ": the timeout must be above zero"));
      }
      g.timeout = *d;
      return absl::OkStatus();
    }
    case Global::kHelp:
      g.help = true;
      return absl::OkStatus();
    case Global::kTls:
      g.tls = true;
      return absl::OkStatus();
    case Global::kCa:
    case Global::kCert:
    case Global::kKey:
      if (value.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag ", flag, " needs a FILE"));
      }
      (id == Global::kCa ? g.ca : id == Global::kCert ? g.cert : g.key) = value;
      return absl::OkStatus();
  }
  return absl::InternalError("unhandled global flag");
}

// Commands whose path starts with `words`.
bool IsPrefixOfSome(const std::vector<std::string>& words,
                    std::span<const CommandSpec> commands) {
  for (const CommandSpec& c : commands) {
    if (c.path.size() < words.size()) continue;
    if (std::equal(words.begin(), words.end(), c.path.begin())) return true;
  }
  return false;
}

const CommandSpec* FindExact(const std::vector<std::string>& words,
                             std::span<const CommandSpec> commands) {
  for (const CommandSpec& c : commands) {
    if (c.path.size() == words.size() &&
        std::equal(words.begin(), words.end(), c.path.begin())) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace

std::string CommandLine::Get(absl::string_view name,
                             absl::string_view fallback) const {
  auto it = flags.find(name);
  return it == flags.end() ? std::string(fallback) : it->second;
}

std::vector<std::string> CommandLine::GetAll(absl::string_view name) const {
  auto it = flag_values.find(name);
  return it == flag_values.end() ? std::vector<std::string>() : it->second;
}

std::string CommandLine::CommandName() const { return NameOf(words); }

namespace {

absl::StatusOr<CommandLine> ParseInto(std::span<const std::string> argv,
                                      std::span<const CommandSpec> commands,
                                      CommandLine& cl) {
  bool flags_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    const bool is_flag =
        !flags_done && arg.size() > 1 && arg[0] == '-' && arg != "--";
    if (!flags_done && arg == "--") {
      flags_done = true;
      continue;
    }
    if (!is_flag) {
      if (cl.command != nullptr) {
        cl.args.push_back(arg);
        continue;
      }
      cl.words.push_back(arg);
      if (!IsPrefixOfSome(cl.words, commands)) {
        std::string word = std::move(cl.words.back());
        cl.words.pop_back();
        return absl::InvalidArgumentError(
            absl::StrCat("unknown command ", Quoted(word), " for ",
                         Quoted(NameOf(cl.words))));
      }
      cl.command = FindExact(cl.words, commands);
      continue;
    }

    // A flag: split "--name=value", "-o=json" and "-ojson".
    std::string name;
    std::optional<std::string> value;
    std::string spelled;  // as the user wrote the name, for messages
    if (arg[1] == '-') {
      const size_t eq = arg.find('=');
      name =
          arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (eq != std::string::npos) value = arg.substr(eq + 1);
      spelled = absl::StrCat("--", name);
    } else {
      name = arg.substr(1, 1);
      if (arg.size() > 2) value = arg.substr(arg[2] == '=' ? 3 : 2);
      spelled = absl::StrCat("-", name);
    }

    const GlobalSpec* global = nullptr;
    for (const GlobalSpec& g : kGlobals) {
      if ((arg[1] == '-' && name == g.name) ||
          (arg[1] != '-' && g.short_name != 0 && name[0] == g.short_name)) {
        global = &g;
      }
    }
    const FlagSpec* local = nullptr;
    if (global == nullptr && cl.command != nullptr && arg[1] == '-') {
      for (const FlagSpec& f : cl.command->flags) {
        if (name == f.name) local = &f;
      }
    }
    if (global == nullptr && local == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown flag ", Quoted(spelled), " for ", Quoted(NameOf(cl.words))));
    }
    const bool takes_value =
        global != nullptr ? global->takes_value : local->takes_value;
    if (!takes_value && value.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("flag ", spelled, " does not take a value"));
    }
    if (takes_value && !value.has_value()) {
      if (i + 1 >= argv.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag ", spelled, " needs a value"));
      }
      value = argv[++i];
    }
    if (global != nullptr) {
      absl::Status s =
          ApplyGlobal(global->id, spelled, value.value_or(""), cl.globals);
      if (!s.ok()) return s;
    } else {
      cl.flags[name] = takes_value ? *value : "true";
      cl.flag_values[name].push_back(cl.flags[name]);
    }
  }

  if (cl.command == nullptr || cl.globals.help) return cl;
  const int n = static_cast<int>(cl.args.size());
  const CommandSpec& c = *cl.command;
  if (n < c.min_args) {
    return absl::InvalidArgumentError(absl::StrCat(
        Quoted(cl.CommandName()), " needs ",
        c.min_args == c.max_args ? "" : "at least ", c.min_args,
        c.min_args == 1 ? " argument" : " arguments", ", got ", n));
  }
  if (c.max_args >= 0 && n > c.max_args) {
    if (c.max_args == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(Quoted(cl.CommandName()), " takes no arguments, got ",
                       Quoted(cl.args[0])));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(Quoted(cl.CommandName()), " takes at most ", c.max_args,
                     c.max_args == 1 ? " argument" : " arguments", ", got ", n,
                     " (", absl::StrJoin(cl.args, " "), ")"));
  }
  return cl;
}

}  // namespace

absl::StatusOr<int> PageSizeFlag(const CommandLine& command_line) {
  if (!command_line.Has("page-size")) return 0;
  const std::string value = command_line.Get("page-size");
  int size = 0;
  if (!absl::SimpleAtoi(value, &size) || size < 1 || size > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid value ", Quoted(value),
        " for flag --page-size: want a number from 1 to ", kMaxPageSize));
  }
  return size;
}

absl::StatusOr<int> LimitFlag(const CommandLine& command_line, int fallback) {
  if (!command_line.Has("limit")) return fallback;
  const std::string value = command_line.Get("limit");
  int limit = 0;
  if (!absl::SimpleAtoi(value, &limit) || limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--limit: '", value, "' is not a positive number"));
  }
  return limit;
}

absl::StatusOr<CommandLine> ParseCommandLine(
    std::span<const std::string> argv, std::span<const CommandSpec> commands,
    std::vector<std::string>* words_seen) {
  CommandLine cl;
  absl::StatusOr<CommandLine> result = ParseInto(argv, commands, cl);
  if (!result.ok() && words_seen != nullptr) *words_seen = cl.words;
  return result;
}

}  // namespace lureguard::cli
