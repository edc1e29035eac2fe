// What a lureguard command runs with, and the commands themselves.
//
// Each command is a function of a CommandContext: the parsed command line,
// a gRPC channel to the server and the three standard streams. Nothing here
// reads the process environment or touches std::cout, so tests run the
// commands against an in-process server with string streams.
#ifndef LUREGUARD_CLIENT_COMMAND_H_
#define LUREGUARD_CLIENT_COMMAND_H_

#include <cstddef>
#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/args.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "lureguard/v1/admin_service.pb.h"
#include "lureguard/v1/verdict.pb.h"

namespace lureguard::cli {

// Exit codes scripts can rely on (DESIGN.md §3).
enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,        // usage error or local failure (unreadable file)
  kExitServerError = 2,  // a call failed, or a URL could not be checked
  kExitWarn = 3,         // --fail-on warn and a WARN or CHALLENGE verdict
  kExitBlock = 4,        // --fail-on warn|block and a BLOCK verdict
};

// Unary calls get this deadline unless --timeout says otherwise.
inline constexpr absl::Duration kDefaultTimeout = absl::Seconds(10);

// Everything one command invocation needs. Not thread-safe except where a
// method says so; the referenced objects must outlive it.
struct CommandContext {
  const CommandLine& command_line;
  // The channel to the server; null only for commands that make no call.
  std::shared_ptr<grpc::Channel> channel;
  // The address the channel points at, for messages.
  std::string server;
  // Bearer token; empty for none.
  std::string token;
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // Progress lines are drawn only on a terminal.
  bool stderr_is_tty = false;
  // The clock progress reporting and retry budgets read.
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // Waits out a server's retry pushback.
  std::function<void(absl::Duration)> sleep = [](absl::Duration d) {
    absl::SleepFor(d);
  };
  // Bytes per ImportListEntries message.
  size_t import_chunk_bytes = size_t{1} << 20;

  const GlobalFlags& globals() const { return command_line.globals; }

  // A context for one call: the authorization header when a token is known,
  // and a deadline of --timeout (default 10s). Streaming calls, whose length
  // follows their input, get a deadline only when --timeout is given.
  // Safe to call from any thread.
  std::unique_ptr<grpc::ClientContext> NewCallContext(bool streaming) const;

  // Runs a unary call, `call` on a fresh context (NewCallContext) per
  // attempt, and returns the last attempt's status. A RESOURCE_EXHAUSTED
  // that carries the server's retry pushback (`grpc-retry-pushback-ms`
  // trailing metadata, gRFC A6: the key is over its rate limit) is retried
  // after waiting that long, as long as the call and its retries end within
  // --timeout (default 10s); every other status is returned at once, as is
  // a pushback that would outrun the timeout.
  grpc::Status CallWithPushback(
      const std::function<grpc::Status(grpc::ClientContext&)>& call) const;

  // Reports a failed call on stderr as "error: CODE: message" (with a hint
  // for the codes a user can act on) and returns kExitServerError.
  int RpcError(const grpc::Status& status) const;

  // Reports a usage error, "error: message" plus where to find help, and
  // returns kExitUsage.
  int UsageError(absl::string_view message) const;

  // Reports a local failure (a file that cannot be read) and returns
  // kExitUsage.
  int LocalError(absl::string_view message) const;

  // The exit code --fail-on asks for, given one verdict's action:
  // kExitBlock, kExitWarn or kExitOk.
  int FailOnExitCode(lureguard::v1::Action action) const;
};

// The name of a canonical status code ("INVALID_ARGUMENT"); the number for
// codes outside the canonical set.
std::string StatusCodeName(int code);

// `lureguard check url URL... | -`
int RunCheckUrl(const CommandContext& ctx);
// `lureguard check mail FILE|-`
int RunCheckMail(const CommandContext& ctx);

