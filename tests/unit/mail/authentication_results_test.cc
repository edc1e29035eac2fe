// Authentication-Results parsing: the RFC 8601 appendix B examples, the
// shapes real receivers write (Gmail, Microsoft 365, Postfix with
// OpenDKIM/OpenDMARC, rspamd), and the lenient handling of what is broken.

#include "server/mail/authentication_results.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

AuthenticationResults Parse(std::string_view value) {
  absl::StatusOr<AuthenticationResults> r = ParseAuthenticationResults(value);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : AuthenticationResults{};
}

TEST(ParseAuthenticationResults, HeaderExample) {
  const AuthenticationResults r =
      Parse("mx.acme.example; dmarc=fail (p=reject) header.from=paypal.com");
  EXPECT_EQ(r.authserv_id, "mx.acme.example");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].method, "dmarc");
  EXPECT_EQ(r.results[0].result, "fail");
  EXPECT_THAT(r.results[0].properties,
              ElementsAre(Pair("header.from", "paypal.com")));
  EXPECT_EQ(r.results[0].Property("header.from"), "paypal.com");
  EXPECT_EQ(r.results[0].Property("smtp.mailfrom"), "");
  EXPECT_EQ(r.unparsed, "");
}

// RFC 8601 B.2: "none" with a version number.
TEST(ParseAuthenticationResults, Rfc8601NoResultWithVersion) {
  const AuthenticationResults r = Parse("example.org 1; none");
  EXPECT_EQ(r.authserv_id, "example.org");
  EXPECT_THAT(r.results, IsEmpty());
  EXPECT_EQ(r.unparsed, "");
}

// RFC 8601 B.4: SMTP AUTH and iprev, folded over lines with a comment.
TEST(ParseAuthenticationResults, Rfc8601SmtpAuthAndIprev) {
  const AuthenticationResults r = Parse(
      "example.com;\r\n"
      "          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
      "          spf=pass smtp.mailfrom=example.net");
  EXPECT_EQ(r.authserv_id, "example.com");
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].method, "auth");
  EXPECT_EQ(r.results[0].Property("smtp.auth"), "sender@example.net");
  EXPECT_EQ(r.results[1].method, "spf");
  EXPECT_EQ(r.results[1].Property("smtp.mailfrom"), "example.net");

  const AuthenticationResults iprev =
      Parse("example.com; iprev=pass\r\n\tpolicy.iprev=192.0.2.200");
  ASSERT_EQ(iprev.results.size(), 1u);
  EXPECT_EQ(iprev.results[0].method, "iprev");
  EXPECT_EQ(iprev.results[0].Property("policy.iprev"), "192.0.2.200");
}

// RFC 8601 B.6: quoted reasons and header.i addresses with no local part.
TEST(ParseAuthenticationResults, Rfc8601QuotedReasons) {
  const AuthenticationResults r = Parse(
      "mail-router.example.net;\r\n"
      "    dkim=pass (good signature) header.d=newyork.example.com\r\n"
      "          header.b=oINEO8hg;\r\n"
      "    dkim=fail (bad signature) header.d=mail-router.example.net\r\n"
      "          header.b=EToRSuvU");
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].result, "pass");
  EXPECT_EQ(r.results[0].Property("header.d"), "newyork.example.com");
  EXPECT_EQ(r.results[0].Property("header.b"), "oINEO8hg");
  EXPECT_EQ(r.results[1].result, "fail");

  const AuthenticationResults quoted = Parse(
      "example.com; dkim=pass reason=\"good signature\"\r\n"
      "  header.i=@mail-router.example.net; dkim=fail reason=\"bad "
      "signature\" header.i=@newyork.example.com");
  ASSERT_EQ(quoted.results.size(), 2u);
  EXPECT_EQ(quoted.results[0].reason, "good signature");
  EXPECT_EQ(quoted.results[0].Property("header.i"), "@mail-router.example.net");
  EXPECT_EQ(quoted.results[1].reason, "bad signature");
}

// RFC 8601 B.7: comments everywhere CFWS may go, a method version and an
// authres-version.
TEST(ParseAuthenticationResults, Rfc8601CommentHeavyExample) {
  const AuthenticationResults r = Parse(
      "foo.example.net (foobar) 1 (baz);\r\n"
      "    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n"
      "      policy (A dot can go here) . (like that) expired\r\n"
      "      (this surprised me) = (as I wasn't expecting it) 1362471462");
  EXPECT_EQ(r.authserv_id, "foo.example.net");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].method, "dkim");
  EXPECT_EQ(r.results[0].result, "fail");
  EXPECT_THAT(r.results[0].properties,
              ElementsAre(Pair("policy.expired", "1362471462")));
  EXPECT_EQ(r.unparsed, "");
}

