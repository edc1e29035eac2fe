// Signed click tokens: the <token> of our click URLs https://<host>/c/<token>.
//
// Every link in a protected mail is rewritten to a click URL whose token
// carries what the click endpoint needs to check the destination again at
// click time: the original URL, the tenant whose policy applies, and an
// opaque recipient id for the click record. The token is authenticated with
// HMAC-SHA256 so nobody can mint click URLs that redirect through us. A valid
// tag proves only that we wrapped the URL, never that the URL is safe: the
// URL is always checked again at click time.
//
// Format (version 1), base64url without padding over:
//   version byte (1) | varint len + key id | varint issued (Unix seconds) |
//   varint len + tenant | varint len + recipient id |
//   varint len + shown host | varint len + URL |
//   tag: the first 16 bytes of HMAC-SHA256(key, everything before it)
// Several keys are accepted by id so that keys can be rotated: sign with the
// new key, keep verifying with the old one until its tokens have expired.
//
// ClickTokenCodec is immutable and safe for concurrent use by multiple
// threads without external synchronization.
//
// Example:
//   absl::StatusOr<ClickTokenCodec> codec = ClickTokenCodec::Create(
//       {{"k1", secret_of_32_bytes_or_more}}, "k1", absl::Hours(24 * 30));
//   std::string token = codec->Encode({.issued = clock.Now(),
//       .tenant = "acme", .recipient_id = "r-9f2c", .url = url});
//   absl::StatusOr<ClickToken> t = codec->Decode(token, clock.Now());
//   // t->url == url, t->key_id == "k1"

#ifndef LUREGUARD_SERVER_LINKS_CLICK_TOKEN_H_
#define LUREGUARD_SERVER_LINKS_CLICK_TOKEN_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/hmac_sha256.h"
#include "server/redirects/unwrap.h"

namespace lureguard::links {

// What a click URL carries.
struct ClickToken {
  std::string key_id;  // the key that signed it (set by Decode)
  absl::Time issued;   // kept to the second
  std::string tenant;
  // Opaque: a keyed hash, never an address. Any bytes; raw hash bytes
  // rather than hex keep the token short (16 bytes: 22 characters less).
  std::string recipient_id;
  // The host the link's text showed when it was not the link's own
  // (a display-text mismatch found at rewrite time), else empty: the click
  // page warns about it again, since the URL alone does not show it.
  std::string shown_host;
  std::string url;  // the original destination
};

// One HMAC key of the rotation set.
struct SigningKey {
  std::string id;      // short (1 to 32 bytes): it is written in every token
  std::string secret;  // at least 32 bytes of key material
};

// Signs and verifies the /c/<token> path element (HMAC-SHA256, format
// version byte, URL-safe base64, no padding).
class ClickTokenCodec {
 public:
  // Tokens decode if no larger than this: the URL may take up to
  // kMaxUrlBytes, the other fields are short.
  static constexpr size_t kMaxUrlBytes = 8192;
  // Tenant, recipient id, shown host.
  static constexpr size_t kMaxFieldBytes = 256;
  static constexpr size_t kMaxKeyIdBytes = 32;
  // Clocks of the replicas that issue and verify may disagree this much.
  static constexpr absl::Duration kClockSkew = absl::Minutes(5);

  // `keys` are accepted for verification; `signing_key_id` (one of them)
  // signs. InvalidArgument naming the problem otherwise (no keys, an empty,
  // long or duplicate id, a secret shorter than 32 bytes, an unknown
  // signing key id, a lifetime that is not positive).
  static absl::StatusOr<ClickTokenCodec> Create(std::vector<SigningKey> keys,
                                                std::string signing_key_id,
                                                absl::Duration lifetime);

  // The token for `token`, signed with the signing key (token.key_id is
  // ignored). REQUIRES: tenant and recipient_id no longer than
  // kMaxFieldBytes, url no longer than kMaxUrlBytes (longer ones would
  // never decode); check with CheckEncodable first when they come from
  // outside.
  std::string Encode(const ClickToken& token) const;

  // OK when `token` can be encoded into a token that decodes; otherwise
  // InvalidArgument naming the field that is too long.
  static absl::Status CheckEncodable(const ClickToken& token);

  // Verifies and decodes a token. InvalidArgument: malformed (not base64url,
  // unknown version, truncated, trailing bytes, a field over its cap).
  // PermissionDenied: unknown key id or a tag that does not verify.
  // FailedPrecondition "expired": issued more than `lifetime` before `now`,
  // or more than kClockSkew after it.
  absl::StatusOr<ClickToken> Decode(std::string_view token,
                                    absl::Time now) const;

  // Decode without the age check: for recognising our own old links when
  // unwrapping, where a stale token is still our wrapper.
  absl::StatusOr<ClickToken> DecodeAnyAge(std::string_view token) const;

  absl::Duration lifetime() const { return lifetime_; }
  const std::string& signing_key_id() const { return signing_key_id_; }

 private:
  using KeyMap =
      absl::flat_hash_map<std::string, std::shared_ptr<const HmacSha256>>;

  ClickTokenCodec(KeyMap keys, std::string signing_key_id,
                  absl::Duration lifetime);

  KeyMap keys_;               // by id
  const HmacSha256* signer_;  // points into keys_' shared values
  std::string signing_key_id_;
  absl::Duration lifetime_;
};

// A WrapperDecoder (named "lureguard") for our own click URLs
// http(s)://<click_host>/c/<token>, for any of `click_hosts` (compared
// without regard to case). Decoding checks the tag but not the age:
// unwrapping an old link of ours is fine. A click URL whose token does not
// verify is malformed (InvalidArgument).
// REQUIRES: `codec` outlives the decoder.
std::unique_ptr<redirects::WrapperDecoder> ClickUrlDecoder(
    const ClickTokenCodec* codec, std::vector<std::string> click_hosts);

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_CLICK_TOKEN_H_
