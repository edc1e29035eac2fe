// ClickTokenCodec: the binary layout, HMAC-SHA256 and base64url of click
// tokens (format in click_token.h).

#include "server/links/click_token.h"

#include <openssl/crypto.h>

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/common/hmac_sha256.h"
#include "server/common/status_macros.h"

namespace lureguard::links {
namespace {

constexpr uint8_t kFormatVersion = 1;

// RFC 2104 section 5 advises keeping at least half of the hash output; 128
// bits leave a forger one chance in 2^128 per attempt, and every attempt is
// a request to our click endpoint. The other 16 bytes would add 22
// characters to every link of every mail.
constexpr size_t kTagBytes = 16;

// NIST SP 800-107 (HMAC keys): at least the security strength wanted.
constexpr size_t kMinSecretBytes = 32;

// Unix seconds below 2^40 (year 36812): anything larger is not a time we
// wrote, and keeps absl::FromUnixSeconds far from overflow.
constexpr uint64_t kMaxIssuedSeconds = uint64_t{1} << 40;

// The largest binary token Decode accepts: version, the five length-prefixed
// fields at their caps (a varint of at most 2 bytes each for these sizes),
// the issue time (at most 6 varint bytes below 2^40) and the tag.
constexpr size_t kMaxTokenBytes =
    1 + (2 + ClickTokenCodec::kMaxKeyIdBytes) + 6 +
    3 * (2 + ClickTokenCodec::kMaxFieldBytes) +
    (2 + ClickTokenCodec::kMaxUrlBytes) + kTagBytes;
constexpr size_t kMaxTokenChars = (kMaxTokenBytes * 4 + 2) / 3;

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void AppendField(std::string_view field, std::string* out) {
  AppendVarint(field.size(), out);
  out->append(field);
}

// Reads the binary token front to back; every read is bounds-checked.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }

  absl::StatusOr<uint8_t> Byte(std::string_view what) {
    if (pos_ == data_.size()) return Truncated(what);
    return static_cast<uint8_t>(data_[pos_++]);
  }

  absl::StatusOr<uint64_t> Varint(std::string_view what) {
    uint64_t value = 0;
    // Ten bytes hold 64 bits; callers cap the value far lower.
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ == data_.size()) return Truncated(what);
      const uint8_t byte = static_cast<uint8_t>(data_[pos_++]);
      value |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("token: ", absl::string_view(what.data(), what.size()),
                     ": varint longer than 64 bits"));
  }

  absl::StatusOr<std::string_view> Field(std::string_view what,
                                         size_t max_bytes) {
    ASSIGN_OR_RETURN(uint64_t size, Varint(what));
    if (size > max_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("token: ", absl::string_view(what.data(), what.size()),
                       " of ", size, " bytes is over the cap of ", max_bytes));
    }
    if (size > remaining()) return Truncated(what);
    std::string_view field = data_.substr(pos_, size);
    pos_ += size;
    return field;
  }

 private:
  static absl::Status Truncated(std::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat("token: truncated in the ",
                     absl::string_view(what.data(), what.size())));
  }

  std::string_view data_;
  size_t pos_ = 0;
};

absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// HMAC-SHA256 of `message`, cut to kTagBytes.
std::string Tag(const HmacSha256& key, std::string_view message) {
  const HmacSha256::Tag tag = key.Sign(message);
  return std::string(reinterpret_cast<const char*>(tag.data()), kTagBytes);
}

bool IsBase64UrlCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

ClickTokenCodec::ClickTokenCodec(KeyMap keys, std::string signing_key_id,
                                 absl::Duration lifetime)
    : keys_(std::move(keys)),
      signer_(keys_.at(signing_key_id).get()),
      signing_key_id_(std::move(signing_key_id)),
      lifetime_(lifetime) {}

absl::StatusOr<ClickTokenCodec> ClickTokenCodec::Create(
    std::vector<SigningKey> keys, std::string signing_key_id,
    absl::Duration lifetime) {
  if (keys.empty()) return absl::InvalidArgumentError("keys: none given");
  KeyMap secrets;
  for (size_t i = 0; i < keys.size(); ++i) {
    SigningKey& key = keys[i];
    const std::string where = absl::StrCat("keys[", i, "]");
    if (key.id.empty() || key.id.size() > kMaxKeyIdBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".id: must be 1 to ", kMaxKeyIdBytes,
                       " bytes, got ", key.id.size()));
    }
    if (key.secret.size() < kMinSecretBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ".secret: key '", key.id, "' has ", key.secret.size(),
          " bytes, at least ", kMinSecretBytes, " are needed"));
    }
    if (secrets.contains(key.id)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".id: '", key.id, "' appears twice"));
    }
    ASSIGN_OR_RETURN(std::shared_ptr<const HmacSha256> hmac,
                     HmacSha256::Create(key.secret));
    secrets.emplace(key.id, std::move(hmac));
  }
  if (!secrets.contains(signing_key_id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "signing_key_id: '", signing_key_id, "' is not one of the keys"));
  }
  if (lifetime <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lifetime: must be positive, got ", absl::FormatDuration(lifetime)));
  }
  return ClickTokenCodec(std::move(secrets), std::move(signing_key_id),
                         lifetime);
}