// `lureguard blocklist|allowlist add ENTRY`
int RunListAdd(const CommandContext& ctx, lureguard::v1::ListType list);
// `lureguard blocklist|allowlist rm ENTRY`
int RunListRm(const CommandContext& ctx, lureguard::v1::ListType list);
// `lureguard blocklist|allowlist ls`
int RunListLs(const CommandContext& ctx, lureguard::v1::ListType list);
// `lureguard blocklist|allowlist import FILE|-`
int RunListImport(const CommandContext& ctx, lureguard::v1::ListType list);

// `lureguard status`
int RunStatus(const CommandContext& ctx);
// `lureguard cert probe HOST[:PORT]`
int RunCertProbe(const CommandContext& ctx);
// `lureguard health`
int RunHealth(const CommandContext& ctx);

// lureguard brands add NAME --domain D [--domain D...] [--token-word W...]
int RunBrandsAdd(const CommandContext& ctx);
// lureguard brands rm NAME
int RunBrandsRm(const CommandContext& ctx);
// lureguard brands ls
int RunBrandsLs(const CommandContext& ctx);
// lureguard brands import FILE|- [--format brands|ranked-domains] [--top N]
int RunBrandsImport(const CommandContext& ctx);

// lureguard keys create NAME --role verdict|admin|readonly-admin
int RunKeysCreate(const CommandContext& ctx);
// lureguard keys ls
int RunKeysLs(const CommandContext& ctx);
// lureguard keys revoke NAME
int RunKeysRevoke(const CommandContext& ctx);

// lureguard audit ls [--limit N] [--actor KEY] [--method M]
int RunAuditLs(const CommandContext& ctx);

// lureguard feeds add NAME --url URL [--format F] [--interval DUR] ...
int RunFeedsAdd(const CommandContext& ctx);
// lureguard feeds ls
int RunFeedsLs(const CommandContext& ctx);
// lureguard feeds rm NAME
int RunFeedsRm(const CommandContext& ctx);
// lureguard feeds refresh NAME
int RunFeedsRefresh(const CommandContext& ctx);
// lureguard feeds status
int RunFeedsStatus(const CommandContext& ctx);

// lureguard login check --user U --ip IP [--origin URL] [--referer URL] ...
int RunLoginCheck(const CommandContext& ctx);
// lureguard login report --user U --ip IP --result success|failure
int RunLoginReport(const CommandContext& ctx);
// lureguard login counters --ip IP | --user U
int RunLoginCounters(const CommandContext& ctx);
// lureguard passwords import FILE|- [--prefix P]
int RunPasswordsImport(const CommandContext& ctx);
// lureguard passwords status
int RunPasswordsStatus(const CommandContext& ctx);
// lureguard alerts ls [--all]
int RunAlertsLs(const CommandContext& ctx);
// lureguard alerts ack ID
int RunAlertsAck(const CommandContext& ctx);
// lureguard alerts watch [--after ID]
int RunAlertsWatch(const CommandContext& ctx);
// lureguard beacons ls|rm (commands_beacons.cc).
int RunBeaconsLs(const CommandContext& ctx);
int RunBeaconsRm(const CommandContext& ctx);

// lureguard ct add NAME --url URL --api rfc6962|static [--interval DUR]
int RunCtAdd(const CommandContext& ctx);
// lureguard ct ls
int RunCtLs(const CommandContext& ctx);
// lureguard ct rm NAME
int RunCtRm(const CommandContext& ctx);
// lureguard ct status
int RunCtStatus(const CommandContext& ctx);

// lureguard links rewrite FILE|- [--tenant T] [--recipient R] [--html|--text]
int RunLinksRewrite(const CommandContext& ctx);
// lureguard links unwrap URL [--tenant T]
int RunLinksUnwrap(const CommandContext& ctx);
// lureguard clicks ls [--limit N] [--tenant T]
int RunClicksLs(const CommandContext& ctx);

}  // namespace lureguard::cli

#endif  // LUREGUARD_CLIENT_COMMAND_H_
