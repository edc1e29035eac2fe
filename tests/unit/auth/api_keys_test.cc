#include "server/auth/api_keys.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::auth {
namespace {

class KeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(KeyRingTest, ACreatedKeyAuthenticatesWithItsRoleAndTenant) {
  KeyRing keys(*store_, clock_);
  ASSERT_TRUE(keys.Load().ok());
  EXPECT_TRUE(keys.empty());
  absl::StatusOr<std::string> token =
      keys.Create("gateway", Role::kVerdict, "acme");
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<Principal> who = keys.Authenticate(*token);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->key_name, "gateway");
  EXPECT_EQ(who->role, Role::kVerdict);
  EXPECT_EQ(who->tenant, "acme");
}

// Two rings on one store stand for two replicas: a reload shows each the
// keys the other created and revoked.
TEST_F(KeyRingTest, AReloadPicksUpAnotherRingsCreatesAndRevokes) {
  KeyRing here(*store_, clock_);
  KeyRing there(*store_, clock_);
  ASSERT_TRUE(here.Load().ok());
  ASSERT_TRUE(there.Load().ok());
  absl::StatusOr<std::string> token = here.Create("gw", Role::kVerdict, "");
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_FALSE(there.Authenticate(*token).ok());
  ASSERT_TRUE(there.Load().ok());
  EXPECT_TRUE(there.Authenticate(*token).ok());

  ASSERT_TRUE(here.Revoke("gw").ok());
  EXPECT_TRUE(there.Authenticate(*token).ok());  // until it reloads
  ASSERT_TRUE(there.Load().ok());
  EXPECT_EQ(there.Authenticate(*token).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Reloading the ring that revoked changes nothing for it.
  ASSERT_TRUE(here.Load().ok());
  EXPECT_FALSE(here.Authenticate(*token).ok());
}

TEST_F(KeyRingTest, KeysSurviveAReloadAndTheStoreHoldsNoSecret) {
  std::string token;
  {
    KeyRing keys(*store_, clock_);
    ASSERT_TRUE(keys.Load().ok());
    token = *keys.Create("admin", Role::kAdmin, "");
  }
  KeyRing reloaded(*store_, clock_);
  ASSERT_TRUE(reloaded.Load().ok());
  EXPECT_TRUE(reloaded.Authenticate(token).ok());
  absl::StatusOr<std::vector<store::StoredRecord>> records =
      store_->ListRecords("api_key");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  const std::string secret = token.substr(token.rfind('_') + 1);
  EXPECT_EQ((*records)[0].payload.find(secret), std::string::npos);
}

TEST_F(KeyRingTest, WrongSecretsUnknownIdsAndRevokedKeysAreRefused) {
  KeyRing keys(*store_, clock_);
  ASSERT_TRUE(keys.Load().ok());
  std::string token = *keys.Create("k", Role::kReadonlyAdmin, "");
  std::string tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {tampered, std::string("lg_0123456789abcdef_x"), std::string(""),
        std::string("Bearer"), token.substr(0, 10)}) {
    EXPECT_EQ(keys.Authenticate(bad).status().code(),
              absl::StatusCode::kUnauthenticated)
        << bad;
  }
  ASSERT_TRUE(keys.Revoke("k").ok());
  EXPECT_EQ(keys.Authenticate(token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(keys.Revoke("k").code(), absl::StatusCode::kNotFound);
}

// After the first call proves a key, later calls are compared with the
// secret it proved instead of hashed: every other secret must still fail,
// through reloads, until the key is revoked.
TEST_F(KeyRingTest, AProvenKeyStillRefusesOtherSecretsAndItsRevocation) {
  KeyRing keys(*store_, clock_);
  KeyRing replica(*store_, clock_);
  ASSERT_TRUE(keys.Load().ok());
  const std::string token = *keys.Create("gw", Role::kVerdict, "acme");
  ASSERT_TRUE(replica.Load().ok());
  std::string tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  const std::vector<std::string> wrong = {tampered, token + "A",
                                          token.substr(0, token.size() - 1),
                                          token.substr(0, 20) + "_"};
  for (KeyRing* ring : {&keys, &replica}) {
    for (int call = 0; call < 3; ++call) {
      absl::StatusOr<Principal> who = ring->Authenticate(token);
      ASSERT_TRUE(who.ok()) << who.status();
      EXPECT_EQ(who->key_name, "gw");
      EXPECT_EQ(who->tenant, "acme");
      for (const std::string& bad : wrong) {
        EXPECT_EQ(ring->Authenticate(bad).status().code(),
                  absl::StatusCode::kUnauthenticated)
            << bad;
      }
    }
  }
  ASSERT_TRUE(replica.Load().ok());  // the key read again, unchanged
  EXPECT_TRUE(replica.Authenticate(token).ok());
  EXPECT_FALSE(replica.Authenticate(tampered).ok());

  ASSERT_TRUE(keys.Revoke("gw").ok());
  EXPECT_EQ(keys.Authenticate(token).status().code(),
            absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(replica.Load().ok());
  EXPECT_EQ(replica.Authenticate(token).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(KeyRingTest, NamesAreUniqueAndValidated) {
  KeyRing keys(*store_, clock_);
  ASSERT_TRUE(keys.Load().ok());
  ASSERT_TRUE(keys.Create("a", Role::kVerdict, "").ok());
  EXPECT_EQ(keys.Create("a", Role::kAdmin, "").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(keys.Create("has space", Role::kAdmin, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRole("readonly-admin"), Role::kReadonlyAdmin);
  EXPECT_EQ(ParseRole("root"), std::nullopt);
}

TEST_F(KeyRingTest, AClientSubjectActsAsItsKeyAcrossReloadsUntilRevoked) {
  {
    KeyRing keys(*store_, clock_);
    ASSERT_TRUE(keys.Load().ok());
    ASSERT_TRUE(
        keys.Create("mail-gw", Role::kVerdict, "acme", "mail-gw.internal")
            .ok());
    EXPECT_EQ(keys.Create("copy", Role::kAdmin, "", "mail-gw.internal")
                  .status()
                  .code(),
              absl::StatusCode::kAlreadyExists);
    EXPECT_EQ(
        keys.Create("bad", Role::kAdmin, "", "evil\ninjected").status().code(),
        absl::StatusCode::kInvalidArgument);
  }
  KeyRing keys(*store_, clock_);
  ASSERT_TRUE(keys.Load().ok());
  absl::StatusOr<Principal> who =
      keys.AuthenticateClientSubject("mail-gw.internal");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->key_name, "mail-gw");
  EXPECT_EQ(who->role, Role::kVerdict);
  EXPECT_EQ(who->tenant, "acme");
  EXPECT_EQ(keys.List()[0].client_subject, "mail-gw.internal");
  EXPECT_EQ(keys.AuthenticateClientSubject("MAIL-GW.internal").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(keys.AuthenticateClientSubject("").status().code(),
            absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(keys.Revoke("mail-gw").ok());
  EXPECT_EQ(keys.AuthenticateClientSubject("mail-gw.internal").status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace lureguard::auth
