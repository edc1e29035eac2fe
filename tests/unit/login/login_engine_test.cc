#include "server/login/login_engine.h"

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/entry_value.h"
#include "server/login/redis_counter_store.h"
#include "server/login/sliding_window_counters.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/redis_test_server.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::login {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using verdict::Action;
using verdict::ReasonCode;

store::ListEntryRecord Entry(absl::string_view value, store::ListType list) {
  absl::StatusOr<lists::EntryValue> normalized =
      lists::NormalizeEntryValue(value, std::nullopt);
  EXPECT_TRUE(normalized.ok()) << normalized.status();
  store::ListEntryRecord record;
  record.list = list;
  record.kind = normalized->kind;
  record.value = normalized->value;
  record.reason = "test";
  return record;
}

bool HasReason(const LoginCheck& check, ReasonCode code) {
  for (const verdict::Reason& reason : check.verdict.reasons) {
    if (reason.code == code) return true;
  }
  return false;
}

const verdict::Reason* FindReason(const LoginCheck& check, ReasonCode code) {
  for (const verdict::Reason& reason : check.verdict.reasons) {
    if (reason.code == code) return &reason;
  }
  return nullptr;
}

// Every test runs over both counter stores: in memory, and Redis (a real
// redis-server started for the suite, flushed before each test).
enum class Backend { kMemory, kRedis };

class LoginEngineTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RedisTestServer>> redis =
        testing::RedisTestServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = redis->release();
  }
  static void TearDownTestSuite() {
    delete redis_;
    redis_ = nullptr;
  }

  static std::unique_ptr<CounterStore> MakeCounters() {
    if (GetParam() == Backend::kMemory) {
      return std::make_unique<SlidingWindowCounters>(
          SlidingWindowCounters::Options{.max_bytes = 4 << 20});
    }
    EXPECT_NE(redis_, nullptr);
    if (redis_ == nullptr) return nullptr;
    EXPECT_TRUE(redis_->Command({"FLUSHALL"}).ok());
    RedisCounterStore::Options options;
    options.url = redis_->url();
    options.hash_key = std::string(32, 'k');
    options.backoff_max = absl::Milliseconds(200);
    // The engine's clock is fake; reconnection backoff runs on real time.
    absl::StatusOr<std::unique_ptr<RedisCounterStore>> store =
        RedisCounterStore::Create(options, SystemClock());
    EXPECT_TRUE(store.ok()) << store.status();
    return *std::move(store);
  }

  LoginEngineTest() {
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    snapshot->lists = lists::ListSnapshot::Build(
        {Entry("evil-login.test", store::ListType::kBlock),
         Entry("203.0.113.0/24", store::ListType::kBlock),
         Entry("203.0.113.77", store::ListType::kAllow)});
    lookalike::Brand acme;
    acme.name = "Acme";
    acme.domains = {"acmebank.com"};
    lookalike::Brand paypal;
    paypal.name = "PayPal";
    paypal.domains = {"paypal.com"};
    absl::StatusOr<lookalike::BrandIndex> brands =
        lookalike::BrandIndex::Build({acme, paypal});
    EXPECT_TRUE(brands.ok()) << brands.status();
    snapshot->brands =
        std::make_shared<const lookalike::BrandIndex>(*std::move(brands));
    verdicts_.Publish(std::move(snapshot));
  }

  LoginOptions DefaultOptions() {
    LoginOptions options;
    options.breached_password_path = dir_.path() + "/breached.lgpw";
    LoginTenant& tenant = options.tenants["acme"];
    tenant.brand = "Acme";
    tenant.login_hosts = {"login.acmebank.com"};
    options.non_browser_tls_fingerprints = {
        "e7d705a3286e19ea42f587b344ee6865"};  // a curl JA3
    return options;
  }

  // Replaces the lists by an allow list of `host`, keeping the brands.
  void AllowListOnly(absl::string_view host) {
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    snapshot->lists =
        lists::ListSnapshot::Build({Entry(host, store::ListType::kAllow)});
    snapshot->brands = verdicts_.snapshot()->brands;
    verdicts_.Publish(std::move(snapshot));
  }

  LoginEngine& Engine(LoginOptions options) {
    engine_ = std::make_unique<LoginEngine>(
        verdicts_, *counters_, *KeyedHasher::Create(std::string(32, 'k')),
        std::move(options), /*store=*/nullptr, clock_);
    EXPECT_TRUE(engine_->Load().ok());
    return *engine_;
  }
  LoginEngine& Engine() { return Engine(DefaultOptions()); }

  LoginCheck Check(LoginAttempt attempt) {
    if (attempt.tenant.empty()) attempt.tenant = "acme";
    absl::StatusOr<LoginCheck> check = engine_->Check(attempt);
    EXPECT_TRUE(check.ok()) << check.status();
    return check.value_or(LoginCheck{});
  }

  void Fail(absl::string_view user, absl::string_view ip, int times = 1) {
    for (int i = 0; i < times; ++i) {
      ASSERT_TRUE(
          engine_->Report("acme", user, ip, LoginResult::kBadPassword).ok());
    }
  }

  testing::TempDir dir_;
  FakeClock clock_;
  verdict::Engine verdicts_{clock_};
  static testing::RedisTestServer* redis_;
  std::unique_ptr<CounterStore> counters_ = MakeCounters();
  std::unique_ptr<LoginEngine> engine_;
};

testing::RedisTestServer* LoginEngineTest::redis_ = nullptr;

