#include "server/certs/alert_hosts.h"

#include "gtest/gtest.h"

namespace lureguard::certs {
namespace {

store::AlertRecord Alert(int64_t id, std::string name) {
  store::AlertRecord alert;
  alert.id = id;
  alert.name = std::move(name);
  return alert;
}

TEST(AlertedHosts, FindsExactNamesAndOneLevelUnderWildcards) {
  AlertedHosts hosts = AlertedHosts::Build({Alert(1, "paypa1-login.com"),
                                            Alert(2, "*.micros0ft.net"),
                                            Alert(3, "paypa1-login.com")});
  EXPECT_EQ(hosts.size(), 3u);
  ASSERT_NE(hosts.Find("paypa1-login.com"), nullptr);
  EXPECT_EQ(hosts.Find("paypa1-login.com")->id, 3);  // the newest
  ASSERT_NE(hosts.Find("login.micros0ft.net"), nullptr);
  EXPECT_EQ(hosts.Find("login.micros0ft.net")->id, 2);
  EXPECT_EQ(hosts.Find("micros0ft.net"), nullptr);
  EXPECT_EQ(hosts.Find("a.b.micros0ft.net"), nullptr);
  EXPECT_EQ(hosts.Find("www.paypa1-login.com"), nullptr);
  EXPECT_EQ(hosts.Find(""), nullptr);
  EXPECT_EQ(AlertedHosts::Build({}).Find("x.com"), nullptr);
}

}  // namespace
}  // namespace lureguard::certs
