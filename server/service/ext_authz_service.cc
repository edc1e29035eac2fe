#include "server/service/ext_authz_service.h"

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "server/links/click_page.h"
#include "server/service/convert.h"

namespace lureguard::service {
namespace {

namespace auth_v3 = ::envoy::service::auth::v3;
namespace core_v3 = ::envoy::config::core::v3;
using ::google::protobuf::Struct;
using ::google::protobuf::Value;

// google.rpc.Code values (google/rpc/code.proto).
constexpr int kRpcOk = 0;
constexpr int kRpcInvalidArgument = 3;
constexpr int kRpcPermissionDenied = 7;
constexpr int kRpcUnavailable = 14;

// Envoy's own default for the ext_authz tenant key.
constexpr char kDefaultTenantKey[] = "tenant";

const std::string* FindHeader(
    const auth_v3::AttributeContext::HttpRequest& http,
    const std::string& name) {
  auto it = http.headers().find(name);
  return it == http.headers().end() ? nullptr : &it->second;
}

// Sets `name: value` on a header list, replacing any value already there
// (so that a client cannot pass its own `x-lureguard-action` upstream).
void SetHeader(
    google::protobuf::RepeatedPtrField<core_v3::HeaderValueOption>& headers,
    std::string name, std::string value) {
  core_v3::HeaderValueOption* option = headers.Add();
  option->mutable_header()->set_key(std::move(name));
  option->mutable_header()->set_value(std::move(value));
  option->set_append_action(
      core_v3::HeaderValueOption::OVERWRITE_IF_EXISTS_OR_ADD);
  // Envoys before append_action (1.22) read only `append`.
  option->mutable_append()->set_value(false);
}

Struct Metadata(const GatewayAnswer& answer) {
  Struct metadata;
  auto& fields = *metadata.mutable_fields();
  if (answer.fail_open) {
    fields["fail_open"].set_bool_value(true);
    return metadata;
  }
  fields["action"].set_string_value(answer.action);
  fields["score"].set_number_value(answer.check->verdict.score);
  fields["verdict_id"].set_string_value(answer.check->verdict.verdict_id);
  fields["cache_max_age"].set_number_value(
      static_cast<double>(answer.max_age_seconds));
  google::protobuf::ListValue* reasons = fields["reasons"].mutable_list_value();
  for (const std::string& code : answer.reason_codes) {
    reasons->add_values()->set_string_value(code);
  }
  return metadata;
}

void Deny(auth_v3::CheckResponse& response, int rpc_code,
          envoy::type::v3::StatusCode http_code, std::string message) {
  response.mutable_status()->set_code(rpc_code);
  response.mutable_status()->set_message(message);
  auth_v3::DeniedHttpResponse* denied = response.mutable_denied_response();
  denied->mutable_status()->set_code(http_code);
  SetHeader(*denied->mutable_headers(), "content-type",
            "text/plain; charset=utf-8");
  SetHeader(*denied->mutable_headers(), "cache-control", "no-store");
  denied->set_body(absl::StrCat(message, "\n"));
}

// The page a browser sees for a denied URL: the click endpoint's block (or,
// with block_on_warn, warning) page, without a continue button.
std::string DeniedPage(const GatewayAnswer& answer, const std::string& url) {
  const verdict::UrlCheck& check = *answer.check;
  links::ClickPageContent page;
  page.kind = check.verdict.action == verdict::Action::kBlock
                  ? links::ClickPageKind::kBlock
                  : links::ClickPageKind::kWarning;
  page.url = url;
  page.host = check.url->unicode_host.empty() ? check.url->host
                                              : check.url->unicode_host;
  page.brand = links::ImitatedBrand(check.verdict.reasons);
  page.reasons = links::ReasonsInPlainWords(check.verdict.reasons);
  page.continue_allowed = false;
  page.verdict_id = check.verdict.verdict_id;
  return links::RenderClickPage(page);
}

}  // namespace

absl::StatusOr<std::string> EnvoyRequestUrl(
    const auth_v3::AttributeContext::HttpRequest& http) {
  std::string scheme = http.scheme();
  if (scheme.empty()) {
    const std::string* proto = FindHeader(http, "x-forwarded-proto");
    scheme = proto != nullptr ? *proto : "http";
  }
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError(
        absl::StrCat("attributes.request.http.scheme: '", scheme,
                     "' is neither http nor https"));
  }
  std::string host = http.host();
  if (host.empty()) {
    if (const std::string* authority = FindHeader(http, ":authority")) {
      host = *authority;
    }
  }
  if (host.empty()) {
    return absl::InvalidArgumentError(
        "attributes.request.http.host: missing (and no :authority header)");
  }
  std::string path = http.path();
  if (path.empty()) {
    const std::string* header = FindHeader(http, ":path");
    path = header != nullptr ? *header : "/";
  }
  if (path.empty() || path[0] != '/') path.insert(0, "/");
  // Envoy leaves `query` empty and keeps the query in `path`; other
  // clients of this API may not.
  if (!http.query().empty() && !absl::StrContains(path, '?')) {
    absl::StrAppend(&path, "?", http.query());
  }
  return absl::StrCat(scheme, "://", host, path);
}