// Gmail: ARC and DMARC policy in comments, base64 header.b, an SPF comment
// naming the sender.
TEST(ParseAuthenticationResults, Gmail) {
  const AuthenticationResults r = Parse(
      "mx.google.com;\r\n"
      "       dkim=pass header.i=@example.com header.s=s1 "
      "header.b=Ab+Cd/Ef;\r\n"
      "       arc=pass (i=1 spf=pass spfdomain=example.com dkim=pass "
      "dkdomain=example.com dmarc=pass fromdomain=example.com);\r\n"
      "       spf=pass (google.com: domain of bounce@example.com designates "
      "192.0.2.10 as permitted sender) smtp.mailfrom=bounce@example.com;\r\n"
      "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) "
      "header.from=example.com");
  EXPECT_EQ(r.authserv_id, "mx.google.com");
  ASSERT_EQ(r.results.size(), 4u);
  EXPECT_EQ(r.results[0].Property("header.b"), "Ab+Cd/Ef");
  EXPECT_EQ(r.results[0].Property("header.i"), "@example.com");
  EXPECT_EQ(r.results[1].method, "arc");
  EXPECT_THAT(r.results[1].properties, IsEmpty());
  EXPECT_EQ(r.results[2].Property("smtp.mailfrom"), "bounce@example.com");
  EXPECT_EQ(r.results[3].method, "dmarc");
  EXPECT_EQ(r.results[3].Property("header.from"), "example.com");
  EXPECT_EQ(r.unparsed, "");
}

// Microsoft 365 writes no authserv-id, "action=" without a ptype, and no
// space after some semicolons.
TEST(ParseAuthenticationResults, Microsoft365WithoutAuthservId) {
  const AuthenticationResults r = Parse(
      "spf=pass (sender IP is 40.107.22.51)\r\n"
      " smtp.mailfrom=contoso.com; dkim=none (message not signed)\r\n"
      " header.d=none;dmarc=none action=none header.from=contoso.com;"
      "compauth=pass reason=100");
  EXPECT_EQ(r.authserv_id, "");
  ASSERT_EQ(r.results.size(), 4u);
  EXPECT_EQ(r.results[0].method, "spf");
  EXPECT_EQ(r.results[0].Property("smtp.mailfrom"), "contoso.com");
  EXPECT_EQ(r.results[1].method, "dkim");
  EXPECT_EQ(r.results[1].result, "none");
  EXPECT_EQ(r.results[1].Property("header.d"), "none");
  EXPECT_EQ(r.results[2].method, "dmarc");
  EXPECT_THAT(
      r.results[2].properties,
      ElementsAre(Pair("action", "none"), Pair("header.from", "contoso.com")));
  EXPECT_EQ(r.results[3].method, "compauth");
  EXPECT_EQ(r.results[3].reason, "100");
  EXPECT_EQ(r.unparsed, "");
}

TEST(ParseAuthenticationResults, MicrosoftTrailingSemicolon) {
  const AuthenticationResults r = Parse(
      "dkim=fail (signature did not verify) header.d=fabrikam.com;"
      "dmarc=fail action=oreject header.from=fabrikam.com;");
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[1].Property("action"), "oreject");
  EXPECT_EQ(r.unparsed, "");
}

// Postfix with OpenDKIM and OpenDMARC: comments holding ';'.
TEST(ParseAuthenticationResults, OpenDkimAndOpenDmarc) {
  const AuthenticationResults dkim = Parse(
      "mail.example.org; dkim=pass (2048-bit key; unprotected) "
      "header.d=example.com header.i=@example.com header.a=rsa-sha256 "
      "header.s=default header.b=aBcD1234");
  ASSERT_EQ(dkim.results.size(), 1u);
  EXPECT_EQ(dkim.results[0].Property("header.a"), "rsa-sha256");
  EXPECT_EQ(dkim.results[0].Property("header.s"), "default");

  const AuthenticationResults dmarc = Parse(
      "mail.example.org; dmarc=fail (p=reject dis=none) "
      "header.from=paypal.com");
  ASSERT_EQ(dmarc.results.size(), 1u);
  EXPECT_EQ(dmarc.results[0].result, "fail");

  const AuthenticationResults spf = Parse(
      "mail.example.org; spf=pass (sender SPF authorized) "
      "smtp.mailfrom=example.com (client-ip=192.0.2.1; helo=mx.example.com;"
      " envelope-from=a@example.com; receiver=<UNKNOWN>)");
  ASSERT_EQ(spf.results.size(), 1u);
  EXPECT_EQ(spf.results[0].Property("smtp.mailfrom"), "example.com");
  EXPECT_EQ(spf.unparsed, "");
}