TEST_P(LoginEngineTest, ALoginFromTheTenantsOwnOriginIsAllowed) {
  Engine();
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .origin = "https://login.acmebank.com",
                            .referer = "https://login.acmebank.com/signin"});
  EXPECT_EQ(check.verdict.action, Action::kAllow);
  EXPECT_TRUE(check.verdict.reasons.empty());
  ASSERT_EQ(check.counters.size(), 4u);
  EXPECT_EQ(check.counters[0].name, "user_ip_failures");
  EXPECT_EQ(check.counters[0].threshold, 10);
  EXPECT_EQ(check.verdict.cache_ttl, absl::ZeroDuration());
  EXPECT_EQ(check.verdict.verdict_id.size(), 32u);
}

TEST_P(LoginEngineTest, AnOriginImitatingTheIdpsOwnBrandIsBlocked) {
  Engine();
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .origin = "https://acmebank-secure-login.com"});
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginAitmOrigin);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->brand, "Acme");
  EXPECT_EQ(reason->weight, 1.0);
  EXPECT_EQ(reason->matched, "acmebank-secure-login.com");
  EXPECT_THAT(reason->detail, HasSubstr("the identity provider's own brand"));
}

TEST_P(LoginEngineTest, ABlockListedRefererIsBlocked) {
  Engine();
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .referer = "https://www.evil-login.test/acme"});
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginAitmOrigin);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->technique, "blocklisted-origin");
  EXPECT_EQ(reason->matched, "evil-login.test");
}

TEST_P(LoginEngineTest, AnUnlistedOriginIsChallenged) {
  Engine();
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .origin = "https://sso.partner.example"});
  EXPECT_EQ(check.verdict.action, Action::kChallenge);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginAitmOrigin);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->technique, "unlisted-origin");
  // A tenant without configured origins accepts any origin.
  LoginCheck global = Check({.tenant = "globex",
                             .username = "alice",
                             .client_ip = "198.51.100.7",
                             .origin = "https://sso.partner.example"});
  EXPECT_EQ(global.verdict.action, Action::kAllow);
}

TEST_P(LoginEngineTest, AListedClientIpOrForwardedHopIsChallenged) {
  Engine();
  LoginCheck direct = Check({.username = "alice", .client_ip = "203.0.113.9"});
  EXPECT_EQ(direct.verdict.action, Action::kChallenge);
  const verdict::Reason* reason =
      FindReason(direct, ReasonCode::kLoginIpListed);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->matched, "203.0.113.0/24");
  LoginCheck forwarded = Check({.username = "alice",
                                .client_ip = "198.51.100.7",
                                .forwarded_for = {"203.0.113.10"}});
  EXPECT_TRUE(HasReason(forwarded, ReasonCode::kLoginIpListed));
  // The allow list wins for an address inside a listed range.
  LoginCheck allowed =
      Check({.username = "alice", .client_ip = "203.0.113.77"});
  EXPECT_EQ(allowed.verdict.action, Action::kAllow);
}

TEST_P(LoginEngineTest, TenFailuresPerUserAndIpBlockUntilTheWindowSlides) {
  Engine();
  Fail("alice", "198.51.100.7", 9);
  EXPECT_EQ(
      Check({.username = "alice", .client_ip = "198.51.100.7"}).verdict.action,
      Action::kAllow);
  Fail("Alice", "198.51.100.7");  // same user, other case
  LoginCheck blocked =
      Check({.username = "alice", .client_ip = "198.51.100.7"});
  EXPECT_EQ(blocked.verdict.action, Action::kBlock);
  EXPECT_TRUE(HasReason(blocked, ReasonCode::kLoginBruteForce));
  EXPECT_EQ(blocked.counters[0].count, 10);
  EXPECT_GT(blocked.retry_after, absl::ZeroDuration());
  EXPECT_LE(blocked.retry_after, absl::Hours(1));
  // Another IP, or another user, is not throttled by this pair.
  EXPECT_EQ(
      Check({.username = "alice", .client_ip = "198.51.100.8"}).verdict.action,
      Action::kAllow);
  EXPECT_EQ(
      Check({.username = "bob", .client_ip = "198.51.100.7"}).verdict.action,
      Action::kAllow);
  // After retry_after the window has slid past the failures.
  clock_.Advance(blocked.retry_after);
  EXPECT_EQ(
      Check({.username = "alice", .client_ip = "198.51.100.7"}).verdict.action,
      Action::kAllow);
}

TEST_P(LoginEngineTest, ASuccessResetsTheUsersOwnCounters) {
  Engine();
  Fail("alice", "198.51.100.7", 10);
  ASSERT_TRUE(
      engine_->Report("acme", "alice", "198.51.100.7", LoginResult::kSuccess)
          .ok());
  LoginCheck check = Check({.username = "alice", .client_ip = "198.51.100.7"});
  EXPECT_EQ(check.verdict.action, Action::kAllow);
  EXPECT_EQ(check.counters[0].count, 0);   // user and IP
  EXPECT_EQ(check.counters[2].count, 10);  // the IP's own failures stay
}

