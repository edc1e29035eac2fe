#include "client/args.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::vector<CommandSpec>& Specs() {
  static const auto* const specs = new std::vector<CommandSpec>{
      {.path = {"check", "url"},
       .flags = {{.name = "tenant"}},
       .min_args = 1,
       .max_args = -1},
      {.path = {"blocklist", "add"},
       .flags = {{.name = "kind"}, {.name = "ttl"}},
       .min_args = 1,
       .max_args = 1},
      {.path = {"blocklist", "ls"},
       .flags = {{.name = "all", .takes_value = false}}},
      {.path = {"status"}},
  };
  return *specs;
}

absl::StatusOr<CommandLine> Parse(std::vector<std::string> argv) {
  return ParseCommandLine(argv, Specs());
}

TEST(ParseCommandLine, GlobalFlagsBeforeAndAfterTheCommand) {
  absl::StatusOr<CommandLine> cl =
      Parse({"--server", "10.0.0.1:1", "blocklist", "add", "evil.example", "-o",
             "json", "--kind=host", "--fail-on=block", "--timeout", "2s",
             "--token=abc"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->command, &Specs()[1]);
  EXPECT_THAT(cl->words, ElementsAre("blocklist", "add"));
  EXPECT_THAT(cl->args, ElementsAre("evil.example"));
  EXPECT_EQ(cl->Get("kind"), "host");
  EXPECT_FALSE(cl->Has("ttl"));
  EXPECT_EQ(cl->globals.server, "10.0.0.1:1");
  EXPECT_EQ(cl->globals.token, "abc");
  EXPECT_EQ(cl->globals.output, OutputFormat::kJson);
  EXPECT_EQ(cl->globals.fail_on, FailOn::kBlock);
  EXPECT_EQ(cl->globals.timeout, absl::Seconds(2));
  EXPECT_FALSE(cl->globals.help);
}

TEST(ParseCommandLine, TlsFlagsAreGlobal) {
  absl::StatusOr<CommandLine> cl = Parse(
      {"--tls", "status", "--ca", "ca.pem", "--cert=c.pem", "--key", "c.key"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_TRUE(cl->globals.tls);
  EXPECT_EQ(cl->globals.ca, "ca.pem");
  EXPECT_EQ(cl->globals.cert, "c.pem");
  EXPECT_EQ(cl->globals.key, "c.key");
  EXPECT_EQ(Parse({"status", "--ca="}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse({"status", "--tls=yes"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseCommandLine, ShortOutputFlagForms) {
  for (const char* form : {"-ojson", "-o=json", "--output=json"}) {
    absl::StatusOr<CommandLine> cl = Parse({"status", form});
    ASSERT_TRUE(cl.ok()) << form << ": " << cl.status();
    EXPECT_EQ(cl->globals.output, OutputFormat::kJson) << form;
  }
}

TEST(ParseCommandLine, DashIsAnArgumentAndDoubleDashEndsFlags) {
  absl::StatusOr<CommandLine> cl = Parse({"check", "url", "-"});
  ASSERT_TRUE(cl.ok());
  EXPECT_THAT(cl->args, ElementsAre("-"));

  cl = Parse({"check", "url", "--", "-weird.example", "--tenant"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_THAT(cl->args, ElementsAre("-weird.example", "--tenant"));
}

TEST(ParseCommandLine, SwitchesTakeNoValue) {
  absl::StatusOr<CommandLine> cl = Parse({"blocklist", "ls", "--all"});
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->Get("all"), "true");
  EXPECT_EQ(Parse({"blocklist", "ls", "--all=yes"}).status().message(),
            "flag --all does not take a value");
}

TEST(ParseCommandLine, HelpStopsAtAGroupAndSkipsArgumentCounts) {
  absl::StatusOr<CommandLine> cl = Parse({"blocklist", "--help"});
  ASSERT_TRUE(cl.ok());
  EXPECT_TRUE(cl->globals.help);
  EXPECT_EQ(cl->command, nullptr);
  EXPECT_THAT(cl->words, ElementsAre("blocklist"));

  cl = Parse({"blocklist", "add", "-h"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->command, &Specs()[1]);
  EXPECT_THAT(cl->args, IsEmpty());
}

TEST(ParseCommandLine, UsageErrorsNameTheOffender) {
  const struct {
    std::vector<std::string> argv;
    const char* message;
  } kCases[] = {
      {{"frobnicate"}, "unknown command \"frobnicate\" for \"lureguard\""},
      {{"blocklist", "del", "x"},
       "unknown command \"del\" for \"lureguard blocklist\""},
      {{"blocklist", "add", "x", "--knd", "host"},
       "unknown flag \"--knd\" for \"lureguard blocklist add\""},
      {{"--kind", "host", "blocklist", "add", "x"},
       "unknown flag \"--kind\" for \"lureguard\""},
      {{"status", "-x"}, "unknown flag \"-x\" for \"lureguard status\""},
      {{"blocklist", "add", "x", "--kind"}, "flag --kind needs a value"},
      {{"status", "-o", "yaml"},
       "invalid value \"yaml\" for flag -o: want table or json"},
      {{"status", "--fail-on", "allow"},
       "invalid value \"allow\" for flag --fail-on: want warn or block"},
      {{"status", "--timeout", "soon"},
       "flag --timeout: invalid duration \"soon\": expected a number at "
       "\"soon\""},
      {{"status", "--timeout", "0s"},
       "flag --timeout: the timeout must be above zero"},
      {{"status", "--server="}, "flag --server needs a HOST:PORT"},
      {{"blocklist", "add"},
       "\"lureguard blocklist add\" needs 1 argument, got 0"},
      {{"blocklist", "add", "a", "b"},
       "\"lureguard blocklist add\" takes at most 1 argument, got 2 (a b)"},
      {{"check", "url"},
       "\"lureguard check url\" needs at least 1 argument, got 0"},
      {{"status", "now"},
       "\"lureguard status\" takes no arguments, got \"now\""},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<CommandLine> cl = Parse(c.argv);
    ASSERT_FALSE(cl.ok()) << c.message;
    EXPECT_EQ(cl.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(cl.status().message(), c.message);
  }
}

TEST(ParseCommandLine, ReportsTheWordsSeenOnError) {
  std::vector<std::string> argv = {"blocklist", "add", "x", "--bad"};
  std::vector<std::string> seen;
  EXPECT_FALSE(ParseCommandLine(argv, Specs(), &seen).ok());
  EXPECT_THAT(seen, ElementsAre("blocklist", "add"));
}

TEST(ParseCommandLine, LastValueOfARepeatedFlagWins) {
  absl::StatusOr<CommandLine> cl =
      Parse({"blocklist", "add", "x", "--kind", "host", "--kind", "cidr", "-o",
             "json", "-o", "table"});
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->Get("kind"), "cidr");
  EXPECT_EQ(cl->globals.output, OutputFormat::kTable);
}

}  // namespace
}  // namespace lureguard::cli
