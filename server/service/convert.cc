#include "server/service/convert.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "server/lists/import_parser.h"

namespace lureguard::service {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

void ToProto(absl::Time time, google::protobuf::Timestamp& out) {
  const int64_t nanos = absl::ToUnixNanos(time);
  out.set_seconds(nanos / 1'000'000'000);
  out.set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  if (out.nanos() < 0) {
    out.set_seconds(out.seconds() - 1);
    out.set_nanos(out.nanos() + 1'000'000'000);
  }
}

void ToProto(absl::Duration duration, google::protobuf::Duration& out) {
  const int64_t nanos = absl::ToInt64Nanoseconds(duration);
  out.set_seconds(nanos / 1'000'000'000);
  out.set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
}

absl::Duration FromProto(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) +
         absl::Nanoseconds(duration.nanos());
}

void ToProto(const verdict::Reason& reason, v1::Reason& out) {
  out.set_code(static_cast<v1::ReasonCode>(reason.code));
  out.set_technique(reason.technique);
  out.set_brand(reason.brand);
  out.set_matched(reason.matched);
  out.set_weight(reason.weight);
  out.set_detail(reason.detail);
  out.set_source(reason.source);
  out.set_part(reason.part);
  out.set_filename(reason.filename);
  out.set_url(reason.url);
  out.set_threat_type(static_cast<v1::ThreatType>(reason.threat));
}

void ToProto(const certs::CertProbe& probe, v1::CertificateFacts& out) {
  const certs::CertFeatures& leaf = probe.leaf;
  out.set_host(probe.target.host);
  out.set_port(probe.target.port);
  out.set_address(probe.address);
  out.set_tls_version(probe.tls_version);
  out.set_subject_cn(leaf.subject_cn);
  for (const std::string& name : leaf.san_dns_names)
    out.add_san_dns_names(name);
  for (const std::string& name : leaf.dns_names) out.add_dns_names(name);
  out.set_issuer_organization(leaf.issuer_organization);
  out.set_issuer_cn(leaf.issuer_cn);
  out.set_free_dv_issuer(leaf.free_dv_issuer);
  ToProto(leaf.not_before, *out.mutable_not_before());
  ToProto(leaf.not_after, *out.mutable_not_after());
  ToProto(leaf.validity, *out.mutable_validity());
  ToProto(probe.probed_at - leaf.not_before, *out.mutable_age());
  out.set_self_signed(leaf.self_signed);
  out.set_chain_trusted(probe.chain_trusted);
  for (const std::string& e : probe.verify_errors) out.add_verify_errors(e);
  out.set_hostname_matches(probe.hostname_matches);
  out.set_chain_length(probe.chain_length);
  out.set_serial(leaf.serial_hex);
  out.set_sha256_fingerprint(leaf.sha256_hex);
  ToProto(probe.probed_at, *out.mutable_probe_time());
  ToProto(probe.latency, *out.mutable_latency());
}

void ToProto(const verdict::Verdict& verdict, v1::Verdict& out) {
  out.set_action(static_cast<v1::Action>(verdict.action));
  for (verdict::ThreatType type : verdict.threat_types) {
    out.add_threat_types(static_cast<v1::ThreatType>(type));
  }
  out.set_score(verdict.score);
  for (const verdict::Reason& reason : verdict.reasons) {
    ToProto(reason, *out.add_reasons());
  }
  ToProto(verdict.cache_ttl, *out.mutable_cache_ttl());
  out.set_verdict_id(verdict.verdict_id);
  out.set_degraded(verdict.degraded);
}

void ToProto(const verdict::UrlCheck& check, v1::CheckUrlResponse& out) {
  ToProto(check.verdict, *out.mutable_verdict());
  out.set_canonical_url(check.url->canonical_url);
  out.set_host(check.url->host);
  out.set_registrable_domain(check.url->registrable_domain);
  out.set_unicode_host(check.url->unicode_host);
  out.set_public_suffix(check.url->public_suffix);
}

void ToProto(const store::ListEntryRecord& entry, v1::ListEntry& out) {
  out.set_id(entry.id);
  out.set_list(entry.list == store::ListType::kAllow ? v1::ALLOWLIST
                                                     : v1::BLOCKLIST);
  out.set_kind(static_cast<v1::EntryKind>(entry.kind));
  out.set_value(entry.value);
  out.set_reason(entry.reason);
  out.set_source(entry.source);
  out.set_tenant(entry.tenant);
  out.set_threat_type(static_cast<v1::ThreatType>(entry.threat));
  ToProto(entry.create_time, *out.mutable_create_time());
  if (entry.expire_time != absl::InfiniteFuture()) {
    ToProto(entry.expire_time, *out.mutable_expire_time());
  }
}

void ToProto(const lists::FeedState& feed, v1::Feed& out) {
  out.set_name(feed.config.name);
  out.set_url(feed.config.url);
  out.set_format(feed.config.format);
  ToProto(feed.config.interval, *out.mutable_interval());
  out.set_disabled(!feed.config.enabled);
  out.set_list(feed.config.list == store::ListType::kAllow ? v1::ALLOWLIST
                                                           : v1::BLOCKLIST);
  out.set_tenant(feed.config.tenant);
  // What the next refresh writes; an "auto" feed's depends on what it finds.
  if (feed.config.threat.has_value()) {
    out.set_threat_type(static_cast<v1::ThreatType>(*feed.config.threat));
  } else if (feed.config.format != "auto") {
    out.set_threat_type(static_cast<v1::ThreatType>(
        lists::DefaultThreatType(feed.config.format)));
  }
  v1::FeedStatus& status = *out.mutable_status();
  // The engine's "never" is the epoch; the API leaves such times unset.
  const absl::Time never = absl::UnixEpoch();
  if (feed.create_time != never) {
    ToProto(feed.create_time, *status.mutable_create_time());
  }
  if (feed.last_attempt_time != never) {
    ToProto(feed.last_attempt_time, *status.mutable_last_attempt_time());
  }
  if (feed.last_success_time != never) {
    ToProto(feed.last_success_time, *status.mutable_last_success_time());
  }
  if (feed.next_run_time != never) {
    ToProto(feed.next_run_time, *status.mutable_next_run_time());
  }
  status.set_last_error(feed.last_error);
  status.set_entry_count(feed.entry_count);
  status.set_skipped_count(feed.skipped_count);
  status.set_consecutive_failures(feed.consecutive_failures);
}

absl::StatusOr<lists::FeedConfig> FromProto(const v1::Feed& feed) {
  lists::FeedConfig config;
  config.name = feed.name();
  config.url = feed.url();
  config.format = feed.format().empty() ? "auto" : feed.format();
  config.tenant = feed.tenant();
  config.enabled = !feed.disabled();
  if (feed.has_interval()) config.interval = FromProto(feed.interval());
  switch (feed.list()) {
    case v1::LIST_TYPE_UNSPECIFIED:
    case v1::BLOCKLIST:
      config.list = store::ListType::kBlock;
      break;
    case v1::ALLOWLIST:
      config.list = store::ListType::kAllow;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("feed.list: unknown list ", feed.list()));
  }
  absl::StatusOr<std::optional<store::ThreatType>> threat =
      ThreatFromProto(feed.threat_type(), "feed.threat_type");
  if (!threat.ok()) return threat.status();
  config.threat = *threat;
  return config;
}

absl::StatusOr<std::optional<store::ThreatType>> ThreatFromProto(
    v1::ThreatType threat, absl::string_view field) {
  switch (threat) {
    case v1::THREAT_TYPE_UNSPECIFIED:
      return std::nullopt;
    case v1::PHISHING:
      return store::ThreatType::kPhishing;
    case v1::MALWARE:
      return store::ThreatType::kMalware;
    case v1::UNWANTED:
      return store::ThreatType::kUnwanted;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ",
          v1::ThreatType_IsValid(threat) ? v1::ThreatType_Name(threat)
                                         : absl::StrCat(threat),
          " is not a list threat type (PHISHING, MALWARE or UNWANTED)"));
  }
}

std::optional<store::ListType> FromProto(v1::ListType list) {
  switch (list) {
    case v1::BLOCKLIST:
      return store::ListType::kBlock;
    case v1::ALLOWLIST:
      return store::ListType::kAllow;
    default:
      return std::nullopt;
  }
}

std::optional<store::EntryKind> FromProto(v1::EntryKind kind) {
  switch (kind) {
    case v1::HOST:
      return store::EntryKind::kHost;
    case v1::DOMAIN_WITH_SUBDOMAINS:
      return store::EntryKind::kDomain;
    case v1::URL_PREFIX:
      return store::EntryKind::kUrlPrefix;
    case v1::EXACT_URL:
      return store::EntryKind::kExactUrl;
    case v1::IP_RANGE:
      return store::EntryKind::kIpRange;
    default:
      return std::nullopt;
  }
}

}  // namespace lureguard::service
