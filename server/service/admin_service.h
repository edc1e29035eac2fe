// lureguard.v1.AdminService on gRPC's synchronous API: admin calls write to
// the store (blocking I/O, so they run on the sync thread pool, never on
// the callback threads that serve verdicts) and wait until the snapshot
// they changed is published, so a check right after an add sees it.
//
// Each handler authorizes the call, converts the request to engine types,
// calls the owner of that state (lists::ListAdmin, verdict::BrandRegistry,
// lists::FeedAdmin, auth::KeyAdmin, certs::CtAdmin,
// login::BeaconFlagAdmin), waits for the publish when the change affects
// verdicts, and converts the answer back.

#ifndef LUREGUARD_SERVER_SERVICE_ADMIN_SERVICE_H_
#define LUREGUARD_SERVER_SERVICE_ADMIN_SERVICE_H_

#include <string>

#include "absl/time/time.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/config.pb.h"
#include "server/auth/api_keys.h"
#include "server/auth/caller.h"
#include "server/auth/key_admin.h"
#include "server/certs/alert_notifier.h"
#include "server/certs/ct_admin.h"
#include "server/certs/ct_monitor.h"
#include "server/certs/probe_cache.h"
#include "server/common/clock.h"
#include "server/lists/feed_admin.h"
#include "server/lists/feed_manager.h"
#include "server/lists/list_admin.h"
#include "server/login/beacon_flag_admin.h"
#include "server/login/beacon_flags.h"
#include "server/service/authorize.h"
#include "server/store/store.h"
#include "server/verdict/brand_registry.h"
#include "server/verdict/engine.h"
#include "server/verdict/snapshot_publisher.h"

namespace lureguard::service {

// What the certificate-transparency methods' owner (certs::CtAdmin) is
// built from.
struct CtWiring {
  certs::CtMonitor* monitor = nullptr;  // required
  certs::AlertNotifier* notifier = nullptr;
  absl::Duration default_interval = absl::Minutes(1);
};

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  // Everything passed in must outlive the service. `authorizer` checks
  // callers against `keys`.
  AdminServiceImpl(store::Store& store, verdict::SnapshotPublisher& publisher,
                   const verdict::Engine& engine, lists::FeedManager& feeds,
                   auth::KeyRing& keys, const Authorizer& authorizer,
                   const Clock& clock, const v1::Limits& limits,
                   std::string version, CtWiring ct,
                   certs::ProbeCache* cert_probes = nullptr);

  grpc::Status CreateListEntry(grpc::ServerContext* context,
                               const v1::CreateListEntryRequest* request,
                               v1::ListEntry* response) override;
  grpc::Status DeleteListEntry(grpc::ServerContext* context,
                               const v1::DeleteListEntryRequest* request,
                               v1::DeleteListEntryResponse* response) override;
  grpc::Status ListListEntries(grpc::ServerContext* context,
                               const v1::ListListEntriesRequest* request,
                               v1::ListListEntriesResponse* response) override;
  grpc::Status ImportListEntries(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::ImportListEntriesRequest>* reader,
      v1::ImportListEntriesResponse* response) override;
  grpc::Status GetStatus(grpc::ServerContext* context,
                         const v1::GetStatusRequest* request,
                         v1::GetStatusResponse* response) override;

  grpc::Status CreateFeed(grpc::ServerContext* context,
                          const v1::CreateFeedRequest* request,
                          v1::Feed* response) override;
  grpc::Status ListFeeds(grpc::ServerContext* context,
                         const v1::ListFeedsRequest* request,
                         v1::ListFeedsResponse* response) override;
  grpc::Status DeleteFeed(grpc::ServerContext* context,
                          const v1::DeleteFeedRequest* request,
                          v1::DeleteFeedResponse* response) override;
  grpc::Status RefreshFeed(grpc::ServerContext* context,
                           const v1::RefreshFeedRequest* request,
                           v1::Feed* response) override;

