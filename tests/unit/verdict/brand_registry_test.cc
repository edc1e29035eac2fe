#include "server/verdict/brand_registry.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/admin_owner_test.h"

namespace lureguard::verdict {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;

lookalike::Brand Acme(std::vector<std::string> domains = {"acme.example"}) {
  lookalike::Brand brand;
  brand.name = "Acme";
  brand.domains = std::move(domains);
  return brand;
}

class BrandRegistryTest : public testing::AdminOwnerTest {
 protected:
  void SetUp() override {
    AdminOwnerTest::SetUp();
    registry_ = std::make_unique<BrandRegistry>(*store_, clock_);
  }

  // "tenant/name: domains" of every stored brand.
  std::vector<std::string> Stored() {
    absl::StatusOr<std::vector<lookalike::Brand>> brands = registry_->List();
    EXPECT_TRUE(brands.ok()) << brands.status();
    std::vector<std::string> out;
    for (const lookalike::Brand& b :
         brands.value_or(std::vector<lookalike::Brand>{})) {
      out.push_back(b.tenant + "/" + b.name + ": " +
                    absl::StrJoin(b.domains, ","));
    }
    return out;
  }

  std::unique_ptr<BrandRegistry> registry_;
};

TEST_F(BrandRegistryTest, PutStoresTheBrandAndAuditsWhatItReplaced) {
  ASSERT_TRUE(registry_->Put(caller_, Acme()).ok());
  lookalike::Brand wider = Acme({"acme.example", "acme.test"});
  wider.tokens = {"acme"};
  absl::StatusOr<lookalike::Brand> stored = registry_->Put(caller_, wider);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->name, "Acme");
  EXPECT_THAT(Stored(), ElementsAre("/Acme: acme.example,acme.test"));

  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].method, "CreateBrand");
  EXPECT_EQ(audit[1].target, "brand:Acme");
  EXPECT_EQ(audit[1].before, "");
  EXPECT_EQ(audit[1].after, "domains=acme.example tokens=");
  EXPECT_EQ(audit[0].before, "domains=acme.example tokens=");
  EXPECT_EQ(audit[0].after, "domains=acme.example,acme.test tokens=acme");
  EXPECT_EQ(audit[0].actor, "ops");
  EXPECT_EQ(audit[0].request_id, "req-1");
}

TEST_F(BrandRegistryTest, PutRefusesWhatTheIndexWouldRefuseNamingTheField) {
  lookalike::Brand unnamed = Acme();
  unnamed.name = "";
  EXPECT_EQ(registry_->Put(caller_, unnamed).status(),
            absl::InvalidArgumentError("brand: name: is empty"));
  EXPECT_EQ(registry_->Put(caller_, Acme({})).status(),
            absl::InvalidArgumentError(
                "brand: domains: brand 'Acme' needs a domain"));
  lookalike::Brand spaced = Acme();
  spaced.tenant = "acme corp";
  EXPECT_EQ(registry_->Put(caller_, spaced).status(),
            absl::InvalidArgumentError(
                "brand: tenant: \"acme corp\" must be up to 128 printable "
                "ASCII characters without spaces"));
  // The index names the brand itself: no "brand: " in front.
  lookalike::Brand dotted = Acme();
  dotted.tokens = {"ac.me"};
  EXPECT_EQ(registry_->Put(caller_, dotted).status(),
            absl::InvalidArgumentError("brand 'Acme': token 'ac.me': want one "
                                       "non-empty host label without dots"));
  absl::Status bad_domain =
      registry_->Put(caller_, Acme({"not a domain"})).status();
  EXPECT_TRUE(absl::IsInvalidArgument(bad_domain));
  EXPECT_THAT(std::string(bad_domain.message()),
              StartsWith("brand 'Acme': domain 'not a domain': "));
  EXPECT_THAT(Stored(), IsEmpty());
  EXPECT_THAT(Audit(), IsEmpty());
}

