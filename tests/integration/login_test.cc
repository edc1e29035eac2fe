// End to end for login verdicts: the real lureguard-server binary with a
// login config, driven over loopback gRPC (LoginService, AdminService) and
// by the real CLI; then its log and its SQLite files are scanned for any
// trace of the usernames and passwords it was given.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/login_service.grpc.pb.h"
#include "tests/integration/server_process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

namespace v1 = ::lureguard::v1;
using ::testing::HasSubstr;
using ::testing::Not;

// Names that must never reach the log or the store.
constexpr char kVictim[] = "zq-victim-7741@example.com";
constexpr char kSprayed[] = "sprayed-user-";
constexpr char kPasswordSha1[] = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8";

// The documented answer of `GET /range/21BD1`, first lines (see
// tests/unit/login/breached_passwords_test.cc).
constexpr char kDocumentedRange[] =
    "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n"
    "00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2\r\n"
    "011053FD0102E94D6AE2F8B83D76FAF94F6:1\r\n"
    "012A7CA357541F0AC487871FEEC1891C49C:2\r\n"
    "0136E006E24E7D152139815FB0FC6A50B15:2";

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class LoginServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = dir_.path() + "/var";
    config_ = dir_.path() + "/lureguard.textproto";
    // PayPal is among the default brands; the tenant is PayPal's own IdP.
    std::ofstream(config_) << R"(
