#include "server/verdict/engine.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/lists/curl_http_fetcher.h"
#include "server/lists/entry_value.h"
#include "server/lookalike/brand.h"
#include "server/redirects/redirect_resolver.h"
#include "server/verdict/cert_reasons.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_tls_prober.h"
#include "tests/testing/http_test_server.h"

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
  EXPECT_EQ(check->url->host, "login.evil.test");
  EXPECT_EQ(check->verdict.verdict_id.size(), 32u);
  EXPECT_EQ(reason.threat, ThreatType::kPhishing);
  EXPECT_THAT(check->verdict.threat_types,
              ::testing::ElementsAre(ThreatType::kPhishing));
}

TEST_F(EngineTest, AMalwareEntryMakesAMalwareVerdict) {
  store::ListEntryRecord malware =
      Entry("dropper.test", store::ListType::kBlock);
  malware.source = "feed:urlhaus";
  malware.threat = store::ThreatType::kMalware;
  Publish({malware});
  absl::StatusOr<UrlCheck> check =
      engine_.CheckUrl("http://dropper.test/bin.sh", "");
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->verdict.action, Action::kBlock);
  ASSERT_FALSE(check->verdict.reasons.empty());
  EXPECT_EQ(check->verdict.reasons[0].threat, ThreatType::kMalware);
  EXPECT_THAT(check->verdict.threat_types,
              ::testing::ElementsAre(ThreatType::kMalware));
}

TEST_F(EngineTest, CleanUrlIsAllowed) {
  Publish({Entry("evil.test", store::ListType::kBlock)});
  absl::StatusOr<UrlCheck> check = engine_.CheckUrl("https://example.org/", "");
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->verdict.action, Action::kAllow);
  EXPECT_TRUE(check->verdict.reasons.empty());
  EXPECT_EQ(check->url->registrable_domain, "example.org");
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

TEST_F(EngineTest, ARepeatedUrlIsAnsweredFromTheCacheWithItsOwnId) {
  Publish({Entry("evil.test", store::ListType::kBlock)});
  // Kept from the second time: a URL asked about once takes no entry.
  absl::StatusOr<UrlCheck> once = engine_.CheckUrl("https://evil.test/a", "");
  absl::StatusOr<UrlCheck> first = engine_.CheckUrl("https://evil.test/a", "");
  EXPECT_EQ(engine_.CheckCacheStats().hits, 0);
  absl::StatusOr<UrlCheck> again = engine_.CheckUrl("https://evil.test/a", "");
  ASSERT_TRUE(once.ok() && first.ok() && again.ok());
  EXPECT_NE(first->url, once->url);
  EXPECT_EQ(engine_.CheckCacheStats().hits, 1);
  EXPECT_EQ(again->verdict.action, Action::kBlock);
  EXPECT_EQ(again->verdict.score, first->verdict.score);
  ASSERT_EQ(again->verdict.reasons.size(), first->verdict.reasons.size());
  EXPECT_EQ(again->verdict.reasons[0].detail, first->verdict.reasons[0].detail);
  EXPECT_EQ(again->url, first->url);  // the same names, shared
  EXPECT_NE(again->verdict.verdict_id, first->verdict.verdict_id);
  // Another path, another tenant: other checks.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(engine_.CheckUrl("https://evil.test/b", "").ok());
    ASSERT_TRUE(engine_.CheckUrl("https://evil.test/a", "acme").ok());
  }
  EXPECT_EQ(engine_.CheckCacheStats().hits, 1);
}

