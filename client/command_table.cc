#include "client/command_table.h"

#include <string>

#include "absl/strings/str_replace.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::ListType;

constexpr absl::string_view kGlobalHelp =
    R"(lureguard - phishing verdicts and list administration for a Lureguard server.

Usage:
  lureguard <command> [args] [flags]

Commands:
  check url URL... | -           Check URLs given as arguments, or one per line on stdin
  blocklist add|rm|ls|import     Manage block-list entries
  allowlist add|rm|ls|import     Manage allow-list entries
  status                         Show server version, snapshot and list sizes
  health                         Check gRPC health; exit 0 only when SERVING
  help [COMMAND]                 Show help for a command

Global flags (before or after the command):
  --server HOST:PORT    Server address (env LUREGUARD_ADDR; default 127.0.0.1:50051)
  --token TOKEN         API key, sent as "authorization: Bearer TOKEN" (env
                        LUREGUARD_TOKEN; default: the contents of ./var/admin.token
                        when that file exists)
  -o, --output FORMAT   table (default) or json: proto3 JSON, one object per line
  --fail-on LEVEL       warn: exit 3 on WARN or CHALLENGE, 4 on BLOCK verdicts;
                        block: exit 4 on BLOCK verdicts
  --timeout DUR         Deadline per call (default 10s; streaming calls: none)
  -h, --help            Show help

Exit codes:
  0  success
  1  usage error or local error (e.g. unreadable file)
  2  server error, or a URL could not be checked
  3  a WARN or CHALLENGE verdict (with --fail-on warn)
  4  a BLOCK verdict (with --fail-on warn or block)
  When several apply, the highest wins.

Examples:
  lureguard check url https://paypa1.com/login
  lureguard check url --fail-on block http://a.example/ http://b.example/
  lureguard check url - < urls.txt
  lureguard blocklist add evil.example --reason "phishing kit" --ttl 7d
  lureguard blocklist ls -o json
  lureguard status --server 127.0.0.1:50051

Run 'lureguard help COMMAND' or 'lureguard COMMAND --help' for details.
)";

const CommandHelp kCheckUrlHelp = {
    .usage =
        "lureguard check url URL... [flags]\n"
        "lureguard check url - [flags]",
    .summary = "Check URLs given as arguments, or one per line on stdin",
    .description =
        R"(Checks URLs and prints one verdict per URL. One URL is one CheckUrl call;
several are sent in batches of 1000 (CheckUrls); "-" reads one URL per line
from stdin and streams them (StreamCheckUrls), printing each verdict as it
arrives, in input order. Blank lines are skipped. A URL the server cannot
check is reported on stderr and makes the exit code 2; the others still
print. Table columns: ACTION SCORE HOST URL REASONS. -o json prints one
CheckUrlResponse per line.)",
    .flags = "--tenant T   Apply tenant T's lists and brands too",
    .examples =
        R"(lureguard check url https://paypa1.com/login
lureguard check url --fail-on warn http://a.example/ http://b.example/
lureguard check url -o json http://evil.example/ | jq -r .verdict.action
grep -v '^#' urls.txt | lureguard check url -)",
};

// Help templates for both lists; $LIST is "blocklist" or "allowlist",
// $NOUN "block list" or "allow list".
const CommandHelp kListAddHelp = {
    .usage = "lureguard $LIST add ENTRY [flags]",
    .summary = "Add an entry to the $NOUN",
    .description =
        R"(Adds ENTRY to the $NOUN: a host, domain, URL, host/path prefix, IP address
or CIDR range. The server normalizes it and infers the kind when --kind is
not given. Adding an entry that exists refreshes its reason and expiry.
Prints the stored entry.)",
    .flags =
        R"(--kind KIND     host, domain (and subdomains), url-prefix, url (exact) or cidr
--reason TEXT   Why it is listed; shown in verdicts
--ttl DUR       Expire after DUR (90s, 30m, 24h, 7d, 1h30m); default never
--tenant T      Only for tenant T; default every tenant)",
    .examples =
        R"(lureguard $LIST add evil.example --reason "credential phishing kit"
lureguard $LIST add login.evil.example --kind host --ttl 7d
lureguard $LIST add http://evil.example/secure/ --kind url-prefix
lureguard $LIST add 203.0.113.0/24 --kind cidr --tenant acme)",
};

const CommandHelp kListRmHelp = {
    .usage = "lureguard $LIST rm ENTRY [flags]",
    .summary = "Remove entries from the $NOUN",
    .description =
        R"(Removes the admin entries of the $NOUN whose value is ENTRY (normalized as
on add), of any kind unless --kind is given. Exits 2 with NOT_FOUND when
nothing matched.)",
    .flags =
        R"(--kind KIND   Only entries of this kind: host, domain, url-prefix, url, cidr
--tenant T    Entries of tenant T; default the global entries)",
    .examples = R"(lureguard $LIST rm evil.example
lureguard $LIST rm 203.0.113.0/24 --kind cidr --tenant acme)",
};

const CommandHelp kListLsHelp = {
    .usage = "lureguard $LIST ls [flags]",
    .summary = "List the entries of the $NOUN",
    .description =
        R"(Lists the entries of the $NOUN, oldest first, fetching every page and
printing each page as it arrives. Table columns: ID KIND VALUE TENANT SOURCE
EXPIRES REASON. -o json prints one ListEntry per line.)",
    .flags =
        R"(--tenant T      Entries of tenant T; default the global entries
--page-size N   Entries per call, 1 to 1000; default the server's (100)
--all           Fetch every page (the default; accepted for scripts))",
    .examples = R"(lureguard $LIST ls
lureguard $LIST ls --tenant acme -o json | jq -r .value)",
};

