// Translation between engine types and lureguard.v1 protobuf messages, and
// from absl::Status to grpc::Status. The only place the two meet.

#ifndef LUREGUARD_SERVER_SERVICE_CONVERT_H_
#define LUREGUARD_SERVER_SERVICE_CONVERT_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/support/status.h"
#include "lureguard/v1/admin_service.pb.h"
#include "lureguard/v1/url_service.pb.h"
#include "server/certs/tls_prober.h"
#include "server/lists/feed_manager.h"
#include "server/store/store.h"
#include "server/verdict/engine.h"

namespace lureguard::service {

namespace v1 = ::lureguard::v1;

// absl and gRPC share the canonical code numbering.
grpc::Status ToGrpcStatus(const absl::Status& status);

void ToProto(const verdict::Reason& reason, v1::Reason& out);
void ToProto(const verdict::Verdict& verdict, v1::Verdict& out);
void ToProto(const certs::CertProbe& probe, v1::CertificateFacts& out);
void ToProto(const verdict::UrlCheck& check, v1::CheckUrlResponse& out);
void ToProto(const store::ListEntryRecord& entry, v1::ListEntry& out);

void ToProto(const lists::FeedState& feed, v1::Feed& out);
// The feed configuration in `feed`; InvalidArgument for an unknown list.
absl::StatusOr<lists::FeedConfig> FromProto(const v1::Feed& feed);

void ToProto(absl::Time time, google::protobuf::Timestamp& out);
void ToProto(absl::Duration duration, google::protobuf::Duration& out);
absl::Duration FromProto(const google::protobuf::Duration& duration);

std::optional<store::ListType> FromProto(v1::ListType list);
// nullopt for ENTRY_KIND_UNSPECIFIED (infer) and unknown values.
std::optional<store::EntryKind> FromProto(v1::EntryKind kind);

// The threat type a list entry or feed may carry: nullopt for
// THREAT_TYPE_UNSPECIFIED (the caller's default); InvalidArgument naming
// `field` for SUSPICIOUS (a verdict's judgement, not a list's) and unknown
// values.
absl::StatusOr<std::optional<store::ThreatType>> ThreatFromProto(
    v1::ThreatType threat, absl::string_view field);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_CONVERT_H_