TEST_F(EngineTest, ASharedCheckIsTheCachedCheckItselfAndSaysWhetherItIsKept) {
  Publish({Entry("evil.test", store::ListType::kBlock,
                 clock_.Now() + absl::Seconds(60))});
  absl::StatusOr<Engine::SharedCheck> once =
      engine_.CheckUrlShared("https://evil.test/a", "");
  absl::StatusOr<Engine::SharedCheck> first =
      engine_.CheckUrlShared("https://evil.test/a", "");
  clock_.Advance(absl::Seconds(1));
  absl::StatusOr<Engine::SharedCheck> again =
      engine_.CheckUrlShared("https://evil.test/a", "");
  ASSERT_TRUE(once.ok() && first.ok() && again.ok());
  EXPECT_FALSE(once->kept);  // asked about once: not kept
  EXPECT_TRUE(first->kept);
  EXPECT_TRUE(again->kept);
  EXPECT_NE(once->check, first->check);
  EXPECT_EQ(again->check, first->check);  // not a copy
  EXPECT_TRUE(first->check->verdict.verdict_id.empty());
  EXPECT_NE(again->verdict_id, first->verdict_id);
  EXPECT_EQ(again->cache_ttl, first->cache_ttl - absl::Seconds(1));
  // Copy is the check as CheckUrl answers it.
  const UrlCheck copy = again->Copy();
  EXPECT_EQ(copy.verdict.verdict_id, again->verdict_id.view());
  EXPECT_EQ(copy.verdict.cache_ttl, again->cache_ttl);
  EXPECT_EQ(copy.verdict.action, Action::kBlock);
  EXPECT_EQ(copy.url, first->check->url);
  EXPECT_EQ(engine_.CheckUrlShared("", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EngineTest, ACachedCheckCountsItsTtlDownAndEndsWithItsEntry) {
  Publish({Entry("brief.test", store::ListType::kBlock,
                 clock_.Now() + absl::Seconds(5))});
  ASSERT_TRUE(engine_.CheckUrl("http://brief.test/", "").ok());
  ASSERT_TRUE(engine_.CheckUrl("http://brief.test/", "").ok());  // kept
  clock_.Advance(absl::Seconds(2));
  absl::StatusOr<UrlCheck> cached = engine_.CheckUrl("http://brief.test/", "");
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(engine_.CheckCacheStats().hits, 1);
  EXPECT_EQ(cached->verdict.action, Action::kBlock);
  EXPECT_EQ(cached->verdict.cache_ttl, absl::Seconds(3));
  clock_.Advance(absl::Seconds(3));  // the entry expires, and its check
  absl::StatusOr<UrlCheck> after = engine_.CheckUrl("http://brief.test/", "");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->verdict.action, Action::kAllow);
  EXPECT_EQ(engine_.CheckCacheStats().hits, 1);
}

TEST_F(EngineTest, ACheckOnTheSnapshotAloneIsKeptForItsLongerMaximumAge) {
  Publish({});
  ASSERT_TRUE(engine_.CheckUrl("https://example.org/", "").ok());
  ASSERT_TRUE(engine_.CheckUrl("https://example.org/", "").ok());  // kept
  // No certificate facts and no redirect chain: past the short age, the
  // check still stands.
  clock_.Advance(kMaxCachedCheckAge + absl::Seconds(1));
  ASSERT_TRUE(engine_.CheckUrl("https://example.org/", "").ok());
  EXPECT_EQ(engine_.CheckCacheStats().hits, 1);
  clock_.Advance(kMaxCachedSnapshotCheckAge - kMaxCachedCheckAge -
                 absl::Seconds(1) - absl::Milliseconds(1));
  ASSERT_TRUE(engine_.CheckUrl("https://example.org/", "").ok());
  EXPECT_EQ(engine_.CheckCacheStats().hits, 2);
  clock_.Advance(absl::Milliseconds(1));
  ASSERT_TRUE(engine_.CheckUrl("https://example.org/", "").ok());
  EXPECT_EQ(engine_.CheckCacheStats().hits, 2);
  EXPECT_EQ(engine_.CheckCacheStats().misses, 3);
}

TEST_F(EngineTest, ANewSnapshotIsSeenAtOnceAndAHeldOneBypassesTheCache) {
  Publish({});
  std::shared_ptr<const EngineSnapshot> before = engine_.snapshot();
  ASSERT_EQ(engine_.CheckUrl("https://evil.test/", "")->verdict.action,
            Action::kAllow);
  Publish({Entry("evil.test", store::ListType::kBlock)});
  EXPECT_EQ(engine_.CheckUrl("https://evil.test/", "")->verdict.action,
            Action::kBlock);
  // A caller holding the old snapshot gets its answer, not the cache's.
  EXPECT_EQ(
      engine_.CheckUrlIn(*before, "https://evil.test/", "")->verdict.action,
      Action::kAllow);
  EXPECT_EQ(engine_.CheckCacheStats().hits, 0);
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

// Certificate facts through a real ProbeCache on a scripted prober.
class EngineCertTest : public ::testing::Test {
 protected:
  EngineCertTest() {
    certs::ProbeCacheOptions options;
    cache_ = std::make_unique<certs::ProbeCache>(prober_, executor_, clock_,
                                                 options);
  }
  ~EngineCertTest() override { executor_.Stop(); }

  std::unique_ptr<Engine> MakeEngine(bool probe_unknown_hosts = false) {
    auto engine = std::make_unique<Engine>(
        clock_, CertSignals{cache_.get(), probe_unknown_hosts});
    auto snapshot = std::make_shared<EngineSnapshot>();
    snapshot->lists = lists::ListSnapshot::Build(
        {Entry("blocked-paypa1.test", store::ListType::kBlock)});
    snapshot->brands = std::make_shared<const lookalike::BrandIndex>(
        *lookalike::BrandIndex::Build(lookalike::DefaultBrands()));
    engine->Publish(std::move(snapshot));
    return engine;
  }

  void AwaitStored(uint64_t n) {
    while (cache_->stats().runs < n) absl::SleepFor(absl::Milliseconds(1));
  }

  static certs::CertProbe PhishingKitProbe() {
    certs::CertProbe probe;
    probe.leaf.dns_names = {"paypa1-login.com", "secure-paypal-verify.com"};
    probe.leaf.self_signed = true;
    probe.leaf.not_before = absl::FromUnixSeconds(1767225600) - absl::Hours(5);
    probe.leaf.not_after = probe.leaf.not_before + absl::Hours(24 * 90);
    probe.chain_trusted = false;
    probe.hostname_matches = true;
    return probe;
  }

  FakeClock clock_;
  FakeTlsProber prober_;
  BoundedExecutor executor_{1, 16};
  std::unique_ptr<certs::ProbeCache> cache_;
};

TEST_F(EngineCertTest, ALookalikeIsDegradedUntilItsCertificateIsKnown) {
  prober_.Set("paypa1-login.com:443", PhishingKitProbe());
  std::unique_ptr<Engine> engine = MakeEngine();
  absl::StatusOr<UrlCheck> first =
      engine->CheckUrl("https://paypa1-login.com/signin", "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->verdict.degraded);
  EXPECT_EQ(first->verdict.cache_ttl, kDegradedCacheTtl);
  for (const Reason& r : first->verdict.reasons) {
    EXPECT_FALSE(IsCertReason(r.code)) << r.detail;
  }

  AwaitStored(1);
  absl::StatusOr<UrlCheck> later =
      engine->CheckUrl("https://paypa1-login.com/signin", "");
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->verdict.degraded);
  std::vector<ReasonCode> cert_codes;
  for (const Reason& r : later->verdict.reasons) {
    if (IsCertReason(r.code)) cert_codes.push_back(r.code);
  }
  EXPECT_THAT(cert_codes, ::testing::UnorderedElementsAre(
                              ReasonCode::kCertNew, ReasonCode::kCertSelfSigned,
                              ReasonCode::kCertBrandSans));
  EXPECT_GT(later->verdict.score, first->verdict.score);
  EXPECT_EQ(prober_.calls(), 1);
  // Only the complete verdict is kept (from its second time): the
  // degraded one was not cached.
  EXPECT_EQ(engine->CheckCacheStats().hits, 0);
  ASSERT_TRUE(engine->CheckUrl("https://paypa1-login.com/signin", "").ok());
  EXPECT_EQ(engine->CheckCacheStats().hits, 0);
  absl::StatusOr<UrlCheck> cached =
      engine->CheckUrl("https://paypa1-login.com/signin", "");
  ASSERT_TRUE(cached.ok());
  EXPECT_FALSE(cached->verdict.degraded);
  EXPECT_EQ(cached->verdict.score, later->verdict.score);
  EXPECT_EQ(engine->CheckCacheStats().hits, 1);
}

// A brand's own site under a name that reads as a lookalike: its trusted
// certificate covers the brand's domain too, so later checks allow it.
TEST_F(EngineCertTest, ALookalikeWithTheBrandsOwnCertificateIsAllowed) {
  certs::CertProbe probe;
  probe.leaf.san_dns_names = {"paypal-deutschland.com", "www.paypal.com"};
  probe.leaf.dns_names = probe.leaf.san_dns_names;
  probe.leaf.not_before = absl::FromUnixSeconds(1767225600) - absl::Hours(900);
  probe.leaf.not_after = probe.leaf.not_before + absl::Hours(24 * 365);
  probe.chain_trusted = true;
  probe.hostname_matches = true;
  prober_.Set("paypal-deutschland.com:443", probe);
  std::unique_ptr<Engine> engine = MakeEngine();
  const std::string url = "https://paypal-deutschland.com/";
  absl::StatusOr<UrlCheck> first = engine->CheckUrl(url, "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->verdict.degraded);
  EXPECT_NE(first->verdict.action, Action::kAllow);

  AwaitStored(1);
  absl::StatusOr<UrlCheck> later = engine->CheckUrl(url, "");
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->verdict.degraded);
  EXPECT_EQ(later->verdict.action, Action::kAllow);
  std::vector<ReasonCode> codes;
  for (const Reason& r : later->verdict.reasons) codes.push_back(r.code);
  EXPECT_THAT(codes, ::testing::Contains(ReasonCode::kCertBrandOwned));
  for (ReasonCode code : codes) EXPECT_FALSE(IsLookalikeCode(code));
}

TEST_F(EngineCertTest, ACheckThatReadCertificateFactsIsMadeAgainSooner) {
  prober_.Set("paypa1-login.com:443", PhishingKitProbe());
  std::unique_ptr<Engine> engine = MakeEngine();
  const std::string url = "https://paypa1-login.com/signin";
  ASSERT_TRUE(engine->CheckUrl(url, "")->verdict.degraded);
  AwaitStored(1);
  ASSERT_FALSE(engine->CheckUrl(url, "")->verdict.degraded);
  ASSERT_TRUE(engine->CheckUrl(url, "").ok());  // kept
  clock_.Advance(kMaxCachedCheckAge - absl::Milliseconds(1));
  absl::StatusOr<UrlCheck> cached = engine->CheckUrl(url, "");
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(engine->CheckCacheStats().hits, 1);
  clock_.Advance(absl::Milliseconds(1));
  absl::StatusOr<UrlCheck> again = engine->CheckUrl(url, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(engine->CheckCacheStats().hits, 1);
  // Made again from the certificate facts the probe cache still holds.
  EXPECT_FALSE(again->verdict.degraded);
  EXPECT_EQ(again->verdict.score, cached->verdict.score);
  EXPECT_EQ(prober_.calls(), 1);
}

TEST_F(EngineCertTest, OnlySuspiciousHttpsHostsAreProbed) {
  std::unique_ptr<Engine> engine = MakeEngine();
  ASSERT_TRUE(engine->CheckUrl("https://example.org/", "").ok());
  ASSERT_TRUE(engine->CheckUrl("http://paypa1-login.com/", "").ok());
  absl::StatusOr<UrlCheck> blocked =
      engine->CheckUrl("https://blocked-paypa1.test/", "");
  ASSERT_TRUE(blocked.ok());
  EXPECT_FALSE(blocked->verdict.degraded);
  // The port is part of the target.
  ASSERT_TRUE(engine->CheckUrl("https://paypa1-login.com:8443/", "").ok());
  AwaitStored(1);
  EXPECT_EQ(prober_.calls(), 1);
  EXPECT_EQ(cache_->stats().entries, 1u);
}

TEST_F(EngineCertTest, ProbeUnknownHostsProbesCleanHttpsHostsToo) {
  std::unique_ptr<Engine> engine = MakeEngine(/*probe_unknown_hosts=*/true);
  absl::StatusOr<UrlCheck> check = engine->CheckUrl("https://example.org/", "");
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->verdict.degraded);
  AwaitStored(1);
  // The probe failed (nothing scripted): no reason, no longer degraded.
  check = engine->CheckUrl("https://example.org/", "");
  EXPECT_FALSE(check->verdict.degraded);
  EXPECT_TRUE(check->verdict.reasons.empty());
}

// The reason with `code` in `check`, or null.
const Reason* FindReason(const UrlCheck& check, ReasonCode code) {
  for (const Reason& r : check.verdict.reasons) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

// Another gateway's wrapper makes a trusted-looking link of any URL: the
// verdict is the inner URL's, read from the link without the network.
TEST_F(EngineTest, ALinkInsideSafeLinksIsJudgedByTheUrlItCarries) {
  Publish({Entry("evil.test", store::ListType::kBlock)});
  const std::string wrapped =
      "https://nam12.safelinks.protection.outlook.com/"
      "?url=https%3A%2F%2Fevil.test%2Flogin%3Fu%3D1&data=05%7C01%7C&reserved=0";
  absl::StatusOr<UrlCheck> check = engine_.CheckUrl(wrapped, "");
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->verdict.action, Action::kBlock);
  EXPECT_FALSE(check->verdict.degraded);
  const Reason* listed = FindReason(*check, ReasonCode::kBlocklistMatch);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(listed->url, "https://evil.test/login?u=1");
  const Reason* wrapper = FindReason(*check, ReasonCode::kUrlRedirectsTo);
  ASSERT_NE(wrapper, nullptr);
  EXPECT_EQ(wrapper->technique, "safelinks");
  EXPECT_EQ(wrapper->matched, "https://evil.test/login?u=1");
  EXPECT_EQ(wrapper->weight, 0);
  EXPECT_EQ(wrapper->detail,
            "The link is a wrapper (safelinks) around "
            "https://evil.test/login?u=1.");
}

TEST_F(EngineTest, NestedWrappersArePeeledOutermostFirst) {
  Publish({Entry("evil.test", store::ListType::kBlock)});
  // Google's /url redirect around Proofpoint URL Defense v2.
  const std::string wrapped =
      "https://www.google.com/url?q=https%3A%2F%2Furldefense.proofpoint.com"
      "%2Fv2%2Furl%3Fu%3Dhttps-3A__evil.test_login%26d%3DDwMFaQ%26e%3D&sa=D";
  absl::StatusOr<UrlCheck> check = engine_.CheckUrl(wrapped, "");
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->verdict.action, Action::kBlock);
  const Reason* wrapper = FindReason(*check, ReasonCode::kUrlRedirectsTo);
  ASSERT_NE(wrapper, nullptr);
  EXPECT_EQ(wrapper->technique, "google-redirect,proofpoint-v2");
  EXPECT_EQ(wrapper->matched, "https://evil.test/login");

  // Sophos Time-of-Click around Barracuda Link Protection.
  absl::StatusOr<UrlCheck> sophos = engine_.CheckUrl(
      "https://eu-west-1.protection.sophos.com/?d=example.com&u="
      "aHR0cHM6Ly9saW5rcHJvdGVjdC5jdWRhc3ZjLmNvbS91cmw/"
      "YT1odHRwcyUzYSUyZiUyZmV2aWwudGVzdCUyZnBheSZjPUUsMQ==&i=x",
      "");
  ASSERT_TRUE(sophos.ok()) << sophos.status();
  EXPECT_EQ(sophos->verdict.action, Action::kBlock);
  const Reason* both = FindReason(*sophos, ReasonCode::kUrlRedirectsTo);
  ASSERT_NE(both, nullptr);
  EXPECT_EQ(both->technique, "sophos,barracuda");
  EXPECT_EQ(both->matched, "https://evil.test/pay");
}

TEST_F(EngineTest, OnlyRealWrappersAreUnwrapped) {
  Publish({Entry("evil.test", store::ListType::kBlock)});
  // A clean destination: allowed, its wrapper named.
  absl::StatusOr<UrlCheck> clean = engine_.CheckUrl(
      "https://eur01.safelinks.protection.outlook.com/"
      "?url=https%3A%2F%2Fexample.com%2F&data=05",
      "");
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(clean->verdict.action, Action::kAllow);
  EXPECT_NE(FindReason(*clean, ReasonCode::kUrlRedirectsTo), nullptr);
  // Not a wrapper: another path on Google, a host that only names Safe
  // Links, a wrapper without its target.
  for (const char* url :
       {"https://www.google.com/search?q=https%3A%2F%2Fevil.test%2F",
        "https://safelinks.protection.outlook.com.example/"
        "?url=https%3A%2F%2Fevil.test%2F",
        "https://nam12.safelinks.protection.outlook.com/?data=05"}) {
    absl::StatusOr<UrlCheck> check = engine_.CheckUrl(url, "");
    ASSERT_TRUE(check.ok()) << url;
    EXPECT_EQ(FindReason(*check, ReasonCode::kUrlRedirectsTo), nullptr) << url;
    EXPECT_NE(check->verdict.action, Action::kBlock) << url;
  }
}

TEST_F(EngineTest, AnAllowlistedWrapperURLIsTheAdminsWord) {
  // As for redirects: an allowlist entry for the link itself decides.
  const std::string wrapped =
      "https://nam12.safelinks.protection.outlook.com/"
      "?url=https%3A%2F%2Fevil.test%2F&data=05";
  Publish({Entry("evil.test", store::ListType::kBlock),
           Entry(wrapped, store::ListType::kAllow)});
  absl::StatusOr<UrlCheck> check = engine_.CheckUrl(wrapped, "");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->verdict.action, Action::kAllow);
  EXPECT_EQ(FindReason(*check, ReasonCode::kUrlRedirectsTo), nullptr);
}