TEST_P(LoginEngineTest, CountersAreReadForExactlyOneIpOrUsername) {
  Engine();
  Fail("alice", "198.51.100.7", 3);
  absl::StatusOr<std::vector<CounterReading>> by_ip =
      engine_->Counters("acme", "198.51.100.7", "");
  ASSERT_TRUE(by_ip.ok()) << by_ip.status();
  EXPECT_THAT(*by_ip,
              ElementsAre(Field(&CounterReading::name, "ip_distinct_users"),
                          Field(&CounterReading::name, "ip_failures")));
  EXPECT_EQ((*by_ip)[0].count, 1);
  EXPECT_EQ((*by_ip)[1].count, 3);
  absl::StatusOr<std::vector<CounterReading>> by_user =
      engine_->Counters("acme", "", "alice");
  ASSERT_TRUE(by_user.ok()) << by_user.status();
  EXPECT_THAT(*by_user,
              ElementsAre(Field(&CounterReading::name, "user_failures")));
  EXPECT_EQ((*by_user)[0].count, 3);
  const absl::Status neither_or_both = absl::InvalidArgumentError(
      "client_ip: give exactly one of client_ip and username");
  EXPECT_EQ(engine_->Counters("acme", "", "").status(), neither_or_both);
  EXPECT_EQ(engine_->Counters("acme", "198.51.100.7", "alice").status(),
            neither_or_both);
  EXPECT_EQ(engine_->Counters("acme", "not-an-ip", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(LoginEngineTest, DistinctUsersFailingFromOneIpAreChallengedThenBlocked) {
  Engine();
  for (int i = 0; i < 5; ++i) Fail(absl::StrCat("user", i), "198.51.100.9", 2);
  LoginCheck challenged =
      Check({.username = "newcomer", .client_ip = "198.51.100.9"});
  EXPECT_EQ(challenged.verdict.action, Action::kChallenge);
  EXPECT_TRUE(HasReason(challenged, ReasonCode::kLoginPasswordSpray));
  EXPECT_EQ(challenged.counters[1].name, "ip_distinct_users");
  EXPECT_EQ(challenged.counters[1].count, 5);  // users, not failures
  for (int i = 5; i < 20; ++i) Fail(absl::StrCat("user", i), "198.51.100.9");
  LoginCheck blocked =
      Check({.username = "newcomer", .client_ip = "198.51.100.9"});
  EXPECT_EQ(blocked.verdict.action, Action::kBlock);
  EXPECT_GT(blocked.retry_after, absl::ZeroDuration());
  // Spraying from one IP does not touch another.
  EXPECT_EQ(Check({.username = "newcomer", .client_ip = "198.51.100.10"})
                .verdict.action,
            Action::kAllow);
}

TEST_P(LoginEngineTest, AHundredFailuresFromOneIpInADayBlockIt) {
  LoginOptions options = DefaultOptions();
  options.brute_force_failures = 1000;  // isolate the per-IP count
  options.spray_challenge_users = 1000;
  options.spray_block_users = 1000;
  Engine(std::move(options));
  for (int i = 0; i < 99; ++i) {
    Fail(absl::StrCat("user", i % 7), "198.51.100.11");
    clock_.Advance(absl::Minutes(10));  // spread over 16.5 hours
  }
  EXPECT_EQ(
      Check({.username = "x", .client_ip = "198.51.100.11"}).verdict.action,
      Action::kAllow);
  Fail("user0", "198.51.100.11");
  LoginCheck blocked = Check({.username = "x", .client_ip = "198.51.100.11"});
  EXPECT_EQ(blocked.verdict.action, Action::kBlock);
  EXPECT_TRUE(HasReason(blocked, ReasonCode::kLoginIpDailyFailures));
  EXPECT_GT(blocked.retry_after, absl::ZeroDuration());
  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(
      Check({.username = "x", .client_ip = "198.51.100.11"}).verdict.action,
      Action::kAllow);
}

TEST_P(LoginEngineTest, AHundredFailuresAcrossIpsPutTheAccountUnderAttack) {
  Engine();
  for (int i = 0; i < 100; ++i) {
    Fail("alice", absl::StrCat("198.18.", i / 250, ".", i % 250 + 1));
  }
  LoginCheck check = Check({.username = "alice", .client_ip = "198.51.100.12"});
  EXPECT_EQ(check.verdict.action, Action::kChallenge);
  EXPECT_TRUE(HasReason(check, ReasonCode::kLoginAccountUnderAttack));
  EXPECT_EQ(check.counters[3].count, 100);
  EXPECT_EQ(
      Check({.username = "bob", .client_ip = "198.51.100.12"}).verdict.action,
      Action::kAllow);
}

TEST_P(LoginEngineTest, ABreachedPasswordIsChallengedAndForcesAReset) {
  Engine();
  BreachedPasswordImporter importer({.work_dir = dir_.path()});
  ASSERT_TRUE(
      importer.Add("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824\n").ok());
  ASSERT_EQ(*engine_->ImportBreachedPasswords(importer), 1);
  LoginCheck check =
      Check({.username = "alice",
             .client_ip = "198.51.100.7",
             .password_sha1 = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"});
  EXPECT_EQ(check.verdict.action, Action::kChallenge);
  EXPECT_TRUE(check.force_password_reset);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginBreachedPassword);
  ASSERT_NE(reason, nullptr);
  EXPECT_THAT(reason->detail, HasSubstr("9545824 times"));
  LoginCheck clean =
      Check({.username = "alice",
             .client_ip = "198.51.100.7",
             .password_sha1 = "0000000000000000000000000000000000000000"});
  EXPECT_EQ(clean.verdict.action, Action::kAllow);
  EXPECT_FALSE(clean.force_password_reset);
}

// Two engines on one store stand for two replicas (issue #17): with the
// breached-password file on a path both share, an import through one is
// served by the other after its next look at the store, and the next
// import through the other merges into it.
TEST_P(LoginEngineTest, ReplicasSharingTheFileServeEachOthersImports) {
  absl::StatusOr<std::unique_ptr<store::Store>> db =
      store::OpenSqliteStore(dir_.path() + "/lureguard.db");
  ASSERT_TRUE(db.ok()) << db.status();
  auto make = [&] {
    auto engine = std::make_unique<LoginEngine>(
        verdicts_, *counters_, *KeyedHasher::Create(std::string(32, 'k')),
        DefaultOptions(), db->get(), clock_);
    EXPECT_TRUE(engine->Load().ok());
    return engine;
  };
  std::unique_ptr<LoginEngine> a = make();
  std::unique_ptr<LoginEngine> b = make();
  BreachedPasswordImporter first({.work_dir = dir_.path()});
  ASSERT_TRUE(first.Add("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:3\n").ok());
  ASSERT_EQ(*a->ImportBreachedPasswords(first), 1);
  EXPECT_EQ(b->breached_passwords(), nullptr);
  ASSERT_TRUE(b->ReloadBreachedPasswords().ok());
  ASSERT_NE(b->breached_passwords(), nullptr);
  EXPECT_EQ(*b->PasswordRange("5BAA6", false),
            "1E4C9B93F3F0682250B6CF8331B7EE68FD8:3");

  clock_.Advance(absl::Seconds(5));
  BreachedPasswordImporter second({.work_dir = dir_.path()});
  ASSERT_TRUE(second.Add("7C4A8D09CA3762AF61E59520943DC26494F8941B:2\n").ok());
  ASSERT_EQ(*b->ImportBreachedPasswords(second), 2);  // merged with a's
  ASSERT_TRUE(a->ReloadBreachedPasswords().ok());
  EXPECT_EQ(a->breached_passwords()->size(), 2);
  EXPECT_EQ(*a->PasswordRange("7C4A8", false),
            "D09CA3762AF61E59520943DC26494F8941B:2");
}

// An import through the other replica recorded while this one merged: this
// one is dropped (Aborted) rather than renamed over it, so neither loses
// hashes silently; imported again, it merges into the other's.
TEST_P(LoginEngineTest, AnImportOvertakenByAnotherReplicasIsDroppedNotLost) {
  absl::StatusOr<std::unique_ptr<store::Store>> db =
      store::OpenSqliteStore(dir_.path() + "/lureguard.db");
  ASSERT_TRUE(db.ok()) << db.status();
  LoginEngine a(verdicts_, *counters_,
                *KeyedHasher::Create(std::string(32, 'k')), DefaultOptions(),
                db->get(), clock_);
  LoginEngine b(verdicts_, *counters_,
                *KeyedHasher::Create(std::string(32, 'k')), DefaultOptions(),
                db->get(), clock_);
  ASSERT_TRUE(a.Load().ok());
  ASSERT_TRUE(b.Load().ok());
  BreachedPasswordImporter seed({.work_dir = dir_.path()});
  ASSERT_TRUE(seed.Add("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:3\n").ok());
  ASSERT_TRUE(a.ImportBreachedPasswords(seed).ok());

  BreachedPasswordImporter through_a({.work_dir = dir_.path()});
  ASSERT_TRUE(
      through_a.Add("7C4A8D09CA3762AF61E59520943DC26494F8941B:2\n").ok());
  bool overtaken = false;
  absl::StatusOr<int64_t> imported = a.ImportBreachedPasswords(through_a, [&] {
    if (!overtaken) {  // b's import runs and records during a's merge
      overtaken = true;
      BreachedPasswordImporter through_b({.work_dir = dir_.path()});
      EXPECT_TRUE(
          through_b.Add("B1B3773A05C0ED0176787A4F1574FF0075F7521E:7\n").ok());
      EXPECT_EQ(*b.ImportBreachedPasswords(through_b), 2);
    }
    return true;
  });
  ASSERT_TRUE(overtaken);
  EXPECT_EQ(imported.status().code(), absl::StatusCode::kAborted)
      << imported.status();
  EXPECT_THAT(imported.status().message(), HasSubstr("import the file again"));
  ASSERT_TRUE(a.ReloadBreachedPasswords().ok());
  EXPECT_EQ(a.breached_passwords()->size(), 2);  // b's import stands

  BreachedPasswordImporter again({.work_dir = dir_.path()});
  ASSERT_TRUE(again.Add("7C4A8D09CA3762AF61E59520943DC26494F8941B:2\n").ok());
  EXPECT_EQ(*a.ImportBreachedPasswords(again), 3);
  // No staged file is left beside the shared one.
  int files = 0;
  for (const auto& file : std::filesystem::directory_iterator(dir_.path())) {
    if (absl::StartsWith(file.path().filename().string(), "breached.lgpw")) {
      ++files;
    }
  }
  EXPECT_EQ(files, 1);
}

// A replica whose path is not the shared file (its own disk) keeps
// answering from its own file and refuses imports, naming the field.
TEST_P(LoginEngineTest,
       AReplicaWithoutTheSharedFileRefusesImportsNamingThePath) {
  absl::StatusOr<std::unique_ptr<store::Store>> db =
      store::OpenSqliteStore(dir_.path() + "/lureguard.db");
  ASSERT_TRUE(db.ok()) << db.status();
  LoginEngine a(verdicts_, *counters_,
                *KeyedHasher::Create(std::string(32, 'k')), DefaultOptions(),
                db->get(), clock_);
  LoginOptions elsewhere = DefaultOptions();
  elsewhere.breached_password_path = dir_.path() + "/own-disk.lgpw";
  LoginEngine b(verdicts_, *counters_,
                *KeyedHasher::Create(std::string(32, 'k')),
                std::move(elsewhere), db->get(), clock_);
  ASSERT_TRUE(a.Load().ok());
  ASSERT_TRUE(b.Load().ok());
  BreachedPasswordImporter first({.work_dir = dir_.path()});
  ASSERT_TRUE(first.Add("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:3\n").ok());
  ASSERT_TRUE(a.ImportBreachedPasswords(first).ok());

  ASSERT_TRUE(b.ReloadBreachedPasswords().ok());
  EXPECT_EQ(b.breached_passwords(), nullptr);
  BreachedPasswordImporter second({.work_dir = dir_.path()});
  ASSERT_TRUE(second.Add("7C4A8D09CA3762AF61E59520943DC26494F8941B:2\n").ok());
  absl::StatusOr<int64_t> refused = b.ImportBreachedPasswords(second);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("login.breached_password_path: the file at '"));
  EXPECT_THAT(refused.status().message(),
              HasSubstr("every replica needs the path on a volume"));
}

TEST_P(LoginEngineTest, ABrowserUserAgentOverANonBrowserTlsClientIsChallenged) {
  Engine();
  LoginCheck check = Check(
      {.username = "alice",
       .client_ip = "198.51.100.7",
       .user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120",
       .tls_fingerprint = "E7D705A3286E19EA42F587B344EE6865"});
  EXPECT_EQ(check.verdict.action, Action::kChallenge);
  EXPECT_TRUE(HasReason(check, ReasonCode::kLoginClientMismatch));
  // Honest curl is not a mismatch.
  EXPECT_EQ(Check({.username = "alice",
                   .client_ip = "198.51.100.7",
                   .user_agent = "curl/8.4.0",
                   .tls_fingerprint = "e7d705a3286e19ea42f587b344ee6865"})
                .verdict.action,
            Action::kAllow);
}

// A kit in the Evilginx mould relays the victim's login with Origin,
// Referer and Host rewritten to the genuine login host: the origin checks
// see the genuine host and stay silent. What still sees the relay is its
// own TLS client and its address.
TEST_P(LoginEngineTest,
       AReverseProxyKitRewritingItsHeadersIsSeenOnlyByItsClient) {
  Engine();
  LoginAttempt relayed = {
      .username = "alice",
      .client_ip = "203.0.113.9",  // the relay's host, in a listed range
      .user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120",
      .origin = "https://login.acmebank.com",
      .referer = "https://login.acmebank.com/signin",
      .request_host = "login.acmebank.com",
      .tls_fingerprint = "e7d705a3286e19ea42f587b344ee6865"};
  LoginCheck check = Check(relayed);
  EXPECT_FALSE(HasReason(check, ReasonCode::kLoginAitmOrigin));
  EXPECT_TRUE(HasReason(check, ReasonCode::kLoginClientMismatch));
  EXPECT_TRUE(HasReason(check, ReasonCode::kLoginIpListed));
  EXPECT_EQ(check.verdict.action, Action::kChallenge);

  // A relay with a browser's TLS stack on an unlisted address leaves
  // CheckLogin nothing to see: only the login-page beacon (an alert naming
  // the relay's host) and the failure counters of its one address remain.
  relayed.client_ip = "198.51.100.20";
  relayed.tls_fingerprint = "";
  check = Check(relayed);
  EXPECT_EQ(check.verdict.action, Action::kAllow);
  EXPECT_TRUE(check.verdict.reasons.empty());
}

TEST_P(LoginEngineTest, TheBeaconFlagsAHostServingTheLoginPage) {
  Engine();
  absl::StatusOr<std::optional<BeaconAlert>> own =
      engine_->RecordBeacon("acme", "https://login.acmebank.com/signin");
  ASSERT_TRUE(own.ok());
  EXPECT_FALSE(own->has_value());
  absl::StatusOr<std::optional<BeaconAlert>> proxied =
      engine_->RecordBeacon("acme", "https://login.acme-bank.example/signin");
  ASSERT_TRUE(proxied.ok());
  ASSERT_TRUE(proxied->has_value());
  EXPECT_EQ((*proxied)->host, "login.acme-bank.example");
  EXPECT_EQ((*proxied)->brand, "Acme");
  EXPECT_TRUE((*proxied)->first_seen);
  EXPECT_FALSE(
      (*engine_->RecordBeacon("acme", "https://login.acme-bank.example/other"))
          ->first_seen);
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .referer = "https://login.acme-bank.example/"});
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginOriginBeacon);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->matched, "login.acme-bank.example");
  // Without a referer or configured origins nothing can be told.
  EXPECT_FALSE(engine_->RecordBeacon("acme", "")->has_value());
  EXPECT_FALSE(
      engine_->RecordBeacon("globex", "https://x.example/")->has_value());
}

