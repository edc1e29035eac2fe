#include "server/links/click_token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::links {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

const std::string kSecret1(32, 'a');
const std::string kSecret2 = "0123456789abcdef0123456789abcdef!";
const absl::Time kIssued = absl::FromUnixSeconds(1767225600);  // 2026-01-01
const absl::Duration kLifetime = absl::Hours(24);

ClickTokenCodec MakeCodec(std::vector<SigningKey> keys, std::string signer) {
  absl::StatusOr<ClickTokenCodec> codec =
      ClickTokenCodec::Create(std::move(keys), std::move(signer), kLifetime);
  EXPECT_TRUE(codec.ok()) << codec.status();
  return *std::move(codec);
}

ClickToken Sample() {
  return ClickToken{.issued = kIssued + absl::Milliseconds(700),
                    .tenant = "acme",
                    .recipient_id = "r-9f2c41aa",
                    .url = "https://www.example.com/login?next=%2Fhome#top"};
}

// The token a correct encoder writes for `binary` (without the tag): built
// here independently of the codec, from the format in click_token.h.
std::string SignByHand(const std::string& binary, const std::string& secret) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(binary.data()), binary.size(),
       mac, &mac_length);
  return absl::WebSafeBase64Escape(
      binary + std::string(reinterpret_cast<const char*>(mac), 16));
}

std::string Binary(const std::string& token) {
  std::string binary;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(token, &binary));
  return binary;
}

TEST(ClickTokenCodec, RoundTripKeepsEveryFieldAndTheIssueSecond) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  const std::string token = codec.Encode(Sample());
  absl::StatusOr<ClickToken> decoded =
      codec.Decode(token, kIssued + absl::Hours(1));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->key_id, "k1");
  EXPECT_EQ(decoded->issued, kIssued);
  EXPECT_EQ(decoded->tenant, "acme");
  EXPECT_EQ(decoded->recipient_id, "r-9f2c41aa");
  EXPECT_EQ(decoded->shown_host, "");
  EXPECT_EQ(decoded->url, Sample().url);

  // The host a mismatching link text showed travels with the URL.
  ClickToken with_text = Sample();
  with_text.shown_host = "www.paypal.com";
  decoded = codec.Decode(codec.Encode(with_text), kIssued + absl::Hours(1));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->shown_host, "www.paypal.com");
  EXPECT_EQ(decoded->url, Sample().url);
}

TEST(ClickTokenCodec, LayoutIsTheDocumentedOne) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  ClickToken token = Sample();
  token.key_id = "ignored: the signing key is used";
  // 1767225600 as a varint: 7 bits at a time, low first.
  const std::string binary = std::string("\x01\x02k1", 4) +
                             std::string("\x80\xf2\xd6\xca\x06", 5) +
                             "\x04"
                             "acme"
                             "\x0a"
                             "r-9f2c41aa" +
                             std::string("\x00", 1) +  // no shown host
                             "\x2e" + Sample().url;
  EXPECT_EQ(codec.Encode(token), SignByHand(binary, kSecret1));
}

TEST(ClickTokenCodec, TokenIsShortAndUrlSafe) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  ClickToken token = Sample();
  token.url = "https://example.com/";  // 20 bytes
  const std::string encoded = codec.Encode(token);
  // 1 + 3 + 5 + 5 + 11 + 1 + 21 + 16 = 63 bytes: 84 characters.
  EXPECT_EQ(encoded.size(), 84u);
  EXPECT_EQ(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
                                      "nopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

TEST(ClickTokenCodec, EveryFlippedBitIsRefused) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  const std::string binary = Binary(codec.Encode(Sample()));
  // Past the version, key id and the start of the issue time, a flip can
  // only be caught by the tag (lengths of the later fields aside).
  const size_t url_begin = binary.size() - 16 - Sample().url.size();
  for (size_t i = 0; i < binary.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80}) {
      std::string tampered = binary;
      tampered[i] = static_cast<char>(tampered[i] ^ mask);
      absl::StatusOr<ClickToken> decoded = codec.Decode(
          absl::WebSafeBase64Escape(tampered), kIssued + absl::Minutes(1));
      ASSERT_FALSE(decoded.ok()) << "byte " << i << " mask " << int{mask};
      EXPECT_THAT(decoded.status().code(),
                  AnyOf(absl::StatusCode::kInvalidArgument,
                        absl::StatusCode::kPermissionDenied))
          << decoded.status();
      if (i >= url_begin) {
        EXPECT_EQ(decoded.status().code(), absl::StatusCode::kPermissionDenied)
            << "byte " << i << ": " << decoded.status();
      }
    }
  }
}