// Links on a redirector are judged with where they lead, followed over
// real HTTP on loopback.
class EngineRedirectTest : public ::testing::Test {
 protected:
  EngineRedirectTest()
      : server_(*testing::HttpTestServer::Start()),
        fetcher_({.allow_private_targets = true}),
        resolver_(fetcher_, executor_, SystemClock(),
                  {.redirectors = {"127.0.0.1"}}),
        engine_(clock_, {}, &resolver_) {
    auto snapshot = std::make_shared<EngineSnapshot>();
    snapshot->lists = lists::ListSnapshot::Build(
        {Entry(server_->Url("/phish/"), store::ListType::kBlock)});
    engine_.Publish(std::move(snapshot));
  }

  // Checks until the chain is known (the first checks start following it).
  UrlCheck CheckFollowed(const std::string& url) {
    for (int i = 0; i < 2000; ++i) {
      absl::StatusOr<UrlCheck> check = engine_.CheckUrl(url, "");
      EXPECT_TRUE(check.ok()) << check.status();
      if (!check.ok() || !check->verdict.degraded) {
        return check.value_or(UrlCheck{});
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
    ADD_FAILURE() << "never followed: " << url;
    return {};
  }

  std::unique_ptr<testing::HttpTestServer> server_;
  lists::CurlHttpFetcher fetcher_;
  BoundedExecutor executor_{1, 16};
  redirects::RedirectResolver resolver_;
  FakeClock clock_;
  Engine engine_;
};

TEST_F(EngineRedirectTest, AShortLinkToAListedPageIsBlockedNamingTheChain) {
  server_->SetResponse(
      "/s/abc",
      {.status = 301, .headers = {{"Location", server_->Url("/phish/login")}}});
  absl::StatusOr<UrlCheck> first = engine_.CheckUrl(server_->Url("/s/abc"), "");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->verdict.degraded);
  EXPECT_EQ(first->verdict.action, Action::kAllow);
  EXPECT_LE(first->verdict.cache_ttl, kDegradedCacheTtl);

  UrlCheck check = CheckFollowed(server_->Url("/s/abc"));
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  auto has = [&](ReasonCode code) -> const Reason* {
    for (const Reason& r : check.verdict.reasons) {
      if (r.code == code) return &r;
    }
    return nullptr;
  };
  const Reason* listed = has(ReasonCode::kBlocklistMatch);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(listed->url, server_->Url("/phish/login"));
  const Reason* redirect = has(ReasonCode::kUrlRedirectsTo);
  ASSERT_NE(redirect, nullptr);
  EXPECT_EQ(redirect->matched, server_->Url("/phish/login"));
  EXPECT_THAT(redirect->detail, ::testing::HasSubstr(server_->Url("/s/abc")));
}

// A kit that refuses connections from scanners: the shortener's answer
// already says where the link leads, and that URL is listed.
TEST_F(EngineRedirectTest, AShortLinkToAListedPageThatRefusesUsIsBlocked) {
  std::string dead;
  {
    std::unique_ptr<testing::HttpTestServer> gone =
        *testing::HttpTestServer::Start();
    dead = gone->Url("/kit/");
  }
  auto snapshot = std::make_shared<EngineSnapshot>();
  snapshot->lists = lists::ListSnapshot::Build(
      {Entry(server_->Url("/phish/"), store::ListType::kBlock),
       Entry(dead, store::ListType::kBlock)});
  engine_.Publish(std::move(snapshot));
  server_->SetResponse(
      "/s/cloaked", {.status = 302, .headers = {{"Location", dead + "login"}}});

  UrlCheck check = CheckFollowed(server_->Url("/s/cloaked"));
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  const Reason* redirect = nullptr;
  for (const Reason& r : check.verdict.reasons) {
    if (r.code == ReasonCode::kBlocklistMatch) {
      EXPECT_EQ(r.url, dead + "login");
    }
    if (r.code == ReasonCode::kUrlRedirectsTo) redirect = &r;
  }
  ASSERT_NE(redirect, nullptr);
  EXPECT_EQ(redirect->matched, dead + "login");
  EXPECT_THAT(redirect->detail, ::testing::HasSubstr("(not reached: "));
}

TEST_F(EngineRedirectTest, ALinkThatDoesNotRedirectIsJudgedAsItself) {
  server_->SetResponse("/s/plain", {.body = "a page"});
  UrlCheck check = CheckFollowed(server_->Url("/s/plain"));
  EXPECT_NE(check.verdict.action, Action::kBlock);
  // Only the link's own reasons (its bare IP host), none about elsewhere.
  for (const Reason& reason : check.verdict.reasons) {
    EXPECT_NE(reason.code, ReasonCode::kUrlRedirectsTo);
    EXPECT_TRUE(reason.url.empty()) << reason.detail;
  }
  EXPECT_EQ(resolver_.stats().runs, 1u);
}

TEST_F(EngineRedirectTest, AFollowedLinksCheckIsMadeAgainSooner) {
  server_->SetResponse(
      "/s/kept",
      {.status = 302, .headers = {{"Location", server_->Url("/phish/a")}}});
  const std::string url = server_->Url("/s/kept");
  ASSERT_EQ(CheckFollowed(url).verdict.action, Action::kBlock);
  ASSERT_TRUE(engine_.CheckUrl(url, "").ok());  // kept
  clock_.Advance(kMaxCachedCheckAge - absl::Milliseconds(1));
  ASSERT_TRUE(engine_.CheckUrl(url, "").ok());
  EXPECT_EQ(engine_.CheckCacheStats().hits, 1);
  clock_.Advance(absl::Milliseconds(1));
  absl::StatusOr<UrlCheck> again = engine_.CheckUrl(url, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(engine_.CheckCacheStats().hits, 1);
  EXPECT_EQ(again->verdict.action, Action::kBlock);
}

TEST_F(EngineRedirectTest, AShortLinkInsideSafeLinksIsFollowedToo) {
  server_->SetResponse(
      "/s/wrapped",
      {.status = 302, .headers = {{"Location", server_->Url("/phish/x")}}});
  std::string inner;
  for (char c : server_->Url("/s/wrapped")) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.') {
      inner.push_back(c);
    } else {
      inner += absl::StrFormat("%%%02X", c);
    }
  }
  const std::string wrapped =
      "https://nam12.safelinks.protection.outlook.com/?url=" + inner +
      "&data=05";
  UrlCheck check = CheckFollowed(wrapped);
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  const Reason* listed = FindReason(check, ReasonCode::kBlocklistMatch);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(listed->url, server_->Url("/phish/x"));
  int named = 0;
  for (const Reason& r : check.verdict.reasons) {
    if (r.code == ReasonCode::kUrlRedirectsTo) ++named;
  }
  EXPECT_EQ(named, 2);  // the wrapper, and the short link's chain
}