TEST_P(LoginEngineTest, BeaconFlagsPersistInTheStoreAcrossRestarts) {
  absl::StatusOr<std::unique_ptr<store::Store>> db =
      store::OpenSqliteStore(dir_.path() + "/lureguard.db");
  ASSERT_TRUE(db.ok()) << db.status();
  {
    LoginEngine engine(verdicts_, *counters_,
                       *KeyedHasher::Create(std::string(32, 'k')),
                       DefaultOptions(), db->get(), clock_);
    ASSERT_TRUE(engine.Load().ok());
    ASSERT_TRUE(
        engine.RecordBeacon("acme", "https://acmebank.evil-proxy.example/")
            .ok());
  }
  LoginEngine restarted(verdicts_, *counters_,
                        *KeyedHasher::Create(std::string(32, 'k')),
                        DefaultOptions(), db->get(), clock_);
  ASSERT_TRUE(restarted.Load().ok());
  absl::StatusOr<LoginCheck> check =
      restarted.Check({.tenant = "acme",
                       .username = "alice",
                       .client_ip = "198.51.100.7",
                       .origin = "https://acmebank.evil-proxy.example"});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(HasReason(*check, ReasonCode::kLoginOriginBeacon));
  // Another tenant's flag does not leak.
  absl::StatusOr<LoginCheck> other =
      restarted.Check({.tenant = "globex",
                       .username = "alice",
                       .client_ip = "198.51.100.7",
                       .origin = "https://acmebank.evil-proxy.example"});
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(HasReason(*other, ReasonCode::kLoginOriginBeacon));
}

