#include "client/milter/config.h"
#include "client/milter/decision.h"
#include "gtest/gtest.h"

namespace lureguard::milter {
namespace {

v1::Verdict MakeVerdict(v1::Action action, double score,
                        std::vector<v1::ReasonCode> codes = {}) {
  v1::Verdict verdict;
  verdict.set_action(action);
  verdict.set_score(score);
  for (v1::ReasonCode code : codes) verdict.add_reasons()->set_code(code);
  return verdict;
}

v1::MilterConfig Config(absl::string_view text = "") {
  v1::MilterConfig config = *ParseMilterConfig(text);
  ApplyMilterDefaults(config);
  return config;
}

TEST(FormatVerdictHeader, ActionScoreAndEachReasonOnceInOrder) {
  EXPECT_EQ(FormatVerdictHeader(MakeVerdict(
                v1::BLOCK, 0.9876,
                {v1::MAIL_CREDENTIAL_FORM, v1::MAIL_SENDER_LOOKALIKE,
                 v1::MAIL_CREDENTIAL_FORM})),
            "BLOCK score=0.99 reasons=MAIL_CREDENTIAL_FORM,"
            "MAIL_SENDER_LOOKALIKE");
  EXPECT_EQ(FormatVerdictHeader(MakeVerdict(v1::ALLOW, 0)), "ALLOW score=0.00");
  v1::Verdict degraded = MakeVerdict(v1::WARN, 0.5, {v1::URL_IP_HOST});
  degraded.set_degraded(true);
  EXPECT_EQ(FormatVerdictHeader(degraded),
            "WARN score=0.50 reasons=URL_IP_HOST degraded");
}

TEST(DecideOnVerdict, AllowIsDeliveredTaggedWithLinksRewritten) {
  MilterDecision d =
      DecideOnVerdict(Config(), MakeVerdict(v1::ALLOW, 0.1), true);
  EXPECT_EQ(d.disposition, Disposition::kAccept);
  EXPECT_EQ(d.verdict_label, "allow");
  EXPECT_EQ(d.verdict_header, "ALLOW score=0.10");
  EXPECT_TRUE(d.replace_body);
  EXPECT_EQ(d.subject_prefix, "");
}

TEST(DecideOnVerdict, UnchangedBodyIsNotReplaced) {
  EXPECT_FALSE(
      DecideOnVerdict(Config(), MakeVerdict(v1::ALLOW, 0), false).replace_body);
}

TEST(DecideOnVerdict, DisabledRewritingKeepsTheBody) {
  EXPECT_FALSE(DecideOnVerdict(Config("disable_link_rewriting: true"),
                               MakeVerdict(v1::ALLOW, 0), true)
                   .replace_body);
}

TEST(DecideOnVerdict, WarnGetsTheConfiguredSubjectPrefix) {
  MilterDecision d = DecideOnVerdict(
      Config("warn_subject_prefix: '[SUSPICIOUS] '"),
      MakeVerdict(v1::WARN, 0.6, {v1::LINK_TEXT_MISMATCH}), true);
  EXPECT_EQ(d.disposition, Disposition::kAccept);
  EXPECT_EQ(d.verdict_label, "warn");
  EXPECT_EQ(d.subject_prefix, "[SUSPICIOUS] ");
  EXPECT_EQ(d.verdict_header, "WARN score=0.60 reasons=LINK_TEXT_MISMATCH");
}

TEST(DecideOnVerdict, BlockUnderRejectAnswers550WithTheReasons) {
  MilterDecision d = DecideOnVerdict(
      Config("on_block: BLOCK_REJECT block_subject_prefix: '[X] '"),
      MakeVerdict(v1::BLOCK, 0.99,
                  {v1::MAIL_CREDENTIAL_FORM, v1::MAIL_SENDER_LOOKALIKE}),
      true);
  EXPECT_EQ(d.disposition, Disposition::kReject);
  EXPECT_EQ(d.reply_code, "550");
  EXPECT_EQ(d.reply_xcode, "5.7.1");
  EXPECT_EQ(d.reply_text,
            "Message refused as phishing by Lureguard "
            "(MAIL_CREDENTIAL_FORM,MAIL_SENDER_LOOKALIKE)");
  EXPECT_FALSE(d.replace_body);
  EXPECT_EQ(d.verdict_header, "");
}

TEST(DecideOnVerdict, BlockUnderQuarantineIsHeldTaggedAndRewritten) {
  MilterDecision d = DecideOnVerdict(
      Config("block_subject_prefix: '[PHISHING] '"),
      MakeVerdict(v1::BLOCK, 0.95, {v1::MAIL_CREDENTIAL_FORM}), true);
  EXPECT_EQ(d.disposition, Disposition::kQuarantine);
  EXPECT_EQ(d.quarantine_reason, "Lureguard BLOCK: MAIL_CREDENTIAL_FORM");
  EXPECT_EQ(d.verdict_header, "BLOCK score=0.95 reasons=MAIL_CREDENTIAL_FORM");
  EXPECT_EQ(d.subject_prefix, "[PHISHING] ");
  EXPECT_TRUE(d.replace_body);
}

TEST(DecideOnVerdict, BlockUnderTagIsDelivered) {
  MilterDecision d = DecideOnVerdict(Config("on_block: BLOCK_TAG"),
                                     MakeVerdict(v1::BLOCK, 0.9), true);
  EXPECT_EQ(d.disposition, Disposition::kAccept);
  EXPECT_EQ(d.verdict_label, "block");
  EXPECT_EQ(d.verdict_header, "BLOCK score=0.90");
}

TEST(DecideOnFailure, AcceptTagsUnavailable) {
  MilterDecision d =
      DecideOnFailure(Config(), absl::UnavailableError("connect failed"));
  EXPECT_EQ(d.disposition, Disposition::kAccept);
  EXPECT_EQ(d.verdict_header, "unavailable");
  EXPECT_EQ(d.verdict_label, "unavailable");
  EXPECT_FALSE(d.replace_body);
}

TEST(DecideOnFailure, TempfailAnswers451) {
  MilterDecision d = DecideOnFailure(Config("on_failure: FAILURE_TEMPFAIL"),
                                     absl::DeadlineExceededError("late"));
  EXPECT_EQ(d.disposition, Disposition::kTempfail);
  EXPECT_EQ(d.reply_code, "451");
  EXPECT_EQ(d.reply_xcode, "4.7.1");
}

TEST(DecideOnOversize, PassesWithTheSize) {
  MilterDecision d = DecideOnOversize(26214401);
  EXPECT_EQ(d.disposition, Disposition::kAccept);
  EXPECT_EQ(d.verdict_header, "skipped size=26214401");
  EXPECT_FALSE(d.replace_body);
}

TEST(PrefixedSubject, PrefixGoesAfterTheLeadingSpaceOnce) {
  EXPECT_EQ(PrefixedSubject(" Invoice", "[SUSPICIOUS] "),
            " [SUSPICIOUS] Invoice");
  EXPECT_EQ(PrefixedSubject("Invoice", "[SUSPICIOUS] "),
            "[SUSPICIOUS] Invoice");
  EXPECT_EQ(PrefixedSubject(" [SUSPICIOUS] Re: Invoice", "[SUSPICIOUS] "),
            " [SUSPICIOUS] Re: Invoice");
}

}  // namespace
}  // namespace lureguard::milter