TEST(ParseAuthenticationResults, Rspamd) {
  const AuthenticationResults r = Parse(
      "mx.example.org;\r\n"
      "\tdkim=pass header.d=example.com header.s=dkim header.b=\"xYz/12+=\";"
      "\r\n\tdmarc=pass (policy=reject) header.from=example.com;\r\n"
      "\tspf=softfail (mx.example.org: domain of \"user@example.com\" "
      "doesn't designate 192.0.2.7 as permitted sender) "
      "smtp.mailfrom=user@example.com");
  ASSERT_EQ(r.results.size(), 3u);
  EXPECT_EQ(r.results[0].Property("header.b"), "xYz/12+=");
  EXPECT_EQ(r.results[2].result, "softfail");
  EXPECT_EQ(r.results[2].Property("smtp.mailfrom"), "user@example.com");

  EXPECT_THAT(Parse("mx.example.org; none").results, IsEmpty());
}

TEST(ParseAuthenticationResults, IsCaseInsensitive) {
  const AuthenticationResults r =
      Parse("MX.Example.ORG; DMARC=FAIL Header.From=PayPal.com");
  EXPECT_EQ(r.authserv_id, "mx.example.org");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].method, "dmarc");
  EXPECT_EQ(r.results[0].result, "fail");
  // Values stay as written.
  EXPECT_THAT(r.results[0].properties,
              ElementsAre(Pair("header.from", "PayPal.com")));
  EXPECT_EQ(r.results[0].Property("HEADER.FROM"), "PayPal.com");
}

TEST(ParseAuthenticationResults, QuotedAuthservIdAndValues) {
  const AuthenticationResults r = Parse(
      "\"mx.example.org\"; spf=pass smtp.mailfrom=\"john \\\"q\\\" "
      "doe\"@example.com");
  EXPECT_EQ(r.authserv_id, "mx.example.org");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].Property("smtp.mailfrom"),
            "john \"q\" doe@example.com");
}

TEST(ParseAuthenticationResults, NestedCommentsAreSkipped) {
  const AuthenticationResults r = Parse(
      "mx.example.org (outer (inner; with ; semicolons) \\) still) ; "
      "spf=pass (a (b (c))) smtp.mailfrom=example.com");
  EXPECT_EQ(r.authserv_id, "mx.example.org");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].Property("smtp.mailfrom"), "example.com");
}

TEST(ParseAuthenticationResults, MalformedResinfoEndsTheListKeepingValidOnes) {
  const AuthenticationResults r = Parse(
      "mx.example.org; spf=pass smtp.mailfrom=example.com; =broken; "
      "dmarc=pass header.from=example.com");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].method, "spf");
  EXPECT_EQ(r.unparsed, "=broken; dmarc=pass header.from=example.com");

  const AuthenticationResults garbage =
      Parse("mx.example.org; dmarc=fail header.from=paypal.com !!junk");
  ASSERT_EQ(garbage.results.size(), 1u);
  EXPECT_EQ(garbage.results[0].Property("header.from"), "paypal.com");
  EXPECT_EQ(garbage.unparsed, "!!junk");

  const AuthenticationResults no_result = Parse("mx.example.org; dkim=");
  EXPECT_THAT(no_result.results, IsEmpty());
  EXPECT_EQ(no_result.unparsed, "dkim=");
}

TEST(ParseAuthenticationResults, NoneStandsAlone) {
  const AuthenticationResults r = Parse("mx.example.org; none; spf=pass");
  EXPECT_THAT(r.results, IsEmpty());
  EXPECT_EQ(r.unparsed, "spf=pass");
}

TEST(ParseAuthenticationResults, UnterminatedCommentRunsToTheEnd) {
  const AuthenticationResults r =
      Parse("mx.example.org; spf=pass (never closed smtp.mailfrom=x.com");
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_THAT(r.results[0].properties, IsEmpty());
}

TEST(ParseAuthenticationResults, AuthservIdAloneHasNoResults) {
  const AuthenticationResults r = Parse("  mx.example.org  ");
  EXPECT_EQ(r.authserv_id, "mx.example.org");
  EXPECT_THAT(r.results, IsEmpty());
}

TEST(ParseAuthenticationResults, RefusesAValueWithoutAuthservId) {
  for (std::string_view value :
       {"", "   \r\n ", "(just a comment)", "; spf=pass", "=pass"}) {
    absl::StatusOr<AuthenticationResults> r = ParseAuthenticationResults(value);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << value;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr("no authserv-id"))
        << value;
  }
}

TEST(ParseAuthenticationResults, RefusesGarbageAfterAuthservId) {
  absl::StatusOr<AuthenticationResults> r =
      ParseAuthenticationResults("mx.example.org <oops>; spf=pass");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "Authentication-Results value: expected ';' after authserv-id "
            "'mx.example.org', found '<oops>; spf=pass'");
}

TEST(ParseAuthenticationResults, RefusesValuesOver64KiB) {
  std::string value = "mx.example.org; spf=pass smtp.mailfrom=";
  value.resize(64 * 1024, 'a');
  EXPECT_TRUE(ParseAuthenticationResults(value).ok());
  value += 'a';
  absl::StatusOr<AuthenticationResults> r = ParseAuthenticationResults(value);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "Authentication-Results value is 65537 bytes, more than the "
            "65536 read");
}

}  // namespace
}  // namespace lureguard::mail
