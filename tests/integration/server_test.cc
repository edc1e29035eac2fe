// End to end: the real lureguard-server binary on a loopback port with a
// temporary data dir, driven by real gRPC clients and by the real CLI.

#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/mail_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"
#include "server/common/version.h"
#include "tests/fakes/fake_ct_log.h"
#include "tests/integration/server_process.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_certs.h"
#include "tests/testing/tls_test_server.h"

namespace lureguard {
namespace {

namespace v1 = ::lureguard::v1;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// The lureguard CLI run against `server` with `args`.
testing::RunResult RunCli(const ServerProcess& server,
                          std::vector<std::string> args) {
  std::vector<std::string> argv = {LUREGUARD_CLI_BINARY, "--server",
                                   server.address()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Run(argv);
}

v1::CheckUrlResponse Check(ServerProcess& server, const std::string& url) {
  v1::CheckUrlRequest request;
  request.set_url(url);
  v1::CheckUrlResponse response;
  grpc::Status status =
      server.url()->CheckUrl(Context(server).get(), request, &response);
  EXPECT_TRUE(status.ok()) << url << ": " << status.error_message();
  return response;
}

grpc::Status AddBlock(ServerProcess& server, const std::string& value,
                      v1::EntryKind kind = v1::ENTRY_KIND_UNSPECIFIED,
                      v1::ListEntry* out = nullptr) {
  v1::CreateListEntryRequest request;
  request.set_list(v1::BLOCKLIST);
  request.set_value(value);
  request.set_kind(kind);
  request.set_reason("integration test");
  v1::ListEntry entry;
  grpc::Status status =
      server.admin()->CreateListEntry(Context(server).get(), request, &entry);
  if (out != nullptr) *out = entry;
  return status;
}

int64_t BlocklistSize(ServerProcess& server) {
  v1::ListListEntriesRequest request;
  request.set_list(v1::BLOCKLIST);
  v1::ListListEntriesResponse response;
  grpc::Status status = server.admin()->ListListEntries(Context(server).get(),
                                                        request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.total_size();
}

class ServerTest : public ::testing::Test {
 protected:
  std::string data_dir() const { return dir_.path() + "/var"; }

  // Writes a config that trusts `ca` and resolves each of `hosts` to
  // 127.0.0.1 (where the tests' TLS servers listen); returns its path.
  std::string TrustingConfig(const testing::TestCa& ca,
                             const std::vector<std::string>& hosts) const {
    const std::string ca_file = dir_.path() + "/ca.pem";
    std::ofstream(ca_file) << ca.cert_pem();
    const std::string config = dir_.path() + "/certs.textproto";
    std::ofstream out(config);
    out << "certs {\n  extra_ca_file: \"" << ca_file << "\"\n";
    for (const std::string& host : hosts) {
      out << "  resolve_overrides { key: \"" << host
          << "\" value: \"127.0.0.1\" }\n";
    }
    out << "}\n";
    return config;
  }

  testing::TempDir dir_;
};

TEST_F(ServerTest, AddCheckRestartCheckRemoveCheck) {
  {
    ServerProcess server(data_dir());
    ASSERT_TRUE(server.WaitServing());
    EXPECT_EQ(server.Health(), grpc::health::v1::HealthCheckResponse::SERVING);

    EXPECT_EQ(
        Check(server, "https://login.evil-phish.test/x").verdict().action(),
        v1::ALLOW);
    v1::ListEntry entry;
    grpc::Status added =
        AddBlock(server, "Evil-Phish.TEST", v1::ENTRY_KIND_UNSPECIFIED, &entry);
    ASSERT_TRUE(added.ok()) << added.error_message();
    EXPECT_EQ(entry.value(), "evil-phish.test");
    EXPECT_EQ(entry.kind(), v1::DOMAIN_WITH_SUBDOMAINS);
    EXPECT_EQ(entry.source(), "admin");
    EXPECT_GT(entry.id(), 0);

    v1::CheckUrlResponse blocked =
        Check(server, "HTTPS://LOGIN.evil-phish.test./a/../signin?x=1#f");
    EXPECT_EQ(blocked.verdict().action(), v1::BLOCK);
    EXPECT_EQ(blocked.host(), "login.evil-phish.test");
    EXPECT_EQ(blocked.canonical_url(),
              "https://login.evil-phish.test/signin?x=1");
    ASSERT_GE(blocked.verdict().reasons_size(), 1);
    EXPECT_EQ(blocked.verdict().reasons(0).code(), v1::BLOCKLIST_MATCH);
    EXPECT_EQ(blocked.verdict().reasons(0).matched(), "evil-phish.test");
    EXPECT_EQ(blocked.verdict().reasons(0).source(), "admin");
    EXPECT_FALSE(blocked.verdict().verdict_id().empty());
    EXPECT_EQ(server.Stop(), 0);
  }
  {
    ServerProcess server(data_dir());
    ASSERT_TRUE(server.WaitServing());
    EXPECT_EQ(Check(server, "http://evil-phish.test/").verdict().action(),
              v1::BLOCK);

    v1::DeleteListEntryRequest request;
    request.set_list(v1::BLOCKLIST);
    request.set_value("evil-phish.test");
    v1::DeleteListEntryResponse response;
    grpc::Status deleted = server.admin()->DeleteListEntry(
        Context(server).get(), request, &response);
    ASSERT_TRUE(deleted.ok()) << deleted.error_message();
    EXPECT_EQ(response.deleted_count(), 1);
    EXPECT_EQ(Check(server, "http://evil-phish.test/").verdict().action(),
              v1::ALLOW);

    // A second removal finds nothing.
    deleted = server.admin()->DeleteListEntry(Context(server).get(), request,
                                              &response);
    EXPECT_EQ(deleted.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(server.Stop(), 0);
  }
}

// A URL asked about again is answered from the server's caches (the
// engine's checks, the service's encoded answers): the same answer but for
// its own verdict_id and a cache_ttl counted down to the entry's expiry,
// and a list change is seen at once.
TEST_F(ServerTest, ARepeatedCheckIsTheSameAnswerWithItsOwnIdAndTtl) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  const std::string url = "https://login.brief-phish.test/a?b=1";
  EXPECT_EQ(Check(server, url).verdict().action(), v1::ALLOW);
  v1::CreateListEntryRequest request;
  request.set_list(v1::BLOCKLIST);
  request.set_value("brief-phish.test");
  request.set_reason("integration test");
  request.mutable_ttl()->set_seconds(120);
  v1::ListEntry entry;
  grpc::Status added =
      server.admin()->CreateListEntry(Context(server).get(), request, &entry);
  ASSERT_TRUE(added.ok()) << added.error_message();

  const v1::CheckUrlResponse first = Check(server, url);
  EXPECT_EQ(first.verdict().action(), v1::BLOCK);
  EXPECT_LE(first.verdict().cache_ttl().seconds(), 120);
  EXPECT_GT(first.verdict().cache_ttl().seconds(), 100);
  std::set<std::string> ids = {first.verdict().verdict_id()};
  int64_t last_ttl_nanos = absl::ToInt64Nanoseconds(
      absl::Seconds(first.verdict().cache_ttl().seconds()) +
      absl::Nanoseconds(first.verdict().cache_ttl().nanos()));
  for (int i = 0; i < 5; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    v1::CheckUrlResponse again = Check(server, url);
    EXPECT_THAT(again.verdict().verdict_id(),
                ::testing::MatchesRegex("[0-9a-f]{32}"));
    EXPECT_TRUE(ids.insert(again.verdict().verdict_id()).second);
    const int64_t ttl_nanos = absl::ToInt64Nanoseconds(
        absl::Seconds(again.verdict().cache_ttl().seconds()) +
        absl::Nanoseconds(again.verdict().cache_ttl().nanos()));
    EXPECT_LT(ttl_nanos, last_ttl_nanos);  // counted down
    last_ttl_nanos = ttl_nanos;
    // The rest is the first answer, field for field.
    again.mutable_verdict()->set_verdict_id(first.verdict().verdict_id());
    *again.mutable_verdict()->mutable_cache_ttl() = first.verdict().cache_ttl();
    EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString()) << i;
  }

  v1::DeleteListEntryRequest remove;
  remove.set_list(v1::BLOCKLIST);
  remove.set_value("brief-phish.test");
  v1::DeleteListEntryResponse removed;
  ASSERT_TRUE(server.admin()
                  ->DeleteListEntry(Context(server).get(), remove, &removed)
                  .ok());
  EXPECT_EQ(Check(server, url).verdict().action(), v1::ALLOW);
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServerTest, BatchAndStreamAnswerInOrderWithPerUrlErrors) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  ASSERT_TRUE(AddBlock(server, "bad.test").ok());
  const std::vector<std::string> urls = {"http://ok.test/", "",
                                         "http://x.bad.test/p", "http://[::1/"};

  v1::CheckUrlsRequest batch;
  for (const std::string& url : urls) batch.add_urls(url);
  v1::CheckUrlsResponse batch_response;
  grpc::Status status =
      server.url()->CheckUrls(Context(server).get(), batch, &batch_response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(batch_response.results_size(), 4);
  EXPECT_EQ(batch_response.results(0).verdict().action(), v1::ALLOW);
  EXPECT_EQ(batch_response.results(1).error().code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(batch_response.results(1).error().message(), "urls[1]: is empty");
  EXPECT_EQ(batch_response.results(2).verdict().action(), v1::BLOCK);
  EXPECT_EQ(batch_response.results(2).url(), "http://x.bad.test/p");
  EXPECT_THAT(batch_response.results(3).error().message(),
              StartsWith("urls[3]: "));

  {
    auto context = Context(server);
    auto stream = server.url()->StreamCheckUrls(context.get());
    for (const std::string& url : urls) {
      v1::StreamCheckUrlsRequest request;
      request.set_url(url);
      ASSERT_TRUE(stream->Write(request));
    }
    stream->WritesDone();
    std::vector<v1::CheckUrlResponse> results;
    v1::StreamCheckUrlsResponse response;
    while (stream->Read(&response)) results.push_back(response.result());
    ASSERT_TRUE(stream->Finish().ok());
    ASSERT_EQ(results.size(), 4u);
    EXPECT_EQ(results[0].verdict().action(), v1::ALLOW);
    EXPECT_EQ(results[1].error().message(), "url: is empty");
    EXPECT_EQ(results[2].verdict().action(), v1::BLOCK);
    EXPECT_TRUE(results[3].has_error());
  }
  server.Stop();
}

TEST_F(ServerTest, BadInputIsInvalidArgumentNamingTheField) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  v1::CheckUrlRequest request;
  v1::CheckUrlResponse response;

  request.set_url("");
  grpc::Status status =
      server.url()->CheckUrl(Context(server).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "url: is empty");

  request.set_url("http://a.test/" + std::string(9000, 'a'));
  status = server.url()->CheckUrl(Context(server).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "url: is 9014 bytes; the limit is 8192");

  request.set_url("http://exa mple.test/");
  status = server.url()->CheckUrl(Context(server).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("url: "));

  // protobuf's C++ client sends a non-UTF-8 string (it only logs); the
  // server must name the field rather than fail to decode the request.
  request.set_url("http://a\xFF.test/");
  status = server.url()->CheckUrl(Context(server).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "url: is not valid UTF-8");
  {
    v1::CheckUrlsRequest mixed;
    mixed.add_urls("http://ok.test/");
    mixed.add_urls("http://a\xFF.test/");
    v1::CheckUrlsResponse mixed_response;
    status =
        server.url()->CheckUrls(Context(server).get(), mixed, &mixed_response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(mixed_response.results_size(), 2);
    EXPECT_EQ(mixed_response.results(0).verdict().action(), v1::ALLOW);
    EXPECT_EQ(mixed_response.results(1).error().message(),
              "urls[1]: is not valid UTF-8");
  }
  {
    // On a stream too: that URL's error, and the stream goes on. (Decoded
    // by gRPC, the bad message ended the stream with OK, unanswered URLs
    // and all, and a `check url --fail-on warn -` gate passed.) A malformed
    // tenant is its message's error as well.
    auto context = Context(server);
    auto stream = server.url()->StreamCheckUrls(context.get());
    for (const char* url :
         {"http://ok.test/", "http://a\xFF.test/",
          "https://paypa1-login.com/signin", "http://ok.test/"}) {
      v1::StreamCheckUrlsRequest message;
      message.set_url(url);
      ASSERT_TRUE(stream->Write(message));
    }
    v1::StreamCheckUrlsRequest bad_tenant;
    bad_tenant.set_url("http://ok.test/");
    bad_tenant.set_tenant("acme corp");
    ASSERT_TRUE(stream->Write(bad_tenant));
    stream->WritesDone();
    std::vector<v1::CheckUrlResponse> results;
    v1::StreamCheckUrlsResponse answer;
    while (stream->Read(&answer)) results.push_back(answer.result());
    const grpc::Status finished = stream->Finish();
    ASSERT_TRUE(finished.ok()) << finished.error_message();
    ASSERT_EQ(results.size(), 5u);
    EXPECT_EQ(results[0].verdict().action(), v1::ALLOW);
    EXPECT_EQ(results[1].error().code(),
              static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_EQ(results[1].error().message(), "url: is not valid UTF-8");
    EXPECT_EQ(results[2].verdict().action(), v1::BLOCK);
    EXPECT_EQ(results[3].verdict().action(), v1::ALLOW);
    EXPECT_THAT(results[4].error().message(),
                StartsWith("tenant: \"acme corp\" must be"));
  }

  {
    // Bytes that are no CheckUrlRequest (a length past the end): the
    // request as a whole is named, and the server goes on.
    grpc::GenericStub stub(server.channel());
    grpc::CompletionQueue queue;
    const grpc::Slice bytes(std::string("\x0a\x09short", 7));
    const grpc::ByteBuffer raw(&bytes, 1);
    std::unique_ptr<grpc::ClientContext> context = Context(server);
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
        stub.PrepareUnaryCall(context.get(),
                              "/lureguard.v1.UrlService/CheckUrl", raw, &queue);
    call->StartCall();
    grpc::ByteBuffer answer;
    grpc::Status raw_status;
    call->Finish(&answer, &raw_status, nullptr);
    void* tag = nullptr;
    bool ok = false;
    ASSERT_TRUE(queue.Next(&tag, &ok));
    EXPECT_EQ(raw_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(raw_status.error_message(), "request: is not a CheckUrlRequest");
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    request.set_url("http://a.test/");
    EXPECT_TRUE(
        server.url()->CheckUrl(Context(server).get(), request, &response).ok());
  }

  v1::CheckUrlsRequest batch;
  for (int i = 0; i < 1001; ++i) batch.add_urls("http://a.test/");
  v1::CheckUrlsResponse batch_response;
  status =
      server.url()->CheckUrls(Context(server).get(), batch, &batch_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "urls: 1001 URLs exceed the batch limit of 1000");

  status = AddBlock(server, "10.0.0.1/8", v1::IP_RANGE);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "value: '10.0.0.1/8': host bits are set; the network is "
            "10.0.0.0/8");
  status = AddBlock(server, "evil.test", static_cast<v1::EntryKind>(42));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "kind: unknown kind 42");

  v1::CreateListEntryRequest no_list;
  no_list.set_value("evil.test");
  v1::ListEntry entry;
  status =
      server.admin()->CreateListEntry(Context(server).get(), no_list, &entry);
  EXPECT_EQ(status.error_message(), "list: must be BLOCKLIST or ALLOWLIST");
  EXPECT_EQ(BlocklistSize(server), 0);
  server.Stop();
}

// One tenant rule (common/tenant.h): a tenant a check may name is one the
// admin calls may give entries to, and the other way round.
TEST_F(ServerTest, ChecksAndAdminCallsShareOneTenantRule) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  const std::string refused =
      "tenant: \"acme corp\" must be up to 128 printable ASCII characters "
      "without spaces";

  v1::CheckUrlRequest check;
  check.set_url("https://login.tenant-phish.test/");
  check.set_tenant("acme corp");
  v1::CheckUrlResponse checked;
  grpc::Status status =
      server.url()->CheckUrl(Context(server).get(), check, &checked);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), refused);

