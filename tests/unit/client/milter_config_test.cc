#include "client/milter/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::milter {
namespace {

using ::testing::HasSubstr;

absl::Status Check(absl::string_view text) {
  absl::StatusOr<v1::MilterConfig> config = ParseMilterConfig(text);
  if (!config.ok()) return config.status();
  ApplyMilterDefaults(*config);
  return ValidateMilterConfig(*config);
}

TEST(MilterConfig, EmptyFileGetsTheDocumentedDefaults) {
  absl::StatusOr<v1::MilterConfig> config = ParseMilterConfig("");
  ASSERT_TRUE(config.ok());
  ApplyMilterDefaults(*config);
  EXPECT_TRUE(ValidateMilterConfig(*config).ok());
  EXPECT_EQ(config->milter_socket(), "inet:10025@127.0.0.1");
  EXPECT_EQ(config->server(), "127.0.0.1:50051");
  EXPECT_EQ(config->max_in_flight(), 32);
  EXPECT_EQ(config->max_message_bytes(), 25 << 20);
  EXPECT_EQ(DeadlineOf(*config), absl::Seconds(10));
  EXPECT_EQ(config->on_block(), v1::BLOCK_QUARANTINE);
  EXPECT_EQ(config->on_failure(), v1::FAILURE_ACCEPT);
  EXPECT_EQ(config->log_level(), "info");
}

TEST(MilterConfig, ParsesEveryActionByName) {
  absl::StatusOr<v1::MilterConfig> config = ParseMilterConfig(R"pb(
    on_block: BLOCK_REJECT
    on_failure: FAILURE_TEMPFAIL
    warn_subject_prefix: "[SUSPICIOUS] "
    tenant_routes { domain: "acme.example" tenant: "acme" }
  )pb");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->on_block(), v1::BLOCK_REJECT);
  EXPECT_EQ(config->on_failure(), v1::FAILURE_TEMPFAIL);
  EXPECT_EQ(config->tenant_routes(0).tenant(), "acme");
}

TEST(MilterConfig, SyntaxErrorGivesLineAndColumn) {
  absl::Status status = Check("max_in_flight: 3\nno_such_field: 1\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("line 2, column"));
  EXPECT_THAT(status.message(), HasSubstr("no_such_field"));
}

TEST(MilterConfig, ValidationErrorsNameTheFieldAndValue) {
  const std::pair<const char*, const char*> cases[] = {
      {"milter_socket: 'tcp:25'", "milter_socket: 'tcp:25'"},
      {"milter_socket: 'inet:x@127.0.0.1'", "needs a numeric port"},
      {"milter_socket: 'inet:10025'", "needs a host"},
      {"milter_socket: 'unix:'", "has no path"},
      {"server: 'localhost'", "server: 'localhost' is not HOST:PORT"},
      {"max_in_flight: -1", "max_in_flight: -1 is outside [1, 4096]"},
      {"max_in_flight: 5000", "max_in_flight: 5000 is outside"},
      {"max_message_bytes: 100", "max_message_bytes: 100 is outside"},
      {"deadline { seconds: 301 }", "deadline: 5m1s is outside [100ms, 300s]"},
      {"deadline { nanos: 1000 }", "deadline: 1us is outside"},
      {"tls { cert_file: 'c.pem' }", "tls.cert_file, tls.key_file"},
      {"warn_subject_prefix: 'a\\nb'", "warn_subject_prefix: must be one line"},
      {"metrics_listen: '9090'", "metrics_listen: '9090' is not HOST:PORT"},
      {"log_level: 'loud'", "log_level: unknown level 'loud'"},
      {"on_block: 7", "on_block: 7 is not an action"},
      {"tenant_routes { domain: '' tenant: 'a' }",
       "tenant_routes[0].domain: '' is not a domain"},
      {"tenant_routes { domain: 'a@b.example' tenant: 'a' }",
       "tenant_routes[0].domain: 'a@b.example' is not a domain"},
      {"tenant_routes { domain: 'b.example' }",
       "tenant_routes[0].tenant: is empty"},
      {"tenant_routes { domain: 'b.example' tenant: 'a' } "
       "tenant_routes { domain: 'B.example' tenant: 'c' }",
       "tenant_routes[1].domain: 'B.example' is already routed by "
       "tenant_routes[0]"},
  };
  for (const auto& [text, expected] : cases) {
    absl::Status status = Check(text);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(status.message(), HasSubstr(expected)) << text;
  }
}

// Found with milter_config_fuzzer's check that every accepted route routes
// its own domain: the router files "b.example." under "b.example", so it
// shadowed a second route for "B.example" (or was shadowed by it), and "."
// was filed under "" and never matched.
TEST(MilterConfig, RoutesTheRouterCannotTellApartAreRefused) {
  absl::Status status = Check(
      "tenant_routes { domain: 'b.example.' tenant: 'a' } "
      "tenant_routes { domain: 'B.example' tenant: 'c' }");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("tenant_routes[1].domain: 'B.example' is already "
                        "routed by tenant_routes[0]"));
  status = Check("tenant_routes { domain: '.' tenant: 'a' }");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("tenant_routes[0].domain: '.' is not a domain"));
}

TEST(MilterConfig, AcceptsUnixAndInet6Sockets) {
  EXPECT_TRUE(Check("milter_socket: 'unix:/run/lureguard/milter.sock'").ok());
  EXPECT_TRUE(Check("milter_socket: 'inet6:10025@[::1]'").ok());
}

TEST(MilterConfig, MissingFileIsNotFoundNamingThePath) {
  absl::StatusOr<v1::MilterConfig> config =
      LoadMilterConfigFile("/nonexistent/milter.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(config.status().message(),
              HasSubstr("'/nonexistent/milter.textproto'"));
}

}  // namespace
}  // namespace lureguard::milter
