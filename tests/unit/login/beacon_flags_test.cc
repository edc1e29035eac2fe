#include "server/login/beacon_flags.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::login {
namespace {

using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1767225600);

BeaconSighting Sighting(std::string host, std::string tenant = "acme") {
  return {.tenant = std::move(tenant),
          .host = std::move(host),
          .brand = "Acme",
          .technique = "reverse-proxy"};
}

// Limits out of the way unless a test sets them.
BeaconFlagOptions Unlimited() {
  BeaconFlagOptions options;
  options.per_client_ip = {};
  options.per_tenant = {};
  return options;
}

class BeaconFlagsTest : public ::testing::Test {
 protected:
  BeaconFlagsTest() {
    clock_.Set(kStart);
    absl::StatusOr<std::unique_ptr<store::Store>> db =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    EXPECT_TRUE(db.ok()) << db.status();
    store_ = *std::move(db);
  }

  BeaconFlags& Flags(BeaconFlagOptions options) {
    flags_ = std::make_unique<BeaconFlags>(store_.get(), clock_, options);
    EXPECT_TRUE(flags_->Load().ok());
    return *flags_;
  }

  std::vector<store::BeaconFlagRecord> Stored() {
    absl::StatusOr<std::vector<store::BeaconFlagRecord>> stored =
        store_->ListBeaconFlags(absl::InfinitePast());
    EXPECT_TRUE(stored.ok()) << stored.status();
    return stored.value_or(std::vector<store::BeaconFlagRecord>{});
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<BeaconFlags> flags_;
};

TEST_F(BeaconFlagsTest, AFlagExpiresTtlAfterItsLastHitAndIsSwept) {
  BeaconFlagOptions options = Unlimited();
  options.ttl = absl::Hours(24 * 30);
  BeaconFlags& flags = Flags(options);
  absl::StatusOr<BeaconHit> hit =
      flags.Record(Sighting("proxy.example"), "203.0.113.9");
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_TRUE(hit->first_seen);
  EXPECT_EQ(hit->flag.expire_time, kStart + absl::Hours(24 * 30));

  // A later hit moves the expiry.
  clock_.Advance(absl::Hours(24 * 10));
  hit = flags.Record(Sighting("proxy.example"), "203.0.113.9");
  ASSERT_TRUE(hit.ok());
  EXPECT_FALSE(hit->first_seen);
  EXPECT_EQ(hit->flag.hits, 2);
  EXPECT_EQ(hit->flag.first_seen, kStart);

  clock_.Advance(absl::Hours(24 * 30) - absl::Seconds(1));
  EXPECT_TRUE(flags.Find("acme", "proxy.example").has_value());
  clock_.Advance(absl::Seconds(1));
  EXPECT_FALSE(flags.Find("acme", "proxy.example").has_value());
  EXPECT_TRUE(flags.List(std::nullopt).empty());
  // A restart does not bring it back.
  Flags(options);
  EXPECT_FALSE(flags_->Find("acme", "proxy.example").has_value());

  absl::StatusOr<int64_t> swept = flags_->SweepExpired();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_TRUE(Stored().empty());
}

TEST_F(BeaconFlagsTest, HitsOverTheClientIpLimitAreRefusedAndChangeNothing) {
  BeaconFlagOptions options = Unlimited();
  options.per_client_ip = {.rate = 1.0 / 60, .burst = 3};
  BeaconFlags& flags = Flags(options);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        flags.Record(Sighting(absl::StrCat("h", i, ".example")), "203.0.113.9")
            .ok());
  }
  absl::StatusOr<BeaconHit> refused =
      flags.Record(Sighting("h3.example"), "203.0.113.9");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("client_ip: 203.0.113.9 is over the beacon rate limit "
                        "per client IP; retry in 1m"));
  EXPECT_FALSE(flags.Find("acme", "h3.example").has_value());
  EXPECT_EQ(Stored().size(), 3u);
  // Another client is not held back by this one.
  EXPECT_TRUE(flags.Record(Sighting("h3.example"), "198.51.100.1").ok());
  // The bucket refills at the configured rate.
  clock_.Advance(absl::Minutes(1));
  EXPECT_TRUE(flags.Record(Sighting("h4.example"), "203.0.113.9").ok());
}

TEST_F(BeaconFlagsTest, HitsOverTheTenantLimitAreRefusedWhateverTheIp) {
  BeaconFlagOptions options = Unlimited();
  options.per_tenant = {.rate = 1, .burst = 5};
  BeaconFlags& flags = Flags(options);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(flags
                    .Record(Sighting(absl::StrCat("h", i, ".example")),
                            absl::StrCat("203.0.113.", i))
                    .ok());
  }
  absl::StatusOr<BeaconHit> refused =
      flags.Record(Sighting("h5.example"), "203.0.113.200");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("tenant: 'acme' is over the beacon rate limit"));
  // Another tenant has its own bucket.
  EXPECT_TRUE(
      flags.Record(Sighting("h5.example", "globex"), "203.0.113.200").ok());
}

