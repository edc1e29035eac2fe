#include "server/service/server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/auth/api_keys.h"
#include "server/certs/alert_notifier.h"
#include "server/certs/ct_log_client.h"
#include "server/certs/ct_monitor.h"
#include "server/common/clock.h"
#include "server/common/log.h"
#include "server/lists/curl_http_fetcher.h"
#include "server/lists/feed_fetcher.h"
#include "server/lists/feed_manager.h"
#include "server/service/admin_service.h"
#include "server/service/config.h"
#include "server/service/convert.h"
#include "server/service/url_service.h"
#include "server/store/store.h"
#include "server/verdict/brand_records.h"
#include "server/verdict/engine.h"
#include "server/verdict/snapshot_publisher.h"

namespace lureguard::service {
namespace {

absl::Status PrepareDataDir(const std::string& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data dir '", data_dir, "' cannot be created: ", error.message()));
  }
  if (!std::filesystem::is_directory(data_dir, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir '", data_dir, "' is not a directory"));
  }
  return absl::OkStatus();
}

bool IsLoopbackHost(absl::string_view address) {
  absl::string_view host = address.substr(0, address.rfind(':'));
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" ||
         absl::StartsWith(host, "127.");
}

lists::CurlHttpFetcherOptions FetcherOptions(const v1::ServerConfig& config) {
  lists::CurlHttpFetcherOptions options;
  options.allow_private_targets = config.allow_private_targets();
  return options;
}

class ServerImpl final : public Server {
 public:
  ServerImpl(const v1::ServerConfig& config,
             std::unique_ptr<store::Store> store)
      : config_(config),
        store_(std::move(store)),
        engine_(SystemClock()),
        publisher_(*store_, engine_, SystemClock(), PolicyFromConfig(config),
                   absl::Seconds(1), FromProto(config.ct().alert_window())),
        fetcher_(FetcherOptions(config)),
        refresher_(fetcher_, SystemClock(), lists::FeedRefreshOptions(),
                   absl::Uniform<uint64_t>(absl::BitGen())),
        feeds_(*store_, refresher_, SystemClock()),
        ct_monitor_(
            *store_,
            [this](const certs::CtLogConfig& log) {
              return certs::NewCtLogClient(log, fetcher_,
                                           config_.ct().batch_size());
            },
            [this]() -> std::shared_ptr<const lookalike::BrandIndex> {
              std::shared_ptr<const verdict::EngineSnapshot> snapshot =
                  engine_.snapshot();
              return snapshot == nullptr ? nullptr : snapshot->brands;
            },
            SystemClock(), CtOptionsFromConfig(config), &alert_notifier_),
        keys_(*store_, SystemClock()),
        url_service_(engine_, config.limits(), &keys_),
        admin_service_(*store_, publisher_, engine_, feeds_, keys_,
                       SystemClock(), config.limits(), kVersion,
                       CtAdmin{&ct_monitor_, &alert_notifier_,
                               FromProto(config.ct().default_interval())}) {}

  ~ServerImpl() override {
    Shutdown();
    Wait();
  }

  absl::Status Start() {
    if (absl::Status s = PrepareKeys(); !s.ok()) return s;
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    int port = 0;
    if (!IsLoopbackHost(config_.listen())) {
      // Transport security and API keys land with the security work; until
      // then a non-loopback address is served in plaintext, so say so.
      LogWarning("gRPC is served in plaintext on a non-loopback address",
                 {{"listen", config_.listen()}});
    }
    builder.AddListeningPort(config_.listen(),
                             grpc::InsecureServerCredentials(), &port);
    builder.SetMaxReceiveMessageSize(config_.limits().max_message_bytes());
    builder.SetMaxSendMessageSize(config_.limits().max_message_bytes());
    builder.RegisterService(&url_service_);
    builder.RegisterService(&admin_service_);
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port == 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot listen on '", config_.listen(),
          "' (address in use, or not an address of this machine)"));
    }
    // Not serving until the snapshot is loaded: verdicts would be empty.
    server_->GetHealthCheckService()->SetServingStatus(false);
    listen_address_ = absl::StrCat(
        config_.listen().substr(0, config_.listen().rfind(':')), ":", port);
    LogInfo("listening",
            {{"listen", listen_address_}, {"store", store_->Describe()}});

