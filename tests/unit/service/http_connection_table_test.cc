#include "server/service/http_connection_table.h"

#include "gtest/gtest.h"

namespace lureguard::service {
namespace {

using Outcome = HttpConnectionTable::Outcome;

TEST(HttpConnectionTable, RefusesAnAddressOverItsLimitOnly) {
  HttpConnectionTable table(/*max_connections=*/10, /*max_per_ip=*/2);
  EXPECT_EQ(table.Admit(1, "127.0.0.2").outcome, Outcome::kAdmitted);
  EXPECT_EQ(table.Admit(2, "127.0.0.2").outcome, Outcome::kAdmitted);
  HttpConnectionTable::Admission third = table.Admit(3, "127.0.0.2");
  EXPECT_EQ(third.outcome, Outcome::kRefusedPerIp);
  EXPECT_FALSE(third.shed.has_value());
  EXPECT_EQ(table.Admit(4, "127.0.0.1").outcome, Outcome::kAdmitted);
  EXPECT_EQ(table.ConnectionsFrom("127.0.0.2"), 2u);
  table.Remove(1);
  EXPECT_EQ(table.Admit(5, "127.0.0.2").outcome, Outcome::kAdmitted);
}

TEST(HttpConnectionTable, AtTheLimitShedsTheOldestConnectionWithoutARequest) {
  HttpConnectionTable table(/*max_connections=*/3, /*max_per_ip=*/10);
  table.Admit(1, "198.51.100.1");
  table.Admit(2, "198.51.100.2");
  table.Admit(3, "198.51.100.3");
  table.RequestReceived(1);  // a client that asked something: kept

  HttpConnectionTable::Admission fourth = table.Admit(4, "198.51.100.4");
  EXPECT_EQ(fourth.outcome, Outcome::kAdmitted);
  EXPECT_EQ(fourth.shed, 2u);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.ConnectionsFrom("198.51.100.2"), 0u);

  HttpConnectionTable::Admission fifth = table.Admit(5, "198.51.100.5");
  EXPECT_EQ(fifth.shed, 3u);
  // Removing a shed connection later (its close) changes nothing, and says
  // so: the listener's gauge counted it out when it was shed.
  EXPECT_FALSE(table.Remove(2));
  EXPECT_EQ(table.size(), 3u);
  EXPECT_TRUE(table.Remove(4));
  EXPECT_EQ(table.size(), 2u);
}

TEST(HttpConnectionTable, RefusesTheNewcomerWhenEveryConnectionHasAsked) {
  HttpConnectionTable table(/*max_connections=*/2, /*max_per_ip=*/10);
  table.Admit(1, "a");
  table.Admit(2, "b");
  table.RequestReceived(1);
  table.RequestReceived(2);
  HttpConnectionTable::Admission third = table.Admit(3, "c");
  EXPECT_EQ(third.outcome, Outcome::kRefusedFull);
  EXPECT_FALSE(third.shed.has_value());
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.ConnectionsFrom("c"), 0u);
}

}  // namespace
}  // namespace lureguard::service