login {
  tenants {
    tenant: "paypal-idp"
    brand: "PayPal"
    login_origins: "https://www.paypal.com"
  }
  non_browser_tls_fingerprints: "e7d705a3286e19ea42f587b344ee6865"
}
)";
    server_ = std::make_unique<ServerProcess>(
        data_dir_, std::vector<std::string>{"--config", config_});
    ASSERT_TRUE(server_->WaitServing());
    token_ = server_->token();
    http_address_ = server_->http_address();
    ASSERT_FALSE(http_address_.empty());
    login_ = v1::LoginService::NewStub(server_->channel());
    admin_ = server_->admin();
  }

  void TearDown() override {
    if (server_ != nullptr) Stop();
  }

  int Stop() {
    login_.reset();  // stubs share the channel the server's Stop closes
    admin_.reset();
    const int code = server_->Stop();
    log_ = server_->process().stderr_text();
    server_.reset();
    return code;
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) {
      context->AddMetadata("authorization", "Bearer " + token);
    }
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(60));
    return context;
  }

  v1::CheckLoginResponse CheckLogin(v1::CheckLoginRequest request) {
    if (request.tenant().empty()) request.set_tenant("paypal-idp");
    v1::CheckLoginResponse response;
    grpc::Status status =
        login_->CheckLogin(Context(token_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  void Report(const std::string& user, const std::string& ip,
              v1::LoginResult result) {
    v1::ReportLoginOutcomeRequest request;
    request.set_tenant("paypal-idp");
    request.set_username(user);
    request.set_client_ip(ip);
    request.set_result(result);
    v1::ReportLoginOutcomeResponse response;
    grpc::Status status =
        login_->ReportLoginOutcome(Context(token_).get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  testing::RunResult Cli(std::vector<std::string> args,
                         const std::string& stdin_text = "") {
    std::vector<std::string> argv = {LUREGUARD_CLI_BINARY, "--server",
                                     server_->address(), "--token", token_};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, stdin_text);
  }

  static bool Has(const v1::CheckLoginResponse& response, v1::ReasonCode code) {
    for (const v1::Reason& reason : response.verdict().reasons()) {
      if (reason.code() == code) return true;
    }
    return false;
  }

  testing::TempDir dir_;
  std::string data_dir_;
  std::string config_;
  std::unique_ptr<ServerProcess> server_;
  std::string http_address_;
  std::string token_;
  std::string log_;  // the server's stderr, once stopped
  std::unique_ptr<v1::LoginService::Stub> login_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(LoginServerTest, EverySignalOverGrpc) {
  v1::CheckLoginRequest own;
  own.set_username(kVictim);
  own.set_client_ip("198.51.100.7");
  own.set_origin("https://www.paypal.com");
  own.set_referer("https://www.paypal.com/signin");
  v1::CheckLoginResponse allowed = CheckLogin(own);
  EXPECT_EQ(allowed.verdict().action(), v1::ALLOW);
  EXPECT_EQ(allowed.counters_size(), 4);

  // A reverse proxy on a lookalike of the IdP's own brand.
  v1::CheckLoginRequest proxied = own;
  proxied.set_origin("https://paypa1.com");
  v1::CheckLoginResponse aitm = CheckLogin(proxied);
  EXPECT_EQ(aitm.verdict().action(), v1::BLOCK);
  ASSERT_TRUE(Has(aitm, v1::LOGIN_AITM_ORIGIN));
  EXPECT_EQ(aitm.verdict().reasons(0).brand(), "PayPal");

  // Not one of the tenant's origins.
  v1::CheckLoginRequest unlisted = own;
  unlisted.set_origin("https://sso.partner.example");
  unlisted.clear_referer();
  EXPECT_EQ(CheckLogin(unlisted).verdict().action(), v1::CHALLENGE);

  // An admin-loaded range (a hosting provider, say).
  v1::CreateListEntryRequest range;
  range.set_list(v1::BLOCKLIST);
  range.set_value("192.0.2.0/24");
  range.set_reason("hosting provider");
  v1::ListEntry entry;
  ASSERT_TRUE(
      admin_->CreateListEntry(Context(token_).get(), range, &entry).ok());
  v1::CheckLoginRequest hosted = own;
  hosted.set_client_ip("192.0.2.44");
  v1::CheckLoginResponse listed = CheckLogin(hosted);
  EXPECT_EQ(listed.verdict().action(), v1::CHALLENGE);
  EXPECT_TRUE(Has(listed, v1::LOGIN_IP_LISTED));

  // Client mismatch: a browser user agent over curl's TLS.
  v1::CheckLoginRequest scripted = own;
  scripted.set_user_agent("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0");
  scripted.set_tls_fingerprint("e7d705a3286e19ea42f587b344ee6865");
  EXPECT_TRUE(Has(CheckLogin(scripted), v1::LOGIN_CLIENT_MISMATCH));

  // Brute force: 10 failures for the user from one IP.
  for (int i = 0; i < 10; ++i) {
    Report(kVictim, "198.51.100.7", v1::BAD_PASSWORD);
  }
  v1::CheckLoginResponse brute = CheckLogin(own);
  EXPECT_EQ(brute.verdict().action(), v1::BLOCK);
  EXPECT_TRUE(Has(brute, v1::LOGIN_BRUTE_FORCE));
  EXPECT_GT(brute.retry_after().seconds(), 0);
  EXPECT_EQ(brute.counters(0).name(), "user_ip_failures");
  EXPECT_EQ(brute.counters(0).count(), 10);
  Report(kVictim, "198.51.100.7", v1::LOGIN_SUCCESS);
  EXPECT_EQ(CheckLogin(own).verdict().action(), v1::ALLOW);

  // Password spray: distinct usernames failing from one IP.
  for (int i = 0; i < 5; ++i) {
    Report(absl::StrCat(kSprayed, i), "198.51.100.99", v1::BAD_PASSWORD);
  }
  v1::CheckLoginRequest spray = own;
  spray.set_client_ip("198.51.100.99");
  v1::CheckLoginResponse sprayed = CheckLogin(spray);
  EXPECT_EQ(sprayed.verdict().action(), v1::CHALLENGE);
  EXPECT_TRUE(Has(sprayed, v1::LOGIN_PASSWORD_SPRAY));
  for (int i = 5; i < 20; ++i) {
    Report(absl::StrCat(kSprayed, i), "198.51.100.99", v1::BAD_PASSWORD);
  }
  EXPECT_EQ(CheckLogin(spray).verdict().action(), v1::BLOCK);
}

TEST_F(LoginServerTest, RangeAndBeaconOverTheHttpFront) {
  testing::RunResult imported =
      Cli({"passwords", "import", "-", "--prefix", "21BD1"}, kDocumentedRange);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const size_t colon = http_address_.rfind(':');
  httplib::Client http(http_address_.substr(0, colon),
                       std::stoi(http_address_.substr(colon + 1)));
  // No key: existing range clients only change the base URL.
  httplib::Result range = http.Get("/range/21BD1");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->status, 200);
  EXPECT_EQ(range->body, kDocumentedRange);
  range = http.Get("/range/21bd1", {{"Add-Padding", "true"}});
  ASSERT_TRUE(range);
  std::vector<std::string> padded = absl::StrSplit(range->body, "\r\n");
  EXPECT_GE(padded.size(), 800u);
  EXPECT_LE(padded.size(), 1000u);
  range = http.Get("/range/21BD");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->status, 400);
  EXPECT_THAT(range->body, HasSubstr("prefix: "));

  // The beacon, loaded by the tenant's own page, then through a proxy.
  httplib::Result pixel =
      http.Get("/b/paypal-idp/page-1.gif",
               {{"Referer", "https://www.paypal.com/signin"}});
  ASSERT_TRUE(pixel);
  EXPECT_EQ(pixel->status, 200);
  EXPECT_EQ(pixel->get_header_value("Content-Type"), "image/gif");
  EXPECT_EQ(pixel->get_header_value("Cache-Control"), "no-store");
  EXPECT_TRUE(absl::StartsWith(pixel->body, "GIF89a"));
  pixel = http.Get("/b/paypal-idp/page-1.gif",
                   {{"Referer", "https://signin.relay-kit.example/signin"}});
  ASSERT_TRUE(pixel);
  EXPECT_EQ(pixel->status, 200);
  v1::CheckLoginRequest request;
  request.set_username(kVictim);
  request.set_client_ip("198.51.100.7");
  request.set_referer("https://signin.relay-kit.example/login");
  v1::CheckLoginResponse flagged = CheckLogin(request);
  // Anyone can send that hit: alone it challenges (issue #16).
  EXPECT_EQ(flagged.verdict().action(), v1::CHALLENGE);
  EXPECT_TRUE(Has(flagged, v1::LOGIN_ORIGIN_BEACON));
  // The server's stderr is read on another thread: wait for the line
  // rather than read what has arrived so far.
  EXPECT_TRUE(server_->process()
                  .WaitForStderrLine("login page served through another host",
                                     absl::Seconds(10))
                  .ok())
      << server_->process().stderr_text();
}

// Issue #16: forged beacon hits against the tenant's trusted hosts change
// nothing; against another host they only challenge; an admin sees the
// flag with `beacons ls` and clears it with `beacons rm` (audited).
TEST_F(LoginServerTest, AForgedBeaconCannotBlockTrustedHostsAndAdminsClearIt) {
  testing::RunResult allowed =
      Cli({"allowlist", "add", "sso.partner.example", "--kind", "host"});
  ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
  const size_t colon = http_address_.rfind(':');
  httplib::Client http(http_address_.substr(0, colon),
                       std::stoi(http_address_.substr(colon + 1)));
  // Forged hits naming the allow-listed host, the brand's own domains and
  // an unrelated host.
  for (const char* referer :
       {"https://sso.partner.example/login", "https://paypal.com/signin",
        "https://www.paypal.me/", "https://relay.kit-host.example/signin"}) {
    httplib::Result pixel =
        http.Get("/b/paypal-idp/page-1.gif", {{"Referer", referer}});
    ASSERT_TRUE(pixel);
    EXPECT_EQ(pixel->status, 200);
  }
  for (const char* origin : {"https://sso.partner.example",
                             "https://paypal.com", "https://www.paypal.me"}) {
    v1::CheckLoginRequest request;
    request.set_username(kVictim);
    request.set_client_ip("198.51.100.7");
    request.set_origin(origin);
    v1::CheckLoginResponse response = CheckLogin(request);
    EXPECT_EQ(response.verdict().action(), v1::ALLOW) << origin;
    EXPECT_FALSE(Has(response, v1::LOGIN_ORIGIN_BEACON)) << origin;
  }
  v1::CheckLoginRequest relayed;
  relayed.set_username(kVictim);
  relayed.set_client_ip("198.51.100.7");
  relayed.set_origin("https://relay.kit-host.example");
  v1::CheckLoginResponse challenged = CheckLogin(relayed);
  EXPECT_EQ(challenged.verdict().action(), v1::CHALLENGE);
  EXPECT_TRUE(Has(challenged, v1::LOGIN_ORIGIN_BEACON));

  testing::RunResult ls = Cli({"beacons", "ls"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_THAT(ls.out, HasSubstr("relay.kit-host.example"));
  EXPECT_THAT(ls.out, HasSubstr("paypal-idp"));
  EXPECT_THAT(ls.out, Not(HasSubstr("sso.partner.example")));
  EXPECT_THAT(ls.out, Not(HasSubstr("paypal.com")));
  EXPECT_THAT(ls.out, Not(HasSubstr("paypal.me")));
  testing::RunResult json = Cli({"beacons", "ls", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"host\":\"relay.kit-host.example\""));
  EXPECT_THAT(json.out, HasSubstr("\"hits\":\"1\""));

  testing::RunResult rm = Cli(
      {"beacons", "rm", "relay.kit-host.example", "--tenant", "paypal-idp"});
  ASSERT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_THAT(rm.out, HasSubstr("cleared the beacon flag"));
  v1::CheckLoginResponse cleared = CheckLogin(relayed);
  EXPECT_FALSE(Has(cleared, v1::LOGIN_ORIGIN_BEACON));
  ls = Cli({"beacons", "ls"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_THAT(ls.err, HasSubstr("no beacon flags"));
  testing::RunResult again = Cli(
      {"beacons", "rm", "relay.kit-host.example", "--tenant", "paypal-idp"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("has no beacon flag"));

  testing::RunResult audit = Cli({"audit", "ls", "-o", "json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("DeleteBeaconFlag"));
  EXPECT_THAT(audit.out, HasSubstr("beacon:relay.kit-host.example"));
}

// A flag lapses `login.beacon.flag_ttl` after its last hit, in the real
// server (here 2 s, polled).
TEST_F(LoginServerTest, ABeaconFlagExpires) {
  Stop();
  std::ofstream(config_) << R"(
login {
  tenants {
    tenant: "paypal-idp"
    brand: "PayPal"
    login_origins: "https://www.paypal.com"
  }
  beacon { flag_ttl { seconds: 2 } }
}
)";
  server_ = std::make_unique<ServerProcess>(
      data_dir_, std::vector<std::string>{"--config", config_});
  ASSERT_TRUE(server_->WaitServing());
  token_ = server_->token();
  http_address_ = server_->http_address();
  login_ = v1::LoginService::NewStub(server_->channel());
  admin_ = server_->admin();
  const size_t colon = http_address_.rfind(':');
  httplib::Client http(http_address_.substr(0, colon),
                       std::stoi(http_address_.substr(colon + 1)));
  ASSERT_TRUE(http.Get("/b/paypal-idp/p.gif",
                       {{"Referer", "https://relay.kit-host.example/"}}));
  v1::CheckLoginRequest relayed;
  relayed.set_username(kVictim);
  relayed.set_client_ip("198.51.100.7");
  relayed.set_origin("https://relay.kit-host.example");
  EXPECT_TRUE(Has(CheckLogin(relayed), v1::LOGIN_ORIGIN_BEACON));
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  bool expired = false;
  while (!expired && absl::Now() < deadline) {
    expired = !Has(CheckLogin(relayed), v1::LOGIN_ORIGIN_BEACON);
    if (!expired) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(expired);
  testing::RunResult ls = Cli({"beacons", "ls"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_THAT(ls.err, HasSubstr("no beacon flags"));
}

TEST_F(LoginServerTest, BadInputIsInvalidArgumentNamingTheField) {
  v1::CheckLoginRequest request;
  request.set_tenant("paypal-idp");
  request.set_username(kVictim);
  request.set_client_ip("not-an-ip");
  v1::CheckLoginResponse response;
  grpc::Status status =
      login_->CheckLogin(Context(token_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("client_ip: "));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(kVictim)));
  v1::GetPasswordRangeRequest range;
  range.set_prefix("XYZ");
  v1::GetPasswordRangeResponse body;
  status = login_->GetPasswordRange(Context(token_).get(), range, &body);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("prefix: "));
}

TEST_F(LoginServerTest, KeysAndRolesGuardTheService) {
  v1::CheckLoginRequest request;
  request.set_username("alice");
  request.set_client_ip("198.51.100.7");
  v1::CheckLoginResponse response;
  EXPECT_EQ(
      login_->CheckLogin(Context("").get(), request, &response).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  v1::CreateApiKeyRequest create;
  create.set_name("idp");
  create.set_role(v1::VERDICT);
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(admin_->CreateApiKey(Context(token_).get(), create, &key).ok());
  EXPECT_TRUE(
      login_->CheckLogin(Context(key.token()).get(), request, &response).ok());
  // A verdict key may not replace the breached-password store.
  v1::ImportBreachedPasswordsResponse imported;
  auto context = Context(key.token());
  auto writer = login_->ImportBreachedPasswords(context.get(), &imported);
  v1::ImportBreachedPasswordsRequest chunk;
  chunk.set_chunk(absl::StrCat(kPasswordSha1, ":1\n"));
  writer->Write(chunk);
  writer->WritesDone();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(LoginServerTest, CliFormsAndTheRangeApiThenNoSecretInLogOrStore) {
  // passwords import: a per-prefix file (named by its prefix) and a
  // full-hash file.
  const std::string range_file = dir_.path() + "/21BD1.txt";
  std::ofstream(range_file, std::ios::binary) << kDocumentedRange;
  testing::RunResult imported = Cli({"passwords", "import", range_file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("total_hashes: 5"));
  imported = Cli({"passwords", "import", "-"},
                 absl::StrCat(kPasswordSha1, ":9545824\n"));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("total_hashes: 6"));
  testing::RunResult status = Cli({"passwords", "status"});
  EXPECT_THAT(status.out, HasSubstr("hashes:     6"));

  v1::GetPasswordRangeRequest range;
  range.set_prefix("21bd1");
  v1::GetPasswordRangeResponse body;
  ASSERT_TRUE(
      login_->GetPasswordRange(Context(token_).get(), range, &body).ok());
  EXPECT_EQ(body.body(), kDocumentedRange);
  range.set_add_padding(true);
  ASSERT_TRUE(
      login_->GetPasswordRange(Context(token_).get(), range, &body).ok());
  std::vector<std::string> padded = absl::StrSplit(body.body(), "\r\n");
  EXPECT_GE(padded.size(), 800u);
  EXPECT_LE(padded.size(), 1000u);

  // login check with the breached password: CHALLENGE, force a reset.
  v1::CheckLoginRequest request;
  request.set_tenant("paypal-idp");
  request.set_username(kVictim);
  request.set_client_ip("198.51.100.7");
  request.set_origin("https://www.paypal.com");
  request.set_password_sha1(kPasswordSha1);
  v1::CheckLoginResponse breached = CheckLogin(request);
  EXPECT_EQ(breached.verdict().action(), v1::CHALLENGE);
  EXPECT_TRUE(breached.force_password_reset());
  EXPECT_TRUE(Has(breached, v1::LOGIN_BREACHED_PASSWORD));

  // The fixed CLI forms.
  testing::RunResult check =
      Cli({"login", "check", "--user", kVictim, "--ip", "198.51.100.7",
           "--origin", "https://paypa1.com", "--referer",
           "https://paypa1.com/signin", "--user-agent", "Mozilla/5.0",
           "--tenant", "paypal-idp", "--fail-on", "warn"});
  EXPECT_EQ(check.exit_code, 4) << check.err;
  EXPECT_THAT(check.out, HasSubstr("action:  BLOCK"));
  EXPECT_THAT(check.out, HasSubstr("LOGIN_AITM_ORIGIN(paypa1.com)"));
  for (int i = 0; i < 3; ++i) {
    testing::RunResult report =
        Cli({"login", "report", "--user", kVictim, "--ip", "198.51.100.8",
             "--result", "failure", "--tenant", "paypal-idp"});
    ASSERT_EQ(report.exit_code, 0) << report.err;
  }
  testing::RunResult by_ip = Cli({"login", "counters", "--ip", "198.51.100.8",
                                  "--tenant", "paypal-idp", "-o", "json"});
  ASSERT_EQ(by_ip.exit_code, 0) << by_ip.err;
  EXPECT_THAT(by_ip.out,
              HasSubstr("{\"name\":\"ip_failures\",\"count\":\"3\""));
  testing::RunResult by_user =
      Cli({"login", "counters", "--user", kVictim, "--tenant", "paypal-idp"});
  ASSERT_EQ(by_user.exit_code, 0) << by_user.err;
  EXPECT_THAT(by_user.out, HasSubstr("user_failures   3"));
  testing::RunResult success =
      Cli({"login", "report", "--user", kVictim, "--ip", "198.51.100.8",
           "--result", "success", "--tenant", "paypal-idp"});
  EXPECT_EQ(success.exit_code, 0);
  testing::RunResult both =
      Cli({"login", "counters", "--ip", "198.51.100.8", "--user", kVictim});
  EXPECT_EQ(both.exit_code, 1);

  // The login key is owner-only, like admin.token.
  EXPECT_EQ(
      std::filesystem::status(data_dir_ + "/login.key").permissions() &
          std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // Neither the log nor the store holds a username, a password hash or a
  // hashed password's suffix.
  ASSERT_EQ(Stop(), 0);
  const std::string log_before_stop = log_;
  std::string stored;
  for (const auto& file : std::filesystem::directory_iterator(data_dir_)) {
    const std::string name = file.path().filename().string();
    if (absl::StartsWith(name, "lureguard.db")) {
      stored += ReadFile(file.path().string());
    }
  }
  ASSERT_FALSE(stored.empty());
  for (const std::string& secret :
       {std::string(kVictim), std::string("zq-victim"), std::string(kSprayed),
        std::string(kPasswordSha1), absl::AsciiStrToLower(kPasswordSha1),
        std::string("1E4C9B93F3F0682250B6CF8331B7EE68FD8")}) {
    EXPECT_THAT(log_before_stop, Not(HasSubstr(secret))) << secret;
    EXPECT_EQ(stored.find(secret), std::string::npos) << secret;
  }
  EXPECT_THAT(log_before_stop, HasSubstr("breached-password store replaced"));
}

}  // namespace
}  // namespace lureguard
