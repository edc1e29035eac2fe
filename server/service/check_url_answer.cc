#include "server/service/check_url_answer.h"

#include <cstring>

#include "google/protobuf/io/coded_stream.h"
#include "server/service/internal/wire_format.h"

namespace lureguard::service {
namespace {

using internal::kFixed64;
using internal::kLengthDelimited;
using internal::kVarint;
using internal::Tag;

// Field numbers of lureguard/v1/url_service.proto's CheckUrlResponse and
// verdict.proto's Verdict and Reason, each written in that order, as the
// generated serialiser does.
namespace response {
constexpr uint8_t kVerdict = Tag(1, kLengthDelimited);
constexpr uint8_t kCanonicalUrl = Tag(2, kLengthDelimited);
constexpr uint8_t kHost = Tag(3, kLengthDelimited);
constexpr uint8_t kRegistrableDomain = Tag(4, kLengthDelimited);
constexpr uint8_t kUrl = Tag(5, kLengthDelimited);
constexpr uint8_t kUnicodeHost = Tag(6, kLengthDelimited);
constexpr uint8_t kPublicSuffix = Tag(7, kLengthDelimited);
}  // namespace response

namespace verdict_field {
constexpr uint8_t kAction = Tag(1, kVarint);
constexpr uint8_t kThreatTypes = Tag(2, kLengthDelimited);  // packed
constexpr uint8_t kScore = Tag(3, kFixed64);
constexpr uint8_t kReasons = Tag(4, kLengthDelimited);
// cache_ttl = 5 and verdict_id = 6: verdict_call_fields.h.
constexpr uint8_t kDegraded = Tag(7, kVarint);
}  // namespace verdict_field

namespace reason_field {
constexpr uint8_t kCode = Tag(1, kVarint);
constexpr uint8_t kTechnique = Tag(2, kLengthDelimited);
constexpr uint8_t kBrand = Tag(3, kLengthDelimited);
constexpr uint8_t kMatched = Tag(4, kLengthDelimited);
constexpr uint8_t kWeight = Tag(5, kFixed64);
constexpr uint8_t kDetail = Tag(6, kLengthDelimited);
constexpr uint8_t kSource = Tag(7, kLengthDelimited);
constexpr uint8_t kPart = Tag(8, kLengthDelimited);
constexpr uint8_t kFilename = Tag(9, kLengthDelimited);
constexpr uint8_t kUrl = Tag(10, kLengthDelimited);
constexpr uint8_t kThreatType = Tag(11, kVarint);
}  // namespace reason_field

// proto3 leaves out a double whose bits are all zero (so -0.0 is written).
bool DoubleIsWritten(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits != 0;
}

size_t DoubleFieldSize(double value) {
  return DoubleIsWritten(value) ? 1 + sizeof(uint64_t) : 0;
}

uint8_t* WriteDoubleField(uint8_t tag, double value, uint8_t* out) {
  if (!DoubleIsWritten(value)) return out;
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  *out++ = tag;
  return google::protobuf::io::CodedOutputStream::WriteLittleEndian64ToArray(
      bits, out);
}

// An enum field: left out at its zero value.
template <typename Enum>
size_t EnumFieldSize(Enum value) {
  const int64_t number = static_cast<int64_t>(value);
  return number == 0 ? 0 : 1 + internal::SignedVarintSize(number);
}

template <typename Enum>
uint8_t* WriteEnumField(uint8_t tag, Enum value, uint8_t* out) {
  const int64_t number = static_cast<int64_t>(value);
  if (number == 0) return out;
  *out++ = tag;
  return internal::WriteSignedVarint(number, out);
}

size_t ReasonSize(const verdict::Reason& reason) {
  using internal::StringFieldSize;
  return EnumFieldSize(reason.code) + StringFieldSize(reason.technique) +
         StringFieldSize(reason.brand) + StringFieldSize(reason.matched) +
         DoubleFieldSize(reason.weight) + StringFieldSize(reason.detail) +
         StringFieldSize(reason.source) + StringFieldSize(reason.part) +
         StringFieldSize(reason.filename) + StringFieldSize(reason.url) +
         EnumFieldSize(reason.threat);
}

uint8_t* WriteReason(const verdict::Reason& reason, uint8_t* out) {
  using internal::WriteStringField;
  out = WriteEnumField(reason_field::kCode, reason.code, out);
  out = WriteStringField(reason_field::kTechnique, reason.technique, out);
  out = WriteStringField(reason_field::kBrand, reason.brand, out);
  out = WriteStringField(reason_field::kMatched, reason.matched, out);
  out = WriteDoubleField(reason_field::kWeight, reason.weight, out);
  out = WriteStringField(reason_field::kDetail, reason.detail, out);
  out = WriteStringField(reason_field::kSource, reason.source, out);
  out = WriteStringField(reason_field::kPart, reason.part, out);
  out = WriteStringField(reason_field::kFilename, reason.filename, out);
  out = WriteStringField(reason_field::kUrl, reason.url, out);
  return WriteEnumField(reason_field::kThreatType, reason.threat, out);
}

}  // namespace

CheckUrlAnswer::CheckUrlAnswer(absl::string_view url,
                               const verdict::UrlCheck& check)
    : url_(url), check_(check) {
  const verdict::Verdict& verdict = check.verdict;
  for (verdict::ThreatType type : verdict.threat_types) {
    threat_types_size_ +=
        internal::SignedVarintSize(static_cast<int64_t>(type));
  }
  verdict_size_ = EnumFieldSize(verdict.action) +
                  (threat_types_size_ == 0
                       ? 0
                       : internal::LengthDelimitedSize(threat_types_size_)) +
                  DoubleFieldSize(verdict.score) + (verdict.degraded ? 2 : 0);
  reason_sizes_.reserve(verdict.reasons.size());
  for (const verdict::Reason& reason : verdict.reasons) {
    reason_sizes_.push_back(ReasonSize(reason));
    verdict_size_ += internal::LengthDelimitedSize(reason_sizes_.back());
  }
  const url::UrlNames& names = *check.url;
  using internal::StringFieldSize;
  size_ = internal::LengthDelimitedSize(verdict_size_) +
          StringFieldSize(names.canonical_url) + StringFieldSize(names.host) +
          StringFieldSize(names.registrable_domain) + StringFieldSize(url_) +
          StringFieldSize(names.unicode_host) +
          StringFieldSize(names.public_suffix);
}

uint8_t* CheckUrlAnswer::Write(uint8_t* out) const {
  const verdict::Verdict& verdict = check_.verdict;
  out = internal::WriteLengthDelimitedHeader(response::kVerdict, verdict_size_,
                                             out);
  out = WriteEnumField(verdict_field::kAction, verdict.action, out);
  if (threat_types_size_ != 0) {
    out = internal::WriteLengthDelimitedHeader(verdict_field::kThreatTypes,
                                               threat_types_size_, out);
    for (verdict::ThreatType type : verdict.threat_types) {
      out = internal::WriteSignedVarint(static_cast<int64_t>(type), out);
    }
  }
  out = WriteDoubleField(verdict_field::kScore, verdict.score, out);
  for (size_t i = 0; i < verdict.reasons.size(); ++i) {
    out = internal::WriteLengthDelimitedHeader(verdict_field::kReasons,
                                               reason_sizes_[i], out);
    out = WriteReason(verdict.reasons[i], out);
  }
  if (verdict.degraded) {
    *out++ = verdict_field::kDegraded;
    *out++ = 1;
  }
  const url::UrlNames& names = *check_.url;
  using internal::WriteStringField;
  out = WriteStringField(response::kCanonicalUrl, names.canonical_url, out);
  out = WriteStringField(response::kHost, names.host, out);
  out = WriteStringField(response::kRegistrableDomain, names.registrable_domain,
                         out);
  out = WriteStringField(response::kUrl, url_, out);
  out = WriteStringField(response::kUnicodeHost, names.unicode_host, out);
  return WriteStringField(response::kPublicSuffix, names.public_suffix, out);
}

std::optional<verdict::Action> WrittenAction(absl::string_view answer) {
  const auto* p = reinterpret_cast<const uint8_t*>(answer.data());
  const auto* const end = p + answer.size();
  if (p == end || *p++ != response::kVerdict) return std::nullopt;
  // The verdict's length: a varint of at most five bytes.
  for (int i = 0;; ++i) {
    if (p == end || i == 5) return std::nullopt;
    if ((*p++ & 0x80) == 0) break;
  }
  // The action, 1 to 4: a one-byte varint.
  if (end - p < 2 || p[0] != verdict_field::kAction) return std::nullopt;
  if (p[1] < static_cast<uint8_t>(verdict::Action::kAllow) ||
      p[1] > static_cast<uint8_t>(verdict::Action::kBlock)) {
    return std::nullopt;
  }
  return static_cast<verdict::Action>(p[1]);
}

}  // namespace lureguard::service
