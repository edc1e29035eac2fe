#include "server/service/config.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "server/common/ip_range.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/common/text_proto.h"
#include "server/service/counter_store_config.h"
#include "server/service/feeds_config.h"
#include "server/service/http_limits.h"
#include "server/service/links_config.h"
#include "server/service/listen_address.h"
#include "server/service/login_config.h"
#include "server/service/mail_config.h"
#include "server/service/redirect_config.h"
#include "server/store/store.h"

namespace lureguard::service {
namespace {

// Protocol Buffers' default gRPC receive limit is 4 MiB. The largest request
// is a mail message for CheckMessage or RewriteMessage, whose own default
// limit is 25 MiB (the common mail size limit, and the milter's): 26 MiB
// leaves room for the rest of the request. At 16 MiB, messages of 16-25 MiB
// got gRPC's bare RESOURCE_EXHAUSTED instead of being checked.
constexpr int32_t kDefaultMaxMessageBytes = 26 << 20;

// HTTP/2 peers default to 100 concurrent streams (RFC 9113 §6.5.2
// recommends no fewer), which is also what Go and nginx advertise.
constexpr int32_t kDefaultMaxConcurrentStreams = 100;

// Long enough for a 10 M-entry import and its snapshot publish on a slow
// disk, short enough that a forgotten stream frees its slot.
constexpr int64_t kDefaultDeadlineSeconds = 120;

// A gateway checking every navigation of a few thousand users stays well
// under this; a runaway script does not.
constexpr double kDefaultRequestsPerSecond = 1000;

absl::Status CheckListenTransport(absl::string_view field,
                                  const std::string& address,
                                  const v1::ServerConfig& config) {
  if (!config.tls().cert_file().empty() || config.allow_plaintext() ||
      IsLoopbackAddress(address)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": '", address,
      "' is not a loopback address; set tls.cert_file and tls.key_file, "
      "or allow_plaintext when a proxy or mesh provides TLS (plaintext is "
      "served only on loopback)"));
}

}  // namespace

absl::StatusOr<v1::ServerConfig> LoadConfigFile(const std::string& path) {
  v1::ServerConfig config;
  RETURN_IF_ERROR(LoadTextProtoFile(path, &config));
  return config;
}

