#include "client/milter/message.h"
#include "gtest/gtest.h"

namespace lureguard::milter {
namespace {

TEST(MessageCollector, RebuildsHeadersAsReceivedWithCrlf) {
  MessageCollector message(1 << 20);
  message.SetSender("<alice@example.com>");
  message.AddRecipient("<bob@acme.example>");
  // With SMFIP_HDR_LEADSPC the value keeps its leading space; Postfix
  // joins folded lines with a bare LF.
  message.AddHeader("Subject", " Quote\n\tpart two");
  message.AddHeader("X-Tight", "no-space");
  message.AppendBody("Hello\r\n");
  message.AppendBody("Bye\r\n");
  EXPECT_EQ(message.sender(), "alice@example.com");
  EXPECT_EQ(message.recipients(), std::vector<std::string>{"bob@acme.example"});
  EXPECT_EQ(message.Message(),
            "Subject: Quote\r\n\tpart two\r\nX-Tight: no-space\r\n\r\n"
            "Hello\r\nBye\r\n");
  EXPECT_EQ(message.size(), static_cast<int64_t>(message.Message().size()));
  EXPECT_EQ(message.subject(), " Quote\n\tpart two");
  EXPECT_EQ(message.header_bytes(), message.Message().find("Hello"));
}

TEST(MessageCollector, NullSenderIsEmpty) {
  MessageCollector message(1 << 20);
  message.SetSender("<>");
  EXPECT_EQ(message.sender(), "");
}

TEST(MessageCollector, CountsIncomingVerdictHeadersInAnyCase) {
  MessageCollector message(1 << 20);
  message.AddHeader("X-Lureguard-Verdict", " ALLOW score=0.00");
  message.AddHeader("x-lureguard-verdict", " ALLOW");
  message.AddHeader("X-Lureguard-Verdicts", " no");
  EXPECT_EQ(message.verdict_headers_seen(), 2);
}

TEST(MessageCollector, OverTheLimitKeepsOnlyTheSize) {
  MessageCollector message(2048);
  message.AddHeader("Subject", " x");
  message.AppendBody(std::string(1500, 'a'));
  EXPECT_FALSE(message.over_limit());
  message.AppendBody(std::string(1500, 'b'));
  EXPECT_TRUE(message.over_limit());
  // "Subject: x\r\n", the empty line, the body.
  EXPECT_EQ(message.size(), 12 + 2 + 3000);
  EXPECT_TRUE(message.body().empty());
}

TEST(MessageCollector, ResetStartsTheNextMessageOfTheSession) {
  MessageCollector message(2048);
  message.AddRecipient("<a@b.example>");
  message.AddHeader("X-Lureguard-Verdict", " x");
  message.AppendBody(std::string(3000, 'a'));
  message.Reset();
  EXPECT_FALSE(message.over_limit());
  EXPECT_EQ(message.verdict_headers_seen(), 0);
  EXPECT_TRUE(message.recipients().empty());
  EXPECT_EQ(message.Message(), "\r\n");
}

TEST(BodyOfRewrittenMessage, TakesTheBytesAfterTheUnchangedHeaders) {
  const std::string headers = "Subject: a\r\nTo: b@c.example\r\n";
  absl::StatusOr<std::string> body = BodyOfRewrittenMessage(
      headers, headers + "\r\nsee https://click.example/c/AAA\r\n");
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(*body, "see https://click.example/c/AAA\r\n");
}

TEST(BodyOfRewrittenMessage, EmptyLineInsideTheBodyStaysInTheBody) {
  const std::string headers = "Subject: a\r\n";
  absl::StatusOr<std::string> body =
      BodyOfRewrittenMessage(headers, headers + "\r\none\r\n\r\ntwo\r\n");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, "one\r\n\r\ntwo\r\n");
}

TEST(BodyOfRewrittenMessage, ChangedHeadersFallBackToTheFirstEmptyLine) {
  absl::StatusOr<std::string> body = BodyOfRewrittenMessage(
      "Subject: a\r\n", "Subject: b\r\nX: y\r\n\r\nbody\r\n\r\nmore");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, "body\r\n\r\nmore");
  body = BodyOfRewrittenMessage("Subject: a\r\n", "Subject: b\n\nbody\r\n\r\n");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, "body\r\n\r\n");
}

TEST(BodyOfRewrittenMessage, NoEmptyLineIsAnError) {
  absl::StatusOr<std::string> body =
      BodyOfRewrittenMessage("Subject: a\r\n", "Subject: b\r\n");
  EXPECT_EQ(body.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(body.status().message(),
            "rewritten message: no empty line ends the header block");
}

}  // namespace
}  // namespace lureguard::milter