// Issue #16: one unauthenticated hit with a forged Referer must not make
// logins through a host BLOCK. Alone, a flag only challenges.
TEST_P(LoginEngineTest, AForgedBeaconAloneChallengesAndNeverBlocks) {
  Engine();
  absl::StatusOr<std::optional<BeaconAlert>> forged = engine_->RecordBeacon(
      "acme", "https://sso.partner.example/", "203.0.113.9");
  ASSERT_TRUE(forged.ok()) << forged.status();
  ASSERT_TRUE(forged->has_value());
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .origin = "https://sso.partner.example"});
  EXPECT_EQ(check.verdict.action, Action::kChallenge);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginOriginBeacon);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->weight, 0.5);
  EXPECT_THAT(reason->detail, HasSubstr("a beacon hit alone can be forged"));
}

// Corroboration: the same flag on a host that is also a lookalike blocks,
// where the lookalike alone only challenges.
TEST_P(LoginEngineTest, ABeaconFlagOnALookalikeHostBlocks) {
  Engine();
  LoginAttempt attempt{.username = "alice",
                       .client_ip = "198.51.100.7",
                       .origin = "https://paypall.net"};
  EXPECT_EQ(Check(attempt).verdict.action, Action::kChallenge);
  ASSERT_TRUE(
      engine_->RecordBeacon("acme", "https://paypall.net/", "203.0.113.9")
          .ok());
  LoginCheck check = Check(attempt);
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginOriginBeacon);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->weight, 1.0);
  EXPECT_EQ(reason->brand, "PayPal");
}