  v1::CreateListEntryRequest add;
  add.set_list(v1::BLOCKLIST);
  add.set_value("tenant-phish.test");
  add.set_tenant("acme corp");
  v1::ListEntry entry;
  status = server.admin()->CreateListEntry(Context(server).get(), add, &entry);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), refused);

  // Printable punctuation is a tenant everywhere.
  add.set_tenant("acme/eu");
  status = server.admin()->CreateListEntry(Context(server).get(), add, &entry);
  ASSERT_TRUE(status.ok()) << status.error_message();
  check.set_tenant("acme/eu");
  status = server.url()->CheckUrl(Context(server).get(), check, &checked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(checked.verdict().action(), v1::BLOCK);
  check.set_tenant("acme");
  status = server.url()->CheckUrl(Context(server).get(), check, &checked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(checked.verdict().action(), v1::ALLOW);
  server.Stop();
}

TEST_F(ServerTest, ImportIsAtomicAndNamesTheBadLine) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  ASSERT_TRUE(AddBlock(server, "before.test").ok());

  auto import = [&](const std::string& content, bool skip_invalid,
                    v1::ImportListEntriesResponse& response,
                    const std::string& format = "domains") {
    auto context = Context(server);
    auto writer = server.admin()->ImportListEntries(context.get(), &response);
    v1::ImportListEntriesRequest first;
    first.set_list(v1::BLOCKLIST);
    first.set_format(format);
    first.set_skip_invalid(skip_invalid);
    // Split mid-line to show lines may span messages.
    first.set_content(content.substr(0, content.size() / 2));
    writer->Write(first);
    v1::ImportListEntriesRequest rest;
    rest.set_content(content.substr(content.size() / 2));
    writer->Write(rest);
    writer->WritesDone();
    return writer->Finish();
  };

  std::string content;
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&content, "d", i, ".test\n");
  content += "not a domain\n";
  v1::ImportListEntriesResponse response;
  grpc::Status status = import(content, false, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("line 1001: "));
  EXPECT_EQ(BlocklistSize(server), 1);
  EXPECT_EQ(Check(server, "http://d5.test/").verdict().action(), v1::ALLOW);

  // An unknown format is refused before any line, naming every format.
  status = import(content, false, response, "csv");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "format: unknown format 'csv' (known: auto, entries, domains, "
            "hosts, urls, phishtank-csv, phishtank-json, urlhaus-csv, "
            "adblock)");
  EXPECT_EQ(BlocklistSize(server), 1);

  status = import(content, true, response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.accepted_count(), 1000);
  EXPECT_EQ(response.skipped_count(), 1);
  EXPECT_EQ(response.format(), "domains");
  EXPECT_EQ(BlocklistSize(server), 1001);
  EXPECT_EQ(Check(server, "http://www.d999.test/").verdict().action(),
            v1::BLOCK);
  server.Stop();
}

