#include "client/cli.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/args.h"
#include "client/command.h"
#include "client/command_table.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "server/common/file_contents.h"
#include "server/common/status_macros.h"

namespace lureguard::cli {
namespace {

// Verdict batches of 1000 URLs with their reasons can pass gRPC's 4 MiB
// default; the server caps its own messages at 26 MiB by default.
constexpr int kMaxReceiveBytes = 64 << 20;

std::string Indent(absl::string_view text, absl::string_view prefix) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::StrAppend(&out, line.empty() ? "" : prefix, line, "\n");
  }
  return out;
}

void WriteCommandHelp(const CommandHelp& help, std::ostream& out) {
  out << help.summary << ".\n\nUsage:\n"
      << Indent(help.usage, "  ") << '\n'
      << help.description << "\n\n";
  if (!help.flags.empty())
    out << "Flags:\n" << Indent(help.flags, "  ") << '\n';
  out << "Global flags: --server, --token, -o/--output, --fail-on, --timeout, "
         "--tls, --ca, --cert, --key, -h/--help\n(see 'lureguard --help')."
         "\n\n"
      << "Examples:\n"
      << Indent(help.examples, "  ");
}

// Help for a group such as "blocklist": its commands and their summaries.
void WriteGroupHelp(const std::vector<std::string>& words, std::ostream& out) {
  const CommandTable& table = Commands();
  const std::string group =
      absl::StrCat("lureguard ", absl::StrJoin(words, " "));
  std::vector<std::pair<std::string, std::string>> rows;
  size_t width = 0;
  for (size_t i = 0; i < table.specs.size(); ++i) {
    const std::vector<absl::string_view>& path = table.specs[i].path;
    if (path.size() <= words.size() ||
        !std::equal(words.begin(), words.end(), path.begin())) {
      continue;
    }
    // The first usage line without the group prefix: "add ENTRY [flags]".
    absl::string_view usage = table.help[i].usage;
    usage = usage.substr(0, usage.find('\n'));
    usage.remove_prefix(std::min(usage.size(), group.size() + 1));
    rows.emplace_back(std::string(usage), table.help[i].summary);
    width = std::max(width, rows.back().first.size());
  }
  out << "Usage:\n  " << group << " <command> [args] [flags]\n\nCommands:\n";
  for (const auto& [usage, summary] : rows) {
    out << "  " << usage << std::string(width - usage.size() + 3, ' ')
        << summary << '\n';
  }
  out << "\nRun '" << group << " COMMAND --help' for details.\n";
}

// Help for the command or group named by `words`; false when they name
// neither.
bool WriteHelpFor(const std::vector<std::string>& words, std::ostream& out) {
  if (words.empty()) {
    out << GlobalHelp();
    return true;
  }
  const CommandTable& table = Commands();
  bool group = false;
  for (size_t i = 0; i < table.specs.size(); ++i) {
    const std::vector<absl::string_view>& path = table.specs[i].path;
    if (path.size() < words.size() ||
        !std::equal(words.begin(), words.end(), path.begin())) {
      continue;
    }
    if (path.size() == words.size()) {
      WriteCommandHelp(table.help[i], out);
      return true;
    }
    group = true;
  }
  if (group) WriteGroupHelp(words, out);
  return group;
}

// The subcommands of a group, for "needs a subcommand" messages.
std::string SubcommandsOf(const std::vector<std::string>& words) {
  std::vector<std::string> names;
  for (const CommandSpec& spec : Commands().specs) {
    if (spec.path.size() > words.size() &&
        std::equal(words.begin(), words.end(), spec.path.begin())) {
      std::string next(spec.path[words.size()]);
      if (std::find(names.begin(), names.end(), next) == names.end()) {
        names.push_back(std::move(next));
      }
    }
  }
  return absl::StrJoin(names, ", ");
}

int UsageError(absl::string_view message, absl::string_view command,
               std::ostream& err) {
  err << "error: " << message << "\nRun '" << command
      << " --help' for usage.\n";
  err.flush();
  return kExitUsage;
}

// The first non-empty source of: --token, LUREGUARD_TOKEN, the token file.
std::string ResolveToken(const GlobalFlags& globals,
                         const CliEnvironment& env) {
  if (globals.token.has_value()) return *globals.token;
  if (std::optional<std::string> t = env.getenv("LUREGUARD_TOKEN");
      t.has_value() && !t->empty()) {
    return *t;
  }
  std::ifstream file(env.token_file);
  if (!file) return "";
  std::stringstream contents;
  contents << file.rdbuf();
  return std::string(absl::StripAsciiWhitespace(contents.str()));
}

