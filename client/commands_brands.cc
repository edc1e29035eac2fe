// lureguard brands add|rm|ls|import.

#include <fstream>
#include <iterator>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/call.h"
#include "client/command.h"
#include "client/host_port.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::AdminService;
using lureguard::v1::Brand;

std::vector<std::string> BrandRow(const Brand& brand) {
  return {brand.name(), brand.tenant().empty() ? "-" : brand.tenant(),
          absl::StrJoin(brand.tokens(), ","),
          absl::StrJoin(brand.domains(), ",")};
}

const std::vector<std::string> kBrandColumns = {"NAME", "TENANT", "TOKENS",
                                                "DOMAINS"};

}  // namespace

int RunBrandsAdd(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::CreateBrandRequest request;
  Brand& brand = *request.mutable_brand();
  brand.set_name(cl.args[0]);
  std::vector<std::string> domains = cl.GetAll("domain");
  if (domains.empty()) {
    return ctx.UsageError("brands add: at least one --domain is required");
  }
  for (std::string& d : domains) brand.add_domains(std::move(d));
  for (std::string& t : cl.GetAll("token-word")) brand.add_tokens(std::move(t));
  brand.set_tenant(cl.Get("tenant"));
  if (const std::string source = cl.Get("domains-from-certificate");
      !source.empty()) {
    std::string host;
    int port = 0;
    if (!SplitHostPort(source, host, port)) {
      return ctx.UsageError(
          absl::StrCat("brands add: --domains-from-certificate '", source,
                       "' is not HOST[:PORT] with a port in 1-65535"));
    }
    request.mutable_domains_from_certificate()->set_host(host);
    request.mutable_domains_from_certificate()->set_port(port);
  }
  Brand created;
  if (int code =
          CallUnary(ctx, &AdminService::Stub::CreateBrand, request, created);
      code != kExitOk) {
    return code;
  }
  TableWriter table(ctx.out, kBrandColumns);
  return WriteRecords(ctx, table, std::span<const Brand>(&created, 1),
                      BrandRow);
}

int RunBrandsRm(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::DeleteBrandRequest request;
  request.set_name(cl.args[0]);
  request.set_tenant(cl.Get("tenant"));
  lureguard::v1::DeleteBrandResponse response;
  if (int code =
          CallUnary(ctx, &AdminService::Stub::DeleteBrand, request, response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output != OutputFormat::kJson) {
    ctx.out << "deleted brand " << cl.args[0] << "\n";
  }
  return kExitOk;
}

int RunBrandsLs(const CommandContext& ctx) {
  return ListAll(ctx, &AdminService::Stub::ListBrands,
                 lureguard::v1::ListBrandsRequest(),
                 &lureguard::v1::ListBrandsResponse::brands, kBrandColumns,
                 BrandRow, "no brands");
}

int RunBrandsImport(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  const std::string& path = cl.args[0];
  std::string content;
  if (path == "-") {
    content.assign(std::istreambuf_iterator<char>(ctx.in), {});
  } else {
    std::ifstream file(path, std::ios::binary);
    if (!file) return ctx.LocalError(absl::StrCat("cannot read '", path, "'"));
    content.assign(std::istreambuf_iterator<char>(file), {});
  }
  lureguard::v1::ImportBrandsRequest request;
  request.set_format(cl.Get("format", "brands"));
  request.set_content(std::move(content));
  if (cl.Has("top")) {
    int top = 0;
    if (!absl::SimpleAtoi(cl.Get("top"), &top) || top <= 0) {
      return ctx.UsageError(absl::StrCat("--top: '", cl.Get("top"),
                                         "' is not a positive number"));
    }
    request.set_top_n(top);
  }
  lureguard::v1::ImportBrandsResponse response;
  if (int code = CallUnary(ctx, &AdminService::Stub::ImportBrands, request,
                           response, CallLength::kLong);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  ctx.out << "imported " << response.imported_count() << " brands\n";
  return kExitOk;
}

}  // namespace lureguard::cli
