#include "server/links/link_protector.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::links {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kBase[] = "https://click.example";
constexpr char kListed[] = "http://evil-phish.test/login";
constexpr char kLookalike[] = "http://pay-pal.com/signin";  // WARN
constexpr char kHonest[] = "http://www.example.org/";

// A real engine (default brands, one block-list entry), a real SQLite
// store, a fake clock; tenants "strict" (no click-through, 1 h links) and
// "lenient" (click-through on BLOCK).
class LinkProtectorTest : public ::testing::Test {
 protected:
  LinkProtectorTest() : engine_(clock_) {
    store::ListEntryRecord entry;
    entry.kind = store::EntryKind::kDomain;
    entry.value = "evil-phish.test";
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    snapshot->lists = lists::ListSnapshot::Build({entry});
    absl::StatusOr<lookalike::BrandIndex> brands =
        lookalike::BrandIndex::Build(lookalike::DefaultBrands());
    EXPECT_TRUE(brands.ok()) << brands.status();
    snapshot->brands =
        std::make_shared<const lookalike::BrandIndex>(*std::move(brands));
    engine_.Publish(std::move(snapshot));
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    EXPECT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);

    LinkPolicy global;
    global.click_base_url = kBase;
    LinkPolicy strict = global;
    strict.allow_continue_on_warn = false;
    strict.token_lifetime = absl::Hours(1);
    LinkPolicy lenient = global;
    lenient.allow_continue_on_block = true;
    LinkPolicy careful = global;
    careful.confirm_every_click = true;
    absl::StatusOr<ClickTokenCodec> codec =
        ClickTokenCodec::Create({{.id = "k1", .secret = std::string(32, 's')}},
                                "k1", absl::Hours(24 * 90));
    EXPECT_TRUE(codec.ok()) << codec.status();
    links_ = std::make_unique<LinkProtector>(
        *std::move(codec),
        LinkPolicies(
            global,
            {{"strict", strict}, {"lenient", lenient}, {"careful", careful}}),
        [this](absl::string_view, absl::string_view url,
               absl::string_view tenant) {
          return engine_.CheckUrl(url, tenant);
        },
        engine_, *KeyedHasher::Create(std::string(32, 'k')), *store_, clock_);
  }

  // The click URL RewriteText gives `url` for `tenant`.
  std::string Wrap(const std::string& url, const std::string& tenant = "") {
    absl::StatusOr<RewriteOutput> out =
        links_->Rewrite({.kind = ContentKind::kText,
                         .content = absl::StrCat("go ", url, " now"),
                         .tenant = tenant,
                         .recipient = "bob@example.com"});
    EXPECT_TRUE(out.ok()) << out.status();
    if (!out.ok() || out->links.size() != 1) return "";
    EXPECT_THAT(out->links[0].rewritten_url, StartsWith(kBase));
    return out->links[0].rewritten_url.substr(sizeof(kBase) - 1 + 3);
  }

  int64_t ClickCount() {
    absl::StatusOr<store::ClickPage> page = links_->ListClicks({});
    EXPECT_TRUE(page.ok());
    return page.ok() ? static_cast<int64_t>(page->clicks.size()) : -1;
  }

  FakeClock clock_;
  verdict::Engine engine_;
  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<LinkProtector> links_;
};

TEST_F(LinkProtectorTest, AFirstLookIsNeverRecordedAConfirmedClickIs) {
  const std::string token = Wrap(kLookalike);
  absl::StatusOr<ClickDecision> look =
      links_->ResolveClick(token, std::nullopt, false);
  ASSERT_TRUE(look.ok()) << look.status();
  EXPECT_EQ(look->action, ClickAction::kWarningPage);
  EXPECT_TRUE(look->continue_allowed);
  EXPECT_FALSE(look->recorded);
  EXPECT_EQ(ClickCount(), 0);
  absl::StatusOr<ClickDecision> click =
      links_->ResolveClick(token, std::nullopt, true);
  ASSERT_TRUE(click.ok());
  EXPECT_EQ(click->action, ClickAction::kRedirect);
  EXPECT_TRUE(click->recorded);
  EXPECT_EQ(ClickCount(), 1);
}

