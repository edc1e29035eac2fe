// End to end: message verdicts through the real server binary — the
// campaign's messages judged over real gRPC (MailService.CheckMessage and
// LinkService.RewriteMessage, which returns the same verdict) and through
// the real CLI (`lureguard check mail`).

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lureguard/v1/link_service.grpc.pb.h"
#include "lureguard/v1/mail_service.grpc.pb.h"
#include "tests/integration/server_process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

namespace v1 = ::lureguard::v1;
using ::testing::HasSubstr;
using ::testing::Not;

// No TLS probe may leave the machine. The organisation is Acme Logistics;
// tenant "defang" replaces dangerous attachments.
constexpr char kConfig[] = R"pb(
  certs { disable_probes: true }
  mail {
    trusted_authserv_ids: "mx.acme-logistics.example"
    policy { own_domains: "acme-logistics.example" own_name: "Acme Logistics" }
    tenants {
      tenant: "defang"
      policy { defang_attachments: true }
    }
  }
)pb";

const std::string kData =
    std::string(LUREGUARD_SOURCE_DIR) + "/tests/data/mail/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const v1::Reason* Find(const v1::Verdict& verdict, v1::ReasonCode code) {
  for (const v1::Reason& reason : verdict.reasons()) {
    if (reason.code() == code) return &reason;
  }
  return nullptr;
}

class MailTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string config = dir_->path() + "/lureguard.textproto";
    std::ofstream(config) << kConfig;
    server_ = new ServerProcess(dir_->path() + "/var", {"--config", config});
    ASSERT_TRUE(server_->WaitServing());
    // The campaign's brand, added as an admin would.
    testing::RunResult add = Cli({"brands", "add", "Haier Biomedical",
                                  "--domain", "haiermedical.com", "--domain",
                                  "haier.com", "--token-word", "haier"});
    ASSERT_EQ(add.exit_code, 0) << add.err;
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(), 0);
    delete server_;
    delete dir_;
  }

  static testing::RunResult Cli(std::vector<std::string> args,
                                const std::string& input = "") {
    args.insert(args.begin(),
                {LUREGUARD_CLI_BINARY, "--server", server_->address(),
                 "--token", server_->token()});
    return testing::Run(args, input);
  }

  v1::CheckMessageResponse CheckMessage(const std::string& message,
                                        grpc::Status* status = nullptr) {
    v1::CheckMessageRequest request;
    request.set_message(message);
    request.add_recipients("procurement@acme-logistics.example");
    v1::CheckMessageResponse response;
    grpc::Status s =
        v1::MailService::NewStub(server_->channel())
            ->CheckMessage(Context(*server_).get(), request, &response);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return response;
  }

  static testing::TempDir* dir_;
  static ServerProcess* server_;
};

testing::TempDir* MailTest::dir_ = nullptr;
ServerProcess* MailTest::server_ = nullptr;

TEST_F(MailTest, CampaignMessageBlocksWithReasonsNamingParts) {
  const v1::CheckMessageResponse response =
      CheckMessage(ReadFile(kData + "campaign_attachment.eml"));
  EXPECT_EQ(response.verdict().action(), v1::BLOCK);
  EXPECT_FALSE(response.verdict().verdict_id().empty());
  const v1::Reason* sender =
      Find(response.verdict(), v1::MAIL_SENDER_LOOKALIKE);
  ASSERT_NE(sender, nullptr);
  EXPECT_EQ(sender->brand(), "Haier Biomedical");
  EXPECT_EQ(sender->part(), "From");
  const v1::Reason* form = Find(response.verdict(), v1::MAIL_CREDENTIAL_FORM);
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->part(), "2");
  EXPECT_EQ(form->filename(), "RFQ_CCEOP_2020.html");
  EXPECT_EQ(form->url(), "https://procurement-cceop.com/cc/next.php");
  ASSERT_EQ(response.parts_size(), 2);
  EXPECT_TRUE(response.parts(1).attachment());
  EXPECT_EQ(response.parts(1).content_type(), "text/html");
  ASSERT_EQ(response.parts(1).sinks_size(), 1);
  EXPECT_EQ(response.parts(1).sinks(0).kind(), "form-action");
  EXPECT_EQ(response.sender().from_address(), "sales@haier-biomedical.com");
  EXPECT_NE(Find(response.verdict(), v1::MAIL_RECIPIENT_PREFILLED), nullptr);
}