// The other corroboration: a certificate-transparency alert on the host.
TEST_P(LoginEngineTest, ABeaconFlagOnAHostWithACtAlertBlocks) {
  store::AlertRecord alert;
  alert.id = 1;
  alert.name = "sso.partner.example";
  alert.brand = "Acme";
  alert.technique = "combosquat";
  alert.weight = 0.3;
  alert.create_time = clock_.Now();
  auto snapshot = std::make_shared<verdict::EngineSnapshot>();
  snapshot->brands = verdicts_.snapshot()->brands;
  snapshot->ct_alerts = std::make_shared<const certs::AlertedHosts>(
      certs::AlertedHosts::Build({alert}));
  verdicts_.Publish(std::move(snapshot));
  Engine();
  ASSERT_TRUE(
      engine_
          ->RecordBeacon("acme", "https://sso.partner.example/", "203.0.113.9")
          .ok());
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .origin = "https://sso.partner.example"});
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginOriginBeacon);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->weight, 1.0);
}

TEST_P(LoginEngineTest, AllowListedAndBrandHostsAreNeverFlaggedNorPenalised) {
  AllowListOnly("partner-sso.example");
  Engine();
  for (const char* referer :
       {"https://partner-sso.example/login", "https://www.acmebank.com/",
        "https://acmebank.com/signin", "https://login.acmebank.com/"}) {
    absl::StatusOr<std::optional<BeaconAlert>> hit =
        engine_->RecordBeacon("acme", referer, "203.0.113.9");
    ASSERT_TRUE(hit.ok()) << referer << ": " << hit.status();
    EXPECT_FALSE(hit->has_value()) << referer;
  }
  EXPECT_TRUE(engine_->beacon_flags().List(std::nullopt).empty());
  for (const char* origin :
       {"https://partner-sso.example", "https://www.acmebank.com"}) {
    LoginCheck check = Check(
        {.username = "alice", .client_ip = "198.51.100.7", .origin = origin});
    EXPECT_EQ(check.verdict.action, Action::kAllow) << origin;
    EXPECT_TRUE(check.verdict.reasons.empty()) << origin;
  }
}

// A flag recorded before the host was allow-listed no longer counts.
TEST_P(LoginEngineTest, TheAllowListBeatsAnExistingFlag) {
  Engine();
  ASSERT_TRUE(
      engine_
          ->RecordBeacon("acme", "https://partner-sso.example/", "203.0.113.9")
          .ok());
  AllowListOnly("partner-sso.example");
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .origin = "https://partner-sso.example"});
  EXPECT_EQ(check.verdict.action, Action::kAllow);
  EXPECT_FALSE(HasReason(check, ReasonCode::kLoginOriginBeacon));
}

TEST_P(LoginEngineTest, ABeaconFlagExpiresAfterItsTtl) {
  LoginOptions options = DefaultOptions();
  options.beacon.ttl = absl::Hours(24);
  Engine(options);
  ASSERT_TRUE(
      engine_->RecordBeacon("acme", "https://paypall.net/", "203.0.113.9")
          .ok());
  LoginAttempt attempt{.username = "alice",
                       .client_ip = "198.51.100.7",
                       .origin = "https://paypall.net"};
  EXPECT_EQ(Check(attempt).verdict.action, Action::kBlock);
  clock_.Advance(absl::Hours(24));
  LoginCheck check = Check(attempt);
  EXPECT_FALSE(HasReason(check, ReasonCode::kLoginOriginBeacon));
  EXPECT_EQ(check.verdict.action, Action::kChallenge);
}

