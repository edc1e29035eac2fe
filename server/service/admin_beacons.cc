// AdminService's login-beacon methods: list and clear the hosts the
// beacon flagged, through login::BeaconFlagAdmin.

#include "server/service/admin_service.h"
#include "server/service/authorize.h"
#include "server/service/convert.h"
#include "server/service/page_token.h"

namespace lureguard::service {
namespace {

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

}  // namespace

void AdminServiceImpl::SetBeaconFlags(login::BeaconFlags* flags) {
  beacon_admin_.Attach(flags);
}

grpc::Status AdminServiceImpl::ListBeaconFlags(
    grpc::ServerContext* context, const v1::ListBeaconFlagsRequest* request,
    v1::ListBeaconFlagsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  // The token carries how many flags earlier pages returned.
  absl::StatusOr<int64_t> offset = ParsePageToken(request->page_token());
  if (!offset.ok()) return ToGrpcStatus(offset.status());
  std::optional<std::string> tenant;
  if (request->has_tenant()) tenant = request->tenant();
  absl::StatusOr<login::BeaconFlagPage> page =
      beacon_admin_.List(tenant, *offset, request->page_size());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const store::BeaconFlagRecord& flag : page->flags) {
    BeaconFlagToProto(flag, *response->add_flags());
  }
  if (page->next_offset) {
    response->set_next_page_token(PageToken(*page->next_offset));
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteBeaconFlag(
    grpc::ServerContext* context, const v1::DeleteBeaconFlagRequest* request,
    v1::DeleteBeaconFlagResponse*) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ToGrpcStatus(
      beacon_admin_.Remove(*caller, request->tenant(), request->host()));
}

}  // namespace lureguard::service
