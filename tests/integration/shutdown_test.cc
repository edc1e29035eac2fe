// Stopping and interrupting the real server: SIGTERM with clients still
// connected, imports whose callers give up, and an import killed with the
// process.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/login_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "tests/integration/server_process.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

namespace v1 = ::lureguard::v1;

// A server whose shutdown grace is `grace`.
class ShutdownTest : public ::testing::Test {
 protected:
  std::unique_ptr<ServerProcess> Start(absl::Duration grace) {
    const std::string config = dir_.path() + "/config.textproto";
    std::ofstream(config) << "shutdown_grace { seconds: "
                          << absl::ToInt64Seconds(grace) << " }\n";
    auto server = std::make_unique<ServerProcess>(
        data_dir(), std::vector<std::string>{"--config", config});
    EXPECT_TRUE(server->WaitServing());
    return server;
  }

  std::string data_dir() const { return dir_.path() + "/var"; }

  // SIGTERM, then how long the process took to exit and its exit code.
  static std::pair<absl::Duration, int> Terminate(ServerProcess& server) {
    const absl::Time start = absl::Now();
    server.process().Signal(SIGTERM);
    const int code = server.process().Wait();
    return {absl::Now() - start, code};
  }

  testing::TempDir dir_;
};

int64_t BlocklistSize(ServerProcess& server) {
  v1::ListListEntriesRequest request;
  request.set_list(v1::BLOCKLIST);
  v1::ListListEntriesResponse response;
  grpc::Status status = server.admin()->ListListEntries(Context(server).get(),
                                                        request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.total_size();
}

// Lines "host<N>.example" for N in [from, to).
std::string Hosts(int from, int to) {
  std::string content;
  for (int i = from; i < to; ++i)
    absl::StrAppend(&content, "host", i, ".example\n");
  return content;
}

// `count` random full-hash lines of the Pwned Passwords format.
std::string HashLines(int count, absl::BitGen& random) {
  std::string lines;
  lines.reserve(static_cast<size_t>(count) * 46);
  for (int i = 0; i < count; ++i) {
    absl::StrAppendFormat(&lines, "%016X%016X%08X:%d\n",
                          absl::Uniform<uint64_t>(random),
                          absl::Uniform<uint64_t>(random),
                          absl::Uniform<uint32_t>(random), i % 1000 + 1);
  }
  return lines;
}

std::vector<std::string> LeftoverImportFiles(const std::string& dir) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, ".breached-run-") ||
        absl::StrContains(name, ".lgpw.tmp-")) {
      found.push_back(name);
    }
  }
  return found;
}

TEST_F(ShutdownTest,
       SigtermWithIdleChannelsOpenExitsWithoutWaitingOutTheGrace) {
  std::unique_ptr<ServerProcess> server = Start(absl::Seconds(20));
  // Gateways keep their channels for good; each has made calls.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < 4; ++i) {
    channels.push_back(grpc::CreateChannel(server->address(),
                                           grpc::InsecureChannelCredentials()));
    v1::CheckUrlRequest request;
    request.set_url(absl::StrCat("https://idle", i, ".example/"));
    v1::CheckUrlResponse response;
    auto context = Context(*server);
    ASSERT_TRUE(v1::UrlService::NewStub(channels.back())
                    ->CheckUrl(context.get(), request, &response)
                    .ok());
  }
  auto [took, code] = Terminate(*server);
  EXPECT_EQ(code, 0);
  EXPECT_LT(took, absl::Seconds(3)) << "grace is 20 s; nothing was in flight";
}

TEST_F(ShutdownTest, SigtermCancelsAStreamStillOpenWhenTheGraceEnds) {
  std::unique_ptr<ServerProcess> server = Start(absl::Seconds(2));
  // A stream the client never closes: in flight for as long as it likes.
  auto context = Context(*server);
  auto stub = server->url();
  auto stream = stub->StreamCheckUrls(context.get());
  v1::StreamCheckUrlsRequest request;
  request.set_url("https://open-stream.example/");
  ASSERT_TRUE(stream->Write(request));
  v1::StreamCheckUrlsResponse response;
  ASSERT_TRUE(stream->Read(&response));

  auto [took, code] = Terminate(*server);
  EXPECT_EQ(code, 0);
  EXPECT_GE(took, absl::Milliseconds(1500)) << "the stream had its grace";
  EXPECT_LT(took, absl::Seconds(5)) << "grace is 2 s";
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_FALSE(stream->Finish().ok());
}

