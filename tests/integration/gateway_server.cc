#include "tests/integration/gateway_server.h"

#include <signal.h>

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace lureguard::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(60);

int PortOf(absl::string_view address) {
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port)) {
    return 0;
  }
  return port;
}

}  // namespace

std::string LogField(absl::string_view line, absl::string_view key) {
  const std::string needle = absl::StrCat("\"", key, "\":\"");
  const size_t start = line.find(needle);
  if (start == absl::string_view::npos) return "";
  const size_t from = start + needle.size();
  return std::string(line.substr(from, line.find('"', from) - from));
}

GatewayServer::GatewayServer(std::vector<std::string> extra_flags)
    : extra_flags_(std::move(extra_flags)) {}

GatewayServer::~GatewayServer() {
  if (process_ != nullptr && exit_code_ < 0) Stop();
}

::testing::AssertionResult GatewayServer::Start() {
  std::vector<std::string> argv = {
      LUREGUARD_SERVER_BINARY, "--listen",    "127.0.0.1:0",
      "--http_listen",         "127.0.0.1:0", "--metrics_listen",
      "127.0.0.1:0",           "--data_dir",  dir_.path() + "/var"};
  argv.insert(argv.end(), extra_flags_.begin(), extra_flags_.end());
  process_ = std::make_unique<Subprocess>(argv);
  for (const auto& [needle, key] :
       std::vector<std::pair<std::string, std::string>>{
           {"\"message\":\"listening\"", "listen"},
           {"\"message\":\"http front listening\"", "http_listen"},
           {"\"message\":\"metrics listening\"", "metrics_listen"},
           {"\"message\":\"serving\"", ""}}) {
    absl::StatusOr<std::string> line =
        process_->WaitForStderrLine(needle, kStartTimeout);
    if (!line.ok()) return ::testing::AssertionFailure() << line.status();
    if (key == "listen") grpc_address_ = LogField(*line, key);
    if (key == "http_listen") http_port_ = PortOf(LogField(*line, key));
    if (key == "metrics_listen") metrics_port_ = PortOf(LogField(*line, key));
  }
  if (http_port_ == 0 || metrics_port_ == 0 || grpc_address_.empty()) {
    return ::testing::AssertionFailure()
           << "no address in the log: " << process_->stderr_text();
  }
  std::ifstream token_file(dir_.path() + "/var/admin.token");
  std::getline(token_file, admin_token_);
  channel_ =
      grpc::CreateChannel(grpc_address_, grpc::InsecureChannelCredentials());
  return ::testing::AssertionSuccess();
}

int GatewayServer::Stop() {
  if (exit_code_ >= 0) return exit_code_;
  // An open channel holds a graceful shutdown for its whole grace period.
  channel_.reset();
  process_->Signal(SIGTERM);
  exit_code_ = process_->Wait();
  return exit_code_;
}

std::unique_ptr<grpc::ClientContext> GatewayServer::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + admin_token_);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(60));
  return context;
}

std::string GatewayServer::CreateKey(const std::string& name,
                                     v1::ApiKeyRole role) {
  v1::CreateApiKeyRequest request;
  request.set_name(name);
  request.set_role(role);
  v1::CreateApiKeyResponse response;
  grpc::Status status = v1::AdminService::NewStub(channel_)->CreateApiKey(
      Context().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.token();
}

void GatewayServer::Block(const std::string& value) {
  v1::CreateListEntryRequest request;
  request.set_list(v1::BLOCKLIST);
  request.set_value(value);
  v1::ListEntry entry;
  grpc::Status status = v1::AdminService::NewStub(channel_)->CreateListEntry(
      Context().get(), request, &entry);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

v1::CheckUrlResponse GatewayServer::CheckUrl(const std::string& url) {
  v1::CheckUrlRequest request;
  request.set_url(url);
  v1::CheckUrlResponse response;
  grpc::Status status = v1::UrlService::NewStub(channel_)->CheckUrl(
      Context().get(), request, &response);
  EXPECT_TRUE(status.ok()) << url << ": " << status.error_message();
  return response;
}

}  // namespace lureguard::testing