namespace {

// `value` (the field `name` of `http`) within [low, high].
absl::Status CheckRange(absl::string_view name, int64_t value, int64_t low,
                        int64_t high) {
  if (value < low || value > high) {
    return absl::InvalidArgumentError(absl::StrCat(
        "http.", name, ": ", value, " is outside [", low, ", ", high, "]"));
  }
  return absl::OkStatus();
}

absl::Status CheckTimeout(absl::string_view name,
                          const google::protobuf::Duration& value) {
  const absl::Duration duration =
      absl::Seconds(value.seconds()) + absl::Nanoseconds(value.nanos());
  if (duration < absl::Milliseconds(100) || duration > absl::Hours(1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("http.", name, ": ", absl::FormatDuration(duration),
                     " is outside [100ms, 1h]"));
  }
  return absl::OkStatus();
}

// The HTTP front's limits against hostile clients (defaults applied).
absl::Status ValidateHttpLimits(const v1::HttpFrontConfig& http) {
  RETURN_IF_ERROR(CheckTimeout("header_timeout", http.header_timeout()));
  RETURN_IF_ERROR(CheckTimeout("body_timeout", http.body_timeout()));
  RETURN_IF_ERROR(CheckTimeout("write_timeout", http.write_timeout()));
  RETURN_IF_ERROR(
      CheckRange("max_header_bytes", http.max_header_bytes(), 1024, 1 << 20));
  if (absl::Status s =
          CheckRange("max_header_count", http.max_header_count(), 8, 10000);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckRange("max_body_bytes", http.max_body_bytes(), 1, 64 << 20);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckRange("max_connections", http.max_connections(), 1, 1000000);
      !s.ok()) {
    return s;
  }
  RETURN_IF_ERROR(CheckRange("max_connections_per_ip",
                             http.max_connections_per_ip(), 1, 1000000));
  return CheckRange("io_threads", http.io_threads(), 1, 64);
}

absl::Status ValidateCertsConfig(const v1::CertsConfig& certs) {
  const absl::Duration timeout =
      absl::Seconds(certs.probe_timeout().seconds()) +
      absl::Nanoseconds(certs.probe_timeout().nanos());
  if (timeout < absl::Milliseconds(10) || timeout > absl::Seconds(60)) {
    return absl::InvalidArgumentError(
        absl::StrCat("certs.probe_timeout: ", absl::FormatDuration(timeout),
                     " is outside [10ms, 60s]"));
  }
  if (certs.success_ttl().seconds() < 0 || certs.failure_ttl().seconds() < 0) {
    return absl::InvalidArgumentError(certs.success_ttl().seconds() < 0
                                          ? "certs.success_ttl: is negative"
                                          : "certs.failure_ttl: is negative");
  }
  if (certs.workers() < 1 || certs.workers() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "certs.workers: ", certs.workers(), " is outside [1, 64]"));
  }
  if (certs.max_queue() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("certs.max_queue: ", certs.max_queue(), " is below 1"));
  }
  if (certs.max_cached_hosts() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "certs.max_cached_hosts: ", certs.max_cached_hosts(), " is below 1"));
  }
  for (const auto& [host, address] : certs.resolve_overrides()) {
    if (!ParseIpAddress(address).has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("certs.resolve_overrides['", host, "']: '", address,
                       "' is not an IP address"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void ApplyDefaults(v1::ServerConfig& config) {
  if (config.listen().empty()) config.set_listen(kDefaultListen);
  if (config.http_listen().empty()) config.set_http_listen(kDefaultHttpListen);
  if (config.data_dir().empty()) config.set_data_dir(kDefaultDataDir);
  if (config.store().empty()) {
    config.set_store(
        absl::StrCat("sqlite:", config.data_dir(), "/lureguard.db"));
  }
  v1::Limits& limits = *config.mutable_limits();
  if (limits.max_url_length() == 0) limits.set_max_url_length(8192);
  if (limits.max_batch_size() == 0) limits.set_max_batch_size(1000);
  if (limits.max_message_bytes() == 0) {
    limits.set_max_message_bytes(kDefaultMaxMessageBytes);
  }
  if (limits.max_import_entries() == 0) {
    limits.set_max_import_entries(20'000'000);
  }
  if (limits.max_concurrent_streams() == 0) {
    limits.set_max_concurrent_streams(kDefaultMaxConcurrentStreams);
  }
  if (!limits.has_default_deadline()) {
    limits.mutable_default_deadline()->set_seconds(kDefaultDeadlineSeconds);
  }
  v1::RateLimit& rate = *config.mutable_rate_limit();
  if (!rate.has_requests_per_second()) {
    rate.set_requests_per_second(kDefaultRequestsPerSecond);
  }
  if (!rate.has_burst()) {
    rate.set_burst(std::max(1.0, 2 * rate.requests_per_second()));
  }
  v1::Policy& policy = *config.mutable_policy();
  const verdict::Policy defaults;
  if (policy.warn_threshold() == 0) {
    policy.set_warn_threshold(defaults.warn_threshold);
  }
  if (policy.block_threshold() == 0) {
    policy.set_block_threshold(defaults.block_threshold);
  }
  if (!policy.has_max_cache_ttl()) {
    policy.mutable_max_cache_ttl()->set_seconds(
        absl::ToInt64Seconds(defaults.max_cache_ttl));
  }
  if (!config.has_shutdown_grace()) {
    config.mutable_shutdown_grace()->set_seconds(5);
  }
  v1::CertsConfig& certs = *config.mutable_certs();
  if (!certs.has_probe_timeout()) certs.mutable_probe_timeout()->set_seconds(5);
  if (!certs.has_success_ttl()) {
    certs.mutable_success_ttl()->set_seconds(6 * 3600);
  }
  if (!certs.has_failure_ttl()) certs.mutable_failure_ttl()->set_seconds(600);
  if (certs.workers() == 0) certs.set_workers(2);
  if (certs.max_queue() == 0) certs.set_max_queue(256);
  if (certs.max_cached_hosts() == 0) certs.set_max_cached_hosts(100000);
  v1::HttpFrontConfig& http = *config.mutable_http();
  if (http.threads() == 0) http.set_threads(8);
  if (!http.has_read_timeout()) http.mutable_read_timeout()->set_seconds(5);
  const HttpLimits http_defaults;
  if (!http.has_header_timeout()) {
    http.mutable_header_timeout()->set_seconds(
        absl::ToInt64Seconds(http_defaults.header_timeout));
  }
  if (!http.has_body_timeout()) {
    http.mutable_body_timeout()->set_seconds(
        absl::ToInt64Seconds(http_defaults.body_timeout));
  }
  if (!http.has_write_timeout()) {
    http.mutable_write_timeout()->set_seconds(
        absl::ToInt64Seconds(http_defaults.write_timeout));
  }
  if (http.max_header_bytes() == 0) {
    http.set_max_header_bytes(
        static_cast<int32_t>(http_defaults.max_header_bytes));
  }
  if (http.max_header_count() == 0) {
    http.set_max_header_count(
        static_cast<int32_t>(http_defaults.max_header_count));
  }
  if (http.max_body_bytes() == 0) {
    http.set_max_body_bytes(static_cast<int32_t>(http_defaults.max_body_bytes));
  }
  if (http.max_connections() == 0) {
    http.set_max_connections(
        static_cast<int32_t>(http_defaults.max_connections));
  }
  if (http.max_connections_per_ip() == 0) {
    http.set_max_connections_per_ip(
        static_cast<int32_t>(http_defaults.max_connections_per_ip));
  }
  if (http.io_threads() == 0) http.set_io_threads(http_defaults.io_threads);
  if (config.logging().level().empty()) {
    config.mutable_logging()->set_level("info");
  }
  ApplyLoginDefaults(config);
  ApplyCounterStoreDefaults(config);
  ApplyFeedsDefaults(config);
  v1::CtConfig& ct = *config.mutable_ct();
  const certs::CtMonitorOptions ct_defaults;
  if (!ct.has_default_interval())
    ct.mutable_default_interval()->set_seconds(60);
  if (ct.batch_size() == 0) ct.set_batch_size(ct_defaults.batch_size);
  if (ct.concurrency() == 0) ct.set_concurrency(ct_defaults.concurrency);
  if (!ct.has_backoff_initial()) {
    ct.mutable_backoff_initial()->set_seconds(
        absl::ToInt64Seconds(ct_defaults.backoff_initial));
  }
  if (!ct.has_backoff_max()) {
    ct.mutable_backoff_max()->set_seconds(
        absl::ToInt64Seconds(ct_defaults.backoff_max));
  }
  if (!ct.has_alert_window()) {
    ct.mutable_alert_window()->set_seconds(30 * 24 * 3600);
  }
  if (ct.max_entries_per_poll() == 0) {
    ct.set_max_entries_per_poll(ct_defaults.max_entries_per_poll);
  }
}

namespace {

absl::Duration AsDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

absl::Status ValidateCtConfig(const v1::CtConfig& ct) {
  const absl::Duration interval = AsDuration(ct.default_interval());
  if (interval < certs::CtMonitor::kMinInterval ||
      interval > certs::CtMonitor::kMaxInterval) {
    return absl::InvalidArgumentError(
        absl::StrCat("ct.default_interval: ", absl::FormatDuration(interval),
                     " is outside [1s, 24h]"));
  }
  if (ct.batch_size() < 1 || ct.batch_size() > 10000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ct.batch_size: ", ct.batch_size(), " is outside [1, 10000]"));
  }
  if (ct.concurrency() < 1 || ct.concurrency() > 32) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ct.concurrency: ", ct.concurrency(), " is outside [1, 32]"));
  }
  const absl::Duration initial = AsDuration(ct.backoff_initial());
  const absl::Duration max = AsDuration(ct.backoff_max());
  if (initial <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("ct.backoff_initial: must be positive");
  }
  if (max < initial) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ct.backoff_max: ", absl::FormatDuration(max),
        " is below ct.backoff_initial ", absl::FormatDuration(initial)));
  }
  if (AsDuration(ct.alert_window()) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("ct.alert_window: must be positive");
  }
  if (ct.max_entries_per_poll() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ct.max_entries_per_poll: ", ct.max_entries_per_poll(), " is below 1"));
  }
  return absl::OkStatus();
}

}  // namespace