TEST_F(ShutdownTest, AListImportItsClientCancelsWritesNothing) {
  std::unique_ptr<ServerProcess> server = Start(absl::Seconds(5));
  auto context = Context(*server);
  v1::ImportListEntriesResponse response;
  auto stub = server->admin();
  auto writer = stub->ImportListEntries(context.get(), &response);
  v1::ImportListEntriesRequest chunk;
  chunk.set_list(v1::BLOCKLIST);
  chunk.set_format("domains");
  for (int i = 0; i < 5; ++i) {
    chunk.set_content(Hosts(i * 1000, (i + 1) * 1000));
    ASSERT_TRUE(writer->Write(chunk));
    chunk.clear_list();
    chunk.clear_format();
  }
  // Gone mid-file: to the server the stream simply ends.
  context->TryCancel();
  grpc::Status cancelled = writer->Finish();
  EXPECT_EQ(cancelled.error_code(), grpc::StatusCode::CANCELLED)
      << cancelled.error_message();
  ASSERT_TRUE(server->process()
                  .WaitForStderrLine("\"message\":\"list import abandoned\"",
                                     absl::Seconds(30))
                  .ok())
      << server->process().stderr_text();
  EXPECT_EQ(BlocklistSize(*server), 0);

  // The same lines sent whole land whole.
  auto whole_context = Context(*server);
  writer = stub->ImportListEntries(whole_context.get(), &response);
  chunk.set_list(v1::BLOCKLIST);
  chunk.set_format("domains");
  chunk.set_content(Hosts(0, 5000));
  ASSERT_TRUE(writer->Write(chunk));
  ASSERT_TRUE(writer->WritesDone());
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(BlocklistSize(*server), 5000);
}

TEST_F(ShutdownTest, APasswordImportItsClientCancelsLeavesTheStoreUnchanged) {
  std::unique_ptr<ServerProcess> server = Start(absl::Seconds(5));
  auto stub = v1::LoginService::NewStub(server->channel());
  absl::BitGen random;
  auto context = Context(*server);
  v1::ImportBreachedPasswordsResponse response;
  auto writer = stub->ImportBreachedPasswords(context.get(), &response);
  v1::ImportBreachedPasswordsRequest chunk;
  chunk.set_chunk(HashLines(10000, random));
  ASSERT_TRUE(writer->Write(chunk));
  context->TryCancel();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_TRUE(server->process()
                  .WaitForStderrLine(
                      "\"message\":\"breached-password import abandoned\"",
                      absl::Seconds(30))
                  .ok())
      << server->process().stderr_text();

  v1::BreachedPasswordStatus status;
  v1::GetBreachedPasswordStatusRequest request;
  ASSERT_TRUE(
      stub->GetBreachedPasswordStatus(Context(*server).get(), request, &status)
          .ok());
  EXPECT_EQ(status.hashes(), 0);
  EXPECT_THAT(LeftoverImportFiles(data_dir()), ::testing::IsEmpty());
}

TEST_F(ShutdownTest, AKilledPasswordImportLeavesNoFilesAfterRestart) {
  auto server = std::make_unique<ServerProcess>(data_dir());
  ASSERT_TRUE(server->WaitServing());
  auto stub = v1::LoginService::NewStub(server->channel());
  absl::BitGen random;
  auto context = Context(*server);
  v1::ImportBreachedPasswordsResponse response;
  auto writer = stub->ImportBreachedPasswords(context.get(), &response);
  // A run is written to disk per 64 MiB of sorted hashes (2.8 M): stream
  // until one is there, then kill the server as a crash or OOM would.
  v1::ImportBreachedPasswordsRequest chunk;
  bool run_on_disk = false;
  for (int sent = 0; sent < 4'000'000 && !run_on_disk; sent += 100'000) {
    chunk.set_chunk(HashLines(100'000, random));
    if (!writer->Write(chunk)) break;
    run_on_disk = !LeftoverImportFiles(data_dir()).empty();
  }
  for (int i = 0; i < 200 && !run_on_disk; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    run_on_disk = !LeftoverImportFiles(data_dir()).empty();
  }
  ASSERT_TRUE(run_on_disk) << "no import run appeared in " << data_dir();
  server->process().Signal(SIGKILL);
  server->process().Wait();
  writer->Finish();
  ASSERT_THAT(LeftoverImportFiles(data_dir()),
              ::testing::Not(::testing::IsEmpty()));

  server = std::make_unique<ServerProcess>(data_dir());
  ASSERT_TRUE(server->WaitServing());
  EXPECT_THAT(LeftoverImportFiles(data_dir()), ::testing::IsEmpty());
  EXPECT_TRUE(server->process()
                  .WaitForStderrLine("removed files of an interrupted "
                                     "breached-password import",
                                     absl::ZeroDuration())
                  .ok());
  EXPECT_EQ(server->Stop(), 0);
}

}  // namespace
}  // namespace lureguard
