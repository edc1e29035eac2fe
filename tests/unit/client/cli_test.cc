// Runs lureguard commands end to end against a real gRPC server on a
// loopback port, with fake UrlService and AdminService implementations, and
// asserts on exactly what a user would see: stdout, stderr and exit code.
#include "client/cli.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "client/args.h"
#include "client/command_table.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "lureguard/v1/url_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace v1 = ::lureguard::v1;

// 2024-01-01T00:00:00Z: the fake store's clock.
constexpr int64_t kEpoch = 1704067200;

// A verdict decided by words in the URL: "block" → BLOCK, "warn" → WARN,
// "challenge" → CHALLENGE, "invalid" → a per-URL error; else ALLOW.
v1::CheckUrlResponse FakeVerdict(const std::string& url) {
  v1::CheckUrlResponse r;
  r.set_url(url);
  if (absl::StrContains(url, "invalid")) {
    r.mutable_error()->set_code(3);
    r.mutable_error()->set_message("url: the host is empty");
    return r;
  }
  std::string host(url);
  if (size_t p = host.find("://"); p != std::string::npos) host.erase(0, p + 3);
  host = host.substr(0, host.find('/'));
  r.set_host(host);
  r.set_canonical_url(url);
  v1::Verdict* v = r.mutable_verdict();
  if (absl::StrContains(url, "block")) {
    v->set_action(v1::BLOCK);
    v->set_score(0.97);
    v1::Reason* reason = v->add_reasons();
    reason->set_code(v1::BLOCKLIST_MATCH);
    reason->set_matched(host);
    v->add_reasons()->set_code(v1::URL_USERINFO);
    v->add_threat_types(v1::MALWARE);
    v->add_threat_types(v1::PHISHING);
  } else if (absl::StrContains(url, "warn")) {
    v->set_action(v1::WARN);
    v->set_score(0.6);
    v->add_reasons()->set_code(v1::URL_MANY_SUBDOMAINS);
    v->add_threat_types(v1::SUSPICIOUS);
  } else if (absl::StrContains(url, "challenge")) {
    v->set_action(v1::CHALLENGE);
    v->set_score(0.55);
  } else {
    v->set_action(v1::ALLOW);
  }
  return r;
}

std::string Authorization(const grpc::ServerContext* context) {
  auto it = context->client_metadata().find("authorization");
  if (it == context->client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// UrlService answering from FakeVerdict and recording what it was asked.
class FakeUrlService final : public v1::UrlService::Service {
 public:
  grpc::Status CheckUrl(grpc::ServerContext* context,
                        const v1::CheckUrlRequest* request,
                        v1::CheckUrlResponse* response) override {
    Record(context, "CheckUrl", request->tenant());
    if (TakeThrottle()) {
      // What lureguard-server's rate limiter answers.
      context->AddTrailingMetadata("grpc-retry-pushback-ms", "250");
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "key 'k' is over its rate limit; retry in 250 ms");
    }
    if (request->url() == "unavailable") {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "store is down");
    }
    if (absl::StrContains(request->url(), "invalid")) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "url: the host is empty");
    }
    *response = FakeVerdict(request->url());
    response->clear_url();  // unary answers need not echo the URL
    return grpc::Status::OK;
  }

  grpc::Status CheckUrls(grpc::ServerContext* context,
                         const v1::CheckUrlsRequest* request,
                         v1::CheckUrlsResponse* response) override {
    Record(context, "CheckUrls", request->tenant());
    absl::MutexLock lock(&mu_);
    batch_sizes_.push_back(request->urls_size());
    for (const std::string& url : request->urls()) {
      *response->add_results() = FakeVerdict(url);
    }
    return grpc::Status::OK;
  }

  grpc::Status StreamCheckUrls(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::StreamCheckUrlsResponse,
                               v1::StreamCheckUrlsRequest>* stream) override {
    v1::StreamCheckUrlsRequest request;
    int n = 0;
    while (stream->Read(&request)) {
      Record(context, "StreamCheckUrls", request.tenant());
      if (request.url() == "abort") {
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            "too many URLs in flight");
      }
      // What lureguard-server did on a URL that was not UTF-8 before it
      // decoded stream messages itself: end the stream with OK, unanswered.
      if (request.url() == "end-quietly") return grpc::Status::OK;
      v1::StreamCheckUrlsResponse response;
      *response.mutable_result() = FakeVerdict(request.url());
      stream->Write(response);
      ++n;
    }
    absl::MutexLock lock(&mu_);
    streamed_ += n;
    return grpc::Status::OK;
  }

  std::vector<std::string> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  // Refuses the next `calls` CheckUrl calls as over the rate limit.
  void Throttle(int calls) {
    absl::MutexLock lock(&mu_);
    throttled_calls_ = calls;
  }
  std::vector<int> batch_sizes() {
    absl::MutexLock lock(&mu_);
    return batch_sizes_;
  }
  std::string last_authorization() {
    absl::MutexLock lock(&mu_);
    return authorization_;
  }

 private:
  void Record(grpc::ServerContext* context, const std::string& method,
              const std::string& tenant) {
    absl::MutexLock lock(&mu_);
    calls_.push_back(tenant.empty() ? method
                                    : absl::StrCat(method, "@", tenant));
    authorization_ = Authorization(context);
  }

  bool TakeThrottle() {
    absl::MutexLock lock(&mu_);
    if (throttled_calls_ == 0) return false;
    --throttled_calls_;
    return true;
  }

  absl::Mutex mu_;
  int throttled_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::string> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<int> batch_sizes_ ABSL_GUARDED_BY(mu_);
  std::string authorization_ ABSL_GUARDED_BY(mu_);
  int streamed_ ABSL_GUARDED_BY(mu_) = 0;
};

