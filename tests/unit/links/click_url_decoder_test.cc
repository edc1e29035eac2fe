// Our click URLs (ClickUrlDecoder) around other vendors' wrappers: the
// Unwrapper peels them outermost first, up to its depth limit.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/links/click_token.h"
#include "server/redirects/unwrap.h"

namespace lureguard::links {
namespace {

using redirects::Unwrapped;
using redirects::Unwrapper;
using redirects::UnwrapStep;
using redirects::VendorDecoders;
using redirects::WrapperDecoder;
using ::testing::ElementsAre;
using ::testing::Field;

void ExpectMalformed(const Unwrapper& unwrapper, const std::string& url,
                     const std::string& message) {
  absl::StatusOr<Unwrapped> u = unwrapper.Unwrap(url);
  EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument) << url;
  EXPECT_EQ(u.status().message(), message) << url;
}

void ExpectUntouched(const Unwrapper& unwrapper, const std::string& url) {
  absl::StatusOr<Unwrapped> u = unwrapper.Unwrap(url);
  ASSERT_TRUE(u.ok()) << url << ": " << u.status();
  EXPECT_EQ(u->url, url);
  EXPECT_TRUE(u->chain.empty()) << url;
}

// Percent-encodes everything but RFC 3986's unreserved characters, as
// Safe Links writes its url parameter.
std::string Encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back("0123456789ABCDEF"[c >> 4]);
      out.push_back("0123456789ABCDEF"[c & 15]);
    }
  }
  return out;
}

class OursAroundOthers : public ::testing::Test {
 protected:
  OursAroundOthers()
      : codec_(*ClickTokenCodec::Create({{"k1", std::string(32, 's')}}, "k1",
                                        absl::Hours(1))) {}

  Unwrapper MakeUnwrapper(int max_depth = 5) const {
    std::vector<std::unique_ptr<WrapperDecoder>> decoders;
    decoders.push_back(ClickUrlDecoder(
        &codec_, {"other.example:8443", "Click.Lureguard.example."}));
    for (auto& d : VendorDecoders()) decoders.push_back(std::move(d));
    return Unwrapper(std::move(decoders), max_depth);
  }

  std::string ClickUrl(const std::string& url) const {
    return "https://click.lureguard.example/c/" +
           codec_.Encode({.issued = absl::FromUnixSeconds(1700000000),
                          .tenant = "acme",
                          .recipient_id = "r1",
                          .url = url});
  }

  const std::string inner_ = "https://evil.example/login?u=1";
  const std::string proofpoint_ =
      "https://urldefense.proofpoint.com/v2/url?u=https-3A__evil.example_login"
      "-3Fu-3D1&d=DwMFaQ&c=abc&r=def&m=ghi&s=jkl&e=";
  const std::string safelinks_ =
      "https://eur01.safelinks.protection.outlook.com/?url=" +
      Encode(proofpoint_) + "&data=05%7C01%7C&reserved=0";
  ClickTokenCodec codec_;
};

TEST_F(OursAroundOthers, PeelsOursThenSafeLinksThenProofpoint) {
  const std::string ours = ClickUrl(safelinks_);
  absl::StatusOr<Unwrapped> u = MakeUnwrapper().Unwrap(ours);
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->url, inner_);
  EXPECT_FALSE(u->depth_exceeded);
  ASSERT_EQ(u->chain.size(), 3u);
  EXPECT_EQ(u->chain[0].wrapper, "lureguard");
  EXPECT_EQ(u->chain[0].url, ours);
  EXPECT_EQ(u->chain[1].wrapper, "safelinks");
  EXPECT_EQ(u->chain[1].url, safelinks_);
  EXPECT_EQ(u->chain[2].wrapper, "proofpoint-v2");
  EXPECT_EQ(u->chain[2].url, proofpoint_);
}

