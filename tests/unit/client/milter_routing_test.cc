#include "client/milter/tenant_routing.h"
#include "gtest/gtest.h"

namespace lureguard::milter {
namespace {

v1::MilterConfig Routes() {
  v1::MilterConfig config;
  config.set_default_tenant("main");
  auto* acme = config.add_tenant_routes();
  acme->set_domain("Acme.Example");
  acme->set_tenant("acme");
  auto* globex = config.add_tenant_routes();
  globex->set_domain("globex.example");
  globex->set_tenant("globex");
  auto* sales = config.add_tenant_routes();
  sales->set_domain("sales.globex.example");
  sales->set_tenant("globex-sales");
  return config;
}

TEST(RecipientDomain, LowercasesAndDropsBracketsAndTrailingDot) {
  EXPECT_EQ(RecipientDomain("<Bob@ACME.Example.>"), "acme.example");
  EXPECT_EQ(RecipientDomain("bob@acme.example"), "acme.example");
  EXPECT_EQ(RecipientDomain("\"a@b\"@acme.example"), "acme.example");
  EXPECT_EQ(RecipientDomain("postmaster"), "");
}

TEST(TenantRouter, RecipientDomainPicksItsTenantWhateverTheCase) {
  TenantRouter router(Routes());
  EXPECT_EQ(router.TenantFor({"bob@ACME.example"}), "acme");
  EXPECT_EQ(router.TenantFor({"ann@globex.example"}), "globex");
}

TEST(TenantRouter, SubdomainUsesTheNearestRoutedParent) {
  TenantRouter router(Routes());
  EXPECT_EQ(router.TenantFor({"bob@mail.acme.example"}), "acme");
  EXPECT_EQ(router.TenantFor({"ann@eu.sales.globex.example"}), "globex-sales");
  EXPECT_EQ(router.TenantFor({"ann@notacme.example"}), "main");
}

TEST(TenantRouter, RecipientsOfOneTenantShareIt) {
  TenantRouter router(Routes());
  EXPECT_EQ(router.TenantFor({"a@acme.example", "b@x.acme.example"}), "acme");
}

TEST(TenantRouter, MixedOrUnroutedRecipientsGetTheDefault) {
  TenantRouter router(Routes());
  EXPECT_EQ(router.TenantFor({"a@acme.example", "b@globex.example"}), "main");
  EXPECT_EQ(router.TenantFor({"a@acme.example", "b@other.example"}), "main");
  EXPECT_EQ(router.TenantFor({"b@other.example"}), "main");
  EXPECT_EQ(router.TenantFor({}), "main");
}

TEST(TenantRouter, NoDefaultMeansTheGlobalPolicy) {
  v1::MilterConfig config = Routes();
  config.clear_default_tenant();
  EXPECT_EQ(TenantRouter(config).TenantFor({"b@other.example"}), "");
}

}  // namespace
}  // namespace lureguard::milter