// AdminService over an in-memory list of entries.
class FakeAdminService final : public v1::AdminService::Service {
 public:
  grpc::Status CreateListEntry(grpc::ServerContext* context,
                               const v1::CreateListEntryRequest* request,
                               v1::ListEntry* entry) override {
    absl::MutexLock lock(&mu_);
    authorization_ = Authorization(context);
    last_create_ = *request;
    entry->set_id(7);
    entry->set_list(request->list());
    entry->set_kind(request->kind() == v1::ENTRY_KIND_UNSPECIFIED
                        ? v1::DOMAIN_WITH_SUBDOMAINS
                        : request->kind());
    entry->set_value(request->value());
    entry->set_reason(request->reason());
    entry->set_source("admin");
    entry->set_tenant(request->tenant());
    entry->set_threat_type(request->threat_type() == v1::THREAT_TYPE_UNSPECIFIED
                               ? v1::PHISHING
                               : request->threat_type());
    entry->mutable_create_time()->set_seconds(kEpoch);
    if (request->has_ttl()) {
      entry->mutable_expire_time()->set_seconds(kEpoch +
                                                request->ttl().seconds());
    }
    return grpc::Status::OK;
  }

  grpc::Status DeleteListEntry(grpc::ServerContext*,
                               const v1::DeleteListEntryRequest* request,
                               v1::DeleteListEntryResponse* response) override {
    absl::MutexLock lock(&mu_);
    last_delete_ = *request;
    if (request->value() == "missing.example") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "no BLOCKLIST entry \"missing.example\"");
    }
    response->set_deleted_count(
        request->kind() == v1::ENTRY_KIND_UNSPECIFIED ? 2 : 1);
    return grpc::Status::OK;
  }

  // Pages through `entries_`; the page token is the index to start at.
  grpc::Status ListListEntries(grpc::ServerContext*,
                               const v1::ListListEntriesRequest* request,
                               v1::ListListEntriesResponse* response) override {
    absl::MutexLock lock(&mu_);
    list_requests_.push_back(*request);
    if (request->page_token() == "poison") {
      return grpc::Status(grpc::StatusCode::INTERNAL, "store read failed");
    }
    const int size = request->page_size() == 0 ? 2 : request->page_size();
    int start = 0;
    if (!request->page_token().empty())
      start = std::stoi(request->page_token());
    const int n = static_cast<int>(entries_.size());
    for (int i = start; i < n && i < start + size; ++i) {
      *response->add_entries() = entries_[i];
    }
    if (start + size < n) {
      response->set_next_page_token(
          fail_second_page_ ? "poison" : absl::StrCat(start + size));
    }
    response->set_total_size(n);
    return grpc::Status::OK;
  }

  // Counts lines of the streamed file: a line with a space is invalid, a
  // repeated line a duplicate.
  grpc::Status ImportListEntries(
      grpc::ServerContext*,
      grpc::ServerReader<v1::ImportListEntriesRequest>* reader,
      v1::ImportListEntriesResponse* response) override {
    v1::ImportListEntriesRequest chunk;
    std::string content;
    std::vector<v1::ImportListEntriesRequest> options;
    int messages = 0;
    while (reader->Read(&chunk)) {
      ++messages;
      content += chunk.content();
      chunk.clear_content();
      options.push_back(chunk);
    }
    bool skip_invalid = !options.empty() && options[0].skip_invalid();
    std::vector<std::string> seen;
    int line_number = 0;
    for (absl::string_view line : absl::StrSplit(content, '\n')) {
      ++line_number;
      if (line.empty()) continue;
      if (absl::StrContains(line, " ")) {
        std::string example = absl::StrCat("line ", line_number, ": \"", line,
                                           "\" is not a host");
        if (!skip_invalid) {
          return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, example);
        }
        response->set_skipped_count(response->skipped_count() + 1);
        response->add_skipped_examples(example);
        continue;
      }
      if (std::find(seen.begin(), seen.end(), line) != seen.end()) {
        response->set_duplicate_count(response->duplicate_count() + 1);
        continue;
      }
      seen.emplace_back(line);
    }
    response->set_accepted_count(static_cast<int64_t>(seen.size()));
    response->set_format(options.empty() || options[0].format().empty()
                             ? "domains"
                             : options[0].format());
    absl::MutexLock lock(&mu_);
    import_messages_ = messages;
    import_content_ = content;
    import_options_ = std::move(options);
    return grpc::Status::OK;
  }

  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                         v1::GetStatusResponse* status) override {
    status->set_version("9.8.7-fake");
    status->mutable_uptime()->set_seconds(93784);  // 1d2h3m4s
    status->mutable_uptime()->set_nanos(500000000);
    status->set_snapshot_revision(42);
    status->mutable_snapshot_time()->set_seconds(kEpoch);
    status->set_blocklist_entries(1234);
    status->set_allowlist_entries(5);
    status->set_store("./var/lureguard.db");
    status->set_serving(true);
    return grpc::Status::OK;
  }

  void AddEntries(int n) {
    absl::MutexLock lock(&mu_);
    for (int i = 1; i <= n; ++i) {
      v1::ListEntry e;
      e.set_id(i);
      e.set_list(v1::BLOCKLIST);
      e.set_kind(i % 2 == 1 ? v1::DOMAIN_WITH_SUBDOMAINS : v1::URL_PREFIX);
      e.set_value(i % 2 == 1 ? absl::StrCat("evil", i, ".example")
                             : absl::StrCat("evil", i, ".example/login/"));
      e.set_source(i == 3 ? "feed:urlhaus" : "admin");
      e.set_threat_type(i == 3 ? v1::MALWARE : v1::PHISHING);
      if (i == 2) e.set_reason("kit seen in campaign 7");
      if (i == 4) e.mutable_expire_time()->set_seconds(kEpoch + 86400);
      entries_.push_back(e);
    }
  }

  absl::Mutex mu_;
  std::vector<v1::ListEntry> entries_ ABSL_GUARDED_BY(mu_);
  bool fail_second_page_ ABSL_GUARDED_BY(mu_) = false;
  std::string authorization_ ABSL_GUARDED_BY(mu_);
  v1::CreateListEntryRequest last_create_ ABSL_GUARDED_BY(mu_);
  v1::DeleteListEntryRequest last_delete_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ListListEntriesRequest> list_requests_ ABSL_GUARDED_BY(mu_);
  int import_messages_ ABSL_GUARDED_BY(mu_) = 0;
  std::string import_content_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ImportListEntriesRequest> import_options_
      ABSL_GUARDED_BY(mu_);
};

