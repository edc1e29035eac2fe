#include "client/milter/config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/milter/tenant_routing.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/common/text_proto.h"

namespace lureguard::milter {
namespace {

// "inet:PORT@HOST", "inet6:PORT@HOST", "unix:/path" or "local:/path", as
// libmilter's smfi_setconn reads them. A bare path is libmilter's "unix".
absl::Status ValidateMilterSocket(absl::string_view spec) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("milter_socket: '", spec, "' ", why));
  };
  if (absl::StartsWith(spec, "unix:") || absl::StartsWith(spec, "local:")) {
    if (spec.substr(spec.find(':') + 1).empty()) return bad("has no path");
    return absl::OkStatus();
  }
  if (absl::StartsWith(spec, "inet:") || absl::StartsWith(spec, "inet6:")) {
    absl::string_view rest = spec.substr(spec.find(':') + 1);
    const size_t at = rest.find('@');
    absl::string_view port = rest.substr(0, at);
    if (port.empty() || !std::all_of(port.begin(), port.end(), [](char c) {
          return absl::ascii_isdigit(static_cast<unsigned char>(c));
        })) {
      return bad("needs a numeric port: inet:PORT@HOST");
    }
    if (at == absl::string_view::npos || rest.substr(at + 1).empty()) {
      return bad("needs a host: inet:PORT@HOST");
    }
    return absl::OkStatus();
  }
  return bad("is not inet:PORT@HOST, inet6:PORT@HOST or unix:/path");
}

absl::Status ValidateTenantRoutes(const v1::MilterConfig& config) {
  for (int i = 0; i < config.tenant_routes_size(); ++i) {
    const v1::MilterTenantRoute& route = config.tenant_routes(i);
    const std::string field = absl::StrCat("tenant_routes[", i, "]");
    // The router files a route under RouteDomainKey: "." would be filed
    // under "" and never match, and "a.example." would shadow or be
    // shadowed by "A.example".
    const std::string key = RouteDomainKey(route.domain());
    if (key.empty() || absl::StrContains(route.domain(), '@') ||
        absl::StrContains(route.domain(), ' ')) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".domain: '", route.domain(), "' is not a domain"));
    }
    if (route.tenant().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".tenant: is empty"));
    }
    for (int j = 0; j < i; ++j) {
      if (RouteDomainKey(config.tenant_routes(j).domain()) == key) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".domain: '", route.domain(),
                         "' is already routed by tenant_routes[", j, "]"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::MilterConfig> ParseMilterConfig(absl::string_view text) {
  v1::MilterConfig config;
  RETURN_IF_ERROR(ParseTextProto(text, &config));
  return config;
}

absl::StatusOr<v1::MilterConfig> LoadMilterConfigFile(const std::string& path) {
  v1::MilterConfig config;
  RETURN_IF_ERROR(LoadTextProtoFile(path, &config));
  return config;
}

void ApplyMilterDefaults(v1::MilterConfig& config) {
  if (config.milter_socket().empty()) {
    config.set_milter_socket(kDefaultMilterSocket);
  }
  if (config.server().empty()) config.set_server(kDefaultServer);
  if (!config.has_deadline()) {
    config.mutable_deadline()->set_seconds(
        absl::ToInt64Seconds(kDefaultDeadline));
  }
  if (config.max_in_flight() == 0)
    config.set_max_in_flight(kDefaultMaxInFlight);
  if (config.max_message_bytes() == 0) {
    config.set_max_message_bytes(kDefaultMaxMessageBytes);
  }
  if (config.on_block() == v1::MILTER_BLOCK_ACTION_UNSPECIFIED) {
    config.set_on_block(v1::BLOCK_QUARANTINE);
  }
  if (config.on_failure() == v1::MILTER_FAILURE_ACTION_UNSPECIFIED) {
    config.set_on_failure(v1::FAILURE_ACCEPT);
  }
  if (config.log_level().empty()) config.set_log_level("info");
}

absl::Duration DeadlineOf(const v1::MilterConfig& config) {
  return absl::Seconds(config.deadline().seconds()) +
         absl::Nanoseconds(config.deadline().nanos());
}

absl::Status ValidateMilterConfig(const v1::MilterConfig& config) {
  RETURN_IF_ERROR(ValidateMilterSocket(config.milter_socket()));
  if (config.server().find(':') == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("server: '", config.server(), "' is not HOST:PORT"));
  }
  const v1::MilterTlsConfig& tls = config.tls();
  if (tls.cert_file().empty() != tls.key_file().empty()) {
    return absl::InvalidArgumentError(
        "tls.cert_file, tls.key_file: give both for a client certificate, "
        "or neither");
  }
  const absl::Duration deadline = DeadlineOf(config);
  if (deadline < absl::Milliseconds(100) || deadline > kMaxDeadline) {
    return absl::InvalidArgumentError(
        absl::StrCat("deadline: ", absl::FormatDuration(deadline),
                     " is outside [100ms, 300s]"));
  }
  if (config.max_in_flight() < 1 || config.max_in_flight() > kMaxMaxInFlight) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_in_flight: ", config.max_in_flight(),
                     " is outside [1, ", kMaxMaxInFlight, "]"));
  }
  if (config.max_message_bytes() < 1024 ||
      config.max_message_bytes() > kMaxMaxMessageBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_message_bytes: ", config.max_message_bytes(),
                     " is outside [1024, ", kMaxMaxMessageBytes, "]"));
  }
  if (!v1::MilterBlockAction_IsValid(config.on_block()) ||
      config.on_block() == v1::MILTER_BLOCK_ACTION_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("on_block: ", config.on_block(), " is not an action"));
  }
  if (!v1::MilterFailureAction_IsValid(config.on_failure()) ||
      config.on_failure() == v1::MILTER_FAILURE_ACTION_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("on_failure: ", config.on_failure(), " is not an action"));
  }
  for (const auto& [field, prefix] :
       {std::pair<absl::string_view, const std::string&>{
            "warn_subject_prefix", config.warn_subject_prefix()},
        {"block_subject_prefix", config.block_subject_prefix()}}) {
    if (prefix.find_first_of("\r\n") != std::string::npos ||
        prefix.size() > 64) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must be one line of at most 64 bytes"));
    }
  }
  if (!config.metrics_listen().empty() &&
      config.metrics_listen().find(':') == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics_listen: '", config.metrics_listen(), "' is not HOST:PORT"));
  }
  if (!ParseLogLevel(config.log_level()).has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("log_level: unknown level '", config.log_level(), "'"));
  }
  return ValidateTenantRoutes(config);
}

}  // namespace lureguard::milter
