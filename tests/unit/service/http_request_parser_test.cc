#include "server/service/http_request_parser.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::service {
namespace {

using ::testing::HasSubstr;

HttpLimits SmallLimits() {
  HttpLimits limits;
  limits.max_header_bytes = 1024;
  limits.max_header_count = 10;
  limits.max_body_bytes = 100;
  return limits;
}

TEST(HttpRequestParser, ParsesTargetQueryHeadersAndBody) {
  HttpRequestParser parser(SmallLimits());
  const std::string wire =
      "POST /c/tok%2Den?a=1&b=x+y%21&a=2 HTTP/1.1\r\n"
      "Host: click.example\r\nuser-agent: curl/7.88\r\n"
      "Content-Length: 5\r\n\r\nhello";
  EXPECT_EQ(parser.Feed(wire), wire.size());
  ASSERT_TRUE(parser.done());
  HttpRequest request = parser.Take("192.0.2.7");
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/c/tok%2Den?a=1&b=x+y%21&a=2");
  EXPECT_EQ(request.path, "/c/tok-en");
  EXPECT_EQ(request.Query("a"), "1");
  EXPECT_EQ(request.Query("b"), "x y!");
  EXPECT_EQ(request.query.size(), 3u);
  EXPECT_EQ(request.headers.GetOr("User-Agent"), "curl/7.88");
  EXPECT_EQ(request.headers.GetOr("HOST"), "click.example");
  EXPECT_EQ(request.body, "hello");
  EXPECT_EQ(request.remote_address, "192.0.2.7");
  EXPECT_EQ(request.version, 11);
  EXPECT_TRUE(request.keep_alive);
}

TEST(HttpRequestParser, LeavesAPipelinedRequestForTheNextParser) {
  const std::string first = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string second = "GET /b/t/1.gif HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string wire = first + second;
  HttpRequestParser parser(SmallLimits());
  EXPECT_EQ(parser.Feed(wire), first.size());
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.Take("").path, "/healthz");
  HttpRequestParser next(SmallLimits());
  EXPECT_EQ(next.Feed(absl::string_view(wire).substr(first.size())),
            second.size());
  ASSERT_TRUE(next.done());
  EXPECT_EQ(next.Take("").path, "/b/t/1.gif");
}

TEST(HttpRequestParser, ParsesARequestThatArrivesOneByteAtATime) {
  const std::string wire =
      "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  HttpRequestParser parser(SmallLimits());
  std::string pending;
  for (char c : wire) {
    ASSERT_FALSE(parser.done());
    pending.push_back(c);
    pending.erase(0, parser.Feed(pending));
    ASSERT_FALSE(parser.failed()) << parser.error_message();
  }
  ASSERT_TRUE(parser.done());
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(parser.Take("").body, "abcde");
}

TEST(HttpRequestParser, AFinalChunkAndTrailerSplitAcrossReads) {
  // The last chunk arrives with the data before it, its trailer later.
  HttpRequestParser parser(SmallLimits());
  std::string pending =
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\nX";
  pending.erase(0, parser.Feed(pending));
  ASSERT_FALSE(parser.done());
  ASSERT_FALSE(parser.failed()) << parser.error_message();
  pending += "-Trailer: 1\r\n\r\n";
  pending.erase(0, parser.Feed(pending));
  ASSERT_TRUE(parser.done()) << parser.error_message();
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(parser.Take("").body, "abc");
}

TEST(HttpRequestParser, AHeaderOverTheByteLimitIs431) {
  HttpRequestParser parser(SmallLimits());
  const std::string wire =
      "GET / HTTP/1.1\r\nX-Pad: " + std::string(1100, 'a') + "\r\n\r\n";
  parser.Feed(wire);
  ASSERT_TRUE(parser.failed());
  EXPECT_EQ(parser.error_status(), 431);
  EXPECT_THAT(parser.error_message(), HasSubstr("over 1024 bytes"));
}

TEST(HttpRequestParser, AnIncompleteHeaderOverTheByteLimitIs431) {
  // No blank line yet: the limit holds before the header ends.
  HttpRequestParser parser(SmallLimits());
  parser.Feed("GET / HTTP/1.1\r\nX-Pad: " + std::string(2000, 'a'));
  ASSERT_TRUE(parser.failed());
  EXPECT_EQ(parser.error_status(), 431);
}

TEST(HttpRequestParser, TooManyHeaderFieldsIs431) {
  std::string wire = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 11; ++i) wire += "X-F" + std::to_string(i) + ": v\r\n";
  wire += "\r\n";
  HttpRequestParser parser(SmallLimits());
  parser.Feed(wire);
  ASSERT_TRUE(parser.failed());
  EXPECT_EQ(parser.error_status(), 431);
  EXPECT_THAT(parser.error_message(), HasSubstr("11 header fields"));

  std::string ten = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 10; ++i) ten += "X-F" + std::to_string(i) + ": v\r\n";
  HttpRequestParser fits(SmallLimits());
  fits.Feed(ten + "\r\n");
  EXPECT_TRUE(fits.done());
}

TEST(HttpRequestParser, ABodyOverTheLimitIs413) {
  HttpRequestParser declared(SmallLimits());
  declared.Feed("POST /c/x HTTP/1.1\r\nContent-Length: 101\r\n\r\n");
  ASSERT_TRUE(declared.failed());
  EXPECT_EQ(declared.error_status(), 413);

  HttpRequestParser chunked(SmallLimits());
  chunked.Feed(
      "POST /c/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" +
      std::string(100, 'a') + "\r\n1\r\nb\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked.failed());
  EXPECT_EQ(chunked.error_status(), 413);
}

TEST(HttpRequestParser, BrokenSyntaxAndOtherVersionsAre400) {
  for (const char* wire : {"GET\r\n\r\n", "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
                           "G(T / HTTP/1.1\r\n\r\n"}) {
    HttpRequestParser parser(SmallLimits());
    parser.Feed(wire);
    EXPECT_TRUE(parser.failed()) << wire;
    EXPECT_EQ(parser.error_status(), 400) << wire;
  }
  // Beast reads HTTP/1.0 and HTTP/1.1 only; any other version is syntax.
  for (const char* wire :
       {"GET / HTTP/1.2\r\n\r\n", "GET / HTTP/2.0\r\n\r\n"}) {
    HttpRequestParser parser(SmallLimits());
    parser.Feed(wire);
    EXPECT_EQ(parser.error_status(), 400) << wire;
  }
}

TEST(HttpRequestParser, KeepAliveFollowsTheVersionAndConnectionHeader) {
  struct Case {
    const char* wire;
    int version;
    bool keep_alive;
  };
  for (const Case& c : {
           Case{"GET / HTTP/1.1\r\n\r\n", 11, true},
           Case{"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 11, false},
           Case{"GET / HTTP/1.0\r\n\r\n", 10, false},
           Case{"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 10, true},
       }) {
    HttpRequestParser parser(SmallLimits());
    parser.Feed(c.wire);
    ASSERT_TRUE(parser.done()) << c.wire;
    HttpRequest request = parser.Take("");
    EXPECT_EQ(request.version, c.version) << c.wire;
    EXPECT_EQ(request.keep_alive, c.keep_alive) << c.wire;
  }
}

}  // namespace
}  // namespace lureguard::service