// What one run of the CLI printed and returned.
struct RunResult {
  int code;
  std::string out;
  std::string err;
};

// A port nothing listens on: bound, read back and closed again.
int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&url_service_);
    builder.RegisterService(&admin_service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    address_ = absl::StrCat("127.0.0.1:", port);
    env_.token_file = ::testing::TempDir() + "/no-such-admin.token";
  }

  void TearDown() override { server_->Shutdown(); }

  // Runs `lureguard ARGS... --server ADDRESS` (global flag last, as users
  // may write it) with `stdin` as standard input.
  RunResult Run(std::vector<std::string> args, const std::string& stdin = "") {
    args.push_back("--server");
    args.push_back(address_);
    return RunRaw(args, stdin);
  }

  RunResult RunRaw(const std::vector<std::string>& args,
                   const std::string& stdin = "") {
    std::istringstream in(stdin);
    std::ostringstream out, err;
    CliEnvironment env = env_;
    env.in = &in;
    env.out = &out;
    env.err = &err;
    const int code = RunCli(args, env);
    return {code, out.str(), err.str()};
  }

  FakeUrlService url_service_;
  FakeAdminService admin_service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  CliEnvironment env_;
};

// ---- check url ----

TEST_F(CliTest, CheckOneUrlUsesCheckUrlAndPrintsATable) {
  RunResult r = Run({"check", "url", "http://ok.example/"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "ACTION   THREAT   SCORE   HOST         URL                  "
            "REASONS\n"
            "ALLOW    -        0.00    ok.example   http://ok.example/   -\n");
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(url_service_.calls(), ElementsAre("CheckUrl"));
}

TEST_F(CliTest, CheckSeveralUrlsUsesOneBatchInOrder) {
  RunResult r = Run({"check", "url", "http://block.example/a",
                     "http://ok.example/", "http://warn.example/"});
  EXPECT_EQ(r.code, 0);  // no --fail-on: verdicts do not change the code
  EXPECT_EQ(r.out,
            "ACTION   THREAT             SCORE   HOST            URL          "
            "            REASONS\n"
            "BLOCK    malware,phishing   0.97    block.example   "
            "http://block.example/a   "
            "BLOCKLIST_MATCH(block.example), URL_USERINFO\n"
            "ALLOW    -                  0.00    ok.example      "
            "http://ok.example/       -\n"
            "WARN     suspicious         0.60    warn.example    "
            "http://warn.example/     URL_MANY_SUBDOMAINS\n");
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(url_service_.calls(), ElementsAre("CheckUrls"));
}

TEST_F(CliTest, CheckChunksBatchesByAThousand) {
  std::vector<std::string> args = {"check", "url", "-o", "json"};
  for (int i = 0; i < 2500; ++i) {
    args.push_back(absl::StrCat("http://h", i, ".example/"));
  }
  RunResult r = Run(args);
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(url_service_.batch_sizes(), ElementsAre(1000, 1000, 500));
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n');
  ASSERT_EQ(lines.size(), 2501u);  // the last one is empty
  EXPECT_EQ(lines[2499],
            "{\"verdict\":{\"action\":\"ALLOW\"},\"canonicalUrl\":"
            "\"http://h2499.example/\",\"host\":\"h2499.example\","
            "\"url\":\"http://h2499.example/\"}");
}

TEST_F(CliTest, CheckJsonPrintsOneObjectPerUrl) {
  RunResult r =
      Run({"-o", "json", "check", "url", "http://block.example/", "x.example"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "{\"verdict\":{\"action\":\"BLOCK\",\"threatTypes\":[\"MALWARE\","
            "\"PHISHING\"],\"score\":0.97,\"reasons\":["
            "{\"code\":\"BLOCKLIST_MATCH\",\"matched\":\"block.example\"},"
            "{\"code\":\"URL_USERINFO\"}]},\"canonicalUrl\":"
            "\"http://block.example/\",\"host\":\"block.example\",\"url\":"
            "\"http://block.example/\"}\n"
            "{\"verdict\":{\"action\":\"ALLOW\"},\"canonicalUrl\":"
            "\"x.example\",\"host\":\"x.example\",\"url\":\"x.example\"}\n");
}

TEST_F(CliTest, CheckSingleUrlJsonCarriesTheUrlSent) {
  RunResult r = Run({"check", "url", "-o", "json", "http://ok.example/"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "{\"verdict\":{\"action\":\"ALLOW\"},\"canonicalUrl\":"
            "\"http://ok.example/\",\"host\":\"ok.example\",\"url\":"
            "\"http://ok.example/\"}\n");
}

TEST_F(CliTest, CheckStdinStreamsInOrderSkippingBlankLines) {
  RunResult r = Run({"check", "url", "-", "--tenant", "acme"},
                    "http://a.example/\n\n  \nhttp://block.example/\r\n"
                    "http://c.example/");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "ACTION   THREAT   SCORE   HOST        URL                 "
            "REASONS\n"
            "ALLOW    -        0.00    a.example   http://a.example/   -\n"
            // Widths grow as rows arrive: streamed rows are never held back.
            "BLOCK    malware,phishing   0.97    block.example   "
            "http://block.example/   "
            "BLOCKLIST_MATCH(block.example), URL_USERINFO\n"
            "ALLOW    -                  0.00    c.example       "
            "http://c.example/       -\n");
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(url_service_.calls(),
              ElementsAre("StreamCheckUrls@acme", "StreamCheckUrls@acme",
                          "StreamCheckUrls@acme"));
}

// A stream that ends with OK before every URL is answered leaves URLs
// unchecked: a gate (`--fail-on`) must fail, not pass them.
TEST_F(CliTest, CheckStdinFailsWhenTheStreamEndsWithUrlsUnanswered) {
  RunResult r = Run({"check", "url", "--fail-on", "warn", "-"},
                    "http://a.example/\nend-quietly\nhttp://block.example/\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.out, HasSubstr("http://a.example/"));
  EXPECT_THAT(r.err, HasSubstr("error: the server ended the stream with "));
  EXPECT_THAT(r.err, HasSubstr("URL(s) unanswered, from end-quietly\n"));
}

// An error line repeats at most 200 bytes of a URL, and escapes bytes that
// are not UTF-8.
TEST_F(CliTest, AnErrorLineShowsALongUrlCutShort) {
  const std::string url = "http://invalid.example/" + std::string(5000, 'a');
  RunResult r = Run({"check", "url", url, "http://ok.example/"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: " + url.substr(0, 200) +
                       "... (5023 bytes): INVALID_ARGUMENT: url: the host is "
                       "empty\n");
}

TEST_F(CliTest, CheckStdinJsonPrintsOneObjectPerLine) {
  RunResult r = Run({"check", "url", "-", "-o", "json"},
                    "http://a.example/\nhttp://warn.example/\n");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(
      r.out,
      "{\"verdict\":{\"action\":\"ALLOW\"},\"canonicalUrl\":"
      "\"http://a.example/\",\"host\":\"a.example\",\"url\":"
      "\"http://a.example/\"}\n"
      "{\"verdict\":{\"action\":\"WARN\",\"threatTypes\":[\"SUSPICIOUS\"],"
      "\"score\":0.6,\"reasons\":["
      "{\"code\":\"URL_MANY_SUBDOMAINS\"}]},\"canonicalUrl\":"
      "\"http://warn.example/\",\"host\":\"warn.example\",\"url\":"
      "\"http://warn.example/\"}\n");
}

TEST_F(CliTest, CheckRetriesARateLimitedCallAfterTheServersPushback) {
  url_service_.Throttle(2);
  std::vector<absl::Duration> waits;
  env_.sleep = [&](absl::Duration d) { waits.push_back(d); };
  RunResult r = Run({"check", "url", "http://ok.example/"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("ALLOW    -        0.00    ok.example"));
  EXPECT_THAT(waits,
              ElementsAre(absl::Milliseconds(250), absl::Milliseconds(250)));
  EXPECT_THAT(url_service_.calls(),
              ElementsAre("CheckUrl", "CheckUrl", "CheckUrl"));
}

TEST_F(CliTest, CheckGivesUpWhenThePushbackOutrunsTheTimeout) {
  url_service_.Throttle(1);
  std::vector<absl::Duration> waits;
  env_.sleep = [&](absl::Duration d) { waits.push_back(d); };
  RunResult r =
      Run({"check", "url", "--timeout", "200ms", "http://ok.example/"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: RESOURCE_EXHAUSTED: key 'k' is over its rate limit; retry "
            "in 250 ms\n");
  EXPECT_TRUE(waits.empty());
}

TEST_F(CliTest, CheckStdinWithNoUrlsPrintsNothing) {
  RunResult r = Run({"check", "url", "-"}, "\n\n");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, CheckStreamFailureIsAServerErrorAfterEarlierResults) {
  RunResult r = Run({"check", "url", "-", "-o", "json"},
                    "http://a.example/\nabort\nhttp://c.example/\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.out, StartsWith("{\"verdict\":{\"action\":\"ALLOW\"}"));
  EXPECT_EQ(r.err, "error: RESOURCE_EXHAUSTED: too many URLs in flight\n");
}

TEST_F(CliTest, PerUrlErrorsGoToStderrAndExitTwoAfterTheOtherResults) {
  RunResult r = Run({"check", "url", "http://invalid/", "http://ok.example/"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out,
            "ACTION   THREAT   SCORE   HOST         URL                  "
            "REASONS\n"
            "ALLOW    -        0.00    ok.example   http://ok.example/   -\n");
  EXPECT_EQ(r.err,
            "error: http://invalid/: INVALID_ARGUMENT: url: the host is "
            "empty\n");

  r = Run({"check", "url", "-"}, "http://invalid/\nhttp://ok.example/\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: http://invalid/: INVALID_ARGUMENT: url: the host is "
            "empty\n");
  EXPECT_THAT(r.out, HasSubstr("http://ok.example/"));
}

TEST_F(CliTest, FailOnWarnExitsThreeForWarnAndChallengeAndFourForBlock) {
  EXPECT_EQ(
      Run({"--fail-on", "warn", "check", "url", "http://ok.example/"}).code, 0);
  EXPECT_EQ(
      Run({"--fail-on", "warn", "check", "url", "http://warn.example/"}).code,
      3);
  EXPECT_EQ(
      Run({"--fail-on", "warn", "check", "url", "http://challenge.example/"})
          .code,
      3);
  EXPECT_EQ(Run({"check", "url", "--fail-on=warn", "http://warn.example/",
                 "http://block.example/", "http://ok.example/"})
                .code,
            4);
  EXPECT_EQ(Run({"check", "url", "--fail-on=warn", "-"},
                "http://warn.example/\nhttp://ok.example/\n")
                .code,
            3);
}

TEST_F(CliTest, FailOnBlockIgnoresWarn) {
  EXPECT_EQ(
      Run({"--fail-on", "block", "check", "url", "http://warn.example/"}).code,
      0);
  EXPECT_EQ(Run({"--fail-on", "block", "check", "url", "http://warn.example/",
                 "http://block.example/"})
                .code,
            4);
  // A BLOCK outranks a URL that could not be checked (4 > 2); both print.
  RunResult r = Run({"--fail-on", "block", "check", "url", "http://invalid/",
                     "http://block.example/"});
  EXPECT_EQ(r.code, 4);
  EXPECT_THAT(r.err, HasSubstr("error: http://invalid/: INVALID_ARGUMENT"));
}

TEST_F(CliTest, ServerErrorExitsTwoWithCodeName) {
  RunResult r = Run({"check", "url", "http://invalid/"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: INVALID_ARGUMENT: url: the host is empty\n");
}

TEST_F(CliTest, UnavailableServerSaysWhereItLooked) {
  const std::string address = absl::StrCat("127.0.0.1:", UnusedPort());
  RunResult r = RunRaw({"status", "--server", address, "--timeout", "5s"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("error: UNAVAILABLE: "));
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(
                         "hint: is lureguard-server running at ", address,
                         "? Set --server or LUREGUARD_ADDR.\n")));
}

TEST_F(CliTest, UnreadableTlsFilesAreLocalErrorsBeforeAnyCall) {
  const std::string missing = ::testing::TempDir() + "/no-such-ca.pem";
  RunResult r = RunRaw({"status", "--ca", missing});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: --ca: cannot read '" + missing + "'\n");
  r = RunRaw({"status", "--cert", missing});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("give both for a client certificate"));
  env_.getenv = [&](const std::string& name) -> std::optional<std::string> {
    if (name == "LUREGUARD_CERT") return missing;
    if (name == "LUREGUARD_KEY") return missing;
    return std::nullopt;
  };
  r = RunRaw({"status"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: --cert: cannot read '" + missing + "'\n");
}

TEST_F(CliTest, TlsToAPlaintextServerFailsAsUnavailable) {
  RunResult r = Run({"status", "--tls", "--timeout", "5s"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("error: UNAVAILABLE: "));
}

TEST_F(CliTest, TokenComesFromFlagThenEnvironmentThenTokenFile) {
  // None: no header.
  Run({"check", "url", "http://ok.example/"});
  EXPECT_EQ(url_service_.last_authorization(), "");

  const std::string file = ::testing::TempDir() + "/admin.token";
  std::ofstream(file) << "file-key\n";
  env_.token_file = file;
  Run({"check", "url", "http://ok.example/"});
  EXPECT_EQ(url_service_.last_authorization(), "Bearer file-key");

  env_.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "LUREGUARD_TOKEN") return "env-key";
    return std::nullopt;
  };
  Run({"check", "url", "http://ok.example/"});
  EXPECT_EQ(url_service_.last_authorization(), "Bearer env-key");

  Run({"check", "url", "http://ok.example/", "--token", "flag-key"});
  EXPECT_EQ(url_service_.last_authorization(), "Bearer flag-key");
  std::filesystem::remove(file);
}

TEST_F(CliTest, ServerAddressComesFromTheEnvironment) {
  env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
    if (name == "LUREGUARD_ADDR") return address_;
    return std::nullopt;
  };
  RunResult r = RunRaw({"health"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "SERVING\n");
}

// ---- blocklist / allowlist ----

TEST_F(CliTest, BlocklistAddSendsKindReasonTtlTenantAndPrintsTheEntry) {
  RunResult r =
      Run({"blocklist", "add", "evil.example", "--kind", "host", "--reason",
           "phishing kit", "--ttl", "7d", "--tenant", "acme"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(
      r.out,
      "ID   KIND   THREAT     VALUE          TENANT   SOURCE   EXPIRES     "
      "           REASON\n"
      "7    host   phishing   evil.example   acme     admin    "
      "2024-01-08T00:00:00Z   phishing kit\n");
  absl::MutexLock lock(&admin_service_.mu_);
  const v1::CreateListEntryRequest& req = admin_service_.last_create_;
  EXPECT_EQ(req.list(), v1::BLOCKLIST);
  EXPECT_EQ(req.value(), "evil.example");
  EXPECT_EQ(req.kind(), v1::HOST);
  EXPECT_EQ(req.reason(), "phishing kit");
  EXPECT_EQ(req.ttl().seconds(), 7 * 86400);
  EXPECT_EQ(req.tenant(), "acme");
}

TEST_F(CliTest, KindFlagMapsOntoEntryKinds) {
  const struct {
    const char* flag;
    v1::EntryKind kind;
  } kCases[] = {{"host", v1::HOST},
                {"domain", v1::DOMAIN_WITH_SUBDOMAINS},
                {"url-prefix", v1::URL_PREFIX},
                {"url", v1::EXACT_URL},
                {"cidr", v1::IP_RANGE}};
  for (const auto& c : kCases) {
    RunResult r =
        Run({"allowlist", "add", "x.example", "--kind", c.flag, "-o", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    absl::MutexLock lock(&admin_service_.mu_);
    EXPECT_EQ(admin_service_.last_create_.kind(), c.kind) << c.flag;
    EXPECT_EQ(admin_service_.last_create_.list(), v1::ALLOWLIST);
    EXPECT_FALSE(admin_service_.last_create_.has_ttl());
  }
}

TEST_F(CliTest, ThreatFlagMapsOntoThreatTypesAndShowsInTheTable) {
  const struct {
    const char* flag;
    v1::ThreatType threat;
  } kCases[] = {{"phishing", v1::PHISHING},
                {"malware", v1::MALWARE},
                {"unwanted", v1::UNWANTED}};
  for (const auto& c : kCases) {
    RunResult r = Run({"blocklist", "add", "x.example", "--threat", c.flag});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(absl::StrCat(" domain   ", c.flag, " ")))
        << r.out;
    absl::MutexLock lock(&admin_service_.mu_);
    EXPECT_EQ(admin_service_.last_create_.threat_type(), c.threat) << c.flag;
  }
  // Unset leaves the server's default.
  ASSERT_EQ(Run({"blocklist", "add", "x.example"}).code, 0);
  absl::MutexLock lock(&admin_service_.mu_);
  EXPECT_EQ(admin_service_.last_create_.threat_type(),
            v1::THREAT_TYPE_UNSPECIFIED);
}

TEST_F(CliTest, AnUnknownThreatIsAUsageErrorBeforeAnyCall) {
  for (const char* command : {"add", "import"}) {
    RunResult r =
        Run({"blocklist", command, "x.example", "--threat", "suspicious"});
    EXPECT_EQ(r.code, 1) << command;
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("invalid value \"suspicious\" for flag "
                                 "--threat: want phishing, malware or "
                                 "unwanted"))
        << command;
  }
  absl::MutexLock lock(&admin_service_.mu_);
  EXPECT_EQ(admin_service_.last_create_.value(), "");
}

TEST_F(CliTest, ABadCertificateSourceIsAUsageErrorBeforeAnyCall) {
  for (const char* source : {"www.acme.com:99999", "www.acme.com:", "[::1"}) {
    RunResult r = Run({"brands", "add", "Acme", "--domain", "acme.com",
                       "--domains-from-certificate", source});
    EXPECT_EQ(r.code, 1) << source;
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr(absl::StrCat(
                           "brands add: --domains-from-certificate '", source,
                           "' is not HOST[:PORT] with a port in 1-65535")))
        << source;
  }
}

TEST_F(CliTest, AllowlistAddJsonPrintsTheEntry) {
  RunResult r = Run({"allowlist", "add", "bank.example", "-o", "json"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "{\"id\":\"7\",\"list\":\"ALLOWLIST\",\"kind\":"
            "\"DOMAIN_WITH_SUBDOMAINS\",\"value\":\"bank.example\",\"source\":"
            "\"admin\",\"createTime\":\"2024-01-01T00:00:00Z\",\"threatType\":"
            "\"PHISHING\"}\n");
}

TEST_F(CliTest, BadKindOrTtlIsAUsageErrorBeforeAnyCall) {
  RunResult r = Run({"blocklist", "add", "x", "--kind", "subdomain"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: invalid value \"subdomain\" for flag --kind: want host, "
            "domain, url-prefix, url or cidr\n"
            "Run 'lureguard blocklist add --help' for usage.\n");

  r = Run({"blocklist", "add", "x", "--ttl", "3weeks"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: flag --ttl: invalid duration \"3weeks\": unknown unit "
            "\"weeks\" (want ns, us, ms, s, m, h or d)\n"
            "Run 'lureguard blocklist add --help' for usage.\n");
  absl::MutexLock lock(&admin_service_.mu_);
  EXPECT_EQ(admin_service_.last_create_.value(), "");  // never called
}

TEST_F(CliTest, BlocklistRmPrintsTheCountAndNotFoundExitsTwo) {
  RunResult r = Run({"blocklist", "rm", "evil.example"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "deleted 2 entries\n");

  r = Run({"blocklist", "rm", "evil.example", "--kind", "cidr", "--tenant",
           "acme"});
  EXPECT_EQ(r.out, "deleted 1 entry\n");
  {
    absl::MutexLock lock(&admin_service_.mu_);
    EXPECT_EQ(admin_service_.last_delete_.kind(), v1::IP_RANGE);
    EXPECT_EQ(admin_service_.last_delete_.tenant(), "acme");
    EXPECT_EQ(admin_service_.last_delete_.list(), v1::BLOCKLIST);
  }

  r = Run({"blocklist", "rm", "x.example", "-o", "json"});
  EXPECT_EQ(r.out, "{\"deletedCount\":\"2\"}\n");

  r = Run({"blocklist", "rm", "missing.example"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: NOT_FOUND: no BLOCKLIST entry \"missing.example\"\n");
}

TEST_F(CliTest, BlocklistLsFetchesEveryPage) {
  admin_service_.AddEntries(5);
  RunResult r = Run({"blocklist", "ls"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  // Three pages of two; later pages widen the columns they need.
  EXPECT_EQ(
      r.out,
      "ID   KIND         THREAT     VALUE                  TENANT   SOURCE   "
      "EXPIRES   REASON\n"
      "1    domain       phishing   evil1.example          -        admin    "
      "never     -\n"
      "2    url-prefix   phishing   evil2.example/login/   -        admin    "
      "never     kit seen in campaign 7\n"
      "3    domain       malware    evil3.example          -        "
      "feed:urlhaus   never                  -\n"
      "4    url-prefix   phishing   evil4.example/login/   -        admin   "
      "       2024-01-02T00:00:00Z   -\n"
      "5    domain       phishing   evil5.example          -        admin   "
      "       never                  -\n");
  absl::MutexLock lock(&admin_service_.mu_);
  ASSERT_EQ(admin_service_.list_requests_.size(), 3u);
  EXPECT_EQ(admin_service_.list_requests_[0].page_token(), "");
  EXPECT_EQ(admin_service_.list_requests_[1].page_token(), "2");
  EXPECT_EQ(admin_service_.list_requests_[2].page_token(), "4");
}

TEST_F(CliTest, BlocklistLsJsonWithPageSizeAndTenant) {
  admin_service_.AddEntries(3);
  RunResult r = Run({"blocklist", "ls", "--page-size", "1", "--tenant", "acme",
                     "--all", "-o", "json"});
  EXPECT_EQ(r.code, 0);
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n');
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "{\"id\":\"1\",\"list\":\"BLOCKLIST\",\"kind\":"
            "\"DOMAIN_WITH_SUBDOMAINS\",\"value\":\"evil1.example\","
            "\"source\":\"admin\",\"threatType\":\"PHISHING\"}");
  absl::MutexLock lock(&admin_service_.mu_);
  ASSERT_EQ(admin_service_.list_requests_.size(), 3u);
  for (const auto& req : admin_service_.list_requests_) {
    EXPECT_EQ(req.page_size(), 1);
    EXPECT_EQ(req.tenant(), "acme");
  }
}

TEST_F(CliTest, EmptyListSaysSoOnStderr) {
  RunResult r = Run({"allowlist", "ls"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "no allowlist entries (global)\n");
  r = Run({"allowlist", "ls", "-o", "json"});
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, LsPageFailureKeepsEarlierPagesAndExitsTwo) {
  admin_service_.AddEntries(3);
  {
    absl::MutexLock lock(&admin_service_.mu_);
    admin_service_.fail_second_page_ = true;
  }
  RunResult r = Run({"blocklist", "ls"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.out, HasSubstr("evil1.example"));
  EXPECT_EQ(r.err, "error: INTERNAL: store read failed\n");
}

TEST_F(CliTest, BadPageSizeIsAUsageError) {
  RunResult r = Run({"blocklist", "ls", "--page-size", "5000"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: invalid value \"5000\" for flag --page-size: want a "
            "number from 1 to 1000\n"
            "Run 'lureguard blocklist ls --help' for usage.\n");
}

TEST_F(CliTest, ImportStreamsTheFileInChunksAndPrintsTheSummary) {
  const std::string file = ::testing::TempDir() + "/import.txt";
  const std::string content =
      "evil1.example\nevil2.example\nevil1.example\nnot a "
      "host\nevil3.example\n";
  std::ofstream(file) << content;
  env_.import_chunk_bytes = 16;
  RunResult r =
      Run({"blocklist", "import", file, "--reason", "feed snapshot", "--ttl",
           "30d", "--skip-invalid", "--tenant", "acme", "--threat", "malware"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");  // stderr is not a terminal: no progress
  EXPECT_EQ(r.out,
            "format:     domains\n"
            "accepted:   3\n"
            "duplicates: 1\n"
            "skipped:    1\n"
            "  line 4: \"not a host\" is not a host\n");
  absl::MutexLock lock(&admin_service_.mu_);
  EXPECT_EQ(admin_service_.import_content_, content);
  EXPECT_EQ(admin_service_.import_messages_, 5);  // 68 bytes / 16
  const auto& first = admin_service_.import_options_[0];
  EXPECT_EQ(first.list(), v1::BLOCKLIST);
  EXPECT_EQ(first.reason(), "feed snapshot");
  EXPECT_EQ(first.tenant(), "acme");
  EXPECT_TRUE(first.skip_invalid());
  EXPECT_EQ(first.ttl().seconds(), 30 * 86400);
  EXPECT_EQ(first.format(), "");  // the server detects it
  EXPECT_EQ(first.threat_type(), v1::MALWARE);
  // Options travel in the first message only.
  for (size_t i = 1; i < admin_service_.import_options_.size(); ++i) {
    EXPECT_EQ(admin_service_.import_options_[i].list(),
              v1::LIST_TYPE_UNSPECIFIED);
    EXPECT_EQ(admin_service_.import_options_[i].reason(), "");
    EXPECT_EQ(admin_service_.import_options_[i].threat_type(),
              v1::THREAT_TYPE_UNSPECIFIED);
  }
  std::filesystem::remove(file);
}

TEST_F(CliTest, ImportFromStdinWithFormatAndJsonSummary) {
  RunResult r =
      Run({"allowlist", "import", "-", "--format", "hosts", "-o", "json"},
          "a.example\nb.example\n");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "{\"acceptedCount\":\"2\",\"format\":\"hosts\"}\n");
  absl::MutexLock lock(&admin_service_.mu_);
  EXPECT_EQ(admin_service_.import_options_[0].list(), v1::ALLOWLIST);
  EXPECT_EQ(admin_service_.import_messages_, 1);
}

TEST_F(CliTest, ImportOfAnEmptyFileStillSendsTheOptions) {
  RunResult r = Run({"blocklist", "import", "-"}, "");
  EXPECT_EQ(r.code, 0);
  absl::MutexLock lock(&admin_service_.mu_);
  EXPECT_EQ(admin_service_.import_messages_, 1);
  EXPECT_EQ(admin_service_.import_options_[0].list(), v1::BLOCKLIST);
}

TEST_F(CliTest, ImportRejectedByTheServerExitsTwo) {
  RunResult r = Run({"blocklist", "import", "-"}, "ok.example\nnot a host\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: INVALID_ARGUMENT: line 2: \"not a host\" is not a host\n");
}

TEST_F(CliTest, ImportOfAMissingFileIsALocalError) {
  RunResult r = Run({"blocklist", "import", "/nonexistent/list.txt"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: cannot open \"/nonexistent/list.txt\": No such file or "
            "directory\n");
}

TEST_F(CliTest, ImportShowsProgressOnATerminalAfterOneSecond) {
  const std::string file = ::testing::TempDir() + "/progress.txt";
  std::ofstream(file) << std::string(4096, 'a') << "\n";  // 4097 bytes
  env_.import_chunk_bytes = 1024;
  env_.stderr_is_tty = true;
  // Each reading of the clock is 400ms later than the last: the first chunk
  // is at 0.4s (quiet), the later ones past a second.
  auto now = std::make_shared<absl::Time>(absl::FromUnixSeconds(kEpoch));
  env_.now = [now] { return *now += absl::Milliseconds(400); };
  RunResult r = Run({"blocklist", "import", file, "--skip-invalid"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err,
            absl::StrCat("\rimporting ", file, ": 3.0 KiB / 4.0 KiB (74%)   ",
                         "\rimporting ", file, ": 4.0 KiB / 4.0 KiB (99%)   ",
                         "\rimporting ", file, ": 4.0 KiB / 4.0 KiB (100%)   ",
                         "\n"));
  std::filesystem::remove(file);
}

// ---- status, health ----

TEST_F(CliTest, StatusPrintsKeyValueLines) {
  RunResult r = Run({"status"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "version:           9.8.7-fake\n"
            "serving:           true\n"
            "uptime:            1d2h3m4s\n"
            "store:             ./var/lureguard.db\n"
            "snapshot_revision: 42\n"
            "snapshot_time:     2024-01-01T00:00:00Z\n"
            "blocklist_entries: 1234\n"
            "allowlist_entries: 5\n");
}

TEST_F(CliTest, StatusJson) {
  RunResult r = Run({"status", "-o", "json"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "{\"version\":\"9.8.7-fake\",\"uptime\":\"93784.500s\","
            "\"snapshotRevision\":\"42\",\"snapshotTime\":"
            "\"2024-01-01T00:00:00Z\",\"blocklistEntries\":\"1234\","
            "\"allowlistEntries\":\"5\",\"store\":\"./var/lureguard.db\","
            "\"serving\":true}\n");
}

TEST_F(CliTest, HealthExitsZeroOnlyWhenServing) {
  RunResult r = Run({"health"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "SERVING\n");

  server_->GetHealthCheckService()->SetServingStatus(false);
  r = Run({"health", "-o", "json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "{\"status\":\"NOT_SERVING\"}\n");

  r = Run({"health", "--service", "no.such.Service"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: NOT_FOUND: service name unknown\n");
}

// ---- usage and help ----

TEST_F(CliTest, UsageErrorsExitOneAndPointAtHelp) {
  const struct {
    std::vector<std::string> args;
    const char* err;
  } kCases[] = {
      {{"frobnicate"},
       "error: unknown command \"frobnicate\" for \"lureguard\"\n"
       "Run 'lureguard --help' for usage.\n"},
      {{"blocklist", "add", "x", "--colour", "red"},
       "error: unknown flag \"--colour\" for \"lureguard blocklist add\"\n"
       "Run 'lureguard blocklist add --help' for usage.\n"},
      {{"blocklist"},
       "error: \"lureguard blocklist\" needs a subcommand: add, rm, ls, "
       "import\nRun 'lureguard blocklist --help' for usage.\n"},
      {{"check", "url", "-", "http://a.example/"},
       "error: \"-\" (read URLs from stdin) must be the only URL\n"
       "Run 'lureguard check url --help' for usage.\n"},
      {{"status", "-o", "yaml"},
       "error: invalid value \"yaml\" for flag -o: want table or json\n"
       "Run 'lureguard status --help' for usage.\n"},
      {{"help", "nope"},
       "error: no help for unknown command \"nope\"\n"
       "Run 'lureguard --help' for usage.\n"},
  };
  for (const auto& c : kCases) {
    RunResult r = Run(c.args);
    EXPECT_EQ(r.code, 1) << c.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, c.err);
  }
  EXPECT_THAT(url_service_.calls(), ::testing::IsEmpty());
}

TEST_F(CliTest, HelpGoesToStdoutAndExitsZero) {
  RunResult r = RunRaw({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, StartsWith("lureguard - phishing verdicts"));
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(RunRaw({}).out, r.out);
  EXPECT_EQ(RunRaw({"help"}).out, r.out);

  r = RunRaw({"blocklist", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "Usage:\n"
            "  lureguard blocklist <command> [args] [flags]\n\n"
            "Commands:\n"
            "  add ENTRY [flags]       Add an entry to the block list\n"
            "  rm ENTRY [flags]        Remove entries from the block list\n"
            "  ls [flags]              List the entries of the block list\n"
            "  import FILE|- [flags]   Import many entries from a file or "
            "stdin\n\n"
            "Run 'lureguard blocklist COMMAND --help' for details.\n");

  r = RunRaw({"allowlist", "add", "-h"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, StartsWith("Add an entry to the allow list.\n\nUsage:\n"
                                "  lureguard allowlist add ENTRY [flags]\n"));
  EXPECT_THAT(r.out, HasSubstr("  lureguard allowlist add evil.example"));
  EXPECT_EQ(RunRaw({"help", "allowlist", "add"}).out, r.out);
}

// Every example in the help is a complete, valid command line (the shell
// plumbing aside): "examples that work as written".
TEST_F(CliTest, EveryHelpExampleParses) {
  std::vector<std::vector<std::string>> pages = {{}};
  for (const char* group : {"check", "blocklist", "allowlist"}) {
    pages.push_back({group});
  }
  for (const char* cmd : {"url"}) pages.push_back({"check", cmd});
  for (const char* list : {"blocklist", "allowlist"}) {
    for (const char* verb : {"add", "rm", "ls", "import"}) {
      pages.push_back({list, verb});
    }
  }
  pages.push_back({"status"});
  pages.push_back({"health"});
  int examples = 0;
  for (std::vector<std::string> page : pages) {
    page.push_back("--help");
    const std::string help = RunRaw(page).out;
    for (absl::string_view line : absl::StrSplit(help, '\n')) {
      if (!absl::StartsWith(line, "  lureguard ") ||
          absl::StrContains(line, "<command>") ||
          absl::StrContains(line, "[flags]") ||
          absl::StrContains(line, "URL... | -")) {
        continue;  // usage lines, not examples
      }
      // Cut shell plumbing: pipes and redirections.
      line = line.substr(0, line.find(" | "));
      line = line.substr(0, line.find(" < "));
      std::vector<std::string> words;
      std::string word;
      bool quoted = false;
      for (char c : line.substr(2)) {
        if (c == '"') {
          quoted = !quoted;
        } else if (c == ' ' && !quoted) {
          if (!word.empty()) words.push_back(std::move(word));
          word.clear();
        } else {
          word += c;
        }
      }
      if (!word.empty()) words.push_back(word);
      if (words.empty() || words[0] != "lureguard") continue;
      words.erase(words.begin());
      // Parse only (flags, values, argument counts); run nothing.
      absl::StatusOr<CommandLine> cl =
          ParseCommandLine(words, Commands().specs);
      EXPECT_TRUE(cl.ok()) << line << "\n" << cl.status();
      EXPECT_TRUE(cl.ok() && cl->command != nullptr) << line;
      ++examples;
    }
  }
  EXPECT_GE(examples, 20);
}

}  // namespace
}  // namespace lureguard::cli