TEST_F(ServerTest, HealthIsNotServingUntilTheSnapshotIsLoaded) {
  {
    ServerProcess server(data_dir());
    ASSERT_TRUE(server.WaitServing());
    // Enough entries that loading them takes a noticeable time.
    std::string content;
    for (int i = 0; i < 300000; ++i) {
      absl::StrAppend(&content, "h", i, ".example.test\n");
    }
    v1::ImportListEntriesResponse response;
    auto context = Context(server);
    auto writer = server.admin()->ImportListEntries(context.get(), &response);
    v1::ImportListEntriesRequest request;
    request.set_list(v1::BLOCKLIST);
    request.set_content(content);
    writer->Write(request);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.accepted_count(), 300000);
    server.Stop();
  }
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitListening());
  // Between "listening" and "serving" the snapshot of 300 000 entries is
  // loading, which takes far longer than this one probe.
  EXPECT_EQ(server.Health(),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(server.process()
                  .WaitForStderrLine("\"message\":\"serving\"", kStartTimeout)
                  .ok());
  EXPECT_EQ(server.Health(), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(server, "http://h299999.example.test/").verdict().action(),
            v1::BLOCK);
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServerTest, RefusesACorruptStoreNamingTheFile) {
  std::filesystem::create_directories(data_dir());
  {
    std::ofstream db(data_dir() + "/lureguard.db");
    db << "this is not a database, just some text that is long enough to "
          "fill the header of an SQLite file and then some more bytes";
  }
  testing::RunResult run =
      testing::Run({LUREGUARD_SERVER_BINARY, "--listen", "127.0.0.1:0",
                    "--data_dir", data_dir()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(data_dir() + "/lureguard.db"));
}

TEST_F(ServerTest, RefusesADataDirThatIsAFile) {
  const std::string file = dir_.path() + "/plain-file";
  std::ofstream(file) << "x";
  testing::RunResult run =
      testing::Run({LUREGUARD_SERVER_BINARY, "--listen", "127.0.0.1:0",
                    "--data_dir", file + "/var"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("data dir '" + file + "/var'"));
}

TEST_F(ServerTest, RefusesAnInvalidConfigNamingTheField) {
  const std::string config = dir_.path() + "/bad.textproto";
  std::ofstream(config)
      << "policy { warn_threshold: 0.9 block_threshold: 0.8 }";
  testing::RunResult run = testing::Run(
      {LUREGUARD_SERVER_BINARY, "--config", config, "--data_dir", data_dir()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("policy.warn_threshold: 0.9 is above "
                                 "policy.block_threshold 0.8"));

  std::ofstream(config) << "listen: \"127.0.0.1:0\"\nno_such_field: 1\n";
  run = testing::Run(
      {LUREGUARD_SERVER_BINARY, "--config", config, "--data_dir", data_dir()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("line 2"));
  EXPECT_THAT(run.err, HasSubstr("no_such_field"));
}

TEST_F(ServerTest, ConfigFileIsReadAndFlagsOverrideIt) {
  const std::string config = dir_.path() + "/lureguard.textproto";
  std::ofstream(config) << "listen: \"127.0.0.1:1\"\n"
                           "limits { max_batch_size: 2 }\n";
  ServerProcess server(data_dir(), {"--config", config});
  ASSERT_TRUE(server.WaitServing());
  EXPECT_NE(server.address(), "127.0.0.1:1");  // --listen won
  v1::CheckUrlsRequest batch;
  for (int i = 0; i < 3; ++i) batch.add_urls("http://a.test/");
  v1::CheckUrlsResponse response;
  grpc::Status status =
      server.url()->CheckUrls(Context(server).get(), batch, &response);
  EXPECT_EQ(status.error_message(), "urls: 3 URLs exceed the batch limit of 2");
  server.Stop();
}

TEST_F(ServerTest, CliDrivesTheServer) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  auto cli = [&](std::vector<std::string> args, std::string stdin_text = "") {
    std::vector<std::string> argv = {LUREGUARD_CLI_BINARY, "--server",
                                     server.address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, stdin_text);
  };

  testing::RunResult health = cli({"health"});
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_THAT(health.out, HasSubstr("SERVING"));

  testing::RunResult add =
      cli({"blocklist", "add", "cli-evil.test", "--reason", "from the CLI"});
  ASSERT_EQ(add.exit_code, 0) << add.err;

  testing::RunResult check =
      cli({"check", "url", "https://www.cli-evil.test/login", "-o", "json"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("\"action\":\"BLOCK\""));
  EXPECT_THAT(check.out, HasSubstr("BLOCKLIST_MATCH"));

  testing::RunResult fail_on = cli({"check", "url", "--fail-on", "block",
                                    "https://www.cli-evil.test/login"});
  EXPECT_EQ(fail_on.exit_code, 4) << fail_on.err;

  // A brand's domain as the user info before another host.
  testing::RunResult userinfo =
      cli({"check", "url", "-o", "json", "https://paypal.com@evil.example/"});
  EXPECT_EQ(userinfo.exit_code, 0) << userinfo.err;
  EXPECT_THAT(userinfo.out, HasSubstr("\"action\":\"BLOCK\""));
  EXPECT_THAT(userinfo.out, HasSubstr("\"technique\":\"userinfo\""));

  testing::RunResult streamed = cli({"check", "url", "-", "-o", "json"},
                                    "http://a.test/\nhttps://cli-evil.test/\n");
  EXPECT_EQ(streamed.exit_code, 0) << streamed.err;
  std::vector<std::string> lines =
      absl::StrSplit(streamed.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << streamed.out;
  EXPECT_THAT(lines[0], HasSubstr("\"action\":\"ALLOW\""));
  EXPECT_THAT(lines[1], HasSubstr("\"action\":\"BLOCK\""));

  // A line that is not UTF-8 is that line's error, shown escaped; the URLs
  // after it are still checked, so a gate still fails on them.
  testing::RunResult gate =
      cli({"check", "url", "--fail-on", "warn", "-", "-o", "json"},
          "http://a.test/\nhttp://exa\xFFmple.test/\nhttps://cli-evil.test/\n");
  EXPECT_EQ(gate.exit_code, 4) << gate.err;
  lines = absl::StrSplit(gate.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << gate.out;
  EXPECT_THAT(lines[1], HasSubstr("\"action\":\"BLOCK\""));
  EXPECT_EQ(gate.err,
            "error: http://exa\\xffmple.test/: INVALID_ARGUMENT: url: is not "
            "valid UTF-8\n");

  testing::RunResult ls = cli({"blocklist", "ls", "-o", "json"});
  EXPECT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_THAT(ls.out, HasSubstr("cli-evil.test"));

  testing::RunResult rm = cli({"blocklist", "rm", "cli-evil.test"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  fail_on = cli({"check", "url", "--fail-on", "block",
                 "https://www.cli-evil.test/login"});
  EXPECT_EQ(fail_on.exit_code, 0) << fail_on.err;

  testing::RunResult status = cli({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr(lureguard::kVersion));

  testing::RunResult bad = cli({"blocklist", "add", "10.0.0.1/8"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("host bits are set"));
  EXPECT_EQ(server.Stop(), 0);
}

// ---- Clients within the server's limits -----------------------------------

// The CLI with the server's address; LUREGUARD_TOKEN comes from
// ServerProcess.
testing::RunResult Cli(const ServerProcess& server,
                       std::vector<std::string> args,
                       const std::string& stdin_text = "") {
  std::vector<std::string> argv = {LUREGUARD_CLI_BINARY, "--server",
                                   server.address()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Run(argv, stdin_text);
}

TEST_F(ServerTest, CliStreamsTwentyThousandUrlsAtTheDefaultRateLimit) {
  // The default limit is 1000 calls a second with a burst of 2000, and each
  // message of a stream takes a token: the stream outruns the bucket after
  // ~2000 URLs and must then be paced, not failed. ~18 s.
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  constexpr int kUrls = 20000;
  std::string input;
  for (int i = 0; i < kUrls; ++i) {
    absl::StrAppend(&input, "http://host-", i, ".test/\n");
  }
  const absl::Time start = absl::Now();
  testing::RunResult run =
      Cli(server, {"check", "url", "-", "-o", "json"}, input);
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  std::vector<std::string> lines =
      absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kUrls));
  EXPECT_THAT(lines.front(), HasSubstr("\"url\":\"http://host-0.test/\""));
  EXPECT_THAT(lines.back(), HasSubstr("\"url\":\"http://host-19999.test/\""));
  for (const std::string& line : lines) {
    ASSERT_THAT(line, HasSubstr("\"action\":\"ALLOW\"")) << line;
  }
  // Paced at the key's rate: (20000 - 2000) / 1000 per second.
  EXPECT_GE(took, absl::Seconds(17)) << took;
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServerTest, CliRetriesARateLimitedCheckAfterThePushback) {
  // One call every 2 s, one at a time: the second call in a row is refused
  // with up to 2000 ms of pushback.
  const std::string config = dir_.path() + "/lureguard.textproto";
  std::ofstream(config) << "rate_limit { requests_per_second: 0.5 burst: 1 }\n";
  ServerProcess server(data_dir(), {"--config", config});
  ASSERT_TRUE(server.WaitServing());

  testing::RunResult first = Cli(server, {"check", "url", "http://a.test/"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // The key's bucket is empty now: a plain gRPC client is refused.
  {
    auto context = Context(server);
    v1::CheckUrlRequest request;
    request.set_url("http://a.test/");
    v1::CheckUrlResponse response;
    grpc::Status refused =
        server.url()->CheckUrl(context.get(), request, &response);
    ASSERT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_EQ(
        context->GetServerTrailingMetadata().count("grpc-retry-pushback-ms"),
        1u);
  }
  // The CLI waits as told and gets its verdict.
  testing::RunResult second =
      Cli(server, {"check", "url", "-o", "json", "http://b.test/"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err, "");
  EXPECT_THAT(second.out, HasSubstr("\"action\":\"ALLOW\""));
  EXPECT_THAT(second.out, HasSubstr("http://b.test/"));
  // A pushback longer than --timeout is reported, not waited out.
  testing::RunResult hurried =
      Cli(server, {"check", "url", "--timeout", "200ms", "http://c.test/"});
  EXPECT_EQ(hurried.exit_code, 2);
  EXPECT_EQ(hurried.out, "");
  EXPECT_THAT(hurried.err, StartsWith("error: RESOURCE_EXHAUSTED: key "));
  EXPECT_THAT(hurried.err, HasSubstr("is over its rate limit; retry in "));
  EXPECT_EQ(server.Stop(), 0);
}

// A URL of about `bytes` bytes, mostly two-byte UTF-8, whose answer is
// about four times longer (its canonical form is percent-encoded).
std::string LongNonAsciiUrl(int index, size_t bytes) {
  std::string url =
      absl::StrCat("https://пример-", index, ".испытание/", index, "/");
  while (url.size() + 10 < bytes) url += "путь/";
  return url;
}

TEST_F(ServerTest, ABatchWhoseAnswersOutgrowTheMessageCapRefusesTheRest) {
  // 1000 URLs of ~8000 bytes: an 8 MB request under the default 26 MiB
  // cap, and an answer of ~32 MB.
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  // A client that takes answers up to the server's cap (gRPC's default
  // is 4 MiB), as the CLI does.
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(64 << 20);
  auto url_service = v1::UrlService::NewStub(grpc::CreateCustomChannel(
      server.address(), grpc::InsecureChannelCredentials(), channel_args));
  std::vector<std::string> pending;
  for (int i = 0; i < 1000; ++i) pending.push_back(LongNonAsciiUrl(i, 8000));
  int verdicts = 0;
  int calls = 0;
  while (!pending.empty() && calls < 10) {
    ++calls;
    v1::CheckUrlsRequest batch;
    for (const std::string& url : pending) batch.add_urls(url);
    v1::CheckUrlsResponse response;
    grpc::Status status =
        url_service->CheckUrls(Context(server).get(), batch, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.results_size(), batch.urls_size());
    std::vector<std::string> refused;
    for (int i = 0; i < response.results_size(); ++i) {
      const v1::CheckUrlResponse& result = response.results(i);
      if (result.has_verdict()) {
        ASSERT_TRUE(refused.empty()) << "a verdict after a refusal at " << i;
        EXPECT_EQ(result.url(), pending[i]);
        ++verdicts;
        continue;
      }
      ASSERT_EQ(result.error().code(),
                static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
      EXPECT_EQ(result.error().message(),
                absl::StrCat("urls[", i,
                             "]: not checked: the answers to this batch "
                             "would exceed limits.max_message_bytes "
                             "(27262976 bytes); send this URL in a smaller "
                             "batch"));
      refused.push_back(pending[i]);
    }
    if (calls == 1) {
      EXPECT_GT(refused.size(), 0u);
      EXPECT_LT(refused.size(), 1000u);
    }
    pending = refused;
  }
  EXPECT_EQ(verdicts, 1000);
  EXPECT_GE(calls, 2);
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServerTest, CliResendsTheUrlsABatchAnswerHadNoRoomFor) {
  // The smallest cap the config allows: 40 URLs of ~1000 bytes ask with
  // ~40 KB and are answered with ~160 KB, over several calls.
  const std::string config = dir_.path() + "/lureguard.textproto";
  std::ofstream(config) << "limits { max_message_bytes: 65536 }\n";
  ServerProcess server(data_dir(), {"--config", config});
  ASSERT_TRUE(server.WaitServing());
  std::vector<std::string> args = {"check", "url", "-o", "json"};
  for (int i = 0; i < 40; ++i) args.push_back(LongNonAsciiUrl(i, 1000));
  testing::RunResult run = Cli(server, args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  std::vector<std::string> lines =
      absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 40u);
  for (int i = 0; i < 40; ++i) {
    EXPECT_THAT(lines[i], HasSubstr(absl::StrCat(".испытание/", i, "/")));
    EXPECT_THAT(lines[i], HasSubstr("\"action\":\"")) << lines[i];
  }
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServerTest, FeedServedLocallyBlocksItsUrlsAndKeepsThemOnFailure) {
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> http =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(http.ok()) << http.status();
  testing::HttpTestResponse feed;
  feed.body =
      "https://phish-feed.test/login/verify.php?user=victim\n"
      "http://other-phish.test/\n";
  (*http)->SetResponse("/feed.txt", feed);

  ServerProcess server(data_dir(), {"--allow_private_targets"});
  ASSERT_TRUE(server.WaitServing());

  testing::RunResult add = RunCli(
      server, {"feeds", "add", "openphish", "--url", (*http)->Url("/feed.txt"),
               "--format", "urls", "--interval", "1h"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;

  testing::RunResult check = RunCli(
      server,
      {"check", "url", "-o", "json",
       "https://www.phish-feed.test/login/verify.php?user=someone-else"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("\"action\":\"BLOCK\""));
  EXPECT_THAT(check.out, HasSubstr("\"source\":\"feed:openphish\""));

  testing::RunResult ls = RunCli(server, {"feeds", "ls", "-o", "json"});
  EXPECT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_THAT(ls.out, HasSubstr("\"entryCount\":\"2\""));

  // The feed breaks: the refresh fails and the entries stay.
  testing::HttpTestResponse broken;
  broken.status = 500;
  (*http)->SetResponse("/feed.txt", broken);
  testing::RunResult refresh =
      RunCli(server, {"feeds", "refresh", "openphish"});
  EXPECT_EQ(refresh.exit_code, 2);
  EXPECT_THAT(refresh.err, HasSubstr("500"));
  check = RunCli(server, {"check", "url", "--fail-on", "block",
                          "http://other-phish.test/"});
  EXPECT_EQ(check.exit_code, 4) << check.out << check.err;

  testing::RunResult rm = RunCli(server, {"feeds", "rm", "openphish"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_THAT(rm.out, HasSubstr("2 entries"));
  check = RunCli(server, {"check", "url", "--fail-on", "block",
                          "http://other-phish.test/"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  server.Stop();
}

// Issue #19: a URLhaus feed's entries block as MALWARE, an admin entry
// added with --threat unwanted as UNWANTED, and both show in the tables.
TEST_F(ServerTest, UrlhausFeedServedLocallyBlocksAsMalware) {
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> http =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(http.ok()) << http.status();
  testing::HttpTestResponse feed;
  // The head and one row of URLhaus's csv_online export.
  feed.body =
      "################################################################\n"
      "# abuse.ch URLhaus Database Dump (CSV - online URLs only)      #\n"
      "################################################################\n"
      "#\n"
      "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,"
      "reporter\n"
      "\"3000001\",\"2026-12-01 10:00:00\",\"http://dropper.test/bin.sh\","
      "\"online\",\"2026-12-01 10:00:00\",\"malware_download\",\"elf\","
      "\"https://urlhaus.abuse.ch/url/3000001/\",\"anonymous\"\n";
  (*http)->SetResponse("/csv_online/", feed);

  ServerProcess server(data_dir(), {"--allow_private_targets"});
  ASSERT_TRUE(server.WaitServing());

  testing::RunResult add =
      RunCli(server, {"feeds", "add", "urlhaus", "--url",
                      (*http)->Url("/csv_online/"), "--format", "urlhaus-csv"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  EXPECT_THAT(add.out, HasSubstr("urlhaus   urlhaus-csv   malware   1 "));
  testing::RunResult feeds = RunCli(server, {"feeds", "ls", "-o", "json"});
  EXPECT_THAT(feeds.out, HasSubstr("\"threatType\":\"MALWARE\""));

  testing::RunResult check = RunCli(
      server, {"check", "url", "-o", "json", "http://dropper.test/bin.sh"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("\"action\":\"BLOCK\",\"threatTypes\":"
                                   "[\"MALWARE\"]"));
  EXPECT_THAT(check.out, HasSubstr("\"source\":\"feed:urlhaus\","));
  EXPECT_THAT(check.out, HasSubstr("\"threatType\":\"MALWARE\""));

  // An admin entry says what it lists; unset is phishing.
  testing::RunResult unwanted = RunCli(
      server, {"blocklist", "add", "toolbar.test", "--threat", "unwanted"});
  ASSERT_EQ(unwanted.exit_code, 0) << unwanted.err;
  EXPECT_THAT(unwanted.out, HasSubstr(" domain   unwanted   toolbar.test "));
  ASSERT_EQ(RunCli(server, {"blocklist", "add", "login.test"}).exit_code, 0);
  check = RunCli(
      server, {"check", "url", "-o", "json", "https://www.toolbar.test/get"});
  EXPECT_THAT(check.out, HasSubstr("\"action\":\"BLOCK\",\"threatTypes\":"
                                   "[\"UNWANTED\"]"));
  check = RunCli(
      server, {"check", "url", "http://login.test/", "https://toolbar.test/"});
  EXPECT_THAT(check.out, HasSubstr("BLOCK    phishing   1.00 "));
  EXPECT_THAT(check.out, HasSubstr("BLOCK    unwanted   1.00 "));
  testing::RunResult ls = RunCli(server, {"blocklist", "ls"});
  EXPECT_THAT(ls.out, HasSubstr(" THREAT "));
  EXPECT_THAT(ls.out, HasSubstr(" unwanted   toolbar.test "));
  EXPECT_THAT(ls.out, HasSubstr(" phishing   login.test "));

  // A type a list cannot carry: the CLI refuses it, and so does the server,
  // naming the field.
  EXPECT_EQ(
      RunCli(server, {"blocklist", "add", "x.test", "--threat", "suspicious"})
          .exit_code,
      1);
  v1::CreateListEntryRequest request;
  request.set_list(v1::BLOCKLIST);
  request.set_value("x.test");
  request.set_threat_type(v1::SUSPICIOUS);
  v1::ListEntry entry;
  grpc::Status status =
      server.admin()->CreateListEntry(Context(server).get(), request, &entry);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "threat_type: SUSPICIOUS is not a list threat type (PHISHING, "
            "MALWARE or UNWANTED)");
  server.Stop();
}

TEST_F(ServerTest, LookalikesOfDefaultAndAddedBrandsAreNamed) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  // Cyrillic 'а' in PayPal: a default brand.
  v1::CheckUrlResponse idn = Check(server, "https://xn--pypal-4ve.com/signin");
  EXPECT_NE(idn.verdict().action(), v1::ALLOW);
  ASSERT_GE(idn.verdict().reasons_size(), 1);
  EXPECT_EQ(idn.verdict().reasons(0).brand(), "PayPal");
  EXPECT_EQ(idn.verdict().reasons(0).matched(), "paypal.com");
  EXPECT_EQ(idn.unicode_host(), "p\xD0\xB0ypal.com");
  EXPECT_THAT(idn.verdict().threat_types(),
              ::testing::ElementsAre(v1::PHISHING));
  // The brand's own domain is never a lookalike of it.
  EXPECT_EQ(Check(server, "https://www.paypal.com/signin").verdict().action(),
            v1::ALLOW);

  testing::RunResult add =
      RunCli(server, {"brands", "add", "Haier Biomedical", "--domain",
                      "haiermedical.com", "--token-word", "haier"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  v1::CheckUrlResponse combo =
      Check(server, "https://haier-biomedical.com/login");
  EXPECT_NE(combo.verdict().action(), v1::ALLOW);
  ASSERT_GE(combo.verdict().reasons_size(), 1);
  EXPECT_EQ(combo.verdict().reasons(0).brand(), "Haier Biomedical");

  testing::RunResult ls = RunCli(server, {"brands", "ls", "-o", "json"});
  EXPECT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_THAT(ls.out, HasSubstr("\"name\":\"Haier Biomedical\""));
  EXPECT_THAT(ls.out, HasSubstr("\"name\":\"PayPal\""));

  ASSERT_EQ(RunCli(server, {"brands", "rm", "Haier Biomedical"}).exit_code, 0);
  EXPECT_EQ(
      Check(server, "https://haier-biomedical.com/login").verdict().action(),
      v1::ALLOW);
  testing::RunResult bad = RunCli(server, {"brands", "add", "Nothing"});
  EXPECT_EQ(bad.exit_code, 1);
  server.Stop();
}

TEST_F(ServerTest, ApiKeysGateEveryMethodByRoleAndTenant) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  struct stat token_stat;
  ASSERT_EQ(stat((data_dir() + "/admin.token").c_str(), &token_stat), 0);
  EXPECT_EQ(token_stat.st_mode & 0777, 0600);
  ASSERT_EQ(server.token().rfind("lg_", 0), 0u) << server.token();

  auto create = [&](const std::string& name, const std::string& role,
                    const std::string& tenant = "") {
    std::vector<std::string> args = {"keys", "create", name, "--role", role};
    if (!tenant.empty()) args.insert(args.end(), {"--tenant", tenant});
    testing::RunResult run = RunCli(server, args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return std::string(absl::StripAsciiWhitespace(run.out));
  };
  const std::string verdict_key = create("gateway", "verdict");
  const std::string readonly_key = create("auditor", "readonly-admin");
  const std::string tenant_key = create("acme-proxy", "verdict", "acme");

  auto check = [&](const std::string& token, const std::string& tenant) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    v1::CheckUrlRequest request;
    request.set_url("http://a.test/");
    request.set_tenant(tenant);
    v1::CheckUrlResponse response;
    return server.url()->CheckUrl(&context, request, &response).error_code();
  };
  auto list = [&](const std::string& token) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    v1::ListListEntriesRequest request;
    request.set_list(v1::BLOCKLIST);
    v1::ListListEntriesResponse response;
    return server.admin()
        ->ListListEntries(&context, request, &response)
        .error_code();
  };
  auto add = [&](const std::string& token) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    v1::CreateListEntryRequest request;
    request.set_list(v1::BLOCKLIST);
    request.set_value("x.test");
    v1::ListEntry entry;
    return server.admin()
        ->CreateListEntry(&context, request, &entry)
        .error_code();
  };
  using grpc::StatusCode;
  EXPECT_EQ(check("", ""), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(check("lg_0000000000000000_forged", ""),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(check(verdict_key, ""), StatusCode::OK);
  EXPECT_EQ(check(server.token(), ""), StatusCode::OK);
  EXPECT_EQ(check(readonly_key, ""), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(check(tenant_key, "acme"), StatusCode::OK);
  EXPECT_EQ(check(tenant_key, ""), StatusCode::OK);  // acts for acme
  EXPECT_EQ(check(tenant_key, "other"), StatusCode::PERMISSION_DENIED);

  EXPECT_EQ(list(""), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(list(verdict_key), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(list(readonly_key), StatusCode::OK);
  EXPECT_EQ(add(readonly_key), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(add(verdict_key), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(add(server.token()), StatusCode::OK);

  testing::RunResult ls = RunCli(server, {"keys", "ls", "-o", "json"});
  EXPECT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_THAT(ls.out, HasSubstr("\"name\":\"gateway\""));
  EXPECT_EQ(ls.out.find(verdict_key.substr(20)), std::string::npos)
      << "a secret was listed";

  ASSERT_EQ(RunCli(server, {"keys", "revoke", "gateway"}).exit_code, 0);
  EXPECT_EQ(check(verdict_key, ""), StatusCode::UNAUTHENTICATED);
  testing::RunResult bound_admin = RunCli(
      server, {"keys", "create", "x", "--role", "admin", "--tenant", "acme"});
  EXPECT_EQ(bound_admin.exit_code, 2);
  EXPECT_THAT(bound_admin.err, HasSubstr("only VERDICT keys"));
  // Health needs no key: load balancers probe it.
  EXPECT_EQ(server.Health(), grpc::health::v1::HealthCheckResponse::SERVING);
  server.Stop();
}

TEST_F(ServerTest, FeedsOnLoopbackAreRefusedByDefault) {
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> http =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(http.ok()) << http.status();
  testing::HttpTestResponse feed;
  feed.body = "phish.test\n";
  (*http)->SetResponse("/feed.txt", feed);
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  testing::RunResult add = testing::Run(
      {LUREGUARD_CLI_BINARY, "--server", server.address(), "feeds", "add",
       "local", "--url", (*http)->Url("/feed.txt"), "--format", "domains"});
  EXPECT_EQ(add.exit_code, 2);
  EXPECT_THAT(add.err, HasSubstr("refusing to fetch 127.0.0.1"));
  EXPECT_TRUE((*http)->requests().empty());
  server.Stop();
}

// Issue #6's done-when: a fake CT log publishing a certificate for
// paypa1-login.com produces an alert visible with `lureguard alerts ls`, and
// CheckUrl on that host then names the certificate in its reasons.
TEST_F(ServerTest, CtLogCertificateForALookalikeAlertsAndFlagsTheHost) {
  absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> http =
      testing::HttpTestServer::Start();
  ASSERT_TRUE(http.ok()) << http.status();
  testing::CtTestCa ca("Integration Test CA");
  testing::FakeCtLog log(**http, "/ct/", ca);
  log.AddCertificate({"example.org"}, 1);
  log.AddCertificate({"paypa1-login.com", "www.paypa1-login.com"}, 2);
  log.SetMaxBatch(1);  // short batches all the way

  ServerProcess server(data_dir(), {"--allow_private_targets",
                                    "--metrics_listen", "127.0.0.1:0"});
  ASSERT_TRUE(server.WaitServing());
  const std::string& metrics_address = server.metrics_address();
  ASSERT_FALSE(metrics_address.empty());
  const int metrics_port =
      std::stoi(metrics_address.substr(metrics_address.rfind(':') + 1));

  // A watch opened before the log is added streams the alert.
  auto watch_context = Context(server);
  v1::WatchAlertsRequest watch_request;
  std::unique_ptr<grpc::ClientReader<v1::Alert>> watch =
      server.admin()->WatchAlerts(watch_context.get(), watch_request);
  watch->WaitForInitialMetadata();

  testing::RunResult add =
      RunCli(server, {"ct", "add", "fake-rfc", "--url", log.url(), "--api",
                      "rfc6962", "--start", "0", "--interval", "1s"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  EXPECT_THAT(add.out, HasSubstr("fake-rfc"));

  v1::Alert streamed;
  ASSERT_TRUE(watch->Read(&streamed));
  EXPECT_EQ(streamed.name(), "paypa1-login.com");
  watch_context->TryCancel();
  watch->Finish();

  testing::RunResult ls;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  do {
    ls = RunCli(server, {"alerts", "ls"});
    if (ls.out.find("www.paypa1-login.com") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < deadline);
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_THAT(ls.out, HasSubstr("PayPal"));
  EXPECT_THAT(ls.out, HasSubstr("paypa1-login.com"));
  EXPECT_THAT(ls.out, HasSubstr("CN=Integration Test CA, O=Lureguard Tests"));
  EXPECT_THAT(ls.out, HasSubstr("fake-rfc#1"));

  // The verdict names the certificate; the snapshot follows the store's
  // revision within a second.
  v1::CheckUrlResponse check;
  const v1::Reason* ct_reason = nullptr;
  do {
    check = Check(server, "https://paypa1-login.com/signin");
    for (const v1::Reason& reason : check.verdict().reasons()) {
      if (reason.code() == v1::CERT_CT_LOOKALIKE) ct_reason = &reason;
    }
    if (ct_reason == nullptr) absl::SleepFor(absl::Milliseconds(100));
  } while (ct_reason == nullptr && absl::Now() < deadline);
  ASSERT_NE(ct_reason, nullptr) << check.DebugString();
  EXPECT_EQ(ct_reason->brand(), "PayPal");
  EXPECT_EQ(ct_reason->matched(), "paypa1-login.com");
  EXPECT_THAT(ct_reason->detail(), HasSubstr("logged in CT log 'fake-rfc' at "
                                             "index 1"));
  EXPECT_THAT(ct_reason->detail(), HasSubstr("Integration Test CA"));
  EXPECT_EQ(check.verdict().action(), v1::BLOCK);

  // The same log through the Static CT API: same certificates, so the
  // cursor moves and no alert is added twice.
  add = RunCli(server, {"ct", "add", "fake-static", "--url", log.url(), "--api",
                        "static", "--start", "0", "--interval", "1s"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  testing::RunResult status;
  do {
    status = RunCli(server, {"ct", "ls", "-o", "json"});
    std::vector<std::string> lines =
        absl::StrSplit(status.out, '\n', absl::SkipEmpty());
    int caught_up = 0;
    for (const std::string& line : lines) {
      if (absl::StrContains(line, "\"cursor\":\"2\"")) ++caught_up;
    }
    if (caught_up == 2) break;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < deadline);
  EXPECT_THAT(status.out, HasSubstr("\"api\":\"STATIC_CT\""));
  testing::RunResult detail = RunCli(server, {"ct", "status"});
  EXPECT_EQ(detail.exit_code, 0) << detail.err;
  EXPECT_THAT(detail.out, HasSubstr("cursor"));
  ls = RunCli(server, {"alerts", "ls", "-o", "json"});
  std::vector<std::string> alerts =
      absl::StrSplit(ls.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(alerts.size(), 2u) << ls.out;

  // Acknowledged alerts leave the default listing.
  const std::string id = absl::StrCat(streamed.id());
  testing::RunResult ack = RunCli(server, {"alerts", "ack", id});
  EXPECT_EQ(ack.exit_code, 0) << ack.err;
  ls = RunCli(server, {"alerts", "ls", "-o", "json"});
  EXPECT_EQ(
      std::vector<std::string>(absl::StrSplit(ls.out, '\n', absl::SkipEmpty()))
          .size(),
      1u);
  ls = RunCli(server, {"alerts", "ls", "--all", "-o", "json"});
  EXPECT_THAT(ls.out, HasSubstr("ackTime"));
  EXPECT_EQ(RunCli(server, {"alerts", "ack", "999"}).exit_code, 2);

  // Every CT change is audited, in the transaction of the change.
  testing::RunResult audit = RunCli(server, {"audit", "ls", "-o", "json"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("\"target\":\"ct:fake-rfc\""));
  EXPECT_THAT(audit.out, HasSubstr("\"method\":\"CreateCtLog\""));
  EXPECT_THAT(audit.out, HasSubstr("\"target\":\"alert:" + id + "\""));
  EXPECT_THAT(audit.out, Not(HasSubstr("alert:999")));

  // Each log's progress is on /metrics.
  httplib::Client metrics("127.0.0.1", metrics_port);
  httplib::Result page = metrics.Get("/metrics");
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_THAT(page->body,
              HasSubstr("lureguard_ct_entries_behind{log=\"fake-rfc\"} 0"));
  EXPECT_THAT(page->body, HasSubstr("lureguard_ct_alerts{log=\"fake-rfc\"} 2"));
  EXPECT_THAT(page->body, HasSubstr("lureguard_ct_consecutive_failures{log="
                                    "\"fake-static\"} 0"));

  testing::RunResult rm = RunCli(server, {"ct", "rm", "fake-static"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  testing::RunResult bad = RunCli(server, {"ct", "add", "Bad Name", "--url",
                                           log.url(), "--api", "rfc6962"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(bad.err, HasSubstr("log: name: 'Bad Name'"));
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace lureguard

namespace lureguard {
namespace {

bool HasReason(const v1::Verdict& verdict, v1::ReasonCode code) {
  for (const v1::Reason& r : verdict.reasons()) {
    if (r.code() == code) return true;
  }
  return false;
}

// A TLS server on loopback whose certificate `ca` issued for `cn` and
// `sans`.
absl::StatusOr<std::unique_ptr<testing::TlsTestServer>> ServeCertificate(
    const testing::TestCa& ca, std::string cn, std::vector<std::string> sans) {
  testing::TestCert leaf =
      ca.Issue({.cn = std::move(cn), .dns_sans = std::move(sans)});
  return testing::TlsTestServer::Start(
      {.cert_chain_pem = leaf.cert_pem, .key_pem = leaf.key_pem});
}

// A phishing host with a test-CA certificate naming other brand lookalikes:
// the first check answers degraded while the server probes it in the
// background, a later one carries the certificate reasons, and the CLI
// shows the facts.
TEST_F(ServerTest, CertificateFactsOfALookalikeReachTheVerdict) {
  testing::TestCa ca = testing::TestCa::Create("Lureguard Test CA");
  absl::StatusOr<std::unique_ptr<testing::TlsTestServer>> tls =
      ServeCertificate(ca, "paypa1-login.com",
                       {"paypa1-login.com", "secure-paypal-verify.com",
                        "appleid-unlock.net"});
  ASSERT_TRUE(tls.ok()) << tls.status();
  const std::string port = absl::StrCat((*tls)->port());

  const std::string config = TrustingConfig(ca, {"paypa1-login.com"});
  ServerProcess server(data_dir(),
                       {"--config", config, "--allow_private_targets"});
  ASSERT_TRUE(server.WaitServing());

  const std::string url = "https://paypa1-login.com:" + port + "/signin";
  v1::CheckUrlResponse first = Check(server, url);
  EXPECT_TRUE(first.verdict().degraded());
  EXPECT_FALSE(HasReason(first.verdict(), v1::CERT_BRAND_SANS));
  EXPECT_LE(first.verdict().cache_ttl().seconds(), 10);

  v1::CheckUrlResponse later;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  do {
    absl::SleepFor(absl::Milliseconds(50));
    later = Check(server, url);
  } while (later.verdict().degraded() && absl::Now() < give_up);
  EXPECT_FALSE(later.verdict().degraded());
  EXPECT_TRUE(HasReason(later.verdict(), v1::CERT_BRAND_SANS))
      << later.DebugString();
  EXPECT_TRUE(HasReason(later.verdict(), v1::CERT_NEW));
  EXPECT_FALSE(HasReason(later.verdict(), v1::CERT_UNTRUSTED));
  EXPECT_GT(later.verdict().score(), first.verdict().score());
  EXPECT_EQ((*tls)->handshakes(), 1);  // one probe served both checks

  testing::RunResult probe =
      RunCli(server, {"cert", "probe", "127.0.0.1:" + port});
  EXPECT_EQ(probe.exit_code, 0) << probe.err;
  EXPECT_THAT(probe.out,
              HasSubstr("dns_names:        paypa1-login.com, "
                        "secure-paypal-verify.com, appleid-unlock.net\n"));
  EXPECT_THAT(probe.out, HasSubstr("chain_trusted:    yes\n"));
  // The certificate names hosts, not the address probed.
  EXPECT_THAT(probe.out, HasSubstr("hostname_matches: no\n"));
  EXPECT_THAT(probe.out, HasSubstr("CERT_NAME_MISMATCH"));

  probe = RunCli(server,
                 {"cert", "probe", "paypa1-login.com:" + port, "-o", "json"});
  EXPECT_EQ(probe.exit_code, 0) << probe.err;
  EXPECT_THAT(probe.out, HasSubstr("\"hostnameMatches\":true"));
  EXPECT_THAT(probe.out, HasSubstr("\"issuerCn\":\"Lureguard Test CA\""));

  probe = RunCli(server, {"cert", "probe", "paypa1-login.com:99999"});
  EXPECT_EQ(probe.exit_code, 1);
  EXPECT_EQ(server.Stop(), 0);
}

// A message whose worst link waits for its certificate probe says so in
// its notes, rather than showing a degraded verdict with no reason
// (red-team pass).
TEST_F(ServerTest, AMessageWaitingForALinksProbeSaysSo) {
  testing::TestCa ca = testing::TestCa::Create("Lureguard Test CA");
  absl::StatusOr<std::unique_ptr<testing::TlsTestServer>> tls =
      ServeCertificate(ca, "paypa1-login.com", {"paypa1-login.com"});
  ASSERT_TRUE(tls.ok()) << tls.status();
  const std::string config = TrustingConfig(ca, {"paypa1-login.com"});
  ServerProcess server(data_dir(),
                       {"--config", config, "--allow_private_targets"});
  ASSERT_TRUE(server.WaitServing());
  v1::CheckMessageRequest request;
  request.set_message(
      absl::StrCat("From: a@b.example\r\nSubject: sign in\r\n\r\nSign in: "
                   "https://paypa1-login.com:",
                   (*tls)->port(), "/signin\r\n"));
  v1::CheckMessageResponse response;
  grpc::Status status =
      v1::MailService::NewStub(server.channel())
          ->CheckMessage(Context(server).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.verdict().degraded());
  EXPECT_THAT(response.notes(),
              Contains(HasSubstr("waits for a certificate probe")));
  EXPECT_EQ(server.Stop(), 0);
}

// `brands add --domains-from-certificate`: the server reads the brand's
// own site's certificate (a real handshake with a test-CA certificate) and
// protects the brand's label under the other suffixes it names, which then
// are the brand's, not TLD swaps of it. Untrusted certificates and other
// sites' hosts store nothing.
TEST_F(ServerTest, ABrandTakesItsOtherDomainsFromItsCertificate) {
  testing::TestCa ca = testing::TestCa::Create("Lureguard Test CA");
  absl::StatusOr<std::unique_ptr<testing::TlsTestServer>> tls =
      ServeCertificate(ca, "www.zalando.de",
                       {"zalando.de", "www.zalando.de", "zalando.fr",
                        "*.zalando.nl", "zalando-lounge.de", "ztat.net"});
  ASSERT_TRUE(tls.ok()) << tls.status();
  // The same names from a CA nobody trusts.
  testing::TestCa other_ca = testing::TestCa::Create("Unknown CA");
  absl::StatusOr<std::unique_ptr<testing::TlsTestServer>> untrusted =
      ServeCertificate(other_ca, "shop.zalando.de",
                       {"shop.zalando.de", "zalando.it"});
  ASSERT_TRUE(untrusted.ok()) << untrusted.status();

  const std::string config =
      TrustingConfig(ca, {"www.zalando.de", "shop.zalando.de"});
  ServerProcess server(data_dir(),
                       {"--config", config, "--allow_private_targets"});
  ASSERT_TRUE(server.WaitServing());

  testing::RunResult refused =
      RunCli(server, {"brands", "add", "Zalando", "--domain", "zalando.de",
                      "--domains-from-certificate",
                      absl::StrCat("shop.zalando.de:", (*untrusted)->port())});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err,
              HasSubstr("FAILED_PRECONDITION: domains_from_certificate: the "
                        "certificate of 'shop.zalando.de' is not issued by a "
                        "trusted CA"));
  refused =
      RunCli(server, {"brands", "add", "Zalando", "--domain", "zalando.de",
                      "--domains-from-certificate", "www.ztat.net"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err,
              HasSubstr("INVALID_ARGUMENT: domains_from_certificate: "
                        "'www.ztat.net' is not under a domain of brand "
                        "'Zalando'"));
  // A brand the registry would refuse is refused before any probe.
  refused = RunCli(server, {"brands", "add", "Zalando", "--domain",
                            "zalando de", "--domains-from-certificate",
                            absl::StrCat("www.zalando.de:", (*tls)->port())});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(
      refused.err,
      HasSubstr("INVALID_ARGUMENT: brand 'Zalando': domain 'zalando de'"));
  EXPECT_EQ((*tls)->handshakes(), 0);
  testing::RunResult listed = RunCli(server, {"brands", "ls"});
  EXPECT_THAT(listed.out, Not(HasSubstr("Zalando")));

  testing::RunResult added =
      RunCli(server, {"brands", "add", "Zalando", "--domain", "zalando.de",
                      "--domains-from-certificate",
                      absl::StrCat("www.zalando.de:", (*tls)->port())});
  EXPECT_EQ(added.exit_code, 0) << added.err;
  // The label under other suffixes; not zalando-lounge.de nor ztat.net.
  EXPECT_THAT(added.out, HasSubstr("zalando.de,zalando.fr,zalando.nl\n"));
  EXPECT_EQ((*tls)->handshakes(), 1);

  for (const char* url :
       {"https://zalando.fr/login", "https://www.zalando.nl/"}) {
    v1::CheckUrlResponse response = Check(server, url);
    EXPECT_FALSE(HasReason(response.verdict(), v1::LOOKALIKE_TLD_SWAP))
        << response.DebugString();
    EXPECT_EQ(response.verdict().action(), v1::ALLOW) << url;
  }
  // A suffix the certificate does not name is still a TLD swap.
  EXPECT_TRUE(HasReason(Check(server, "https://zalando.it/login").verdict(),
                        v1::LOOKALIKE_TLD_SWAP));
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServerTest, CertificateProbesRefuseLoopbackByDefault) {
  ServerProcess server(data_dir());
  ASSERT_TRUE(server.WaitServing());
  testing::RunResult probe =
      testing::Run({LUREGUARD_CLI_BINARY, "--server", server.address(), "cert",
                    "probe", "127.0.0.1:9"});
  EXPECT_EQ(probe.exit_code, 2);
  EXPECT_THAT(probe.err,
              HasSubstr("FAILED_PRECONDITION: refusing to probe 127.0.0.1: "
                        "loopback address (server not started with "
                        "--allow_private_targets)"));
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(ServerTest, RefusesABadCertsConfigNamingTheField) {
  const std::string config = dir_.path() + "/certs.textproto";
  std::ofstream(config) << "certs { resolve_overrides { key: \"a.test\" "
                           "value: \"not-an-ip\" } }\n";
  testing::RunResult run = testing::Run(
      {LUREGUARD_SERVER_BINARY, "--config", config, "--data_dir", data_dir()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("certs.resolve_overrides['a.test']: "
                                 "'not-an-ip' is not an IP address"));
  std::ofstream(config) << "certs { extra_ca_file: \"/nonexistent/ca.pem\" "
                           "}\n";
  run = testing::Run(
      {LUREGUARD_SERVER_BINARY, "--config", config, "--data_dir", data_dir()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("certs.extra_ca_file: '/nonexistent/ca.pem'"));
}

}  // namespace
}  // namespace lureguard