absl::Status ClickTokenCodec::CheckEncodable(const ClickToken& token) {
  const struct {
    const char* name;
    size_t size;
    size_t cap;
  } fields[] = {{"tenant", token.tenant.size(), kMaxFieldBytes},
                {"recipient_id", token.recipient_id.size(), kMaxFieldBytes},
                {"shown_host", token.shown_host.size(), kMaxFieldBytes},
                {"url", token.url.size(), kMaxUrlBytes}};
  for (const auto& field : fields) {
    if (field.size > field.cap) {
      return absl::InvalidArgumentError(
          absl::StrCat(field.name, ": ", field.size,
                       " bytes, a click token holds at most ", field.cap));
    }
  }
  return absl::OkStatus();
}

std::string ClickTokenCodec::Encode(const ClickToken& token) const {
  std::string binary;
  binary.reserve(32 + token.tenant.size() + token.recipient_id.size() +
                 token.shown_host.size() + token.url.size() + kTagBytes);
  binary.push_back(static_cast<char>(kFormatVersion));
  AppendField(signing_key_id_, &binary);
  const int64_t seconds = absl::ToUnixSeconds(token.issued);
  AppendVarint(seconds < 0 ? 0 : static_cast<uint64_t>(seconds), &binary);
  AppendField(token.tenant, &binary);
  AppendField(token.recipient_id, &binary);
  AppendField(token.shown_host, &binary);
  AppendField(token.url, &binary);
  binary.append(Tag(*signer_, binary));
  return absl::WebSafeBase64Escape(binary);
}

absl::StatusOr<ClickToken> ClickTokenCodec::DecodeAnyAge(
    std::string_view token) const {
  if (token.empty()) return absl::InvalidArgumentError("token: empty");
  if (token.size() > kMaxTokenChars) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token: ", token.size(), " characters, at most ", kMaxTokenChars));
  }
  for (size_t i = 0; i < token.size(); ++i) {
    if (!IsBase64UrlCharacter(token[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("token: not base64url (",
                       absl::CHexEscape(AbslView(token.substr(i, 1))),
                       " at offset ", i, ")"));
    }
  }
  std::string binary;
  // The last character of an unpadded group may carry unused bits; only the
  // form Encode writes is accepted, so a token has exactly one spelling.
  if (token.size() % 4 == 1 ||
      !absl::WebSafeBase64Unescape(AbslView(token), &binary) ||
      absl::WebSafeBase64Escape(binary) != AbslView(token)) {
    return absl::InvalidArgumentError("token: not canonical base64url");
  }

  Reader reader(binary);
  ASSIGN_OR_RETURN(uint8_t version, reader.Byte("version"));
  if (version != kFormatVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("token: unsupported format version ", int{version}));
  }
  ClickToken out;
  absl::StatusOr<std::string_view> key_id =
      reader.Field("key id", kMaxKeyIdBytes);
  if (!key_id.ok()) return key_id.status();
  absl::StatusOr<uint64_t> issued = reader.Varint("issue time");
  if (!issued.ok()) return issued.status();
  if (*issued >= kMaxIssuedSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat("token: issue time ", *issued, " is out of range"));
  }
  absl::StatusOr<std::string_view> tenant =
      reader.Field("tenant", kMaxFieldBytes);
  if (!tenant.ok()) return tenant.status();
  ASSIGN_OR_RETURN(std::string_view recipient,
                   reader.Field("recipient id", kMaxFieldBytes));
  absl::StatusOr<std::string_view> shown_host =
      reader.Field("shown host", kMaxFieldBytes);
  if (!shown_host.ok()) return shown_host.status();
  absl::StatusOr<std::string_view> url = reader.Field("url", kMaxUrlBytes);
  if (!url.ok()) return url.status();
  if (reader.remaining() < kTagBytes) {
    return absl::InvalidArgumentError("token: truncated in the tag");
  }
  if (reader.remaining() > kTagBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token: ", reader.remaining() - kTagBytes, " bytes after the tag"));
  }

  const auto key = keys_.find(AbslView(*key_id));
  if (key == keys_.end()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "token: unknown key id '", absl::CHexEscape(AbslView(*key_id)), "'"));
  }
  const std::string_view signed_part(binary.data(), reader.position());
  const std::string expected = Tag(*key->second, signed_part);
  if (CRYPTO_memcmp(expected.data(), binary.data() + reader.position(),
                    kTagBytes) != 0) {
    return absl::PermissionDeniedError("token: tag does not verify");
  }
  out.key_id = std::string(*key_id);
  out.issued = absl::FromUnixSeconds(static_cast<int64_t>(*issued));
  out.tenant = std::string(*tenant);
  out.recipient_id = std::string(recipient);
  out.shown_host = std::string(*shown_host);
  out.url = std::string(*url);
  return out;
}

absl::StatusOr<ClickToken> ClickTokenCodec::Decode(std::string_view token,
                                                   absl::Time now) const {
  absl::StatusOr<ClickToken> decoded = DecodeAnyAge(token);
  if (!decoded.ok()) return decoded;
  if (decoded->issued > now + kClockSkew) {
    return absl::FailedPreconditionError(absl::StrCat(
        "token: expired: issued ", absl::FormatDuration(decoded->issued - now),
        " in the future, beyond the clock skew of ",
        absl::FormatDuration(kClockSkew)));
  }
  if (now - decoded->issued > lifetime_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "token: expired: issued ", absl::FormatDuration(now - decoded->issued),
        " ago, the lifetime is ", absl::FormatDuration(lifetime_)));
  }
  return decoded;
}

}  // namespace lureguard::links