TEST_P(LoginEngineTest, BeaconHitsOverTheClientIpLimitAreRefused) {
  LoginOptions options = DefaultOptions();
  options.beacon.per_client_ip = {.rate = 1.0 / 60, .burst = 2};
  Engine(options);
  ASSERT_TRUE(
      engine_->RecordBeacon("acme", "https://a.example/", "203.0.113.9").ok());
  ASSERT_TRUE(
      engine_->RecordBeacon("acme", "https://b.example/", "203.0.113.9").ok());
  EXPECT_EQ(engine_->RecordBeacon("acme", "https://c.example/", "203.0.113.9")
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);
  // Hits from the tenant's own origin cost nothing and are never refused.
  absl::StatusOr<std::optional<BeaconAlert>> own = engine_->RecordBeacon(
      "acme", "https://login.acmebank.com/", "203.0.113.9");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_FALSE(own->has_value());
}

// Flags of earlier versions were kept as records with no expiry and may
// have been forged: they are not read.
TEST_P(LoginEngineTest, FlagsStoredAsRecordsByEarlierVersionsAreNotRead) {
  absl::StatusOr<std::unique_ptr<store::Store>> db =
      store::OpenSqliteStore(dir_.path() + "/lureguard.db");
  ASSERT_TRUE(db.ok()) << db.status();
  store::StoredRecord old;
  old.collection = "login_beacon";
  old.tenant = "acme";
  old.name = "sso.partner.example";
  old.payload = "Acme\treverse-proxy";
  ASSERT_TRUE((*db)->PutRecord(old, /*affects_snapshot=*/false).ok());
  LoginEngine engine(verdicts_, *counters_,
                     *KeyedHasher::Create(std::string(32, 'k')),
                     DefaultOptions(), db->get(), clock_);
  ASSERT_TRUE(engine.Load().ok());
  EXPECT_TRUE(engine.beacon_flags().List(std::nullopt).empty());
  absl::StatusOr<LoginCheck> check =
      engine.Check({.tenant = "acme",
                    .username = "alice",
                    .client_ip = "198.51.100.7",
                    .origin = "https://sso.partner.example"});
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(HasReason(*check, ReasonCode::kLoginOriginBeacon));
}

TEST_P(LoginEngineTest, AfterAPassedSecondFactorAChallengeIsMoot) {
  Engine();
  LoginAttempt attempt{.username = "alice",
                       .client_ip = "198.51.100.7",
                       .origin = "https://sso.partner.example"};
  EXPECT_EQ(Check(attempt).verdict.action, Action::kChallenge);
  attempt.stage = LoginStage::kAfterMfa;
  LoginCheck after = Check(attempt);
  EXPECT_EQ(after.verdict.action, Action::kAllow);
  EXPECT_TRUE(HasReason(after, ReasonCode::kLoginAitmOrigin));
  // A block is not lifted by a second factor: the kit relays it.
  attempt.origin = "https://acmebank-secure-login.com";
  EXPECT_EQ(Check(attempt).verdict.action, Action::kBlock);
}

TEST_P(LoginEngineTest, BadFieldsAreInvalidArgumentNamingTheField) {
  Engine();
  struct Case {
    LoginAttempt attempt;
    std::string field;
  } cases[] = {
      {{.username = "", .client_ip = "198.51.100.7"}, "username: "},
      {{.username = "alice", .client_ip = ""}, "client_ip: "},
      {{.username = "alice", .client_ip = "300.1.1.1"}, "client_ip: "},
      {{.username = std::string(513, 'a'), .client_ip = "198.51.100.7"},
       "username: "},
      {{.username = "alice",
        .client_ip = "198.51.100.7",
        .password_sha1 = "password"},
       "password_sha1: "},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LoginCheck> check = engine_->Check(c.attempt);
    EXPECT_EQ(check.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(check.status().message()),
                ::testing::StartsWith(c.field));
  }
  EXPECT_THAT(engine_->Check({.username = "alice", .client_ip = "300.1.1.1"})
                  .status()
                  .message(),
              ::testing::Not(HasSubstr("alice")));
}

TEST_P(LoginEngineTest, AnEvictedInMemoryCounterMakesTheVerdictDegraded) {
  SlidingWindowCounters tiny({.max_bytes = 64 << 10});
  LoginEngine engine(verdicts_, tiny,
                     *KeyedHasher::Create(std::string(32, 'k')),
                     DefaultOptions(), nullptr, clock_);
  ASSERT_TRUE(engine.Load().ok());
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(engine
                    .Report("acme", absl::StrCat("u", i),
                            absl::StrCat("10.0.", i / 250, ".", i % 250),
                            LoginResult::kBadPassword)
                    .ok());
  }
  ASSERT_GT(tiny.Evictions(), 0);
  absl::StatusOr<LoginCheck> check = engine.Check(
      {.tenant = "acme", .username = "u0", .client_ip = "10.0.0.0"});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->verdict.degraded);
  bool any_evicted = false;
  for (const CounterReading& reading : check->counters) {
    any_evicted |= reading.evicted;
  }
  EXPECT_TRUE(any_evicted);
}

// What Redis sees of the engine's work.
class LoginEngineRedisTest : public LoginEngineTest {};

