// The few pieces of protobuf's wire format that the hand-written encoders
// of CheckUrl's answer (check_url_answer.h, verdict_call_fields.h) share,
// and the wire types its request reader (wire_reader.h) knows:
// tags, varint sizes, length-delimited strings and Durations, each written
// as the generated serialiser writes it, so that the bytes can be tested
// against it.
//
// Thread safety: pure functions.

#ifndef LUREGUARD_SERVER_SERVICE_INTERNAL_WIRE_FORMAT_H_
#define LUREGUARD_SERVER_SERVICE_INTERNAL_WIRE_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"

namespace lureguard::service::internal {

// Wire types (the encoding guide's VARINT, I64, LEN, SGROUP, EGROUP, I32).
constexpr uint8_t kVarint = 0;
constexpr uint8_t kFixed64 = 1;
constexpr uint8_t kLengthDelimited = 2;
constexpr uint8_t kStartGroup = 3;
constexpr uint8_t kEndGroup = 4;
constexpr uint8_t kFixed32 = 5;

// The one-byte tag of a field numbered below 16.
constexpr uint8_t Tag(int field, uint8_t wire_type) {
  return static_cast<uint8_t>((field << 3) | wire_type);
}

inline size_t VarintSize(uint64_t value) {
  return google::protobuf::io::CodedOutputStream::VarintSize64(value);
}

inline uint8_t* WriteVarint(uint64_t value, uint8_t* out) {
  return google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(value,
                                                                       out);
}

// int32, int64 and enum fields are varints of their two's complement: a
// negative int32 is sign-extended to ten bytes, as protobuf does.
inline size_t SignedVarintSize(int64_t value) {
  return VarintSize(static_cast<uint64_t>(value));
}

inline uint8_t* WriteSignedVarint(int64_t value, uint8_t* out) {
  return WriteVarint(static_cast<uint64_t>(value), out);
}

// A length-delimited field of `size` bytes, tag and length included.
inline size_t LengthDelimitedSize(size_t size) {
  return 1 + VarintSize(size) + size;
}

// Writes the tag and length of a length-delimited field; its `size` bytes
// follow.
inline uint8_t* WriteLengthDelimitedHeader(uint8_t tag, size_t size,
                                           uint8_t* out) {
  *out++ = tag;
  return WriteVarint(size, out);
}

// A proto3 string field: left out when empty.
inline size_t StringFieldSize(absl::string_view value) {
  return value.empty() ? 0 : LengthDelimitedSize(value.size());
}

inline uint8_t* WriteStringField(uint8_t tag, absl::string_view value,
                                 uint8_t* out) {
  if (value.empty()) return out;
  out = WriteLengthDelimitedHeader(tag, value.size(), out);
  std::memcpy(out, value.data(), value.size());
  return out + value.size();
}

// google.protobuf.Duration's two fields, as convert.h's ToProto sets them.
struct DurationParts {
  int64_t seconds;
  int32_t nanos;
};

inline DurationParts SplitDuration(absl::Duration duration) {
  const int64_t nanos = absl::ToInt64Nanoseconds(duration);
  return {nanos / 1'000'000'000, static_cast<int32_t>(nanos % 1'000'000'000)};
}

// The Duration message's own bytes (without its field's tag and length).
inline size_t DurationBodySize(DurationParts parts) {
  return (parts.seconds != 0 ? 1 + SignedVarintSize(parts.seconds) : 0) +
         (parts.nanos != 0 ? 1 + SignedVarintSize(parts.nanos) : 0);
}

inline uint8_t* WriteDurationBody(DurationParts parts, uint8_t* out) {
  if (parts.seconds != 0) {
    *out++ = Tag(1, kVarint);  // seconds = 1
    out = WriteSignedVarint(parts.seconds, out);
  }
  if (parts.nanos != 0) {
    *out++ = Tag(2, kVarint);  // nanos = 2
    out = WriteSignedVarint(parts.nanos, out);
  }
  return out;
}

}  // namespace lureguard::service::internal

#endif  // LUREGUARD_SERVER_SERVICE_INTERNAL_WIRE_FORMAT_H_