certs::CtMonitorOptions CtOptionsFromConfig(const v1::ServerConfig& config) {
  const v1::CtConfig& ct = config.ct();
  certs::CtMonitorOptions options;
  options.batch_size = ct.batch_size();
  options.concurrency = ct.concurrency();
  options.backoff_initial = AsDuration(ct.backoff_initial());
  options.backoff_max = AsDuration(ct.backoff_max());
  options.max_entries_per_poll = ct.max_entries_per_poll();
  options.min_alert_weight = config.policy().warn_threshold();
  return options;
}

absl::Status ValidateConfig(const v1::ServerConfig& config) {
  RETURN_IF_ERROR(store::ValidateStoreLocation(config.store()));
  const v1::Limits& limits = config.limits();
  if (limits.max_url_length() < 16 || limits.max_url_length() > (1 << 20)) {
    return absl::InvalidArgumentError(
        absl::StrCat("limits.max_url_length: ", limits.max_url_length(),
                     " is outside [16, 1048576]"));
  }
  if (limits.max_batch_size() < 1 || limits.max_batch_size() > 100000) {
    return absl::InvalidArgumentError(
        absl::StrCat("limits.max_batch_size: ", limits.max_batch_size(),
                     " is outside [1, 100000]"));
  }
  if (limits.max_message_bytes() < (64 << 10)) {
    return absl::InvalidArgumentError(
        absl::StrCat("limits.max_message_bytes: ", limits.max_message_bytes(),
                     " is below 65536"));
  }
  if (limits.max_import_entries() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("limits.max_import_entries: ", limits.max_import_entries(),
                     " is below 1"));
  }
  if (limits.max_concurrent_streams() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limits.max_concurrent_streams: ", limits.max_concurrent_streams(),
        " is below 1"));
  }
  if (limits.default_deadline().seconds() < 0 ||
      limits.default_deadline().nanos() < 0 ||
      (limits.default_deadline().seconds() == 0 &&
       limits.default_deadline().nanos() == 0)) {
    return absl::InvalidArgumentError(
        "limits.default_deadline: must be positive");
  }
  const v1::RateLimit& rate = config.rate_limit();
  if (!(rate.requests_per_second() >= 0) || !(rate.burst() >= 0) ||
      std::isinf(rate.requests_per_second()) || std::isinf(rate.burst())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rate_limit: requests_per_second ", rate.requests_per_second(),
        " and burst ", rate.burst(), " must be finite and not negative"));
  }
  if (rate.requests_per_second() > 0 && rate.burst() < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("rate_limit.burst: ", rate.burst(),
                     " is below 1, so no call would ever be admitted"));
  }
  RETURN_IF_ERROR(CheckListenTransport("listen", config.listen(), config));
  if (absl::Status s =
          CheckListenTransport("http_listen", config.http_listen(), config);
      !s.ok()) {
    return s;
  }
  if (config.shutdown_grace().seconds() < 0 ||
      config.shutdown_grace().nanos() < 0) {
    return absl::InvalidArgumentError("shutdown_grace: is negative");
  }
  RETURN_IF_ERROR(ValidateCertsConfig(config.certs()));
  if (absl::StatusOr<HostPort> http =
          ParseListenAddress("http_listen", config.http_listen());
      !http.ok()) {
    return http.status();
  }
  if (!config.metrics_listen().empty()) {
    if (absl::StatusOr<HostPort> metrics =
            ParseListenAddress("metrics_listen", config.metrics_listen());
        !metrics.ok()) {
      return metrics.status();
    }
  }
  if (config.http().threads() < 1 || config.http().threads() > 256) {
    return absl::InvalidArgumentError(absl::StrCat(
        "http.threads: ", config.http().threads(), " is outside [1, 256]"));
  }
  if (config.http().read_timeout().seconds() < 1) {
    return absl::InvalidArgumentError("http.read_timeout: is below one second");
  }
  RETURN_IF_ERROR(ValidateHttpLimits(config.http()));
  if (!ParseLogLevel(config.logging().level()).has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("logging.level: '", config.logging().level(),
                     "' is not debug, info, warn or error"));
  }
  RETURN_IF_ERROR(ValidateLoginConfig(config));
  RETURN_IF_ERROR(ValidateCounterStoreConfig(config));
  RETURN_IF_ERROR(ValidateCtConfig(config.ct()));
  RETURN_IF_ERROR(ValidateLinksConfig(config));
  RETURN_IF_ERROR(ValidateMailConfig(config));
  RETURN_IF_ERROR(ValidateRedirectConfig(config));
  RETURN_IF_ERROR(ValidateFeedsConfig(config));
  return PolicyFromConfig(config).Validate();
}

verdict::Policy PolicyFromConfig(const v1::ServerConfig& config) {
  verdict::Policy policy;
  policy.warn_threshold = config.policy().warn_threshold();
  policy.block_threshold = config.policy().block_threshold();
  policy.max_cache_ttl =
      absl::Seconds(config.policy().max_cache_ttl().seconds()) +
      absl::Nanoseconds(config.policy().max_cache_ttl().nanos());
  return policy;
}

}  // namespace lureguard::service
