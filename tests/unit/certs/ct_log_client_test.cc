// The CT log client against a fake log served over real loopback HTTP.

#include "server/certs/ct_log_client.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/curl_http_fetcher.h"
#include "tests/fakes/fake_ct_log.h"
#include "tests/testing/http_test_server.h"

namespace lureguard::certs {
namespace {

using ::testing::HasSubstr;

class CtLogClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> server =
        testing::HttpTestServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    log_ = std::make_unique<testing::FakeCtLog>(*server_, "/log/", ca_);
  }

  std::unique_ptr<CtLogClient> Client(CtApi api, int batch_size = 100) {
    return NewCtLogClient({.name = "fake", .url = log_->url(), .api = api},
                          fetcher_, batch_size);
  }

  testing::CtTestCa ca_{"Client Test CA"};
  lists::CurlHttpFetcher fetcher_{{.allow_private_targets = true}};
  std::unique_ptr<testing::HttpTestServer> server_;
  std::unique_ptr<testing::FakeCtLog> log_;
};

TEST_F(CtLogClientTest, Rfc6962ReadsShortBatchesToTheEnd) {
  for (int i = 0; i < 5; ++i) {
    log_->AddCertificate({absl::StrCat("host", i, ".example")}, i + 1);
  }
  log_->SetMaxBatch(2);
  std::unique_ptr<CtLogClient> client = Client(CtApi::kRfc6962, 10);
  absl::StatusOr<CtTreeHead> head = client->GetTreeHead();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->tree_size, 5);
  EXPECT_EQ(head->root_hash.size(), 32u);

  std::vector<int64_t> indexes;
  int64_t next = 0;
  while (next < 5) {
    absl::StatusOr<CtBatch> batch = client->GetEntries(next, 5, 5);
    ASSERT_TRUE(batch.ok()) << batch.status();
    EXPECT_LE(batch->entries.size(), 2u);
    for (const CtEntry& e : batch->entries) indexes.push_back(e.index);
    next = batch->next_index;
  }
  EXPECT_THAT(indexes, ::testing::ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(log_->get_entries_calls(), 3);
  std::vector<testing::HttpTestRequest> requests = server_->requests();
  EXPECT_EQ(requests.back().target, "/log/ct/v1/get-entries?start=4&end=4");
}

TEST_F(CtLogClientTest, Rfc6962SkipsAndReportsMalformedEntries) {
  log_->AddCertificate({"a.example"}, 1);
  log_->AddRaw(std::string("\x00\x00truncated", 11), "", "");
  log_->AddPrecertificate({"b.example"}, 2);
  std::unique_ptr<CtLogClient> client = Client(CtApi::kRfc6962);
  absl::StatusOr<CtBatch> batch = client->GetEntries(0, 3, 3);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->next_index, 3);
  ASSERT_EQ(batch->entries.size(), 2u);
  EXPECT_EQ(batch->entries[1].type, CtEntryType::kPrecert);
  ASSERT_EQ(batch->malformed.size(), 1u);
  EXPECT_THAT(batch->malformed[0], HasSubstr("entry 1: leaf_input: offset 2"));
  // The chain's first certificate is the issuer.
  EXPECT_EQ(*client->GetIssuer(batch->entries[0]), ca_.der());
}

TEST_F(CtLogClientTest, HttpErrorsAndBadBodiesAreErrors) {
  log_->AddCertificate({"a.example"}, 1);
  log_->SetFailureStatus(503);
  std::unique_ptr<CtLogClient> client = Client(CtApi::kRfc6962);
  absl::StatusOr<CtTreeHead> head = client->GetTreeHead();
  EXPECT_EQ(head.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(head.status().message(), HasSubstr("get-sth: HTTP 503"));
  EXPECT_EQ(Client(CtApi::kStatic)->GetEntries(0, 1, 1).status().code(),
            absl::StatusCode::kUnavailable);

  server_->SetResponse("/log/ct/v1/get-sth", {.body = "<html>oops</html>"});
  EXPECT_THAT(client->GetTreeHead().status().message(),
              HasSubstr("the body is not a JSON object"));
  server_->SetResponse("/log/ct/v1/get-sth", {.body = R"({"tree_size":-3})"});
  EXPECT_THAT(client->GetTreeHead().status().message(),
              HasSubstr("tree_size: -3 is not a non-negative integer"));
  server_->SetResponse("/log/checkpoint", {.body = "not a note"});
  EXPECT_THAT(Client(CtApi::kStatic)->GetTreeHead().status().message(),
              HasSubstr("checkpoint: no blank line"));
}

TEST_F(CtLogClientTest, StaticReadsFullAndPartialTilesAndFetchesIssuers) {
  for (int i = 0; i < 258; ++i) {
    if (i == 257) {
      log_->AddPrecertificate({"last.example"}, i + 1);
    } else {
      log_->AddCertificate({absl::StrCat("h", i, ".example")}, i + 1);
    }
  }
  std::unique_ptr<CtLogClient> client = Client(CtApi::kStatic);
  absl::StatusOr<CtTreeHead> head = client->GetTreeHead();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->tree_size, 258);

  absl::StatusOr<CtBatch> first = client->GetEntries(250, 258, 258);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->next_index, 256);
  ASSERT_EQ(first->entries.size(), 6u);
  EXPECT_EQ(first->entries[0].index, 250);
  EXPECT_EQ(server_->requests().back().target, "/log/tile/data/000");

  absl::StatusOr<CtBatch> partial = client->GetEntries(256, 258, 258);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(server_->requests().back().target, "/log/tile/data/001.p/2");
  EXPECT_EQ(partial->next_index, 258);
  ASSERT_EQ(partial->entries.size(), 2u);
  EXPECT_EQ(partial->entries[1].type, CtEntryType::kPrecert);

  EXPECT_EQ(*client->GetIssuer(partial->entries[1]), ca_.der());
  EXPECT_EQ(*client->GetIssuer(partial->entries[0]), ca_.der());
  EXPECT_EQ(log_->issuer_calls(), 1);  // cached

  // A tile cut short is an error, not a silently shorter read.
  server_->SetResponse("/log/tile/data/001.p/2", {.body = "\x00\x01"});
  EXPECT_THAT(client->GetEntries(256, 258, 258).status().message(),
              HasSubstr("tile/data/001.p/2: leaf 0 of 2"));
}

TEST_F(CtLogClientTest, StaticIssuerWithTheWrongFingerprintIsRefused) {
  log_->AddCertificate({"a.example"}, 1);
  std::unique_ptr<CtLogClient> client = Client(CtApi::kStatic);
  absl::StatusOr<CtBatch> batch = client->GetEntries(0, 1, 1);
  ASSERT_TRUE(batch.ok()) << batch.status();
  const std::string path = absl::StrCat(
      "/log/issuer/",
      absl::BytesToHexString(batch->entries[0].chain_fingerprints[0]));
  server_->SetResponse(path, {.body = "some other certificate"});
  EXPECT_THAT(client->GetIssuer(batch->entries[0]).status().message(),
              HasSubstr("does not have the SHA-256 fingerprint"));
}

}  // namespace
}  // namespace lureguard::certs