ExtAuthzServiceImpl::ExtAuthzServiceImpl(const GatewayJudge& judge,
                                         const Authorizer* authorizer,
                                         const v1::HttpFrontConfig& config)
    : judge_(judge),
      authorizer_(authorizer),
      tenant_key_(config.envoy_tenant_key().empty()
                      ? kDefaultTenantKey
                      : config.envoy_tenant_key()) {}

grpc::ServerUnaryReactor* ExtAuthzServiceImpl::Check(
    grpc::CallbackServerContext* context, const auth_v3::CheckRequest* request,
    auth_v3::CheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const auto& extensions = request->attributes().context_extensions();
  auto it = extensions.find(tenant_key_);
  absl::StatusOr<std::string> tenant =
      AdmitTenant(authorizer_, *context, Permission::kCheck,
                  it == extensions.end() ? "" : it->second);
  if (!tenant.ok()) {
    reactor->Finish(ToGrpcStatus(tenant.status()));
    return reactor;
  }
  GatewayAnswer reuse;  // only max_age_seconds is read
  *response = Decide(*request, *tenant, &reuse.max_age_seconds);
  context->AddInitialMetadata("cache-control", CacheControl(reuse));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

auth_v3::CheckResponse ExtAuthzServiceImpl::Decide(
    const auth_v3::CheckRequest& request, const std::string& tenant,
    int64_t* max_age_seconds) const {
  auth_v3::CheckResponse response;
  if (max_age_seconds != nullptr) *max_age_seconds = 0;
  absl::StatusOr<std::string> url =
      EnvoyRequestUrl(request.attributes().request().http());
  if (!url.ok()) {
    Deny(response, kRpcInvalidArgument, envoy::type::v3::BadRequest,
         std::string(url.status().message()));
    return response;
  }
  absl::StatusOr<GatewayAnswer> answer =
      judge_.Judge("attributes.request.http", *url, tenant);
  if (!answer.ok()) {
    if (absl::IsUnavailable(answer.status())) {
      Deny(response, kRpcUnavailable, envoy::type::v3::ServiceUnavailable,
           std::string(answer.status().message()));
    } else {
      Deny(response, kRpcInvalidArgument, envoy::type::v3::BadRequest,
           std::string(answer.status().message()));
    }
    return response;
  }
  *response.mutable_dynamic_metadata() = Metadata(*answer);
  if (max_age_seconds != nullptr) *max_age_seconds = answer->max_age_seconds;
  if (answer->fail_open) {
    response.mutable_status()->set_code(kRpcOk);
    SetHeader(*response.mutable_ok_response()->mutable_headers(),
              "x-lureguard-fail-open", "engine not ready");
    return response;
  }
  const std::string reasons = absl::StrJoin(answer->reason_codes, ",");
  const std::string& verdict_id = answer->check->verdict.verdict_id;
  if (answer->allow) {
    response.mutable_status()->set_code(kRpcOk);
    auth_v3::OkHttpResponse* ok = response.mutable_ok_response();
    SetHeader(*ok->mutable_headers(), "x-lureguard-action", answer->action);
    SetHeader(*ok->mutable_headers(), "x-lureguard-verdict-id", verdict_id);
    if (reasons.empty()) {
      // The upstream must not read a client's own header as ours.
      ok->add_headers_to_remove("x-lureguard-reasons");
    } else {
      SetHeader(*ok->mutable_headers(), "x-lureguard-reasons", reasons);
    }
    return response;
  }
  response.mutable_status()->set_code(kRpcPermissionDenied);
  response.mutable_status()->set_message(
      absl::StrCat("lureguard: ", answer->action));
  auth_v3::DeniedHttpResponse* denied = response.mutable_denied_response();
  denied->mutable_status()->set_code(envoy::type::v3::Forbidden);
  SetHeader(*denied->mutable_headers(), "content-type",
            "text/html; charset=utf-8");
  // The page is for this browser now; the verdict may change.
  SetHeader(*denied->mutable_headers(), "cache-control", "no-store");
  SetHeader(*denied->mutable_headers(), "x-lureguard-action", answer->action);
  SetHeader(*denied->mutable_headers(), "x-lureguard-verdict-id", verdict_id);
  if (!reasons.empty()) {
    SetHeader(*denied->mutable_headers(), "x-lureguard-reasons", reasons);
  }
  denied->set_body(DeniedPage(*answer, *url));
  return response;
}

}  // namespace lureguard::service