TEST(ClickTokenCodec, EveryTruncationIsMalformed) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  const std::string binary = Binary(codec.Encode(Sample()));
  for (size_t n = 0; n < binary.size(); ++n) {
    absl::StatusOr<ClickToken> decoded =
        codec.Decode(absl::WebSafeBase64Escape(binary.substr(0, n)), kIssued);
    ASSERT_FALSE(decoded.ok()) << n;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument)
        << n << ": " << decoded.status();
  }
  absl::StatusOr<ClickToken> cut = codec.Decode(
      absl::WebSafeBase64Escape(binary.substr(0, binary.size() - 1)), kIssued);
  EXPECT_EQ(cut.status().message(), "token: truncated in the tag");
}

TEST(ClickTokenCodec, TrailingBytesAreMalformed) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  const std::string token = codec.Encode(Sample());
  absl::StatusOr<ClickToken> longer =
      codec.Decode(absl::WebSafeBase64Escape(Binary(token) + "xy"), kIssued);
  EXPECT_EQ(longer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(longer.status().message(), "token: 2 bytes after the tag");
  for (const char* suffix : {"A", "AA", "=", "==", ".", "%3D"}) {
    EXPECT_EQ(codec.Decode(token + suffix, kIssued).status().code(),
              absl::StatusCode::kInvalidArgument)
        << suffix;
  }
}

TEST(ClickTokenCodec, OnlyTheCanonicalBase64SpellingDecodes) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  ClickToken token = Sample();
  // Binary lengths that are not a multiple of 3 leave unused bits in the
  // last character; find one and set them.
  for (;;) {
    if (Binary(codec.Encode(token)).size() % 3 == 1) break;
    token.url += "x";
  }
  std::string encoded = codec.Encode(token);
  ASSERT_TRUE(codec.Decode(encoded, kIssued).ok());
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  encoded.back() = alphabet[alphabet.find(encoded.back()) | 1];
  absl::StatusOr<ClickToken> decoded = codec.Decode(encoded, kIssued);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().message(), "token: not canonical base64url");
}

TEST(ClickTokenCodec, NonBase64CharactersAreMalformed) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  std::string token = codec.Encode(Sample());
  token[5] = '+';
  absl::StatusOr<ClickToken> decoded = codec.Decode(token, kIssued);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().message(), "token: not base64url (+ at offset 5)");
  EXPECT_EQ(codec.Decode("", kIssued).status().message(), "token: empty");
}

TEST(ClickTokenCodec, UnknownKeyIdIsPermissionDenied) {
  const ClickTokenCodec signer = MakeCodec({{"k1", kSecret1}}, "k1");
  const ClickTokenCodec other = MakeCodec({{"k2", kSecret2}}, "k2");
  absl::StatusOr<ClickToken> decoded =
      other.Decode(signer.Encode(Sample()), kIssued);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(decoded.status().message(), "token: unknown key id 'k1'");
}

TEST(ClickTokenCodec, SameKeyIdWithAnotherSecretDoesNotVerify) {
  const ClickTokenCodec signer = MakeCodec({{"k1", kSecret1}}, "k1");
  const ClickTokenCodec other = MakeCodec({{"k1", kSecret2}}, "k1");
  absl::StatusOr<ClickToken> decoded =
      other.Decode(signer.Encode(Sample()), kIssued);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(decoded.status().message(), "token: tag does not verify");
}