const CommandHelp kListImportHelp = {
    .usage = "lureguard $LIST import FILE|- [flags]",
    .summary = "Import many entries from a file or stdin",
    .description =
        R"(Imports entries into the $NOUN from FILE ("-" reads stdin), streamed to
the server in 1 MiB chunks. The import is atomic: an invalid line rejects
all of it, naming the line, unless --skip-invalid is given. Prints the
format used and how many entries were accepted, duplicated and skipped,
with the first skipped lines. Progress goes to stderr when it is a terminal
and the import takes more than a second.)",
    .flags =
        R"(--format F      auto (default: detected from the content), entries, domains,
                hosts, urls, or another format the server knows
--reason TEXT   Reason recorded on every entry
--ttl DUR       Expiry of every entry (e.g. 30d); default never
--skip-invalid  Skip and report invalid lines instead of rejecting the import
--tenant T      Tenant of every entry; default every tenant)",
    .examples =
        R"(lureguard $LIST import domains.txt --format domains --reason "feed snapshot"
lureguard $LIST import - --format urls --skip-invalid < urls.txt)",
};

const CommandHelp kStatusHelp = {
    .usage = "lureguard status [flags]",
    .summary = "Show server version, snapshot and list sizes",
    .description =
        R"(Shows the server's version, whether it serves verdicts, uptime, store,
snapshot revision and time, and list sizes as "key: value" lines. -o json
prints one GetStatusResponse object.)",
    .flags = "",
    .examples = R"(lureguard status
lureguard status -o json)",
};

const CommandHelp kHealthHelp = {
    .usage = "lureguard health [flags]",
    .summary = "Check gRPC health; exit 0 only when SERVING",
    .description =
        R"(Calls the standard gRPC health check (grpc.health.v1.Health/Check) and
prints SERVING, NOT_SERVING or UNKNOWN. Exits 0 only when SERVING and 2
otherwise, so it serves as a container or systemd health probe.)",
    .flags =
        "--service NAME   Check one service; default the server as a whole",
    .examples = R"(lureguard health
lureguard health --server 127.0.0.1:50051 --timeout 2s)",
};

const CommandHelp kHelpHelp = {
    .usage = "lureguard help [COMMAND...]",
    .summary = "Show help for a command",
    .description = "Shows help for a command or a group of commands.",
    .flags = "",
    .examples = R"(lureguard help
lureguard help blocklist import)",
};

CommandHelp ForList(const CommandHelp& help, ListType list) {
  const bool block = list == lureguard::v1::BLOCKLIST;
  const std::vector<std::pair<absl::string_view, absl::string_view>> vars = {
      {"$LIST", block ? "blocklist" : "allowlist"},
      {"$NOUN", block ? "block list" : "allow list"}};
  return {absl::StrReplaceAll(help.usage, vars),
          absl::StrReplaceAll(help.summary, vars),
          absl::StrReplaceAll(help.description, vars),
          absl::StrReplaceAll(help.flags, vars),
          absl::StrReplaceAll(help.examples, vars)};
}

CommandTable BuildTable() {
  CommandTable t;
  auto add = [&t](CommandSpec spec, CommandHelp help,
                  std::function<int(const CommandContext&)> run) {
    t.specs.push_back(std::move(spec));
    t.help.push_back(std::move(help));
    t.run.push_back(std::move(run));
  };
  add({.path = {"check", "url"},
       .flags = {{.name = "tenant"}},
       .min_args = 1,
       .max_args = -1},
      kCheckUrlHelp, RunCheckUrl);
  for (ListType list : {lureguard::v1::BLOCKLIST, lureguard::v1::ALLOWLIST}) {
    const absl::string_view noun =
        list == lureguard::v1::BLOCKLIST ? "blocklist" : "allowlist";
    add({.path = {noun, "add"},
         .flags = {{.name = "kind"},
                   {.name = "reason"},
                   {.name = "ttl"},
                   {.name = "tenant"}},
         .min_args = 1,
         .max_args = 1},
        ForList(kListAddHelp, list),
        [list](const CommandContext& ctx) { return RunListAdd(ctx, list); });
    add({.path = {noun, "rm"},
         .flags = {{.name = "kind"}, {.name = "tenant"}},
         .min_args = 1,
         .max_args = 1},
        ForList(kListRmHelp, list),
        [list](const CommandContext& ctx) { return RunListRm(ctx, list); });
    add({.path = {noun, "ls"},
         .flags = {{.name = "tenant"},
                   {.name = "page-size"},
                   {.name = "all", .takes_value = false}},
         .min_args = 0,
         .max_args = 0},
        ForList(kListLsHelp, list),
        [list](const CommandContext& ctx) { return RunListLs(ctx, list); });
    add({.path = {noun, "import"},
         .flags = {{.name = "format"},
                   {.name = "reason"},
                   {.name = "ttl"},
                   {.name = "skip-invalid", .takes_value = false},
                   {.name = "tenant"}},
         .min_args = 1,
         .max_args = 1},
        ForList(kListImportHelp, list),
        [list](const CommandContext& ctx) { return RunListImport(ctx, list); });
  }
  add({.path = {"status"}}, kStatusHelp, RunStatus);
  add({.path = {"health"}, .flags = {{.name = "service"}}}, kHealthHelp,
      RunHealth);
  add({.path = {"help"}, .max_args = -1}, kHelpHelp, nullptr);
  return t;
}

}  // namespace

const CommandTable& Commands() {
  static const CommandTable* const table = new CommandTable(BuildTable());
  return *table;
}

absl::string_view GlobalHelp() { return kGlobalHelp; }

}  // namespace lureguard::cli
