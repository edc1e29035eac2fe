// CtAdmin with the real parts below it: a CtMonitor on a real SQLite store
// in a temporary directory, reading a fake CT log over loopback HTTP.

#include "server/certs/ct_admin.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/curl_http_fetcher.h"
#include "tests/fakes/fake_ct_log.h"
#include "tests/testing/admin_owner_test.h"
#include "tests/testing/http_test_server.h"

namespace lureguard::certs {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class CtAdminTest : public testing::AdminOwnerTest {
 protected:
  void SetUp() override {
    AdminOwnerTest::SetUp();
    absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> server =
        testing::HttpTestServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    log_ = std::make_unique<testing::FakeCtLog>(*server_, "/log/", ca_);
    monitor_ = std::make_unique<CtMonitor>(
        *store_,
        [this](const CtLogConfig& config) {
          return NewCtLogClient(config, fetcher_, 100);
        },
        [] { return nullptr; }, clock_, CtMonitorOptions(), &notifier_);
    admin_ = std::make_unique<CtAdmin>(*monitor_, &notifier_, *store_, clock_,
                                       absl::Minutes(5));
  }

  // Stores alerts named `names` directly, as a poll would; returns their ids.
  std::vector<int64_t> StoreAlerts(const std::vector<std::string>& names) {
    std::vector<store::AlertRecord> alerts;
    for (const std::string& name : names) {
      alerts.push_back({.dedup_key = name, .name = name, .log_name = "fake"});
    }
    absl::StatusOr<std::vector<store::AlertRecord>> added =
        store_->AddAlerts(alerts, std::nullopt);
    EXPECT_TRUE(added.ok()) << added.status();
    std::vector<int64_t> ids;
    for (const store::AlertRecord& alert :
         added.value_or(std::vector<store::AlertRecord>{})) {
      ids.push_back(alert.id);
    }
    return ids;
  }

  testing::CtTestCa ca_{"CtAdmin Test CA"};
  lists::CurlHttpFetcher fetcher_{{.allow_private_targets = true}};
  AlertNotifier notifier_;
  std::unique_ptr<testing::HttpTestServer> server_;
  std::unique_ptr<testing::FakeCtLog> log_;
  std::unique_ptr<CtMonitor> monitor_;
  std::unique_ptr<CtAdmin> admin_;
};

TEST_F(CtAdminTest, AddLogTakesTheDefaultIntervalAndAuditsTheLog) {
  log_->AddCertificate({"example.org"}, 1);
  absl::StatusOr<CtLogState> state = admin_->AddLog(
      caller_, {.name = "fake", .url = log_->url(), .api = CtApi::kStatic});
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->config.interval, absl::Minutes(5));
  EXPECT_EQ(state->cursor, 1);  // from the tree size on

  ASSERT_TRUE(admin_
                  ->AddLog(caller_, {.name = "fake",
                                     .url = log_->url(),
                                     .api = CtApi::kStatic,
                                     .interval = absl::Seconds(30),
                                     .start_index = 0})
                  .ok());
  absl::StatusOr<std::vector<CtLogState>> logs = admin_->ListLogs();
  ASSERT_TRUE(logs.ok()) << logs.status();
  ASSERT_EQ(logs->size(), 1u);
  EXPECT_EQ((*logs)[0].config.interval, absl::Seconds(30));
  EXPECT_EQ((*logs)[0].cursor, 0);

  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].method, "CreateCtLog");
  EXPECT_EQ(audit[1].target, "ct:fake");
  EXPECT_EQ(audit[1].actor, "ops");
  EXPECT_EQ(audit[1].request_id, "req-1");
  EXPECT_EQ(audit[1].after, absl::StrCat(log_->url(), " STATIC_CT every 5m"));
  EXPECT_EQ(audit[0].after, absl::StrCat(log_->url(), " STATIC_CT every 30s"));
}

TEST_F(CtAdminTest, AFailedAddIsNotAudited) {
  absl::StatusOr<CtLogState> state = admin_->AddLog(
      caller_, {.name = "Bad Name", .url = log_->url(), .start_index = 0});
  EXPECT_EQ(state.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Audit(), IsEmpty());
}