TEST_F(BeaconFlagsTest, TheCapRefusesNewHostsAfterSweepingExpiredOnes) {
  BeaconFlagOptions options = Unlimited();
  options.max_flags = 3;
  options.ttl = absl::Hours(1);
  BeaconFlags& flags = Flags(options);
  ASSERT_TRUE(flags.Record(Sighting("old.example"), "").ok());
  clock_.Advance(absl::Minutes(30));
  ASSERT_TRUE(flags.Record(Sighting("a.example"), "").ok());
  ASSERT_TRUE(flags.Record(Sighting("b.example"), "").ok());
  absl::StatusOr<BeaconHit> refused = flags.Record(Sighting("c.example"), "");
  EXPECT_EQ(refused.status(), absl::ResourceExhaustedError(
                                  "beacon flags: the cap of 3 flags is reached "
                                  "(login.beacon.max_flags)"));
  // Existing flags still refresh at the cap.
  absl::StatusOr<BeaconHit> refreshed = flags.Record(Sighting("a.example"), "");
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  EXPECT_EQ(refreshed->flag.hits, 2);
  // Once old.example expires, its room is taken by a new host.
  clock_.Advance(absl::Minutes(31));
  ASSERT_TRUE(flags.Record(Sighting("c.example"), "").ok());
  EXPECT_EQ(flags.size(), 3u);
  EXPECT_FALSE(flags.Find("acme", "old.example").has_value());
  std::vector<std::string> stored;
  for (const store::BeaconFlagRecord& flag : Stored()) {
    stored.push_back(flag.host);
  }
  EXPECT_THAT(stored,
              ::testing::ElementsAre("a.example", "b.example", "c.example"));
}

TEST_F(BeaconFlagsTest, AWriteAnHourAfterTheLastSweepSweepsTheStore) {
  BeaconFlagOptions options = Unlimited();
  options.ttl = absl::Minutes(10);
  BeaconFlags& flags = Flags(options);
  ASSERT_TRUE(flags.Record(Sighting("old.example"), "").ok());
  clock_.Advance(absl::Minutes(30));
  ASSERT_TRUE(flags.Record(Sighting("a.example"), "").ok());
  EXPECT_EQ(Stored().size(), 2u);  // expired, but no sweep within the hour
  clock_.Advance(absl::Minutes(30));
  ASSERT_TRUE(flags.Record(Sighting("b.example"), "").ok());
  std::vector<std::string> stored;
  for (const store::BeaconFlagRecord& flag : Stored()) {
    stored.push_back(flag.host);
  }
  EXPECT_THAT(stored, ::testing::ElementsAre("b.example"));
  EXPECT_EQ(flags.size(), 1u);
}

TEST_F(BeaconFlagsTest, RemoveDeletesFromMemoryAndStore) {
  BeaconFlags& flags = Flags(Unlimited());
  ASSERT_TRUE(flags.Record(Sighting("proxy.example"), "").ok());
  ASSERT_TRUE(flags.Record(Sighting("proxy.example", "globex"), "").ok());
  absl::StatusOr<bool> removed = flags.Remove("acme", "proxy.example");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(flags.Find("acme", "proxy.example").has_value());
  EXPECT_TRUE(flags.Find("globex", "proxy.example").has_value());
  ASSERT_EQ(Stored().size(), 1u);
  EXPECT_EQ(Stored()[0].tenant, "globex");
  removed = flags.Remove("acme", "proxy.example");
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(*removed);
  // A new hit starts a new flag.
  absl::StatusOr<BeaconHit> again = flags.Record(Sighting("proxy.example"), "");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->first_seen);
  EXPECT_EQ(again->flag.hits, 1);
}

TEST_F(BeaconFlagsTest, ListIsPerTenantAndOrdered) {
  BeaconFlags& flags = Flags(Unlimited());
  for (const char* host : {"b.example", "a.example"}) {
    ASSERT_TRUE(flags.Record(Sighting(host), "").ok());
  }
  ASSERT_TRUE(flags.Record(Sighting("z.example", "globex"), "").ok());
  std::vector<store::BeaconFlagRecord> acme = flags.List("acme");
  ASSERT_EQ(acme.size(), 2u);
  EXPECT_EQ(acme[0].host, "a.example");
  EXPECT_EQ(acme[1].host, "b.example");
  EXPECT_EQ(flags.List(std::nullopt).size(), 3u);
}

TEST_F(BeaconFlagsTest, RefreshesReachTheStoreAtMostOnceAMinute) {
  BeaconFlags& flags = Flags(Unlimited());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(flags.Record(Sighting("proxy.example"), "").ok());
  }
  ASSERT_EQ(Stored().size(), 1u);
  EXPECT_EQ(Stored()[0].hits, 1);
  EXPECT_EQ(flags.Find("acme", "proxy.example")->hits, 50);
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(flags.Record(Sighting("proxy.example"), "").ok());
  EXPECT_EQ(Stored()[0].hits, 51);
  EXPECT_EQ(Stored()[0].last_seen, kStart + absl::Minutes(1));
}

}  // namespace
}  // namespace lureguard::login
