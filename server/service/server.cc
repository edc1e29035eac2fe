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
#include "server/service/http_front.h"
#include "server/service/http_listener.h"
#include "server/service/listen_address.h"
#include "server/service/metrics.h"
#include "server/service/request_log.h"
#include "server/service/rpc_observer.h"
#include "server/service/url_checker.h"
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

// Every gRPC method this process serves, for the metrics' method labels.
std::vector<std::string> ServedGrpcMethods() {
  std::vector<std::string> methods =
      GrpcMethodsOf({"lureguard.v1.UrlService", "lureguard.v1.AdminService",
                     "grpc.reflection.v1alpha.ServerReflection"});
  // gRPC's built-in health service has no protobuf descriptor here.
  methods.push_back("/grpc.health.v1.Health/Check");
  methods.push_back("/grpc.health.v1.Health/Watch");
  return methods;
}

HttpListenerOptions ListenerOptions(const v1::ServerConfig& config,
                                    ServerMetrics& metrics,
                                    const RequestLog& log) {
  HttpListenerOptions options;
  options.tls = config.tls();
  options.allow_plaintext = config.allow_plaintext();
  options.threads = config.http().threads();
  options.read_timeout = FromProto(config.http().read_timeout());
  options.metrics = &metrics;
  options.log = &log;
  return options;
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
        request_log_(!config.logging().disable_request_log()),
        metrics_(ServedGrpcMethods()),
        url_service_(engine_, config.limits(), &keys_, &metrics_),
        http_checker_(engine_, config.limits(), &metrics_),
        http_front_(http_checker_, keys_, config.http(),
                    [this] { return serving_.load(); }),
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
    if (!IsLoopbackAddress(config_.listen())) {
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
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        observers;
    observers.push_back(
        std::make_unique<RpcObserverFactory>(metrics_, request_log_));
    builder.experimental().SetInterceptorCreators(std::move(observers));
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
    // The HTTP front answers from the start, so /healthz says 503 while the
    // snapshot loads rather than refusing connections.
    if (absl::Status s = StartHttp(); !s.ok()) {
      server_->Shutdown();
      return s;
    }

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
    serving_ = true;
    LogInfo("serving", {{"listen", listen_address_}, {"version", kVersion}});
    return absl::OkStatus();
  }

  std::string listen_address() const override { return listen_address_; }
  std::string http_address() const override {
    return http_ == nullptr ? "" : http_->address();
  }
  std::string metrics_address() const override {
    return metrics_listener_ == nullptr ? "" : metrics_listener_->address();
  }

  // Starts the HTTP front and, when configured, the metrics endpoint, and
  // logs the addresses bound (tests read the ports from these lines).
  absl::Status StartHttp() {
    HttpListenerOptions front =
        ListenerOptions(config_, metrics_, request_log_);
    front.listen = config_.http_listen();
    front.prefix_routes.emplace_back(
        "/authz",
        [this](const httplib::Request& request, httplib::Response& response) {
          http_front_.Authz(request, response);
        });
    absl::StatusOr<std::unique_ptr<HttpListener>> http =
        HttpListener::Start(front, [this](httplib::Server& server) {
          server.Get("/healthz", [this](const httplib::Request& request,
                                        httplib::Response& response) {
            http_front_.Healthz(request, response);
          });
        });
    if (!http.ok()) return http.status();
    http_ = *std::move(http);
    LogInfo("http front listening", {{"http_listen", http_->address()},
                                     {"tls", http_->tls() ? "true" : "false"}});

    if (config_.metrics_listen().empty()) return absl::OkStatus();
    AddStateCollectors();
    HttpListenerOptions metrics =
        ListenerOptions(config_, metrics_, request_log_);
    metrics.field = "metrics_listen";
    metrics.listen = config_.metrics_listen();
    // Prometheus scrapes plaintext by default, and /metrics takes no input
    // and holds no URL, key or user (see metrics.h), so it is served
    // plaintext on any address; bind it where only the scraper reaches.
    metrics.tls.Clear();
    metrics.allow_plaintext = true;
    metrics.threads = 2;
    absl::StatusOr<std::unique_ptr<HttpListener>> listener =
        HttpListener::Start(metrics, [this](httplib::Server& server) {
          server.Get("/metrics", [this](const httplib::Request&,
                                        httplib::Response& response) {
            response.set_content(metrics_.Exposition(),
                                 "text/plain; version=0.0.4; charset=utf-8");
          });
        });
    if (!listener.ok()) {
      http_->Stop();
      return listener.status();
    }
    metrics_listener_ = *std::move(listener);
    LogInfo("metrics listening",
            {{"metrics_listen", metrics_listener_->address()}});
    return absl::OkStatus();
  }

  // Gauges read when /metrics is scraped: the snapshot serving checks and
  // each feed's status (issue #4).
  void AddStateCollectors() {
    metrics_.AddCollector([this] {
      std::vector<prometheus::MetricFamily> families;
      std::shared_ptr<const verdict::EngineSnapshot> snapshot =
          engine_.snapshot();
      if (snapshot == nullptr) return families;
      const lists::ListCounts counts = snapshot->lists.counts();
      families.push_back(
          GaugeFamily("lureguard_snapshot_entries",
                      "List entries in the snapshot serving checks, by list.",
                      {GaugeSample(counts.block, {{"list", "block"}}),
                       GaugeSample(counts.allow, {{"list", "allow"}})}));
      families.push_back(
          GaugeFamily("lureguard_snapshot_brands",
                      "Protected brands in the snapshot serving checks.",
                      {GaugeSample(snapshot->brands == nullptr
                                       ? 0
                                       : snapshot->brands->stats().brands)}));
      families.push_back(
          GaugeFamily("lureguard_snapshot_revision",
                      "Store revision the serving snapshot was built from.",
                      {GaugeSample(snapshot->revision)}));
      families.push_back(
          GaugeFamily("lureguard_snapshot_build_timestamp_seconds",
                      "When the serving snapshot was built, Unix time.",
                      {GaugeSample(absl::ToDoubleSeconds(snapshot->build_time -
                                                         absl::UnixEpoch()))}));
      families.push_back(GaugeFamily(
          "lureguard_snapshot_age_seconds",
          "Seconds since the serving snapshot was built.",
          {GaugeSample(absl::ToDoubleSeconds(SystemClock().Now() -
                                             snapshot->build_time))}));
      return families;
    });
    metrics_.AddCollector([this] {
      std::vector<prometheus::MetricFamily> families;
      absl::StatusOr<std::vector<lists::FeedState>> feeds = feeds_.List();
      if (!feeds.ok()) return families;
      std::vector<prometheus::ClientMetric> success, attempt, failures, entries,
          up;
      for (const lists::FeedState& feed : *feeds) {
        const std::vector<prometheus::ClientMetric::Label> labels = {
            {"feed", feed.config.name}, {"tenant", feed.config.tenant}};
        auto unix_or_zero = [](absl::Time t) {
          return t == absl::UnixEpoch()
                     ? 0.0
                     : absl::ToDoubleSeconds(t - absl::UnixEpoch());
        };
        success.push_back(
            GaugeSample(unix_or_zero(feed.last_success_time), labels));
        attempt.push_back(
            GaugeSample(unix_or_zero(feed.last_attempt_time), labels));
        failures.push_back(GaugeSample(feed.consecutive_failures, labels));
        entries.push_back(GaugeSample(feed.entry_count, labels));
        up.push_back(GaugeSample(feed.last_attempt_time != absl::UnixEpoch() &&
                                         feed.last_error.empty()
                                     ? 1
                                     : 0,
                                 labels));
      }
      families.push_back(GaugeFamily(
          "lureguard_feed_last_success_timestamp_seconds",
          "Last successful refresh of each feed, Unix time; 0: never.",
          std::move(success)));
      families.push_back(
          GaugeFamily("lureguard_feed_last_attempt_timestamp_seconds",
                      "Last refresh attempt of each feed, Unix time; 0: never.",
                      std::move(attempt)));
      families.push_back(
          GaugeFamily("lureguard_feed_consecutive_failures",
                      "Failed refreshes of each feed since its last success.",
                      std::move(failures)));
      families.push_back(
          GaugeFamily("lureguard_feed_entries",
                      "Entries each feed's last successful refresh wrote.",
                      std::move(entries)));
      families.push_back(GaugeFamily(
          "lureguard_feed_up",
          "1 when the feed's last refresh succeeded, else 0.", std::move(up)));
      return families;
    });
  }

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
    serving_ = false;
    server_->GetHealthCheckService()->SetServingStatus(false);
    const absl::Duration grace = FromProto(config_.shutdown_grace());
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoNanoseconds(grace));
    if (http_ != nullptr) http_->Stop();
    if (metrics_listener_ != nullptr) metrics_listener_->Stop();
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
  const RequestLog request_log_;
  ServerMetrics metrics_;
  UrlServiceImpl url_service_;
  UrlChecker http_checker_;
  HttpFront http_front_;
  // /healthz: the snapshot is loaded and shutdown has not begun.
  std::atomic<bool> serving_{false};
  AdminServiceImpl admin_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpListener> http_;
  std::unique_ptr<HttpListener> metrics_listener_;
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