TEST_F(BrandRegistryTest, RemoveDeletesTheBrandOfThatTenantOnly) {
  lookalike::Brand acme_of_acme = Acme();
  acme_of_acme.tenant = "acme";
  ASSERT_TRUE(registry_->Put(caller_, Acme()).ok());
  ASSERT_TRUE(registry_->Put(caller_, acme_of_acme).ok());
  const int64_t before = Revision();
  ASSERT_TRUE(registry_->Remove(caller_, "Acme", "acme").ok());
  EXPECT_GT(Revision(), before);  // the snapshot will rebuild
  EXPECT_THAT(Stored(), ElementsAre("/Acme: acme.example"));
  const store::AuditRecord audit = Audit()[0];
  EXPECT_EQ(audit.method, "DeleteBrand");
  EXPECT_EQ(audit.tenant, "acme");
  EXPECT_EQ(audit.before, "domains=acme.example tokens=");
  EXPECT_EQ(audit.after, "");
}

TEST_F(BrandRegistryTest, RemoveSaysWhatIsMissingOrWrong) {
  EXPECT_EQ(registry_->Remove(caller_, "Acme", ""),
            absl::NotFoundError("name: no brand 'Acme'"));
  EXPECT_EQ(registry_->Remove(caller_, "Acme", "acme"),
            absl::NotFoundError("name: no brand 'Acme' of tenant acme"));
  EXPECT_EQ(registry_->Remove(caller_, "", ""),
            absl::InvalidArgumentError("name: is empty"));
  EXPECT_EQ(registry_->Remove(caller_, "Acme", "a b"),
            absl::InvalidArgumentError(
                "tenant: \"a b\" must be up to 128 printable ASCII "
                "characters without spaces"));
  EXPECT_THAT(Audit(), IsEmpty());
}

TEST_F(BrandRegistryTest, ImportWritesEveryBrandWithOneAuditRecord) {
  absl::StatusOr<int64_t> imported = registry_->Import(
      caller_,
      "# protected\nAcme\tacme\tacme.example\n"
      "Globex\tglobex\tglobex.example,globex.test\tglobex-corp\n",
      "", 0);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(*imported, 2);
  EXPECT_THAT(Stored(), ElementsAre("/Acme: acme.example",
                                    "globex-corp/Globex: "
                                    "globex.example,globex.test"));
  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].method, "ImportBrands");
  EXPECT_EQ(audit[0].target, "brands");
  EXPECT_EQ(audit[0].after, "2 brands, format brands");
}

TEST_F(BrandRegistryTest, ImportOfARankingKeepsTheTopN) {
  absl::StatusOr<int64_t> imported = registry_->Import(
      caller_, "1,acme.example\n2,globex.example\n3,initech.example\n",
      "ranked-domains", 2);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(*imported, 2);
  EXPECT_EQ(Stored().size(), 2u);
  EXPECT_EQ(Audit()[0].after, "2 brands, format ranked-domains");
}

TEST_F(BrandRegistryTest, ABadImportNamesTheFieldAndWritesNothing) {
  // The parser names the field already: no "format: " in front.
  EXPECT_EQ(registry_->Import(caller_, "", "xml", 0).status(),
            absl::InvalidArgumentError(
                "format 'xml': want \"brands\" or \"ranked-domains\""));
  EXPECT_EQ(registry_->Import(caller_, "", "", -1).status(),
            absl::InvalidArgumentError("top_n: is negative"));
  absl::Status content =
      registry_->Import(caller_, "Acme\tacme\n", "brands", 0).status();
  EXPECT_TRUE(absl::IsInvalidArgument(content));
  EXPECT_THAT(std::string(content.message()), StartsWith("content: line 1"));
  // One bad brand refuses the whole file.
  absl::Status invalid =
      registry_
          ->Import(
              caller_,
              "Acme\tacme\tacme.example\nGlobex\tglo.bex\tglobex.example\n",
              "brands", 0)
          .status();
  EXPECT_TRUE(absl::IsInvalidArgument(invalid));
  EXPECT_THAT(std::string(invalid.message()), StartsWith("content: "));
  EXPECT_THAT(Stored(), IsEmpty());
  EXPECT_THAT(Audit(), IsEmpty());
}

}  // namespace
}  // namespace lureguard::verdict