    if (!config_.skip_default_brands()) {
      absl::StatusOr<int> seeded =
          verdict::SeedDefaultBrands(*store_, SystemClock());
      if (!seeded.ok()) {
        server_->Shutdown();
        return seeded.status();
      }
      if (*seeded > 0) {
        LogInfo("default brands written", {{"brands", absl::StrCat(*seeded)}});
      }
    }
    if (absl::Status s = publisher_.LoadInitial(); !s.ok()) {
      server_->Shutdown();
      return absl::Status(s.code(), absl::StrCat("loading the verdict "
                                                 "snapshot: ",
                                                 s.message()));
    }
    publisher_.Start();
    feeds_.Start();
    ct_monitor_.Start();
    server_->GetHealthCheckService()->SetServingStatus(true);
    LogInfo("serving", {{"listen", listen_address_}, {"version", kVersion}});
    return absl::OkStatus();
  }

  std::string listen_address() const override { return listen_address_; }

  // Loads the API keys; on the first start (no key at all) creates the
  // admin key and writes it to <data_dir>/admin.token, readable by the
  // owner only, so the local CLI works without copying a secret around.
  absl::Status PrepareKeys() {
    if (absl::Status s = keys_.Load(); !s.ok()) return s;
    if (!keys_.empty()) return absl::OkStatus();
    const std::string path =
        (std::filesystem::path(config_.data_dir()) / "admin.token").string();
    absl::StatusOr<std::string> token =
        keys_.Create("admin", auth::Role::kAdmin, "");
    if (!token.ok()) return token.status();
    const int fd =
        open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0) {
      if (fd >= 0) close(fd);
      return absl::FailedPreconditionError(
          absl::StrCat("cannot write the admin key to '", path, "'"));
    }
    const std::string line = *token + "\n";
    const bool written = write(fd, line.data(), line.size()) ==
                         static_cast<ssize_t>(line.size());
    close(fd);
    if (!written) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot write the admin key to '", path, "'"));
    }
    LogInfo("first start: admin API key written (mode 0600)", {{"path", path}});
    return absl::OkStatus();
  }

  void Shutdown() override {
    {
      absl::MutexLock lock(&mu_);
      if (shutting_down_ || server_ == nullptr) return;
      shutting_down_ = true;
    }
    LogInfo("shutting down");
    server_->GetHealthCheckService()->SetServingStatus(false);
    const absl::Duration grace = FromProto(config_.shutdown_grace());
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoNanoseconds(grace));
    feeds_.Stop();
    ct_monitor_.Stop();
    publisher_.Stop();
    LogInfo("stopped");
  }

  void Wait() override {
    if (server_ != nullptr) server_->Wait();
  }

 private:
  const v1::ServerConfig config_;
  std::unique_ptr<store::Store> store_;
  verdict::Engine engine_;
  verdict::SnapshotPublisher publisher_;
  lists::CurlHttpFetcher fetcher_;
  lists::FeedRefresher refresher_;
  lists::FeedManager feeds_;
  certs::AlertNotifier alert_notifier_;
  certs::CtMonitor ct_monitor_;
  auth::KeyRing keys_;
  UrlServiceImpl url_service_;
  AdminServiceImpl admin_service_;
  std::unique_ptr<grpc::Server> server_;
  std::string listen_address_;
  absl::Mutex mu_;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const v1::ServerConfig& config) {
  if (absl::Status s = PrepareDataDir(config.data_dir()); !s.ok()) return s;
  const std::string db_path =
      (std::filesystem::path(config.data_dir()) / "lureguard.db").string();
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(db_path);
  if (!store.ok()) return store.status();
  auto server = std::make_unique<ServerImpl>(config, *std::move(store));
  if (absl::Status s = server->Start(); !s.ok()) return s;
  return server;
}

}  // namespace lureguard::service