// Issue #16: one token POSTed in a loop from one address is held to the
// per-IP limit before any verdict work, and what passes is one row.
TEST_F(LinkProtectorTest, AConfirmedClickFloodIsLimitedAndStoredAsOneRow) {
  const std::string token = Wrap(kLookalike);
  int recorded = 0;
  int refused = 0;
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<ClickDecision> click =
        links_->ResolveClick(token, std::nullopt, true, "203.0.113.9");
    if (click.ok()) {
      EXPECT_TRUE(click->recorded);
      ++recorded;
    } else {
      EXPECT_EQ(click.status().code(), absl::StatusCode::kResourceExhausted);
      ++refused;
    }
  }
  // The default bucket: 20 at once, one a second after (the fake clock
  // stands still).
  EXPECT_EQ(recorded, 20);
  EXPECT_EQ(refused, 80);
  absl::StatusOr<store::ClickPage> page = links_->ListClicks({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->clicks.size(), 1u);
  EXPECT_EQ(page->clicks[0].count, 20);
  // A first look is never limited nor recorded.
  EXPECT_TRUE(
      links_->ResolveClick(token, std::nullopt, false, "203.0.113.9").ok());
}

TEST_F(LinkProtectorTest, ClickPagesAreZeroForTheDefaultUpToAThousand) {
  const std::string token = Wrap(kLookalike);
  ASSERT_TRUE(links_->ResolveClick(token, std::nullopt, true).ok());
  for (int size : {0, 1, 1000}) {
    absl::StatusOr<store::ClickPage> page =
        links_->ListClicks({.page_size = size});
    ASSERT_TRUE(page.ok()) << size << ": " << page.status();
    EXPECT_EQ(page->clicks.size(), 1u);
  }
  EXPECT_EQ(links_->ListClicks({.page_size = 1001}).status(),
            absl::InvalidArgumentError("page_size: 1001 is outside [0, 1000]"));
  EXPECT_EQ(links_->ListClicks({.page_size = -1}).status(),
            absl::InvalidArgumentError("page_size: -1 is outside [0, 1000]"));
}

TEST_F(LinkProtectorTest, ASingleUseDestinationAsksForAPressFirst) {
  const std::string reset =
      "http://www.example.org/password_reset/0123456789abcdef0123456789abcdef";
  absl::StatusOr<ClickDecision> look =
      links_->ResolveClick(Wrap(reset), std::nullopt, false);
  ASSERT_TRUE(look.ok()) << look.status();
  EXPECT_EQ(look->action, ClickAction::kRedirect);
  EXPECT_TRUE(look->confirm_first);
  EXPECT_FALSE(look->recorded);

  absl::StatusOr<ClickDecision> honest =
      links_->ResolveClick(Wrap(kHonest), std::nullopt, false);
  ASSERT_TRUE(honest.ok());
  EXPECT_FALSE(honest->confirm_first);
  // A tenant that asks for a press on every link.
  honest = links_->ResolveClick(Wrap(kHonest, "careful"), std::nullopt, false);
  ASSERT_TRUE(honest.ok());
  EXPECT_TRUE(honest->confirm_first);
  // A WARN has its own page already.
  absl::StatusOr<ClickDecision> warn =
      links_->ResolveClick(Wrap(kLookalike, "careful"), std::nullopt, false);
  ASSERT_TRUE(warn.ok());
  EXPECT_FALSE(warn->confirm_first);
}

TEST_F(LinkProtectorTest, ClickThroughFollowsTheTenantsPolicy) {
  // Global: BLOCK has no way on; the refused click is still recorded.
  absl::StatusOr<ClickDecision> global =
      links_->ResolveClick(Wrap(kListed), std::nullopt, true);
  ASSERT_TRUE(global.ok());
  EXPECT_EQ(global->action, ClickAction::kBlockPage);
  EXPECT_FALSE(global->continue_allowed);
  absl::StatusOr<store::ClickPage> page = links_->ListClicks({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->clicks.size(), 1u);
  EXPECT_EQ(page->clicks[0].action, static_cast<int>(ClickAction::kBlockPage));

  absl::StatusOr<ClickDecision> lenient =
      links_->ResolveClick(Wrap(kListed, "lenient"), std::nullopt, true);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->action, ClickAction::kRedirect);

  absl::StatusOr<ClickDecision> strict =
      links_->ResolveClick(Wrap(kLookalike, "strict"), std::nullopt, true);
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(strict->action, ClickAction::kWarningPage);
  EXPECT_FALSE(strict->continue_allowed);
}

TEST_F(LinkProtectorTest, TokensExpireAfterTheirTenantsLifetime) {
  const std::string strict = Wrap(kHonest, "strict");
  const std::string global = Wrap(kHonest);
  clock_.Advance(absl::Hours(2));
  absl::StatusOr<ClickDecision> expired =
      links_->ResolveClick(strict, std::nullopt, false);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(expired.status().message()),
              StartsWith("token: expired"));
  EXPECT_TRUE(links_->ResolveClick(global, std::nullopt, false).ok());
}