TEST_F(MailTest, BenignLookAlikesStayAllow) {
  for (const char* file : {"benign_newsletter.eml", "benign_report.eml",
                           "benign_supplier.eml", "benign_survey.eml"}) {
    const v1::CheckMessageResponse response =
        CheckMessage(ReadFile(kData + file));
    EXPECT_EQ(response.verdict().action(), v1::ALLOW) << file;
  }
}

TEST_F(MailTest, RewriteMessageReturnsTheSameVerdictAndDefangsForItsTenant) {
  const std::string message = ReadFile(kData + "campaign_attachment.eml");
  v1::RewriteMessageRequest request;
  request.set_message(message);
  request.set_tenant("defang");
  v1::RewriteMessageResponse response;
  auto links = v1::LinkService::NewStub(server_->channel());
  grpc::Status status =
      links->RewriteMessage(Context(*server_).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.verdict().action(), v1::BLOCK);
  EXPECT_NE(Find(response.verdict(), v1::MAIL_CREDENTIAL_FORM), nullptr);
  ASSERT_EQ(response.defanged_size(), 1);
  EXPECT_EQ(response.defanged(0).part(), "2");
  EXPECT_EQ(response.defanged(0).filename(), "RFQ_CCEOP_2020.html");
  EXPECT_THAT(response.message(),
              HasSubstr("Lureguard removed the attachment"));
  EXPECT_THAT(response.message(), Not(HasSubstr("text/html")));

  // The global tenant does not defang: the attachment stays.
  request.clear_tenant();
  response.Clear();
  status = links->RewriteMessage(Context(*server_).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.defanged_size(), 0);
  EXPECT_THAT(response.message(), HasSubstr("RFQ_CCEOP_2020.html"));
}

TEST_F(MailTest, BadRequestsAreRefusedNamingTheField) {
  grpc::Status status;
  CheckMessage("", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("message:"));

  v1::CheckMessageRequest request;
  request.set_message("From: a@b.example\r\n\r\nhi\r\n");
  request.add_recipients("not an address");
  v1::CheckMessageResponse response;
  status = v1::MailService::NewStub(server_->channel())
               ->CheckMessage(Context(*server_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("recipients[0]"));

  // Up to mail.max_message_bytes (25 MiB) a message is checked; past it,
  // the field is named. (gRPC's own 16 MiB cap used to refuse messages of
  // 16-25 MiB with a bare RESOURCE_EXHAUSTED.)
  std::string large = "From: a@b.example\r\nSubject: scan\r\n\r\n";
  const std::string line(998, 'a');
  while (large.size() < (20u << 20)) large += line + "\r\n";
  v1::CheckMessageResponse checked = CheckMessage(large, &status);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(checked.verdict().action(), v1::ALLOW);
  large.resize((25u << 20) + 1, 'a');
  CheckMessage(large, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "message: is 26214401 bytes; the limit is 26214400");

  // No key, no verdict.
  grpc::ClientContext anonymous;
  status = v1::MailService::NewStub(server_->channel())
               ->CheckMessage(&anonymous, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(MailTest, CliChecksAFileAndStdinWithFailOnExitCodes) {
  const std::string campaign = kData + "campaign_obfuscated.eml";
  testing::RunResult table = Cli({"check", "mail", campaign});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("BLOCK"));
  EXPECT_THAT(table.out, HasSubstr("MAIL_CREDENTIAL_FORM"));
  EXPECT_THAT(table.out, HasSubstr("Quotation_Lot7.htm"));

  testing::RunResult fail =
      Cli({"check", "mail", "--fail-on", "block", campaign});
  EXPECT_EQ(fail.exit_code, 4);

  testing::RunResult json = Cli({"check", "mail", "-o", "json", campaign});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"code\":\"MAIL_OBFUSCATED_CONTENT\""));
  EXPECT_THAT(json.out, HasSubstr("\"action\":\"BLOCK\""));

  testing::RunResult benign = Cli({"check", "mail", "-", "--fail-on", "warn"},
                                  ReadFile(kData + "benign_supplier.eml"));
  EXPECT_EQ(benign.exit_code, 0) << benign.out << benign.err;
  EXPECT_THAT(benign.out, HasSubstr("ALLOW"));

  testing::RunResult missing = Cli({"check", "mail", kData + "nope.eml"});
  EXPECT_EQ(missing.exit_code, 1);
}

}  // namespace
}  // namespace lureguard
