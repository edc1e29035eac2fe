// ServerConfig.store (`--store`): defaults, validation, and that a URL's
// password never shows in an error.

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/service/config.h"
#include "server/store/store.h"
#include "tests/unit/service/parse_config.h"

namespace lureguard::service {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(StoreConfig, DefaultsToSqliteInTheDataDir) {
  EXPECT_EQ(ParseConfig("").store(), "sqlite:./var/lureguard.db");
  EXPECT_EQ(ParseConfig(R"pb(data_dir: "/srv/lg")pb").store(),
            "sqlite:/srv/lg/lureguard.db");
  EXPECT_TRUE(ValidateConfig(ParseConfig("")).ok());
  EXPECT_TRUE(
      ValidateConfig(
          ParseConfig(R"pb(store: "postgresql://lg:pw@db:5432/lureguard")pb"))
          .ok());
  EXPECT_TRUE(
      ValidateConfig(ParseConfig(R"pb(store: "postgres://db/lureguard")pb"))
          .ok());
}

TEST(StoreConfig, BadLocationsAreRefusedNamingTheFieldWithoutThePassword) {
  EXPECT_EQ(ValidateConfig(ParseConfig(R"pb(store: "mysql://db/x")pb")),
            absl::InvalidArgumentError(
                "store: must be sqlite:PATH or a postgresql:// URL"));
  EXPECT_EQ(ValidateConfig(ParseConfig(R"pb(store: "sqlite:")pb")),
            absl::InvalidArgumentError(
                "store: \"sqlite:\" needs a file path after the colon"));
  absl::Status bad = ValidateConfig(
      ParseConfig(R"pb(store: "postgresql://lg:s3cret%zz@db/x?bogus=1")pb"));
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()),
              ::testing::StartsWith("store: is not a valid PostgreSQL"));
  EXPECT_THAT(std::string(bad.message()), Not(HasSubstr("s3cret")));
}

TEST(StoreConfig, DescriptionsDropThePassword) {
  EXPECT_EQ(store::DescribeStoreLocation(
                "postgresql://lg:s3cret@db.example:5432/lureguard"),
            "postgresql://lg@db.example:5432/lureguard");
  EXPECT_EQ(store::DescribeStoreLocation(
                "postgresql://lg@db/lureguard?password=s3cret"),
            "postgresql://lg@db/lureguard");
  EXPECT_EQ(store::DescribeStoreLocation("sqlite:/var/lg.db"),
            "sqlite:/var/lg.db");
}

}  // namespace
}  // namespace lureguard::service
