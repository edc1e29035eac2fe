// The CT monitor end to end below the API: a fake log over loopback HTTP,
// the real SQLite store in a temporary directory, the default brands, and a
// fake clock for backoff.

#include "server/certs/ct_monitor.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/lists/curl_http_fetcher.h"
#include "server/lookalike/brand.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_ct_log.h"
#include "tests/testing/http_test_server.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::certs {
namespace {

using ::testing::HasSubstr;

class CtMonitorTest : public ::testing::TestWithParam<CtApi> {
 protected:
  static void SetUpTestSuite() {
    brands_ = new std::shared_ptr<const lookalike::BrandIndex>(
        std::make_shared<const lookalike::BrandIndex>(
            *lookalike::BrandIndex::Build(lookalike::DefaultBrands())));
  }
  static void TearDownTestSuite() { delete brands_; }

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::HttpTestServer>> server =
        testing::HttpTestServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    log_ = std::make_unique<testing::FakeCtLog>(*server_, "/log/", ca_);
    OpenStore();
  }

  void OpenStore() {
    monitor_.reset();
    store_.reset();
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(dir_.path() + "/lureguard.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    monitor_ = std::make_unique<CtMonitor>(
        *store_,
        [this](const CtLogConfig& config) {
          return NewCtLogClient(config, fetcher_, 100);
        },
        [] { return *brands_; }, clock_, CtMonitorOptions(), &notifier_);
  }

  CtLogConfig Config() const {
    return {.name = "fake", .url = log_->url(), .api = GetParam()};
  }

  std::vector<store::AlertRecord> Alerts() {
    absl::StatusOr<store::AlertPage> page = store_->ListAlerts(0, 100, false);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->alerts : std::vector<store::AlertRecord>();
  }

  static std::shared_ptr<const lookalike::BrandIndex>* brands_;
  testing::TempDir dir_;
  FakeClock clock_;
  testing::CtTestCa ca_{"Monitor Test CA"};
  lists::CurlHttpFetcher fetcher_{{.allow_private_targets = true}};
  AlertNotifier notifier_;
  std::unique_ptr<testing::HttpTestServer> server_;
  std::unique_ptr<testing::FakeCtLog> log_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<CtMonitor> monitor_;
};
std::shared_ptr<const lookalike::BrandIndex>* CtMonitorTest::brands_ = nullptr;

TEST_P(CtMonitorTest, LookalikeCertificateBecomesOneAlert) {
  log_->AddCertificate({"example.org"}, 1);
  log_->AddPrecertificate({"paypa1-login.com", "www.paypa1-login.com"}, 2);
  log_->AddCertificate({"paypa1-login.com", "www.paypa1-login.com"}, 2);
  ASSERT_TRUE(monitor_->Add(Config(), 0).ok());

  absl::StatusOr<CtLogState> state = monitor_->PollNow("fake");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->last_error, "");
  EXPECT_EQ(state->cursor, 3);
  EXPECT_EQ(state->tree_size, 3);
  EXPECT_EQ(state->entries_read, 3);
  // The precertificate and its certificate share issuer and serial: one
  // alert per name.
  EXPECT_EQ(state->alert_count, 2);
  std::vector<store::AlertRecord> alerts = Alerts();
  ASSERT_EQ(alerts.size(), 2u);
  const store::AlertRecord& alert = alerts[0];
  EXPECT_EQ(alert.name, "paypa1-login.com");
  EXPECT_EQ(alert.brand, "PayPal");
  EXPECT_EQ(alert.technique, "ascii-homoglyph");
  EXPECT_EQ(alert.official_domain, "paypal.com");
  EXPECT_GE(alert.weight, 0.85);
  EXPECT_EQ(alert.issuer, ca_.subject());
  EXPECT_EQ(alert.serial, "2");
  EXPECT_TRUE(alert.precertificate);
  EXPECT_EQ(alert.log_name, "fake");
  EXPECT_EQ(alert.log_index, 1);
  EXPECT_EQ(alert.not_before, absl::FromUnixSeconds(1767225600));
  EXPECT_EQ(alert.create_time, clock_.Now());
  EXPECT_EQ(alerts[1].name, "www.paypa1-login.com");
  EXPECT_EQ(notifier_.WaitNewer(0, absl::ZeroDuration()), alerts[1].id);
}

TEST_P(CtMonitorTest, CursorResumesAfterARestartWithoutDuplicateAlerts) {
  log_->AddCertificate({"paypa1-login.com"}, 1);
  log_->AddCertificate({"example.org"}, 2);
  ASSERT_TRUE(monitor_->Add(Config(), 0).ok());
  ASSERT_EQ(monitor_->PollNow("fake")->cursor, 2);
  ASSERT_EQ(Alerts().size(), 1u);

  OpenStore();  // a restart: new store handle, new monitor
  log_->AddCertificate({"rnicrosoft-account.com"}, 3);
  const size_t requests_before = server_->requests().size();
  absl::StatusOr<CtLogState> state = monitor_->PollNow("fake");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->cursor, 3);
  EXPECT_EQ(state->entries_read, 3);
  std::vector<testing::HttpTestRequest> requests = server_->requests();
  ASSERT_EQ(requests.size(),
            requests_before + 2 + (GetParam() == CtApi::kStatic));
  EXPECT_EQ(requests[requests_before + 1].target,
            GetParam() == CtApi::kRfc6962
                ? "/log/ct/v1/get-entries?start=2&end=2"
                : "/log/tile/data/000.p/3");
  std::vector<store::AlertRecord> alerts = Alerts();
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1].brand, "Microsoft");

  // Reading the whole log again adds nothing: alerts are deduplicated.
  ASSERT_TRUE(monitor_->Add(Config(), 0).ok());
  EXPECT_EQ(monitor_->PollNow("fake")->cursor, 3);
  EXPECT_EQ(Alerts().size(), 2u);
}

