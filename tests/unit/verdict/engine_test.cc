#include "server/verdict/engine.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/entry_value.h"
#include "tests/fakes/fake_clock.h"

namespace lureguard::verdict {
namespace {

store::ListEntryRecord Entry(absl::string_view value, store::ListType list,
                             absl::Time expire = absl::InfiniteFuture()) {
  absl::StatusOr<lists::EntryValue> normalized =
      lists::NormalizeEntryValue(value, std::nullopt);
  EXPECT_TRUE(normalized.ok()) << normalized.status();
  store::ListEntryRecord record;
  record.list = list;
  record.kind = normalized->kind;
  record.value = normalized->value;
  record.reason = "test";
  record.expire_time = expire;
  return record;
}

class EngineTest : public ::testing::Test {
 protected:
  void Publish(std::vector<store::ListEntryRecord> entries) {
    auto snapshot = std::make_shared<EngineSnapshot>();
    snapshot->lists = lists::ListSnapshot::Build(std::move(entries));
    engine_.Publish(std::move(snapshot));
  }

  FakeClock clock_;
  Engine engine_{clock_};
};

TEST_F(EngineTest, UnavailableUntilTheFirstSnapshot) {
  EXPECT_EQ(engine_.CheckUrl("http://a.test/", "").status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(EngineTest, BlocklistedHostIsBlockedWithTheEntryAsReason) {
  Publish({Entry("evil.test", store::ListType::kBlock)});
  absl::StatusOr<UrlCheck> check =
      engine_.CheckUrl("https://Login.Evil.test/path", "");
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->verdict.action, Action::kBlock);
  EXPECT_EQ(check->verdict.score, 1.0);
  ASSERT_FALSE(check->verdict.reasons.empty());
  const Reason& reason = check->verdict.reasons[0];
  EXPECT_EQ(reason.code, ReasonCode::kBlocklistMatch);
  EXPECT_EQ(reason.matched, "evil.test");
  EXPECT_EQ(reason.technique, "subdomain");
  EXPECT_EQ(reason.source, "admin");
  EXPECT_EQ(reason.detail,
            "On the block list as domain entry 'evil.test' (admin: test).");
  EXPECT_EQ(check->url.host, "login.evil.test");
  EXPECT_EQ(check->verdict.verdict_id.size(), 32u);
}

TEST_F(EngineTest, CleanUrlIsAllowed) {
  Publish({Entry("evil.test", store::ListType::kBlock)});
  absl::StatusOr<UrlCheck> check = engine_.CheckUrl("https://example.org/", "");
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->verdict.action, Action::kAllow);
  EXPECT_TRUE(check->verdict.reasons.empty());
  EXPECT_EQ(check->url.registrable_domain, "example.org");
}

TEST_F(EngineTest, AllowlistWinsOverBlocklist) {
  Publish({Entry("evil.test", store::ListType::kBlock),
           Entry("ok.evil.test", store::ListType::kAllow)});
  absl::StatusOr<UrlCheck> check = engine_.CheckUrl("http://ok.evil.test/", "");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->verdict.action, Action::kAllow);
  ASSERT_EQ(check->verdict.reasons.size(), 1u);
  EXPECT_EQ(check->verdict.reasons[0].code, ReasonCode::kAllowlistMatch);
}

TEST_F(EngineTest, CacheTtlIsBoundedByTheMatchedEntrysExpiry) {
  Publish({Entry("brief.test", store::ListType::kBlock,
                 clock_.Now() + absl::Seconds(90))});
  absl::StatusOr<UrlCheck> check = engine_.CheckUrl("http://brief.test/", "");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->verdict.cache_ttl, absl::Seconds(90));
  clock_.Advance(absl::Seconds(90));
  check = engine_.CheckUrl("http://brief.test/", "");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->verdict.action, Action::kAllow);
}

TEST_F(EngineTest, StructuralSignalsAddUpToAWarning) {
  Publish({});
  // User info in front of a hexadecimal IP: the classic disguised link.
  absl::StatusOr<UrlCheck> check =
      engine_.CheckUrl("http://www.paypal.com@0xd8.0x3a.0xd6.0xce/", "");
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->verdict.action, Action::kWarn);
  std::vector<ReasonCode> codes;
  for (const Reason& r : check->verdict.reasons) codes.push_back(r.code);
  EXPECT_THAT(codes, ::testing::IsSupersetOf({ReasonCode::kUrlUserinfo,
                                              ReasonCode::kUrlIpHost,
                                              ReasonCode::kUrlEncodedHost}));
}

TEST_F(EngineTest, NonWebSchemesAreReportedNotLookedUp) {
  Publish({});
  absl::StatusOr<UrlCheck> js = engine_.CheckUrl("javascript:alert(1)", "");
  ASSERT_TRUE(js.ok()) << js.status();
  EXPECT_EQ(js->verdict.action, Action::kWarn);
  ASSERT_EQ(js->verdict.reasons.size(), 1u);
  EXPECT_EQ(js->verdict.reasons[0].code, ReasonCode::kUrlNonWebScheme);
  EXPECT_EQ(js->verdict.reasons[0].technique, "javascript");
  absl::StatusOr<UrlCheck> mail = engine_.CheckUrl("mailto:a@b.test", "");
  ASSERT_TRUE(mail.ok());
  EXPECT_EQ(mail->verdict.action, Action::kAllow);
}

TEST_F(EngineTest, UnparseableUrlIsInvalidArgument) {
  Publish({});
  absl::StatusOr<UrlCheck> check = engine_.CheckUrl("http://[::1/", "");
  EXPECT_EQ(check.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(check.status().message().empty());
}

}  // namespace
}  // namespace lureguard::verdict
