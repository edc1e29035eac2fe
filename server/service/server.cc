#include "server/service/server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <system_error>
#include <thread>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "server/auth/admin_token.h"
#include "server/auth/api_keys.h"
#include "server/auth/rate_limiter.h"
#include "server/certs/alert_notifier.h"
#include "server/certs/ct_log_client.h"
#include "server/certs/ct_monitor.h"
#include "server/certs/openssl_tls_prober.h"
#include "server/certs/probe_cache.h"
#include "server/common/bounded_executor.h"
#include "server/common/clock.h"
#include "server/common/keyed_hasher.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/common/target_guard.h"
#include "server/links/link_protector.h"
#include "server/lists/curl_http_fetcher.h"
#include "server/lists/feed_fetcher.h"
#include "server/lists/feed_manager.h"
#include "server/login/login_engine.h"
#include "server/login/redis_counter_store.h"
#include "server/login/sliding_window_counters.h"
#include "server/redirects/redirect_resolver.h"
#include "server/service/admin_service.h"
#include "server/service/authorize.h"
#include "server/service/config.h"
#include "server/service/convert.h"
#include "server/service/counter_store_config.h"
#include "server/service/ext_authz_service.h"
#include "server/service/feeds_config.h"
#include "server/service/gateway_verdict.h"
#include "server/service/http_connection_stats.h"
#include "server/service/http_front.h"
#include "server/service/http_limits.h"
#include "server/service/http_listener.h"
#include "server/service/http_router.h"
#include "server/service/link_http.h"
#include "server/service/link_service.h"
#include "server/service/links_config.h"
#include "server/service/listen_address.h"
#include "server/service/login_config.h"
#include "server/service/login_http.h"
#include "server/service/login_service.h"
#include "server/service/mail_config.h"
#include "server/service/mail_service.h"
#include "server/service/metrics.h"
#include "server/service/redirect_config.h"
#include "server/service/request_log.h"
#include "server/service/rpc_observer.h"
#include "server/service/state_collectors.h"
#include "server/service/store_health.h"
#include "server/service/tls_files.h"
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

// Removes gRPC server reflection from one server. The reflection plugin
// registers itself for every ServerBuilder of the process once its library
// is linked, so turning it off is done per builder, here.
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    plugins->erase(
        std::remove_if(plugins->begin(), plugins->end(),
                       [](const std::unique_ptr<grpc::ServerBuilderPlugin>& p) {
                         return p->name() == kReflectionPluginName;
                       }),
        plugins->end());
  }

 private:
  // grpc::reflection::ProtoServerReflectionPlugin::name().
  static constexpr char kReflectionPluginName[] = "proto_server_reflection";
};

// The per-key limiter's configuration; a rate of 0 turns it off.
auth::RateLimit RateLimitFromConfig(const v1::ServerConfig& config) {
  return {config.rate_limit().requests_per_second(),
          config.rate_limit().burst()};
}

// gRPC credentials from checked PEM files: TLS, asking for (and with
// `require_client_cert` insisting on) a client certificate verified against
// the client CA when one is configured.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(
    const std::optional<TlsFiles>& tls) {
  if (!tls.has_value()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      tls->client_ca_pem.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : (tls->require_client_cert
                 ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                 : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY));
  options.pem_root_certs = tls->client_ca_pem;
  options.pem_key_cert_pairs.push_back(
      {tls->private_key_pem, tls->cert_chain_pem});
  return grpc::SslServerCredentials(options);
}