TEST_F(OursAroundOthers, DepthLimitReturnsTheUrlReached) {
  absl::StatusOr<Unwrapped> u = MakeUnwrapper(2).Unwrap(ClickUrl(safelinks_));
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TRUE(u->depth_exceeded);
  EXPECT_EQ(u->url, proofpoint_);
  EXPECT_THAT(u->chain, ElementsAre(Field(&UnwrapStep::wrapper, "lureguard"),
                                    Field(&UnwrapStep::wrapper, "safelinks")));
  // Exactly deep enough is not exceeded.
  absl::StatusOr<Unwrapped> exact =
      MakeUnwrapper(3).Unwrap(ClickUrl(safelinks_));
  ASSERT_TRUE(exact.ok());
  EXPECT_FALSE(exact->depth_exceeded);
  EXPECT_EQ(exact->url, inner_);
}

TEST_F(OursAroundOthers, AWrapperPastTheLimitIsNotDecoded) {
  // The Safe Links layer is broken, but lies past the limit: the caller
  // gets the URL reached, flagged, rather than an error.
  const std::string broken =
      "https://eur01.safelinks.protection.outlook.com/?data=05";
  absl::StatusOr<Unwrapped> u = MakeUnwrapper(1).Unwrap(ClickUrl(broken));
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TRUE(u->depth_exceeded);
  EXPECT_EQ(u->url, broken);
  ExpectMalformed(MakeUnwrapper(2), ClickUrl(broken),
                  "url: at depth 2: safelinks: no url parameter");
}

TEST_F(OursAroundOthers, DefaultDepthStopsAGoogleLoopAtFive) {
  std::string url = inner_;
  for (int i = 0; i < 7; ++i) {
    url = "https://www.google.com/url?q=" + Encode(url);
  }
  absl::StatusOr<Unwrapped> u = MakeUnwrapper().Unwrap(url);
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_TRUE(u->depth_exceeded);
  EXPECT_EQ(u->chain.size(), 5u);
  EXPECT_EQ(u->url.rfind("https://www.google.com/url?q=", 0), 0u);
}

TEST_F(OursAroundOthers, OurClickUrlsUnwrapWhateverTheirAge) {
  // Issued in 2023 with a one-hour lifetime: long expired, still ours.
  absl::StatusOr<Unwrapped> u =
      MakeUnwrapper().Unwrap(ClickUrl("https://example.com/x"));
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->url, "https://example.com/x");
}

TEST_F(OursAroundOthers, BackslashesAndTabsDoNotHideOurClickUrls) {
  const std::string url = ClickUrl("https://example.com/x");
  std::string backslashed = url;
  backslashed[backslashed.find("/c/")] = '\\';
  backslashed[backslashed.find("c/") + 1] = '\\';
  std::string tabbed = url;
  tabbed.insert(tabbed.find("/c/") + 1, "\t");
  for (const std::string& variant : {backslashed, tabbed}) {
    absl::StatusOr<Unwrapped> u = MakeUnwrapper().Unwrap(variant);
    ASSERT_TRUE(u.ok()) << variant << ": " << u.status();
    EXPECT_EQ(u->url, "https://example.com/x") << variant;
  }
}

TEST_F(OursAroundOthers, ForgedClickUrlsAreMalformedAndOtherPathsAreNot) {
  std::string forged = ClickUrl("https://example.com/x");
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  ExpectMalformed(MakeUnwrapper(), forged,
                  "url: at depth 1: lureguard: token: tag does not verify");
  ExpectUntouched(MakeUnwrapper(), "https://click.lureguard.example/healthz");
  ExpectUntouched(MakeUnwrapper(),
                  "https://click.lureguard.example.evil.top/c/AQ");
  ExpectUntouched(MakeUnwrapper(), "https://click.lureguard.example:8443/c/AQ");
  ExpectUntouched(MakeUnwrapper(), "https://other.example/c/AQ");
  // A click host configured with a port matches only that port.
  ExpectMalformed(MakeUnwrapper(), "https://other.example:8443/c/AQ",
                  "url: at depth 1: lureguard: token: truncated in the key id");
}

}  // namespace
}  // namespace lureguard::links