TEST_F(EngineRedirectTest, ALinkOffTheRedirectorsIsNeverFollowed) {
  absl::StatusOr<UrlCheck> check =
      engine_.CheckUrl("https://example.com/s/abc", "");
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->verdict.degraded);
  EXPECT_EQ(resolver_.stats().entries, 0u);
}

// The lookalike reasons of a host are cached per brand index: a snapshot
// with other lists but the same index keeps them, a new index drops them.
class EngineLookalikeCacheTest : public ::testing::Test {
 protected:
  static std::shared_ptr<const lookalike::BrandIndex> Index(
      const std::string& name) {
    lookalike::Brand brand;
    brand.name = name;
    brand.domains = {absl::AsciiStrToLower(name) + ".com"};
    absl::StatusOr<lookalike::BrandIndex> index =
        lookalike::BrandIndex::Build({brand});
    EXPECT_TRUE(index.ok()) << index.status();
    return std::make_shared<const lookalike::BrandIndex>(*std::move(index));
  }

  void Publish(std::shared_ptr<const lookalike::BrandIndex> brands,
               std::vector<store::ListEntryRecord> entries = {}) {
    auto snapshot = std::make_shared<EngineSnapshot>();
    snapshot->lists = lists::ListSnapshot::Build(std::move(entries));
    snapshot->brands = std::move(brands);
    engine_.Publish(std::move(snapshot));
  }

