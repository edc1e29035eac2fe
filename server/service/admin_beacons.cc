// AdminService's login-beacon methods: list and clear the hosts the
// beacon flagged (login/beacon_flags.h).

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/service/admin_service.h"
#include "server/service/authorize.h"
#include "server/service/convert.h"
#include "server/service/page_token.h"
#include "server/store/audit_scope.h"

namespace lureguard::service {
namespace {

constexpr int kDefaultFlagPageSize = 100;
constexpr int kMaxFlagPageSize = 1000;

void BeaconFlagToProto(const store::BeaconFlagRecord& flag,
                       v1::BeaconFlag& out) {
  out.set_tenant(flag.tenant);
  out.set_host(flag.host);
  out.set_brand(flag.brand);
  out.set_technique(flag.technique);
  ToProto(flag.first_seen, *out.mutable_first_seen_time());
  ToProto(flag.last_seen, *out.mutable_last_seen_time());
  out.set_hits(flag.hits);
  ToProto(flag.expire_time, *out.mutable_expire_time());
}

// The audit line of a flag: what the admin cleared.
std::string FlagSummary(const store::BeaconFlagRecord& flag) {
  return absl::StrCat(flag.brand, " ", flag.technique, " hits=", flag.hits,
                      " last_seen=", absl::FormatTime(flag.last_seen));
}

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the login engine is not started");
}

}  // namespace

void AdminServiceImpl::SetBeaconFlags(login::BeaconFlags* flags) {
  beacon_flags_.store(flags);
}

grpc::Status AdminServiceImpl::ListBeaconFlags(
    grpc::ServerContext* context, const v1::ListBeaconFlagsRequest* request,
    v1::ListBeaconFlagsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->page_size() < 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "page_size: is negative");
  }
  const int page_size = request->page_size() == 0
                            ? kDefaultFlagPageSize
                            : std::min(request->page_size(), kMaxFlagPageSize);
  // The token carries how many flags earlier pages returned.
  absl::StatusOr<int64_t> offset = ParsePageToken(request->page_token());
  if (!offset.ok()) return ToGrpcStatus(offset.status());
  login::BeaconFlags* flags = beacon_flags_.load();
  if (flags == nullptr) return Unavailable();
  std::optional<std::string> tenant;
  if (request->has_tenant()) tenant = request->tenant();
  const std::vector<store::BeaconFlagRecord> listed = flags->List(tenant);
  const size_t begin = std::min(
      listed.size(), static_cast<size_t>(std::max<int64_t>(0, *offset)));
  const size_t end = std::min(listed.size(), begin + page_size);
  for (size_t i = begin; i < end; ++i) {
    BeaconFlagToProto(listed[i], *response->add_flags());
  }
  if (end < listed.size()) {
    response->set_next_page_token(PageToken(static_cast<int64_t>(end)));
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteBeaconFlag(
    grpc::ServerContext* context, const v1::DeleteBeaconFlagRequest* request,
    v1::DeleteBeaconFlagResponse*) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->host().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "host: is empty");
  }
  login::BeaconFlags* flags = beacon_flags_.load();
  if (flags == nullptr) return Unavailable();
  // Flags are kept under canonical (lowercase) hosts.
  const std::string host = absl::AsciiStrToLower(request->host());
  store::AuditScope audit(NewAudit(*context, *who, "DeleteBeaconFlag",
                                   absl::StrCat("beacon:", host),
                                   request->tenant()));
  if (std::optional<store::BeaconFlagRecord> flag =
          flags->Find(request->tenant(), host)) {
    audit.record().before = FlagSummary(*flag);
  }
  absl::StatusOr<bool> removed = flags->Remove(request->tenant(), host);
  if (!removed.ok()) return ToGrpcStatus(removed.status());
  if (!*removed) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("host: tenant '", request->tenant(),
                                     "' has no beacon flag on '", host, "'"));
  }
  LogInfo(
      "beacon flag cleared",
      {{"tenant", request->tenant()}, {"host", host}, {"by", who->key_name}});
  return grpc::Status::OK;
}

}  // namespace lureguard::service
