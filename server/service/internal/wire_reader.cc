#include "server/service/internal/wire_reader.h"

#include "server/service/internal/wire_format.h"

namespace lureguard::service::internal {
namespace {

// protobuf's default recursion limit, which bounds nested groups too.
constexpr int kMaxGroupDepth = 100;

}  // namespace

// A tag is a varint of at most five bytes kept modulo 2^32, as protobuf's
// ReadTag keeps it (bits past 32 are dropped, not refused).
const char* WireReader::ReadTag(const char* p, uint32_t& tag) const {
  uint32_t value = 0;
  for (int i = 0; i < 5; ++i) {
    if (p == end_) return nullptr;
    const uint8_t byte = static_cast<uint8_t>(*p++);
    value |= static_cast<uint32_t>(byte & 0x7F) << (7 * i);
    if (byte < 0x80) {
      tag = value;
      return p;
    }
  }
  return nullptr;
}

// A length is a varint of at most five bytes below 2^31 (the fifth byte
// under 8), as protobuf's ReadSize reads it; it must fit in what is left.
const char* WireReader::ReadSize(const char* p, uint32_t& size) const {
  uint32_t value = 0;
  for (int i = 0; i < 5; ++i) {
    if (p == end_) return nullptr;
    const uint8_t byte = static_cast<uint8_t>(*p++);
    if (i == 4 && byte >= 8) return nullptr;
    value |= static_cast<uint32_t>(byte & 0x7F) << (7 * i);
    if (byte < 0x80) {
      if (value > static_cast<uint32_t>(end_ - p)) return nullptr;
      size = value;
      return p;
    }
  }
  return nullptr;
}

// At most ten bytes; protobuf does not look at the tenth byte's high bits.
const char* WireReader::SkipVarint(const char* p) const {
  for (int i = 0; i < 10; ++i) {
    if (p == end_) return nullptr;
    if (static_cast<uint8_t>(*p++) < 0x80) return p;
  }
  return nullptr;
}

const char* WireReader::SkipValue(const char* p, uint32_t tag,
                                  int depth) const {
  if ((tag >> 3) == 0) return nullptr;
  switch (tag & 7) {
    case kVarint:
      return SkipVarint(p);
    case kFixed64:
      return end_ - p < 8 ? nullptr : p + 8;
    case kFixed32:
      return end_ - p < 4 ? nullptr : p + 4;
    case kLengthDelimited: {
      uint32_t size = 0;
      p = ReadSize(p, size);
      return p == nullptr ? nullptr : p + size;
    }
    case kStartGroup: {
      if (depth >= kMaxGroupDepth) return nullptr;
      // Fields up to the end-group tag of the same number; the bytes
      // ending first, a zero tag or another end-group tag is a fault.
      while (p != nullptr) {
        uint32_t inner = 0;
        p = ReadTag(p, inner);
        if (p == nullptr) return nullptr;
        if (inner == 0 || (inner & 7) == kEndGroup) {
          return inner == tag + 1 ? p : nullptr;
        }
        p = SkipValue(p, inner, depth + 1);
      }
      return nullptr;
    }
    default:  // a stray end-group tag, or wire type 6 or 7
      return nullptr;
  }
}

bool WireReader::Next(Field& field) {
  if (next_ == nullptr || next_ == end_) return false;
  uint32_t tag = 0;
  const char* p = ReadTag(next_, tag);
  if (p == nullptr || tag == 0 || (tag & 7) == kEndGroup) {
    next_ = nullptr;
    return false;
  }
  field.number = tag >> 3;
  field.wire_type = static_cast<uint8_t>(tag & 7);
  field.payload = {};
  if (field.wire_type == kLengthDelimited && field.number != 0) {
    uint32_t size = 0;
    p = ReadSize(p, size);
    if (p != nullptr) {
      field.payload = absl::string_view(p, size);
      p += size;
    }
  } else {
    p = SkipValue(p, tag, /*depth=*/0);
  }
  next_ = p;
  return p != nullptr;
}

}  // namespace lureguard::service::internal