TEST_F(CtAdminTest, RemoveLogChecksTheNameAndAuditsTheRemoval) {
  EXPECT_EQ(admin_->RemoveLog(caller_, ""),
            absl::InvalidArgumentError("name: is empty"));
  EXPECT_EQ(admin_->RemoveLog(caller_, "fake").code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(admin_
                  ->AddLog(caller_, {.name = "fake",
                                     .url = log_->url(),
                                     .api = CtApi::kStatic,
                                     .start_index = 0})
                  .ok());
  ASSERT_TRUE(admin_->RemoveLog(caller_, "fake").ok());
  EXPECT_THAT(*admin_->ListLogs(), IsEmpty());
  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].method, "DeleteCtLog");
  EXPECT_EQ(audit[0].target, "ct:fake");
}

TEST_F(CtAdminTest, ListAlertsPagesByTheCommonRule) {
  const std::vector<int64_t> ids = StoreAlerts({"a.example", "b.example"});
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(admin_->ListAlerts(0, -1, false).status(),
            absl::InvalidArgumentError("page_size: is negative"));
  absl::StatusOr<store::AlertPage> first = admin_->ListAlerts(0, 1, false);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->alerts,
              ElementsAre(Field(&store::AlertRecord::name, "a.example")));
  EXPECT_TRUE(first->has_more);
  absl::StatusOr<store::AlertPage> all = admin_->ListAlerts(0, 0, false);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->alerts.size(), 2u);
  EXPECT_FALSE(all->has_more);
}

TEST_F(CtAdminTest, AckAlertStampsTheTimeAndAuditsIt) {
  EXPECT_EQ(admin_->AckAlert(caller_, 0).status(),
            absl::InvalidArgumentError("id: must be a positive alert id"));
  EXPECT_EQ(admin_->AckAlert(caller_, 99).status().code(),
            absl::StatusCode::kNotFound);
  const std::vector<int64_t> ids = StoreAlerts({"a.example"});
  ASSERT_EQ(ids.size(), 1u);
  absl::StatusOr<store::AlertRecord> acked = admin_->AckAlert(caller_, ids[0]);
  ASSERT_TRUE(acked.ok()) << acked.status();
  EXPECT_EQ(acked->ack_time, clock_.Now());
  const std::vector<store::AuditRecord> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].method, "AckAlert");
  EXPECT_EQ(audit[0].target, absl::StrCat("alert:", ids[0]));
  EXPECT_EQ(audit[0].after, "acknowledged");
}

TEST_F(CtAdminTest, AWatchStartsAfterTheNewestAlertAcrossPages) {
  EXPECT_EQ(admin_->NewestAlertId().value(), 0);
  std::vector<std::string> names;
  for (int i = 0; i < 1500; ++i) names.push_back(absl::StrCat(i, ".example"));
  const std::vector<int64_t> ids = StoreAlerts(names);
  ASSERT_EQ(ids.size(), 1500u);
  EXPECT_EQ(admin_->NewestAlertId().value(), ids.back());
}

TEST_F(CtAdminTest, NextAlertsWaitsForANotifiedAlert) {
  const std::vector<int64_t> old = StoreAlerts({"old.example"});
  ASSERT_EQ(old.size(), 1u);
  std::thread monitor([this] {
    const std::vector<int64_t> added = StoreAlerts({"new.example"});
    notifier_.Notify(added.empty() ? 0 : added.back());
  });
  // Either the alert is stored before the read, or the notification ends
  // the wait; within kWatchPoll either way, then the page holds it.
  absl::StatusOr<store::AlertPage> page;
  for (int reads = 0; reads < 5; ++reads) {
    page = admin_->NextAlerts(old[0]);
    ASSERT_TRUE(page.ok()) << page.status();
    if (!page->alerts.empty()) break;
    EXPECT_EQ(page->last_id, old[0]);
  }
  monitor.join();
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(page->alerts,
              ElementsAre(Field(&store::AlertRecord::name, "new.example")));
  EXPECT_GT(page->last_id, old[0]);
}

}  // namespace
}  // namespace lureguard::certs