// Every gRPC method this process serves, for the metrics' method labels.
std::vector<std::string> ServedGrpcMethods() {
  std::vector<std::string> methods = GrpcMethodsOf(
      {"lureguard.v1.UrlService", "lureguard.v1.AdminService",
       "lureguard.v1.LinkService", "envoy.service.auth.v3.Authorization",
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
  options.limits = HttpLimitsFromConfig(config.http());
  options.metrics = &metrics;
  options.log = &log;
  return options;
}

// The prober and what it needs, built before the server so a bad CA file
// stops the start with the field named.
struct CertProbing {
  std::unique_ptr<PinnedResolver> resolver;
  std::unique_ptr<certs::OpenSslTlsProber> prober;
};

absl::StatusOr<CertProbing> MakeCertProbing(const v1::ServerConfig& config) {
  CertProbing probing;
  if (config.certs().disable_probes()) return probing;
  std::vector<std::pair<std::string, IpAddress>> pins;
  for (const auto& [host, address] : config.certs().resolve_overrides()) {
    pins.emplace_back(host, *ParseIpAddress(address));  // validated
  }
  probing.resolver =
      std::make_unique<PinnedResolver>(std::move(pins), SystemResolver());
  certs::OpenSslTlsProberOptions options;
  options.target_policy.allow_private_targets = config.allow_private_targets();
  options.resolver = probing.resolver.get();
  options.deadline = FromProto(config.certs().probe_timeout());
  options.extra_ca_file = config.certs().extra_ca_file();
  absl::StatusOr<std::unique_ptr<certs::OpenSslTlsProber>> prober =
      certs::OpenSslTlsProber::Create(options);
  if (!prober.ok()) return prober.status();
  probing.prober = *std::move(prober);
  return probing;
}

certs::ProbeCacheOptions ProbeCacheOptionsFromConfig(
    const v1::ServerConfig& config) {
  certs::ProbeCacheOptions options;
  options.success_ttl = FromProto(config.certs().success_ttl());
  options.failure_ttl = FromProto(config.certs().failure_ttl());
  options.max_entries = config.certs().max_cached_hosts();
  return options;
}

lists::CurlHttpFetcherOptions FetcherOptions(const v1::ServerConfig& config) {
  lists::CurlHttpFetcherOptions options;
  options.allow_private_targets = config.allow_private_targets();
  return options;
}

// The feed fetcher's guard, with a name of its own: shorteners answer HEAD
// from anyone. The resolver follows hops itself (max_hops).
lists::CurlHttpFetcherOptions RedirectFetcherOptions(
    const v1::ServerConfig& config) {
  lists::CurlHttpFetcherOptions options = FetcherOptions(config);
  options.user_agent = "lureguard-link-checker/0.1";
  return options;
}

class ServerImpl final : public Server {
 public:
  ServerImpl(const v1::ServerConfig& config,
             std::unique_ptr<store::Store> store, CertProbing cert_probing)
      : config_(config),
        store_(std::move(store)),
        store_health_(*store_, SystemClock(),
                      [this](bool up) { ReportStoreHealth(up); }),
        cert_probing_(std::move(cert_probing)),
        probe_executor_(config.certs().workers(),
                        static_cast<size_t>(config.certs().max_queue())),
        cert_probes_(cert_probing_.prober == nullptr
                         ? nullptr
                         : std::make_unique<certs::ProbeCache>(
                               *cert_probing_.prober, probe_executor_,
                               SystemClock(),
                               ProbeCacheOptionsFromConfig(config))),
        redirect_fetcher_(RedirectFetcherOptions(config)),
        redirect_resolver_(config.redirects().disabled()
                               ? nullptr
                               : std::make_unique<redirects::RedirectResolver>(
                                     redirect_fetcher_, probe_executor_,
                                     SystemClock(),
                                     RedirectOptionsFromConfig(config))),
        engine_(SystemClock(),
                verdict::CertSignals{cert_probes_.get(),
                                     config.certs().probe_unknown_hosts()},
                redirect_resolver_.get()),
        publisher_(*store_, engine_, SystemClock(), PolicyFromConfig(config),
                   absl::Seconds(1), FromProto(config.ct().alert_window())),
        fetcher_(FetcherOptions(config)),
        refresher_(fetcher_, SystemClock(), lists::FeedRefreshOptions(),
                   absl::Uniform<uint64_t>(absl::BitGen())),
        feeds_(*store_, refresher_, SystemClock(), FeedMinInterval(config)),
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
        limiter_(SystemClock(), RateLimitFromConfig(config)),
        authorizer_(keys_, limiter_.enabled() ? &limiter_ : nullptr),
        request_log_(!config.logging().disable_request_log()),
        metrics_(ServedGrpcMethods()),
        url_service_(engine_, config.limits(), &authorizer_, &metrics_),
        http_checker_(engine_, config.limits(), &metrics_),
        http_front_(
            http_checker_, keys_, config.http(),
            [this] { return serving_.load(); },
            limiter_.enabled() ? &limiter_ : nullptr),
        gateway_judge_(http_checker_, config.http()),
        ext_authz_service_(gateway_judge_, &authorizer_, config.http()),
        admin_service_(*store_, publisher_, engine_, feeds_, keys_, authorizer_,
                       SystemClock(), config.limits(), kVersion,
                       CtWiring{&ct_monitor_, &alert_notifier_,
                                FromProto(config.ct().default_interval())},
                       cert_probes_.get()) {}

  ~ServerImpl() override {
    Shutdown();
    Wait();
    // Queued probes refer to the cache: stop them before it goes.
    probe_executor_.Stop();
  }

  absl::Status Start() {
    ASSIGN_OR_RETURN(std::optional<TlsFiles> tls, LoadTlsFiles(config_.tls()));
    // ValidateConfig refuses this too; checked again here so that no
    // caller of Start can serve plaintext to the network by accident.
    if (!tls.has_value() && !config_.allow_plaintext() &&
        !IsLoopbackAddress(config_.listen())) {
      return absl::InvalidArgumentError(
          absl::StrCat("listen: '", config_.listen(),
                       "' is not a loopback address; configure tls or set "
                       "allow_plaintext"));
    }
    if (!tls.has_value() && !IsLoopbackAddress(config_.listen())) {
      LogWarning("gRPC is served in plaintext (allow_plaintext)",
                 {{"listen", config_.listen()}});
    }
    RETURN_IF_ERROR(PrepareKeys());
    RETURN_IF_ERROR(PrepareLogin());
    // The HTTP front answers from the start, so /healthz says 503 while the
    // snapshot loads rather than refusing connections. It starts before
    // gRPC because the default click base URL of the links engine is its
    // bound address.
    RETURN_IF_ERROR(StartHttp());
    RETURN_IF_ERROR(PrepareLinks());
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    if (config_.disable_reflection()) {
      builder.SetOption(std::make_unique<WithoutReflection>());
    }
    int port = 0;
    builder.AddListeningPort(config_.listen(), ServerCredentials(tls), &port);
    // Per connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS).
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                               config_.limits().max_concurrent_streams());
    builder.SetMaxReceiveMessageSize(config_.limits().max_message_bytes());
    builder.SetMaxSendMessageSize(config_.limits().max_message_bytes());
    builder.RegisterService(&url_service_);
    builder.RegisterService(&ext_authz_service_);
    builder.RegisterService(&admin_service_);
    builder.RegisterService(login_service_.get());
    builder.RegisterService(link_service_.get());
    builder.RegisterService(mail_service_.get());
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        observers;
    observers.push_back(std::make_unique<RpcObserverFactory>(
        metrics_, request_log_, calls_in_flight_));
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
    LogInfo("listening", {{"listen", listen_address_},
                          {"tls", tls.has_value() ? "on" : "off"},
                          {"store", store_->Describe()}});
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
    // First: an outage is reported once there, and the reloads below wait
    // for the store's return instead of logging a failure every second.
    publisher_.AddReloader([this] { return store_health_.Check(); });
    auto while_up = [this](std::function<absl::Status()> reload) {
      return [this, reload = std::move(reload)] {
        return store_health_.up() ? reload() : absl::OkStatus();
      };
    };
    // Other replicas sharing the store change keys and beacon flags too.
    publisher_.AddReloader(while_up([this] { return keys_.Load(); }));
    if (login_engine_ != nullptr) {
      publisher_.AddReloader(
          while_up([this] { return login_engine_->ReloadBeaconFlags(); }));
      // And, on a shared volume, the breached-password file.
      publisher_.AddReloader(while_up(
          [this] { return login_engine_->ReloadBreachedPasswords(); }));
    }
    publisher_.Start();
    feeds_.Start();
    ct_monitor_.Start();
    server_->GetHealthCheckService()->SetServingStatus(true);
    serving_ = true;
    // The admin service's own entry, which follows the store from here on
    // (gRPC's health service answers only the names it was given).
    ReportStoreHealth(store_health_.up());
    LogInfo("serving", {{"listen", listen_address_}, {"version", kVersion}});
    return absl::OkStatus();
  }

  // The admin service's gRPC health follows the store (see
  // store_health.h); verdict services and the server as a whole stay
  // SERVING. Not once shutdown began: everything is NOT_SERVING then.
  void ReportStoreHealth(bool up) {
    if (!serving_.load() || server_ == nullptr) return;
    server_->GetHealthCheckService()->SetServingStatus(
        std::string(v1::AdminService::service_full_name()), up);
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
    front.stats = &http_stats_;
    HttpRouter routes;
    routes.Get("/healthz",
               [this](const HttpRequest& request, HttpResponse& response) {
                 http_front_.Healthz(request, response);
               });
    // Any method: gateways forward the original one.
    routes.Prefix("/authz", {},
                  [this](const HttpRequest& request, HttpResponse& response) {
                    http_front_.Authz(request, response);
                  });
    login_http_->Install(routes);
    link_http_routes_.Install(routes);
    ASSIGN_OR_RETURN(std::unique_ptr<HttpListener> http,
                     HttpListener::Start(front, std::move(routes)));
    http_ = std::move(http);
    LogInfo("http front listening", {{"http_listen", http_->address()},
                                     {"tls", http_->tls() ? "true" : "false"}});

    if (config_.metrics_listen().empty()) return absl::OkStatus();
    AddStateCollectors(metrics_, {.redis_counters = redis_counters_,
                                  .store_health = &store_health_,
                                  .engine = &engine_,
                                  .feeds = &feeds_,
                                  .ct_monitor = &ct_monitor_,
                                  .cert_probes = cert_probes_.get()});
    metrics_.AddCollector([this] { return http_stats_.Families(); });
    HttpListenerOptions metrics =
        ListenerOptions(config_, metrics_, request_log_);
    metrics.field = "metrics_listen";
    metrics.listen = config_.metrics_listen();
    // Prometheus scrapes plaintext by default, and /metrics takes no input
    // and holds no URL, key or user (see metrics.h), so it is served
    // plaintext on any address; bind it where only the scraper reaches.
    metrics.tls.Clear();
    metrics.allow_plaintext = true;
    metrics.limits = MetricsHttpLimits();
    HttpRouter metrics_routes;
    metrics_routes.Get(
        "/metrics", [this](const HttpRequest&, HttpResponse& response) {
          response.SetContent(metrics_.Exposition(),
                              "text/plain; version=0.0.4; charset=utf-8");
        });
    absl::StatusOr<std::unique_ptr<HttpListener>> listener =
        HttpListener::Start(metrics, std::move(metrics_routes));
    if (!listener.ok()) {
      http_->Stop(absl::Now());
      return listener.status();
    }
    metrics_listener_ = *std::move(listener);
    LogInfo("metrics listening",
            {{"metrics_listen", metrics_listener_->address()}});
    return absl::OkStatus();
  }

  // The links engine: click-token keys (`<data_dir>/links.key`, created
  // 0600 on the first start, unless configured), the recipient hash key,
  // per-tenant policies. The HTTP front's click routes wait for it.
  absl::Status PrepareLinks() {
    const std::string default_base =
        absl::StrCat(http_->tls() ? "https://" : "http://", http_->address());
    ASSIGN_OR_RETURN(links::LinkPolicies policies,
                     LinkPoliciesFromConfig(config_.links(), default_base));
    ASSIGN_OR_RETURN(
        links::ClickTokenCodec codec,
        ClickTokenCodecFromConfig(config_, policies.longest_token_lifetime()));
    ASSIGN_OR_RETURN(
        KeyedHasher recipients,
        KeyedHasher::LoadOrCreate(
            (std::filesystem::path(config_.data_dir()) / "recipients.key")
                .string()));
    links_ = std::make_unique<links::LinkProtector>(
        std::move(codec), std::move(policies),
        [this](absl::string_view field, absl::string_view url,
               absl::string_view tenant) {
          return http_checker_.Check(field, url, tenant);
        },
        engine_, std::move(recipients), *store_, SystemClock(),
        LinkOptionsFromConfig(config_));
    ASSIGN_OR_RETURN(mail::MailPolicies mail_policies,
                     MailPoliciesFromConfig(config_));
    mail_policies_ =
        std::make_unique<mail::MailPolicies>(std::move(mail_policies));
    messages_ = std::make_unique<mail::MessageChecker>(
        *links_,
        [this](absl::string_view field, absl::string_view url,
               absl::string_view tenant) {
          return http_checker_.Check(field, url, tenant);
        },
        engine_, *mail_policies_, SystemClock());
    mail_service_ = std::make_unique<MailServiceImpl>(*messages_, &authorizer_);
    link_service_ =
        std::make_unique<LinkServiceImpl>(*links_, *messages_, &authorizer_);
    link_http_ = std::make_unique<LinkHttp>(*links_);
    link_http_routes_.Ready(link_http_.get());
    if (config_.links().click_base_url().empty()) {
      LogInfo(
          "click URLs use the HTTP front's address; set "
          "links.click_base_url to the address mail readers reach",
          {{"click_base_url", default_base}});
    }
    return absl::OkStatus();
  }

  // Loads the API keys; on the first start (no key at all) creates the
  // admin key and writes it to <data_dir>/admin.token, readable by the
  // owner only, so the local CLI works without copying a secret around.
  absl::Status PrepareKeys() {
    RETURN_IF_ERROR(keys_.Load());
    if (!keys_.empty()) return absl::OkStatus();
    const std::string path =
        (std::filesystem::path(config_.data_dir()) / "admin.token").string();
    ASSIGN_OR_RETURN(std::string token,
                     keys_.Create("admin", auth::Role::kAdmin, ""));
    RETURN_IF_ERROR(auth::WriteAdminTokenFile(path, token));
    LogInfo("first start: admin API key written (mode 0600)", {{"path", path}});
    return absl::OkStatus();
  }

  // The login engine: its username key (created 0600 on the first start,
  // like admin.token), its options and the breached-password store.
  absl::Status PrepareLogin() {
    ASSIGN_OR_RETURN(login::LoginOptions options,
                     LoginOptionsFromConfig(config_));
    options.counters_fail_open = config_.counter_store().fail_open();
    ASSIGN_OR_RETURN(std::string key,
                     LoadOrCreateKeyFile(CounterKeyFile(config_)));
    ASSIGN_OR_RETURN(KeyedHasher hasher, KeyedHasher::Create(key));
    ASSIGN_OR_RETURN(
        std::unique_ptr<login::CounterStore> counters,
        CounterStoreFromConfig(config_, key, SystemClock(), &redis_counters_));
    login_counters_ = std::move(counters);
    if (redis_counters_ != nullptr) {
      LogInfo("login counters are shared in Redis",
              {{"key_prefix", config_.counter_store().key_prefix()},
               {"fail_open",
                config_.counter_store().fail_open() ? "true" : "false"}});
    }
    login_engine_ = std::make_unique<login::LoginEngine>(
        engine_, *login_counters_, std::move(hasher), std::move(options),
        store_.get(), SystemClock());
    RETURN_IF_ERROR(login_engine_->Load());
    login_service_ =
        std::make_unique<LoginServiceImpl>(*login_engine_, &authorizer_);
    login_http_ = std::make_unique<LoginHttp>(*login_engine_);
    admin_service_.SetBeaconFlags(&login_engine_->beacon_flags());
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
    const absl::Time deadline =
        absl::Now() + FromProto(config_.shutdown_grace());
    // Both doors close at once: the HTTP listeners stop accepting and drop
    // connections that wait for a request (slow clients among them) now,
    // while gRPC and HTTP requests in flight share the one grace period.
    if (http_ != nullptr) http_->BeginStop();
    if (metrics_listener_ != nullptr) metrics_listener_->BeginStop();
    StopGrpc(deadline);
    if (http_ != nullptr) http_->Stop(deadline);
    if (metrics_listener_ != nullptr) metrics_listener_->Stop(deadline);
    feeds_.Stop();
    ct_monitor_.Stop();
    publisher_.Stop();
    probe_executor_.Stop();
    LogInfo("stopped");
  }

  void Wait() override {
    if (server_ != nullptr) server_->Wait();
  }

 private:
  // Stops accepting calls at once and lets those in progress finish until
  // `deadline`, then cancels what is left. gRPC's own graceful shutdown
  // also waits for every client to close its connection, which a gateway
  // holding a channel never does: every stop would take the whole grace.
  // So once no call is in flight, the connections are cut then and there.
  void StopGrpc(absl::Time deadline) {
    std::thread graceful(
        [this, deadline] { server_->Shutdown(absl::ToChronoTime(deadline)); });
    // Twice zero, a poll apart: a call the transport took just before the
    // listener closed reaches its observer within that time.
    int idle_polls = 0;
    while (idle_polls < 2 && absl::Now() < deadline) {
      idle_polls = calls_in_flight_.load() == 0 ? idle_polls + 1 : 0;
      absl::SleepFor(absl::Milliseconds(20));
    }
    grpc_server_cancel_all_calls(server_->c_server());
    graceful.join();
  }

  const v1::ServerConfig config_;
  std::unique_ptr<store::Store> store_;
  StoreHealth store_health_;
  CertProbing cert_probing_;
  BoundedExecutor probe_executor_;
  std::unique_ptr<certs::ProbeCache> cert_probes_;  // null: probes off
  // Follows shortened links for the engine; probe_executor_ runs it, as
  // it runs certificate probes. Null when `redirects.disabled`.
  lists::CurlHttpFetcher redirect_fetcher_;
  std::unique_ptr<redirects::RedirectResolver> redirect_resolver_;
  verdict::Engine engine_;
  verdict::SnapshotPublisher publisher_;
  lists::CurlHttpFetcher fetcher_;
  lists::FeedRefresher refresher_;
  lists::FeedManager feeds_;
  certs::AlertNotifier alert_notifier_;
  certs::CtMonitor ct_monitor_;
  auth::KeyRing keys_;
  auth::RateLimiter limiter_;
  Authorizer authorizer_;
  const RequestLog request_log_;
  ServerMetrics metrics_;
  UrlServiceImpl url_service_;
  UrlChecker http_checker_;
  HttpFront http_front_;
  GatewayJudge gateway_judge_;
  ExtAuthzServiceImpl ext_authz_service_;
  // /healthz: the snapshot is loaded and shutdown has not begun.
  std::atomic<bool> serving_{false};
  // gRPC calls in progress, kept by the RPC observers.
  std::atomic<int> calls_in_flight_{0};
  AdminServiceImpl admin_service_;
  std::unique_ptr<login::CounterStore> login_counters_;
  // The Redis store when login_counters_ is one (for its metrics), or null.
  login::RedisCounterStore* redis_counters_ = nullptr;
  std::unique_ptr<login::LoginEngine> login_engine_;
  std::unique_ptr<LoginServiceImpl> login_service_;
  std::unique_ptr<LoginHttp> login_http_;
  // Declared before the listeners, which call into them until they stop.
  std::unique_ptr<links::LinkProtector> links_;
  std::unique_ptr<mail::MailPolicies> mail_policies_;
  std::unique_ptr<mail::MessageChecker> messages_;
  std::unique_ptr<MailServiceImpl> mail_service_;
  std::unique_ptr<LinkServiceImpl> link_service_;
  std::unique_ptr<LinkHttp> link_http_;
  DeferredLinkHttp link_http_routes_;
  HttpConnectionStats http_stats_;  // the front's; outlives its listener
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
  RETURN_IF_ERROR(PrepareDataDir(config.data_dir()));
  // Empty when the caller skipped ApplyDefaults (tests starting a Server
  // directly): the embedded default.
  const std::string location =
      !config.store().empty()
          ? config.store()
          : absl::StrCat("sqlite:", (std::filesystem::path(config.data_dir()) /
                                     "lureguard.db")
                                        .string());
  ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                   store::OpenStore(location));
  ASSIGN_OR_RETURN(CertProbing cert_probing, MakeCertProbing(config));
  auto server = std::make_unique<ServerImpl>(config, std::move(store),
                                             std::move(cert_probing));
  RETURN_IF_ERROR(server->Start());
  return server;
}

}  // namespace lureguard::service
