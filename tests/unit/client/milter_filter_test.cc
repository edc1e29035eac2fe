#include "client/milter/config.h"
#include "client/milter/filter.h"
#include "gtest/gtest.h"

namespace lureguard::milter {
namespace {

// Answers with a canned result and keeps the last request.
class FakeJudge final : public MessageJudge {
 public:
  JudgeResult Rewrite(const v1::RewriteMessageRequest& request) override {
    last_request = request;
    ++calls;
    return result;
  }
  JudgeResult result;
  v1::RewriteMessageRequest last_request;
  int calls = 0;
};

v1::MilterConfig Config(absl::string_view text) {
  v1::MilterConfig config = *ParseMilterConfig(text);
  ApplyMilterDefaults(config);
  return config;
}

MessageCollector Message(std::vector<std::string> recipients) {
  MessageCollector message(1 << 20);
  message.SetSender("<ceo@haiermedical.example>");
  for (const std::string& r : recipients) message.AddRecipient(r);
  message.AddHeader("Message-ID", " <1@x>");
  message.AddHeader("Subject", " Quote");
  message.AppendBody("see https://example.com/\r\n");
  return message;
}

TEST(MessageFilter, SendsTheWholeMessageTenantSenderAndSoleRecipient) {
  FakeJudge judge;
  judge.result.response = v1::RewriteMessageResponse();
  MessageFilter filter(
      Config("tenant_routes { domain: 'acme.example' tenant: 'acme' }"), &judge,
      nullptr);
  FilterResult result = filter.Judge(Message({"<bob@acme.example>"}));
  EXPECT_EQ(judge.last_request.message(),
            "Message-ID: <1@x>\r\nSubject: Quote\r\n\r\n"
            "see https://example.com/\r\n");
  EXPECT_EQ(judge.last_request.tenant(), "acme");
  EXPECT_EQ(judge.last_request.sender(), "ceo@haiermedical.example");
  EXPECT_EQ(judge.last_request.recipient(), "bob@acme.example");
  EXPECT_EQ(judge.last_request.message_id(), "<1@x>");
  EXPECT_EQ(result.tenant, "acme");
}

TEST(MessageFilter, SeveralRecipientsSendNoRecipient) {
  FakeJudge judge;
  judge.result.response = v1::RewriteMessageResponse();
  MessageFilter filter(Config(""), &judge, nullptr);
  filter.Judge(Message({"<a@acme.example>", "<b@acme.example>"}));
  EXPECT_EQ(judge.last_request.recipient(), "");
}

TEST(MessageFilter, RewrittenBodyReplacesTheBody) {
  FakeJudge judge;
  v1::RewriteMessageResponse response;
  response.set_message(
      "Message-ID: <1@x>\r\nSubject: Quote\r\n\r\n"
      "see https://click.example/c/TOKEN\r\n");
  response.mutable_verdict()->set_action(v1::ALLOW);
  response.add_links()->set_rewritten_url("https://click.example/c/TOKEN");
  judge.result.response = response;
  MessageFilter filter(Config(""), &judge, nullptr);
  FilterResult result = filter.Judge(Message({"<bob@acme.example>"}));
  EXPECT_TRUE(result.decision.replace_body);
  EXPECT_EQ(result.new_body, "see https://click.example/c/TOKEN\r\n");
  EXPECT_EQ(result.decision.verdict_header, "ALLOW score=0.00");
  EXPECT_EQ(result.links, 1);
  EXPECT_EQ(result.links_rewritten, 1);
}

TEST(MessageFilter, FailureTakesTheConfiguredAction) {
  FakeJudge judge;
  judge.result.response = absl::UnavailableError("connection refused");
  judge.result.failure = FailureKind::kUnavailable;
  MilterMetrics metrics;
  MessageFilter filter(Config("on_failure: FAILURE_TEMPFAIL"), &judge,
                       &metrics);
  FilterResult result = filter.Judge(Message({"<bob@acme.example>"}));
  EXPECT_EQ(result.decision.disposition, Disposition::kTempfail);
  EXPECT_NE(metrics.Exposition().find(
                "lureguard_milter_failures_total{reason=\"unavailable\"} 1"),
            std::string::npos)
      << metrics.Exposition();
}

TEST(MessageFilter, OversizeMessageIsNotSent) {
  FakeJudge judge;
  MessageFilter filter(Config("max_message_bytes: 2048"), &judge, nullptr);
  MessageCollector message(2048);
  message.AddHeader("Subject", " big");
  message.AppendBody(std::string(4000, 'x'));
  FilterResult result = filter.Judge(message);
  EXPECT_EQ(judge.calls, 0);
  EXPECT_EQ(result.decision.verdict_header, "skipped size=4016");
}

TEST(MilterMetrics, CountsMessagesByActionAndVerdict) {
  MilterMetrics metrics;
  metrics.RecordMessage(Disposition::kQuarantine, "block");
  metrics.RecordLatency(absl::Milliseconds(5), absl::Milliseconds(4));
  const std::string text = metrics.Exposition();
  EXPECT_NE(text.find("lureguard_milter_messages_total{action=\"quarantine\","
                      "verdict=\"block\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lureguard_milter_added_seconds_count 1"),
            std::string::npos);
}

}  // namespace
}  // namespace lureguard::milter
