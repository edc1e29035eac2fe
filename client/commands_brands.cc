// lureguard brands add|rm|ls|import.

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/command.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::AdminService;
using lureguard::v1::Brand;

void WriteBrandTable(const CommandContext& ctx,
                     const google::protobuf::RepeatedPtrField<Brand>& brands) {
  TableWriter table(ctx.out, {"NAME", "TENANT", "TOKENS", "DOMAINS"});
  for (const Brand& brand : brands) {
    table.AddRow({brand.name(), brand.tenant().empty() ? "-" : brand.tenant(),
                  absl::StrJoin(brand.tokens(), ","),
                  absl::StrJoin(brand.domains(), ",")});
  }
  table.Flush();
}

int WriteBrands(const CommandContext& ctx,
                const google::protobuf::RepeatedPtrField<Brand>& brands) {
  if (ctx.globals().output == OutputFormat::kJson) {
    for (const Brand& brand : brands) {
      if (absl::Status s = WriteJsonLine(brand, ctx.out); !s.ok()) {
        return ctx.LocalError(s.message());
      }
    }
    return kExitOk;
  }
  WriteBrandTable(ctx, brands);
  return kExitOk;
}

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
  auto stub = AdminService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/false);
  Brand created;
  grpc::Status status = stub->CreateBrand(call.get(), request, &created);
  if (!status.ok()) return ctx.RpcError(status);
  google::protobuf::RepeatedPtrField<Brand> one;
  *one.Add() = created;
  return WriteBrands(ctx, one);
}

int RunBrandsRm(const CommandContext& ctx) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::DeleteBrandRequest request;
  request.set_name(cl.args[0]);
  request.set_tenant(cl.Get("tenant"));
  auto stub = AdminService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/false);
  lureguard::v1::DeleteBrandResponse response;
  grpc::Status status = stub->DeleteBrand(call.get(), request, &response);
  if (!status.ok()) return ctx.RpcError(status);
  if (ctx.globals().output != OutputFormat::kJson) {
    ctx.out << "deleted brand " << cl.args[0] << "\n";
  }
  return kExitOk;
}

int RunBrandsLs(const CommandContext& ctx) {
  auto stub = AdminService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/false);
  lureguard::v1::ListBrandsResponse response;
  grpc::Status status = stub->ListBrands(
      call.get(), lureguard::v1::ListBrandsRequest(), &response);
  if (!status.ok()) return ctx.RpcError(status);
  if (response.brands().empty() &&
      ctx.globals().output != OutputFormat::kJson) {
    ctx.err << "no brands\n";
    return kExitOk;
  }
  return WriteBrands(ctx, response.brands());
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
  auto stub = AdminService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/true);
  lureguard::v1::ImportBrandsResponse response;
  grpc::Status status = stub->ImportBrands(call.get(), request, &response);
  if (!status.ok()) return ctx.RpcError(status);
  if (ctx.globals().output == OutputFormat::kJson) {
    absl::Status s = WriteJsonLine(response, ctx.out);
    return s.ok() ? kExitOk : ctx.LocalError(s.message());
  }
  ctx.out << "imported " << response.imported_count() << " brands\n";
  return kExitOk;
}

}  // namespace lureguard::cli