// A flag's value, else a non-empty environment variable's.
std::optional<std::string> FlagOrEnv(const std::optional<std::string>& flag,
                                     const CliEnvironment& env,
                                     const std::string& variable) {
  if (flag.has_value()) return flag;
  if (std::optional<std::string> v = env.getenv(variable);
      v.has_value() && !v->empty()) {
    return v;
  }
  return std::nullopt;
}

// Plaintext, or TLS when --tls, --ca or --cert (or LUREGUARD_TLS=1,
// LUREGUARD_CA, LUREGUARD_CERT) asks for it: the server verified against
// --ca (default: the system roots), and with --cert/--key a client
// certificate for mTLS.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const GlobalFlags& globals, const CliEnvironment& env) {
  const std::optional<std::string> ca =
      FlagOrEnv(globals.ca, env, "LUREGUARD_CA");
  const std::optional<std::string> cert =
      FlagOrEnv(globals.cert, env, "LUREGUARD_CERT");
  const std::optional<std::string> key =
      FlagOrEnv(globals.key, env, "LUREGUARD_KEY");
  const bool tls = globals.tls || env.getenv("LUREGUARD_TLS") == "1" ||
                   ca.has_value() || cert.has_value();
  if (!tls) return grpc::InsecureChannelCredentials();
  if (cert.has_value() != key.has_value()) {
    return absl::InvalidArgumentError(
        "--cert and --key: give both for a client certificate, or neither");
  }
  grpc::SslCredentialsOptions options;
  if (ca.has_value()) {
    ASSIGN_OR_RETURN(std::string pem, ReadNonEmptyFile("--ca", *ca));
    options.pem_root_certs = std::move(pem);
  }
  if (cert.has_value()) {
    ASSIGN_OR_RETURN(std::string cert_pem, ReadNonEmptyFile("--cert", *cert));
    ASSIGN_OR_RETURN(std::string key_pem, ReadNonEmptyFile("--key", *key));
    options.pem_cert_chain = std::move(cert_pem);
    options.pem_private_key = std::move(key_pem);
  }
  return grpc::SslCredentials(options);
}

std::string ResolveServer(const GlobalFlags& globals,
                          const CliEnvironment& env) {
  if (globals.server.has_value()) return *globals.server;
  if (std::optional<std::string> a = env.getenv("LUREGUARD_ADDR");
      a.has_value() && !a->empty()) {
    return *a;
  }
  return std::string(kDefaultServer);
}

}  // namespace

int RunCli(std::span<const std::string> args, const CliEnvironment& env) {
  std::ostream& out = *env.out;
  std::ostream& err = *env.err;
  const CommandTable& table = Commands();

  std::vector<std::string> words_seen;
  absl::StatusOr<CommandLine> parsed =
      ParseCommandLine(args, table.specs, &words_seen);
  if (!parsed.ok()) {
    CommandLine seen;
    seen.words = std::move(words_seen);
    return UsageError(parsed.status().message(), seen.CommandName(), err);
  }
  const CommandLine& cl = *parsed;

  if (cl.globals.help) {
    WriteHelpFor(cl.words, out);
    out.flush();
    return kExitOk;
  }
  if (cl.command == nullptr) {
    if (cl.words.empty()) {
      out << GlobalHelp();
      out.flush();
      return kExitOk;
    }
    return UsageError(
        absl::StrCat("\"", cl.CommandName(),
                     "\" needs a subcommand: ", SubcommandsOf(cl.words)),
        cl.CommandName(), err);
  }

  const size_t index = cl.command - table.specs.data();
  if (table.run[index] == nullptr) {  // `lureguard help [COMMAND...]`
    if (!WriteHelpFor(cl.args, out)) {
      return UsageError(absl::StrCat("no help for unknown command \"",
                                     absl::StrJoin(cl.args, " "), "\""),
                        "lureguard", err);
    }
    out.flush();
    return kExitOk;
  }

  const std::string server = ResolveServer(cl.globals, env);
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentials(cl.globals, env);
  if (!credentials.ok()) {
    err << "error: " << credentials.status().message() << "\n";
    err.flush();
    return kExitUsage;
  }
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  CommandContext ctx{
      .command_line = cl,
      .channel = grpc::CreateCustomChannel(server, *credentials, channel_args),
      .server = server,
      .token = ResolveToken(cl.globals, env),
      .in = *env.in,
      .out = out,
      .err = err,
      .stderr_is_tty = env.stderr_is_tty,
      .now = env.now,
      .sleep = env.sleep,
      .import_chunk_bytes = env.import_chunk_bytes,
  };
  const int code = table.run[index](ctx);
  out.flush();
  err.flush();
  return code;
}

}  // namespace lureguard::cli
