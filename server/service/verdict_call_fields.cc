#include "server/service/verdict_call_fields.h"

#include <cstring>

#include "google/protobuf/io/coded_stream.h"

namespace lureguard::service {
namespace {

using google::protobuf::io::CodedOutputStream;

// Field numbers and wire types of lureguard/v1/url_service.proto and
// verdict.proto, and of google.protobuf.Duration.
constexpr uint8_t kResponseVerdictTag = (1 << 3) | 2;  // verdict = 1, LEN
constexpr uint8_t kVerdictCacheTtlTag = (5 << 3) | 2;  // cache_ttl = 5
constexpr uint8_t kVerdictIdTag = (6 << 3) | 2;        // verdict_id = 6
constexpr uint8_t kDurationSecondsTag = (1 << 3) | 0;  // seconds = 1, VARINT
constexpr uint8_t kDurationNanosTag = (2 << 3) | 0;    // nanos = 2, VARINT

struct DurationParts {
  int64_t seconds;
  int32_t nanos;
};

DurationParts Split(absl::Duration duration) {
  const int64_t nanos = absl::ToInt64Nanoseconds(duration);
  return {nanos / 1'000'000'000, static_cast<int32_t>(nanos % 1'000'000'000)};
}

// int64 and int32 fields are varints of their two's complement, a
// negative int32 sign-extended to ten bytes as protobuf does.
size_t SignedVarintSize(int64_t value) {
  return CodedOutputStream::VarintSize64(static_cast<uint64_t>(value));
}

size_t DurationSize(DurationParts parts) {
  return (parts.seconds != 0 ? 1 + SignedVarintSize(parts.seconds) : 0) +
         (parts.nanos != 0 ? 1 + SignedVarintSize(parts.nanos) : 0);
}

size_t VerdictSize(size_t duration_size, absl::string_view verdict_id) {
  size_t size =
      1 + CodedOutputStream::VarintSize32(duration_size) + duration_size;
  if (!verdict_id.empty()) {
    size += 1 + CodedOutputStream::VarintSize32(verdict_id.size()) +
            verdict_id.size();
  }
  return size;
}

}  // namespace

size_t VerdictCallFieldsSize(absl::Duration cache_ttl,
                             absl::string_view verdict_id) {
  const size_t verdict =
      VerdictSize(DurationSize(Split(cache_ttl)), verdict_id);
  return 1 + CodedOutputStream::VarintSize32(verdict) + verdict;
}

uint8_t* WriteVerdictCallFields(absl::Duration cache_ttl,
                                absl::string_view verdict_id, uint8_t* out) {
  const DurationParts ttl = Split(cache_ttl);
  const size_t duration_size = DurationSize(ttl);
  *out++ = kResponseVerdictTag;
  out = CodedOutputStream::WriteVarint32ToArray(
      VerdictSize(duration_size, verdict_id), out);
  *out++ = kVerdictCacheTtlTag;
  out = CodedOutputStream::WriteVarint32ToArray(duration_size, out);
  if (ttl.seconds != 0) {
    *out++ = kDurationSecondsTag;
    out = CodedOutputStream::WriteVarint64ToArray(
        static_cast<uint64_t>(ttl.seconds), out);
  }
  if (ttl.nanos != 0) {
    *out++ = kDurationNanosTag;
    out = CodedOutputStream::WriteVarint64ToArray(
        static_cast<uint64_t>(static_cast<int64_t>(ttl.nanos)), out);
  }
  if (!verdict_id.empty()) {
    *out++ = kVerdictIdTag;
    out = CodedOutputStream::WriteVarint32ToArray(verdict_id.size(), out);
    std::memcpy(out, verdict_id.data(), verdict_id.size());
    out += verdict_id.size();
  }
  return out;
}

}  // namespace lureguard::service