TEST_P(LoginEngineRedisTest, ACheckIsOneRoundTripAndAReportAtMostTwo) {
  Engine();
  Fail("alice", "198.51.100.7");  // connects, loads the script
  auto calls = [&] {
    // "cmdstat_evalsha:calls=1,..." lines. Redis counts the commands a
    // script runs too; those, and the test's CONFIG and INFO, are not
    // round trips of the engine.
    absl::StatusOr<std::string> stats =
        redis_->Command({"INFO", "commandstats"});
    EXPECT_TRUE(stats.ok()) << stats.status();
    int64_t total = 0;
    for (absl::string_view line : absl::StrSplit(stats.value_or(""), '\n')) {
      if (!absl::StartsWith(line, "cmdstat_")) continue;
      const absl::string_view name = line.substr(8, line.find(':') - 8);
      if (name == "hgetall" || name == "hincrby" || name == "hdel" ||
          name == "pexpire" || name == "del" || name == "info" ||
          absl::StartsWith(name, "config|")) {
        continue;
      }
      const size_t at = line.find("calls=");
      int64_t n = 0;
      EXPECT_TRUE(absl::SimpleAtoi(
          line.substr(at + 6, line.find(',', at) - at - 6), &n))
          << line;
      total += n;
    }
    return total;
  };
  ASSERT_TRUE(redis_->Command({"CONFIG", "RESETSTAT"}).ok());
  Check({.username = "alice", .client_ip = "198.51.100.7"});
  EXPECT_EQ(calls(), 1);
  ASSERT_TRUE(redis_->Command({"CONFIG", "RESETSTAT"}).ok());
  Fail("alice", "198.51.100.7");  // not the first failure: one batch
  EXPECT_EQ(calls(), 1);
  ASSERT_TRUE(redis_->Command({"CONFIG", "RESETSTAT"}).ok());
  Fail("bob", "198.51.100.7");  // bob's first: the spray count too
  EXPECT_EQ(calls(), 2);
}

// Redis going away: the verdict is degraded and says why; fail open judges
// without the counters, fail closed blocks; outcomes cannot be counted;
// Redis coming back heals it all without a new engine.
class LoginEngineRedisOutageTest : public LoginEngineTest {
 protected:
  void StopRedis() { ASSERT_TRUE(redis_->Stop().ok()); }
  void TearDown() override {
    // The next test needs Redis back.
    if (redis_ != nullptr) (void)redis_->Restart();
  }
};

TEST_P(LoginEngineRedisOutageTest, FailOpenJudgesWithoutTheCounters) {
  LoginOptions options = DefaultOptions();
  options.counters_fail_open = true;
  Engine(std::move(options));
  Fail("alice", "198.51.100.7", 10);
  StopRedis();
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .origin = "https://login.acmebank.com"});
  EXPECT_EQ(check.verdict.action, Action::kAllow);
  EXPECT_TRUE(check.verdict.degraded);
  EXPECT_TRUE(check.counters.empty());
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginCountersUnavailable);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->weight, 0);
  EXPECT_THAT(reason->detail, HasSubstr("judged without them"));
  // Other signals still decide.
  EXPECT_EQ(Check({.username = "alice",
                   .client_ip = "198.51.100.7",
                   .origin = "https://acmebank-secure-login.com"})
                .verdict.action,
            Action::kBlock);
}

TEST_P(LoginEngineRedisOutageTest, FailClosedBlocks) {
  Engine();  // counters_fail_open defaults to false
  StopRedis();
  LoginCheck check = Check({.username = "alice",
                            .client_ip = "198.51.100.7",
                            .origin = "https://login.acmebank.com"});
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  EXPECT_TRUE(check.verdict.degraded);
  const verdict::Reason* reason =
      FindReason(check, ReasonCode::kLoginCountersUnavailable);
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->weight, 1);
}

TEST_P(LoginEngineRedisOutageTest, OutcomesAreUnavailableAndARestartHeals) {
  Engine();
  Fail("alice", "198.51.100.7", 9);
  StopRedis();
  EXPECT_EQ(
      engine_
          ->Report("acme", "alice", "198.51.100.7", LoginResult::kBadPassword)
          .status()
          .code(),
      absl::StatusCode::kUnavailable);
  // Redis restarts empty (no persistence in the test): counting resumes
  // from zero once the store has reconnected.
  ASSERT_TRUE(redis_->Restart().ok());
  absl::StatusOr<LoginCheck> check;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  do {
    check = engine_->Check(
        {.tenant = "acme", .username = "alice", .client_ip = "198.51.100.7"});
  } while (check.ok() && check->verdict.degraded && absl::Now() < deadline);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->verdict.degraded);
  EXPECT_EQ(check->verdict.action, Action::kAllow);
  ASSERT_EQ(check->counters.size(), 4u);
  EXPECT_EQ(check->counters[0].count, 0);
  Fail("alice", "198.51.100.7", 10);
  EXPECT_EQ(
      Check({.username = "alice", .client_ip = "198.51.100.7"}).verdict.action,
      Action::kBlock);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, LoginEngineTest,
    ::testing::Values(Backend::kMemory, Backend::kRedis),
    [](const ::testing::TestParamInfo<Backend>& param_info) {
      return param_info.param == Backend::kMemory ? "Memory" : "Redis";
    });
INSTANTIATE_TEST_SUITE_P(Redis, LoginEngineRedisTest,
                         ::testing::Values(Backend::kRedis));
INSTANTIATE_TEST_SUITE_P(Redis, LoginEngineRedisOutageTest,
                         ::testing::Values(Backend::kRedis));

}  // namespace
}  // namespace lureguard::login
