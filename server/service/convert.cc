#include "server/service/convert.h"

#include <string>

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

void ToProto(const verdict::Verdict& verdict, v1::Verdict& out) {
  out.set_action(static_cast<v1::Action>(verdict.action));
  for (verdict::ThreatType type : verdict.threat_types) {
    out.add_threat_types(static_cast<v1::ThreatType>(type));
  }
  out.set_score(verdict.score);
  for (const verdict::Reason& reason : verdict.reasons) {
    v1::Reason& r = *out.add_reasons();
    r.set_code(static_cast<v1::ReasonCode>(reason.code));
    r.set_technique(reason.technique);
    r.set_brand(reason.brand);
    r.set_matched(reason.matched);
    r.set_weight(reason.weight);
    r.set_detail(reason.detail);
    r.set_source(reason.source);
  }
  ToProto(verdict.cache_ttl, *out.mutable_cache_ttl());
  out.set_verdict_id(verdict.verdict_id);
  out.set_degraded(verdict.degraded);
}

void ToProto(const verdict::UrlCheck& check, v1::CheckUrlResponse& out) {
  ToProto(check.verdict, *out.mutable_verdict());
  out.set_canonical_url(check.url.canonical_url);
  out.set_host(check.url.host);
  out.set_registrable_domain(check.url.registrable_domain);
  out.set_unicode_host(check.url.unicode_host);
  out.set_public_suffix(check.url.public_suffix);
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
  ToProto(entry.create_time, *out.mutable_create_time());
  if (entry.expire_time != absl::InfiniteFuture()) {
    ToProto(entry.expire_time, *out.mutable_expire_time());
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
