#include "server/service/verdict_call_fields.h"

#include "server/service/internal/wire_format.h"

namespace lureguard::service {
namespace {

using internal::DurationParts;
using internal::kLengthDelimited;
using internal::Tag;

// Field numbers of lureguard/v1/url_service.proto and verdict.proto.
constexpr uint8_t kResponseVerdictTag = Tag(1, kLengthDelimited);
constexpr uint8_t kVerdictCacheTtlTag = Tag(5, kLengthDelimited);
constexpr uint8_t kVerdictIdTag = Tag(6, kLengthDelimited);

size_t VerdictSize(size_t duration_size, absl::string_view verdict_id) {
  return internal::LengthDelimitedSize(duration_size) +
         internal::StringFieldSize(verdict_id);
}

}  // namespace

size_t VerdictCallFieldsSize(absl::Duration cache_ttl,
                             absl::string_view verdict_id) {
  const size_t verdict = VerdictSize(
      internal::DurationBodySize(internal::SplitDuration(cache_ttl)),
      verdict_id);
  return internal::LengthDelimitedSize(verdict);
}

uint8_t* WriteVerdictCallFields(absl::Duration cache_ttl,
                                absl::string_view verdict_id, uint8_t* out) {
  const DurationParts ttl = internal::SplitDuration(cache_ttl);
  const size_t duration_size = internal::DurationBodySize(ttl);
  out = internal::WriteLengthDelimitedHeader(
      kResponseVerdictTag, VerdictSize(duration_size, verdict_id), out);
  out = internal::WriteLengthDelimitedHeader(kVerdictCacheTtlTag, duration_size,
                                             out);
  out = internal::WriteDurationBody(ttl, out);
  return internal::WriteStringField(kVerdictIdTag, verdict_id, out);
}

}  // namespace lureguard::service