TEST(ClickTokenCodec, RotationVerifiesOldKeysAndSignsWithTheNewOne) {
  const ClickTokenCodec before = MakeCodec({{"k1", kSecret1}}, "k1");
  const ClickTokenCodec after =
      MakeCodec({{"k1", kSecret1}, {"k2", kSecret2}}, "k2");
  absl::StatusOr<ClickToken> old_token =
      after.Decode(before.Encode(Sample()), kIssued);
  ASSERT_TRUE(old_token.ok()) << old_token.status();
  EXPECT_EQ(old_token->key_id, "k1");
  absl::StatusOr<ClickToken> new_token =
      after.Decode(after.Encode(Sample()), kIssued);
  ASSERT_TRUE(new_token.ok()) << new_token.status();
  EXPECT_EQ(new_token->key_id, "k2");
  EXPECT_EQ(before.Decode(after.Encode(Sample()), kIssued).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(ClickTokenCodec, TokensOlderThanTheLifetimeHaveExpired) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  const std::string token = codec.Encode(Sample());
  EXPECT_TRUE(codec.Decode(token, kIssued + kLifetime).ok());
  absl::StatusOr<ClickToken> late =
      codec.Decode(token, kIssued + kLifetime + absl::Seconds(1));
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(late.status().message(),
            "token: expired: issued 24h1s ago, the lifetime is 24h");
  // Unwrapping an old link of ours still reads it.
  absl::StatusOr<ClickToken> any_age = codec.DecodeAnyAge(token);
  ASSERT_TRUE(any_age.ok()) << any_age.status();
  EXPECT_EQ(any_age->url, Sample().url);
}

TEST(ClickTokenCodec, TokensFromTheFutureBeyondTheSkewHaveExpired) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  const std::string token = codec.Encode(Sample());
  EXPECT_TRUE(codec.Decode(token, kIssued - absl::Minutes(5)).ok());
  absl::StatusOr<ClickToken> early =
      codec.Decode(token, kIssued - absl::Minutes(5) - absl::Seconds(1));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(early.status().message(), HasSubstr("expired: issued 5m1s in"));
}

TEST(ClickTokenCodec, UrlUpToTheCapRoundTripsAndLongerFieldsAreRefused) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  ClickToken token = Sample();
  token.url = "https://example.com/" + std::string(8192 - 20, 'p');
  ASSERT_TRUE(ClickTokenCodec::CheckEncodable(token).ok());
  absl::StatusOr<ClickToken> decoded =
      codec.Decode(codec.Encode(token), kIssued);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->url, token.url);

  token.url += "p";
  EXPECT_EQ(ClickTokenCodec::CheckEncodable(token).message(),
            "url: 8193 bytes, a click token holds at most 8192");
  token.url = "https://example.com/";
  token.tenant = std::string(257, 't');
  EXPECT_EQ(ClickTokenCodec::CheckEncodable(token).message(),
            "tenant: 257 bytes, a click token holds at most 256");

  // Even with a valid tag, a field over its cap is refused.
  const std::string binary =
      std::string("\x01\x02k1\x01\x00\x00\x00\x81\x40", 10) +
      std::string(8193, 'u');
  absl::StatusOr<ClickToken> over =
      codec.Decode(SignByHand(binary, kSecret1), kIssued);
  EXPECT_EQ(over.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(over.status().message(),
            "token: url of 8193 bytes is over the cap of 8192");
}

TEST(ClickTokenCodec, UnknownVersionIsMalformed) {
  const ClickTokenCodec codec = MakeCodec({{"k1", kSecret1}}, "k1");
  std::string binary = Binary(codec.Encode(Sample()));
  binary[0] = 2;
  binary.resize(binary.size() - 16);
  absl::StatusOr<ClickToken> decoded =
      codec.Decode(SignByHand(binary, kSecret1), kIssued);
  EXPECT_EQ(decoded.status().message(), "token: unsupported format version 2");
}

TEST(ClickTokenCodec, CreateNamesWhatIsWrong) {
  struct Case {
    std::vector<SigningKey> keys;
    std::string signer;
    absl::Duration lifetime;
    std::string message;
  } cases[] = {
      {{}, "k1", kLifetime, "keys: none given"},
      {{{"", kSecret1}},
       "",
       kLifetime,
       "keys[0].id: must be 1 to 32 bytes, got 0"},
      {{{std::string(33, 'k'), kSecret1}},
       "k",
       kLifetime,
       "keys[0].id: must be 1 to 32 bytes, got 33"},
      {{{"k1", kSecret1}, {"k2", "short"}},
       "k1",
       kLifetime,
       "keys[1].secret: key 'k2' has 5 bytes, at least 32 are needed"},
      {{{"k1", kSecret1}, {"k1", kSecret2}},
       "k1",
       kLifetime,
       "keys[1].id: 'k1' appears twice"},
      {{{"k1", kSecret1}},
       "k9",
       kLifetime,
       "signing_key_id: 'k9' is not one of the keys"},
      {{{"k1", kSecret1}},
       "k1",
       absl::ZeroDuration(),
       "lifetime: must be positive, got 0"},
  };
  for (Case& c : cases) {
    absl::StatusOr<ClickTokenCodec> codec =
        ClickTokenCodec::Create(c.keys, c.signer, c.lifetime);
    EXPECT_EQ(codec.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(codec.status().message(), c.message);
  }
}

}  // namespace
}  // namespace lureguard::links