TEST_P(CtMonitorTest, ShrinkingTreeKeepsTheCursorAndBacksOff) {
  log_->AddCertificate({"a.example"}, 1);
  log_->AddCertificate({"b.example"}, 2);
  ASSERT_TRUE(monitor_->Add(Config(), 0).ok());
  ASSERT_EQ(monitor_->PollNow("fake")->cursor, 2);

  log_->SetReportedSize(1);
  absl::StatusOr<CtLogState> state = monitor_->PollNow("fake");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_THAT(state->last_error,
              HasSubstr("the tree shrank: the log now has 1 entries, but 2 "
                        "were already read"));
  EXPECT_EQ(state->cursor, 2);
  EXPECT_EQ(state->consecutive_failures, 1);
  EXPECT_EQ(state->next_run_time, clock_.Now() + absl::Seconds(30));
  state = monitor_->PollNow("fake");
  EXPECT_EQ(state->consecutive_failures, 2);
  EXPECT_EQ(state->next_run_time, clock_.Now() + absl::Seconds(60));

  log_->SetReportedSize(std::nullopt);
  state = monitor_->PollNow("fake");
  EXPECT_EQ(state->last_error, "");
  EXPECT_EQ(state->consecutive_failures, 0);
  EXPECT_EQ(state->next_run_time, clock_.Now() + absl::Minutes(1));
}

TEST_P(CtMonitorTest, HttpErrorsAreRecordedAndRetriedWithBackoff) {
  log_->AddCertificate({"a.example"}, 1);
  ASSERT_TRUE(monitor_->Add(Config(), 0).ok());
  log_->SetFailureStatus(503);
  absl::StatusOr<CtLogState> state;
  for (int i = 0; i < 9; ++i) state = monitor_->PollNow("fake");
  EXPECT_THAT(state->last_error, HasSubstr("HTTP 503"));
  EXPECT_EQ(state->cursor, 0);
  EXPECT_EQ(state->consecutive_failures, 9);
  // 30s doubling, capped at an hour.
  EXPECT_EQ(state->next_run_time, clock_.Now() + absl::Hours(1));
}

TEST_P(CtMonitorTest, NewLogStartsAtTheCurrentTreeSize) {
  log_->AddCertificate({"paypa1-login.com"}, 1);
  absl::StatusOr<CtLogState> added = monitor_->Add(Config(), std::nullopt);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->cursor, 1);
  EXPECT_EQ(monitor_->PollNow("fake")->cursor, 1);
  EXPECT_TRUE(Alerts().empty());
}

INSTANTIATE_TEST_SUITE_P(BothApis, CtMonitorTest,
                         ::testing::Values(CtApi::kRfc6962, CtApi::kStatic),
                         [](const auto& param_info) {
                           return std::string(CtApiName(param_info.param));
                         });

class CtMonitorRfc6962Test : public CtMonitorTest {};

TEST_P(CtMonitorRfc6962Test, MalformedEntriesAreSkippedAndCounted) {
  log_->AddRaw(std::string("\x00\x00\x01", 3), "", "");
  log_->AddRaw(testing::ct_encoding::X509Leaf("garbage", 0), "", "");
  log_->AddCertificate({"paypa1-login.com"}, 1);
  ASSERT_TRUE(monitor_->Add(Config(), 0).ok());
  absl::StatusOr<CtLogState> state = monitor_->PollNow("fake");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->last_error, "");
  EXPECT_EQ(state->cursor, 3);
  EXPECT_EQ(state->malformed_count, 2);
  EXPECT_THAT(state->last_malformed,
              HasSubstr("entry 1: certificate: not a DER X.509"));
  EXPECT_EQ(Alerts().size(), 1u);
}

TEST_P(CtMonitorRfc6962Test, InvalidConfigurationNamesTheField) {
  CtLogConfig config = Config();
  config.name = "Bad Name";
  EXPECT_THAT(monitor_->Add(config, 0).status().message(), HasSubstr("name:"));
  config = Config();
  config.url = "ftp://x";
  EXPECT_THAT(monitor_->Add(config, 0).status().message(), HasSubstr("url:"));
  config = Config();
  config.interval = absl::Hours(48);
  EXPECT_THAT(monitor_->Add(config, 0).status().message(),
              HasSubstr("interval: 48h is outside [1s, 24h]"));
  EXPECT_THAT(monitor_->Add(Config(), -1).status().message(),
              HasSubstr("start_index: -1 is negative"));
  EXPECT_EQ(monitor_->Remove("nope").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(monitor_->PollNow("nope").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(CtMonitorRfc6962Test, WorkersPollDueLogsInTheBackground) {
  log_->AddCertificate({"paypa1-login.com"}, 1);
  ASSERT_TRUE(monitor_->Add(Config(), 0).ok());
  monitor_->Start();
  // The worker notifies once the alert is stored.
  EXPECT_GT(notifier_.WaitNewer(0, absl::Seconds(30)), 0);
  monitor_->Stop();
  EXPECT_EQ(Alerts().size(), 1u);
  ASSERT_TRUE(monitor_->Remove("fake").ok());
  EXPECT_TRUE(monitor_->List()->empty());
}

INSTANTIATE_TEST_SUITE_P(Rfc6962, CtMonitorRfc6962Test,
                         ::testing::Values(CtApi::kRfc6962));

}  // namespace
}  // namespace lureguard::certs