TEST_F(LinkProtectorTest, AnotherTenantsOrATamperedTokenIsRefused) {
  const std::string token = Wrap(kHonest, "strict");
  EXPECT_EQ(links_->ResolveClick(token, "lenient", false).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(links_->ResolveClick(token, "strict", false).ok());
  std::string tampered = token;
  tampered[tampered.size() - 3] =
      tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  absl::StatusOr<ClickDecision> refused =
      links_->ResolveClick(tampered, std::nullopt, false);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), StartsWith("token: "));
}

TEST_F(LinkProtectorTest, AnchorTextNamingABrandOverALinkElsewhereWarns) {
  absl::StatusOr<RewriteOutput> out = links_->Rewrite(
      {.kind = ContentKind::kHtml,
       .content = "<a href=\"http://evil.example/x\">www.paypal.com</a>"
                  "<a href=\"http://news.example/\">www.example.org</a>"
                  "<a href=\"https://www.paypal.me/x\">paypal.com</a>"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->links.size(), 3u);
  const verdict::Verdict& brand = out->links[0].verdict;
  EXPECT_EQ(brand.action, verdict::Action::kWarn);
  ASSERT_FALSE(brand.reasons.empty());
  EXPECT_EQ(brand.reasons[0].code, verdict::ReasonCode::kLinkTextMismatch);
  EXPECT_EQ(brand.reasons[0].brand, "PayPal");
  EXPECT_THAT(brand.reasons[0].detail, HasSubstr("leads to evil.example"));
  // Another site, no brand: a signal below the WARN threshold.
  EXPECT_EQ(out->links[1].verdict.action, verdict::Action::kAllow);
  ASSERT_FALSE(out->links[1].verdict.reasons.empty());
  EXPECT_EQ(out->links[1].verdict.reasons[0].code,
            verdict::ReasonCode::kLinkTextMismatch);
  // A brand linking between its own domains is honest.
  EXPECT_TRUE(out->links[2].verdict.reasons.empty());
}

TEST_F(LinkProtectorTest, TheClickPageWarnsAboutTheTextAsTheMailDid) {
  absl::StatusOr<RewriteOutput> out = links_->Rewrite(
      {.kind = ContentKind::kHtml,
       .content = "<a href=\"http://evil.example/x\">www.paypal.com</a>"
                  "<a href=\"http://evil.example/x\">read more</a>"});
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->links.size(), 2u);
  auto token_of = [](const LinkReport& link) {
    return link.rewritten_url.substr(link.rewritten_url.rfind('/') + 1);
  };
  // The URL alone is harmless; the text that showed PayPal is not.
  absl::StatusOr<ClickDecision> shown =
      links_->ResolveClick(token_of(out->links[0]), std::nullopt, false);
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_EQ(shown->token.shown_host, "www.paypal.com");
  EXPECT_EQ(shown->action, ClickAction::kWarningPage);
  ASSERT_FALSE(shown->verdict.reasons.empty());
  EXPECT_EQ(shown->verdict.reasons.back().code,
            verdict::ReasonCode::kLinkTextMismatch);
  EXPECT_EQ(shown->verdict.reasons.back().brand, "PayPal");

  absl::StatusOr<ClickDecision> plain =
      links_->ResolveClick(token_of(out->links[1]), std::nullopt, false);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->token.shown_host, "");
  EXPECT_EQ(plain->action, ClickAction::kRedirect);
}

TEST_F(LinkProtectorTest, OversizedInputIsRefusedNamingTheField) {
  LinkProtectorOptions options;
  options.max_message_bytes = 10;
  absl::StatusOr<ClickTokenCodec> codec = ClickTokenCodec::Create(
      {{.id = "k1", .secret = std::string(32, 's')}}, "k1", absl::Hours(1));
  ASSERT_TRUE(codec.ok());
  LinkProtector small(
      *std::move(codec), LinkPolicies(LinkPolicy{}, {}),
      [this](absl::string_view, absl::string_view url,
             absl::string_view tenant) {
        return engine_.CheckUrl(url, tenant);
      },
      engine_, *KeyedHasher::Create(std::string(32, 'k')), *store_, clock_,
      options);
  absl::StatusOr<RewriteOutput> out = small.Rewrite(
      {.kind = ContentKind::kHtml, .content = "<p>more than ten bytes</p>"});
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()),
              StartsWith("html_body: is 26 bytes; the limit is 10"));
}

}  // namespace
}  // namespace lureguard::links