  grpc::Status CreateBrand(grpc::ServerContext* context,
                           const v1::CreateBrandRequest* request,
                           v1::Brand* response) override;
  grpc::Status DeleteBrand(grpc::ServerContext* context,
                           const v1::DeleteBrandRequest* request,
                           v1::DeleteBrandResponse* response) override;
  grpc::Status ListBrands(grpc::ServerContext* context,
                          const v1::ListBrandsRequest* request,
                          v1::ListBrandsResponse* response) override;
  grpc::Status ImportBrands(grpc::ServerContext* context,
                            const v1::ImportBrandsRequest* request,
                            v1::ImportBrandsResponse* response) override;

  grpc::Status CreateApiKey(grpc::ServerContext* context,
                            const v1::CreateApiKeyRequest* request,
                            v1::CreateApiKeyResponse* response) override;
  grpc::Status ListApiKeys(grpc::ServerContext* context,
                           const v1::ListApiKeysRequest* request,
                           v1::ListApiKeysResponse* response) override;
  grpc::Status RevokeApiKey(grpc::ServerContext* context,
                            const v1::RevokeApiKeyRequest* request,
                            v1::RevokeApiKeyResponse* response) override;

  grpc::Status ListAuditRecords(
      grpc::ServerContext* context, const v1::ListAuditRecordsRequest* request,
      v1::ListAuditRecordsResponse* response) override;

  grpc::Status ProbeCertificate(
      grpc::ServerContext* context, const v1::ProbeCertificateRequest* request,
      v1::ProbeCertificateResponse* response) override;
  // Certificate transparency (admin_ct.cc).
  grpc::Status CreateCtLog(grpc::ServerContext* context,
                           const v1::CreateCtLogRequest* request,
                           v1::CtLog* response) override;
  grpc::Status ListCtLogs(grpc::ServerContext* context,
                          const v1::ListCtLogsRequest* request,
                          v1::ListCtLogsResponse* response) override;
  grpc::Status DeleteCtLog(grpc::ServerContext* context,
                           const v1::DeleteCtLogRequest* request,
                           v1::DeleteCtLogResponse* response) override;
  grpc::Status ListAlerts(grpc::ServerContext* context,
                          const v1::ListAlertsRequest* request,
                          v1::ListAlertsResponse* response) override;
  grpc::Status AckAlert(grpc::ServerContext* context,
                        const v1::AckAlertRequest* request,
                        v1::Alert* response) override;
  grpc::Status WatchAlerts(grpc::ServerContext* context,
                           const v1::WatchAlertsRequest* request,
                           grpc::ServerWriter<v1::Alert>* writer) override;
  // Login-beacon flags (admin_beacons.cc); UNAVAILABLE until
  // SetBeaconFlags.
  grpc::Status ListBeaconFlags(grpc::ServerContext* context,
                               const v1::ListBeaconFlagsRequest* request,
                               v1::ListBeaconFlagsResponse* response) override;
  grpc::Status DeleteBeaconFlag(
      grpc::ServerContext* context, const v1::DeleteBeaconFlagRequest* request,
      v1::DeleteBeaconFlagResponse* response) override;

  // The login engine's flags, which start after this service is built.
  // `flags` must outlive the service.
  void SetBeaconFlags(login::BeaconFlags* flags);

 private:
  // Waits until verdicts reflect every write committed so far, at most
  // until the call's deadline (its own, or the configured default).
  absl::Status AwaitPublished(const grpc::ServerContext& context);

  // The caller of an admin method that may change something: Authorize,
  // plus the request id its audit record will carry.
  absl::StatusOr<auth::Caller> AuthorizeCaller(grpc::ServerContext& context,
                                               Permission permission) const;

  store::Store& store_;
  verdict::SnapshotPublisher& publisher_;
  const verdict::Engine& engine_;
  lists::FeedAdmin feed_admin_;
  lists::ListAdmin list_admin_;
  verdict::BrandRegistry brands_;
  auth::KeyAdmin key_admin_;
  const Authorizer& authorizer_;
  const Clock& clock_;
  const v1::Limits limits_;
  const std::string version_;
  const absl::Time start_time_;
  certs::ProbeCache* const cert_probes_;  // null when probes are off
  certs::CtAdmin ct_admin_;
  login::BeaconFlagAdmin beacon_admin_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_ADMIN_SERVICE_H_