  // The brands the lookalike reasons of `url` name.
  std::vector<std::string> LookalikeBrands(const std::string& url) {
    absl::StatusOr<UrlCheck> check = engine_.CheckUrl(url, "");
    EXPECT_TRUE(check.ok()) << check.status();
    std::vector<std::string> brands;
    if (!check.ok()) return brands;
    for (const Reason& reason : check->verdict.reasons) {
      if (!reason.brand.empty()) brands.push_back(reason.brand);
    }
    return brands;
  }

  FakeClock clock_;
  Engine engine_{clock_};
};

TEST_F(EngineLookalikeCacheTest, RepeatedHostsAreAnsweredFromTheCache) {
  Publish(Index("Contoso"));
  EXPECT_THAT(LookalikeBrands("https://contoso-login.com/a"),
              ::testing::ElementsAre("Contoso"));
  EXPECT_THAT(LookalikeBrands("https://contoso-login.com/b?x=1"),
              ::testing::ElementsAre("Contoso"));
  EXPECT_EQ(engine_.LookalikeCacheStats().misses, 1);
  EXPECT_EQ(engine_.LookalikeCacheStats().hits, 1);
}

TEST_F(EngineLookalikeCacheTest, ANewListSnapshotKeepsTheCacheOfItsIndex) {
  std::shared_ptr<const lookalike::BrandIndex> brands = Index("Contoso");
  Publish(brands);
  LookalikeBrands("https://contoso-login.com/");
  Publish(brands, {Entry("other.test", store::ListType::kBlock)});
  EXPECT_THAT(LookalikeBrands("https://contoso-login.com/"),
              ::testing::ElementsAre("Contoso"));
  EXPECT_EQ(engine_.LookalikeCacheStats().hits, 1);
}

