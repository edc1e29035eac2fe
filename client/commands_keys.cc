// lureguard keys create|ls|revoke.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/call.h"
#include "client/command.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::AdminService;
using lureguard::v1::ApiKeyRole;

std::string RoleFlagName(ApiKeyRole role) {
  switch (role) {
    case lureguard::v1::VERDICT:
      return "verdict";
    case lureguard::v1::ADMIN:
      return "admin";
    case lureguard::v1::READONLY_ADMIN:
      return "readonly-admin";
    default:
      return "unknown";
  }
}

}  // namespace

int RunKeysCreate(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::CreateApiKeyRequest request;
  request.set_name(cl.args[0]);
  const std::string role = cl.Get("role");
  if (role == "verdict") {
    request.set_role(lureguard::v1::VERDICT);
  } else if (role == "admin") {
    request.set_role(lureguard::v1::ADMIN);
  } else if (role == "readonly-admin") {
    request.set_role(lureguard::v1::READONLY_ADMIN);
  } else {
    return ctx.UsageError(absl::StrCat(
        "--role: '", role, "' is not verdict, admin or readonly-admin"));
  }
  request.set_tenant(cl.Get("tenant"));
  request.set_client_subject(cl.Get("client-subject"));
  lureguard::v1::CreateApiKeyResponse response;
  if (int code =
          CallUnary(ctx, &AdminService::Stub::CreateApiKey, request, response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  // The token alone on stdout, so `KEY=$(lureguard keys create ...)` works;
  // the reminder goes to stderr.
  ctx.out << response.token() << "\n";
  ctx.err << "created key '" << response.key().name() << "' (role "
          << RoleFlagName(response.key().role())
          << "); the token above is shown only once\n";
  return kExitOk;
}

int RunKeysLs(const CommandContext& ctx) {
  lureguard::v1::ListApiKeysResponse response;
  if (int code = CallUnary(ctx, &AdminService::Stub::ListApiKeys,
                           lureguard::v1::ListApiKeysRequest(), response);
      code != kExitOk) {
    return code;
  }
  TableWriter table(ctx.out, {"NAME", "ROLE", "TENANT", "KEY ID", "CREATED",
                              "CLIENT SUBJECT"});
  return WriteRecords(
      ctx, table, response.keys(), [](const lureguard::v1::ApiKey& key) {
        return std::vector<std::string>{
            key.name(),
            RoleFlagName(key.role()),
            key.tenant().empty() ? "-" : key.tenant(),
            key.key_id(),
            FormatTimestamp(key.create_time()),
            key.client_subject().empty() ? "-" : key.client_subject()};
      });
}

int RunKeysRevoke(const CommandContext& ctx) {
  lureguard::v1::RevokeApiKeyRequest request;
  request.set_name(ctx.command_line.args[0]);
  lureguard::v1::RevokeApiKeyResponse response;
  if (int code =
          CallUnary(ctx, &AdminService::Stub::RevokeApiKey, request, response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output != OutputFormat::kJson) {
    ctx.out << "revoked key " << request.name() << "\n";
  }
  return kExitOk;
}

}  // namespace lureguard::cli