TEST_F(EngineLookalikeCacheTest, ATenantsBrandsAreNotAnsweredToOthers) {
  lookalike::Brand brand;
  brand.name = "Contoso";
  brand.domains = {"contoso.com"};
  brand.tenant = "acme";
  absl::StatusOr<lookalike::BrandIndex> index =
      lookalike::BrandIndex::Build({brand});
  ASSERT_TRUE(index.ok()) << index.status();
  Publish(std::make_shared<const lookalike::BrandIndex>(*std::move(index)));
  absl::StatusOr<UrlCheck> acme =
      engine_.CheckUrl("https://contoso-login.com/", "acme");
  ASSERT_TRUE(acme.ok()) << acme.status();
  EXPECT_TRUE(std::any_of(
      acme->verdict.reasons.begin(), acme->verdict.reasons.end(),
      [](const Reason& reason) { return reason.brand == "Contoso"; }));
  // The same host for the global tenant, then for acme again.
  EXPECT_THAT(LookalikeBrands("https://contoso-login.com/"),
              ::testing::IsEmpty());
  EXPECT_EQ(engine_.LookalikeCacheStats().misses, 2);
}

TEST_F(EngineLookalikeCacheTest, ChangedBrandsAreSeenAtOnce) {
  Publish(Index("Contoso"));
  EXPECT_THAT(LookalikeBrands("https://contoso-login.com/"),
              ::testing::ElementsAre("Contoso"));
  // Contoso removed, Fabrikam added: neither answer may come from before.
  Publish(Index("Fabrikam"));
  EXPECT_THAT(LookalikeBrands("https://contoso-login.com/"),
              ::testing::IsEmpty());
  EXPECT_THAT(LookalikeBrands("https://fabrikam-login.com/"),
              ::testing::ElementsAre("Fabrikam"));
  EXPECT_EQ(engine_.LookalikeCacheStats().hits, 0);
  // No brands at all: nothing to match, nothing cached.
  Publish(nullptr);
  EXPECT_THAT(LookalikeBrands("https://fabrikam-login.com/"),
              ::testing::IsEmpty());
}

}  // namespace
}  // namespace lureguard::verdict
