// End to end: real mail through a private Postfix 3.7 instance, the real
// lureguard-milter and the real lureguard-server, delivered to an aiosmtpd
// sink whose Maildir the test reads.
//
//   test ──SMTP──▶ Postfix smtpd ──milter──▶ lureguard-milter ──gRPC──▶ server
//                       │
//                       └──relayhost──▶ aiosmtpd sink (Maildir)
//
// Postfix listens on three loopback ports: kReject goes through a milter
// configured with on_block: BLOCK_REJECT / on_failure: FAILURE_ACCEPT;
// kQuarantine through one with BLOCK_QUARANTINE / FAILURE_TEMPFAIL and a
// 1 MiB max_message_bytes; kQueue takes mail without a milter and hands
// it (content_filter) to the kQuarantine listener, so a 4xx there leaves the
// message in Postfix's deferred queue to be retried, as an Internet sender's
// MTA would.
//
// Postfix, its tools and aiosmtpd come from scripts/setup; without them
// the test fails rather than skips.

#include <arpa/inet.h>
#include <dirent.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/integration/server_process.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace lureguard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPostfix[] = "/usr/sbin/postfix";
constexpr char kPostconf[] = "/usr/sbin/postconf";
constexpr char kPostqueue[] = "/usr/sbin/postqueue";
constexpr char kPostcat[] = "/usr/sbin/postcat";
constexpr char kPython[] = "/usr/bin/python3";
constexpr char kMilterBinary[] = LUREGUARD_MILTER_BINARY;

const std::string kData =
    std::string(LUREGUARD_SOURCE_DIR) + "/tests/data/mail/";

// No TLS probe leaves the machine; the organisation is Acme Logistics.
constexpr char kServerConfig[] = R"pb(
  certs { disable_probes: true }
  mail {
    policy { own_domains: "acme-logistics.example" own_name: "Acme Logistics" }
  }
)pb";

constexpr char kRejectMilterConfig[] = R"pb(
  on_block: BLOCK_REJECT
  on_failure: FAILURE_ACCEPT
  deadline { seconds: 60 }
  metrics_listen: "127.0.0.1:0"
  log_level: "debug"
)pb";

constexpr char kQuarantineMilterConfig[] = R"pb(
  on_block: BLOCK_QUARANTINE
  on_failure: FAILURE_TEMPFAIL
  block_subject_prefix: "[PHISHING] "
  deadline { seconds: 60 }
  max_message_bytes: 1048576
)pb";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A loopback port free right now. Postfix, libmilter and aiosmtpd take a
// port from their configuration, not 0, so the test picks them.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool WaitForPort(int port, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (int fd = Connect(port); fd >= 0) {
      close(fd);
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

// The final reply of an SMTP transaction: "550 5.7.1 ..." or the first
// reply that was not what the protocol expected.
struct SmtpReply {
  int code = 0;
  std::string text;
};

// A minimal SMTP client: EHLO, MAIL, RCPT..., DATA with the message
// (line ends made CRLF, dot-stuffed), QUIT.
class SmtpClient {
 public:
  explicit SmtpClient(int port) : fd_(Connect(port)) {}
  ~SmtpClient() {
    if (fd_ >= 0) close(fd_);
  }

  SmtpReply Send(const std::string& from, const std::vector<std::string>& to,
                 const std::string& message) {
    if (fd_ < 0) return {0, "cannot connect"};
    if (SmtpReply r = Read(); r.code != 220) return r;
    if (SmtpReply r = Command("EHLO client.lureguard.test"); r.code != 250) {
      return r;
    }
    if (SmtpReply r = Command(absl::StrCat("MAIL FROM:<", from, ">"));
        r.code != 250) {
      return r;
    }
    for (const std::string& recipient : to) {
      if (SmtpReply r = Command(absl::StrCat("RCPT TO:<", recipient, ">"));
          r.code != 250) {
        return r;
      }
    }
    if (SmtpReply r = Command("DATA"); r.code != 354) return r;
    std::string data;
    data.reserve(message.size() + message.size() / 40 + 8);
    for (absl::string_view line :
         absl::StrSplit(absl::StrReplaceAll(message, {{"\r\n", "\n"}}), '\n')) {
      if (absl::StartsWith(line, ".")) data.push_back('.');
      absl::StrAppend(&data, line, "\r\n");
    }
    absl::StrAppend(&data, ".\r\n");
    Write(data);
    SmtpReply result = Read();
    Command("QUIT");
    return result;
  }

 private:
  SmtpReply Command(const std::string& line) {
    Write(line + "\r\n");
    return Read();
  }
  void Write(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = write(fd_, bytes.data() + sent, bytes.size() - sent);
      if (n <= 0) return;
      sent += n;
    }
  }
  // Reads one (possibly multi-line) reply.
  SmtpReply Read() {
    SmtpReply reply;
    while (true) {
      size_t end;
      while ((end = buffer_.find("\r\n")) == std::string::npos) {
        char chunk[4096];
        ssize_t n = read(fd_, chunk, sizeof(chunk));
        if (n <= 0) return {0, "connection closed: " + buffer_};
        buffer_.append(chunk, n);
      }
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      absl::StrAppend(&reply.text, reply.text.empty() ? "" : "\n", line);
      if (line.size() < 4 || line[3] != '-') {
        absl::SimpleAtoi(line.substr(0, 3), &reply.code);
        return reply;
      }
    }
  }

  int fd_;
  std::string buffer_;
};

// A simple message with the marker in its Subject.
std::string LinkMessage(const std::string& marker,
                        const std::string& extra_headers = "") {
  return absl::StrCat(
      "From: Alice Example <alice@partner.example>\n"
      "To: procurement@acme-logistics.example\n"
      "Subject: ",
      marker,
      "\n"
      "Message-ID: <",
      marker, "@partner.example>\n", extra_headers,
      "MIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "\n"
      "Hello,\n"
      "the price list is at https://prices.partner.example/list?id=42 and\n"
      "the order form at http://orders.partner.example/form.\n"
      "Kind regards,\n"
      "Alice\n");
}

class MilterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const char* tool :
         {kPostfix, kPostconf, kPostqueue, kPostcat, kPython}) {
      ASSERT_EQ(access(tool, X_OK), 0)
          << tool << " is missing: run scripts/setup (postfix, "
          << "python3-aiosmtpd)";
    }
    dir_ = new testing::TempDir();
    // Postfix's daemons run as `postfix` and must reach their queue.
    chmod(dir_->path().c_str(), 0755);
    StartServer();
    if (HasFatalFailure()) return;
    StartSink();
    if (HasFatalFailure()) return;
    reject_milter_ =
        StartMilter("reject", kRejectMilterConfig, &reject_milter_port_);
    quarantine_milter_ = StartMilter("quarantine", kQuarantineMilterConfig,
                                     &quarantine_milter_port_);
    if (HasFatalFailure()) return;
    absl::StatusOr<std::string> metrics = reject_milter_->WaitForStderrLine(
        "metrics listening", absl::ZeroDuration());
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    const size_t at = metrics->find("\"metrics_listen\":\"") + 18;
    milter_metrics_ = metrics->substr(at, metrics->find('"', at) - at);
    StartPostfix();
  }

  static void TearDownTestSuite() {
    if (postfix_started_) {
      testing::Run({kPostfix, "-c", PostfixDir(), "stop"});
    }
    delete reject_milter_;
    delete quarantine_milter_;
    delete sink_;
    if (server_ != nullptr) server_->Stop();
    delete server_;
    delete dir_;
  }

  static std::string PostfixDir() { return dir_->path() + "/postfix"; }

  static testing::RunResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(),
                {LUREGUARD_CLI_BINARY, "--server", server_->address(),
                 "--token", server_->token()});
    return testing::Run(args);
  }

  static void StartServer(const std::string& listen = "") {
    const std::string config = dir_->path() + "/lureguard.textproto";
    std::ofstream(config) << kServerConfig;
    std::vector<std::string> flags = {"--config", config};
    if (!listen.empty()) flags.insert(flags.end(), {"--listen", listen});
    server_ = new ServerProcess(dir_->path() + "/var", flags);
    ASSERT_TRUE(server_->WaitServing());
    if (!verdict_key_.empty()) return;
    // The campaign's brand and the milter's key, as an admin would.
    testing::RunResult add = Cli({"brands", "add", "Haier Biomedical",
                                  "--domain", "haiermedical.com", "--domain",
                                  "haier.com", "--token-word", "haier"});
    ASSERT_EQ(add.exit_code, 0) << add.err;
    testing::RunResult key =
        Cli({"keys", "create", "milter", "--role", "verdict"});
    ASSERT_EQ(key.exit_code, 0) << key.err;
    verdict_key_ = std::string(absl::StripAsciiWhitespace(key.out));
    ASSERT_FALSE(verdict_key_.empty());
  }

  static void StartSink() {
    sink_port_ = FreePort();
    sink_dir_ = dir_->path() + "/maildir";
    sink_ =
        new testing::Subprocess({kPython, "-m", "aiosmtpd", "-n", "-l",
                                 absl::StrCat("127.0.0.1:", sink_port_), "-c",
                                 "aiosmtpd.handlers.Mailbox", sink_dir_});
    ASSERT_TRUE(WaitForPort(sink_port_, absl::Seconds(30)))
        << "aiosmtpd did not listen: " << sink_->stderr_text();
  }

  static testing::Subprocess* StartMilter(const std::string& name,
                                          const char* config_text, int* port) {
    *port = FreePort();
    const std::string config = dir_->path() + "/milter-" + name + ".textproto";
    std::ofstream(config) << config_text;
    auto* milter = new testing::Subprocess(
        {kMilterBinary, "--config", config, "--milter_socket",
         absl::StrCat("inet:", *port, "@127.0.0.1"), "--server",
         server_->address(), "--token", verdict_key_});
    absl::StatusOr<std::string> line = milter->WaitForStderrLine(
        "\"message\":\"listening\"", absl::Seconds(30));
    EXPECT_TRUE(line.ok()) << line.status();
    return milter;
  }

  static void Postconf(const std::vector<std::string>& settings) {
    std::vector<std::string> argv = {kPostconf, "-c", PostfixDir(), "-e"};
    argv.insert(argv.end(), settings.begin(), settings.end());
    testing::RunResult r = testing::Run(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  static void StartPostfix() {
    const std::string config_dir = PostfixDir();
    const std::string data_dir = dir_->path() + "/postfix-data";
    const std::string queue_dir = dir_->path() + "/postfix-queue";
    mkdir(config_dir.c_str(), 0755);
    mkdir(data_dir.c_str(), 0700);
    // Postfix lays out the queue's subdirectories; the top must exist.
    mkdir(queue_dir.c_str(), 0755);
    // master.lock lives in data_directory, which Postfix wants owned by
    // its mail_owner.
    const passwd* postfix_user = getpwnam("postfix");
    ASSERT_NE(postfix_user, nullptr) << "no postfix user: install postfix";
    ASSERT_EQ(
        chown(data_dir.c_str(), postfix_user->pw_uid, postfix_user->pw_gid), 0);
    reject_port_ = FreePort();
    quarantine_port_ = FreePort();
    queue_port_ = FreePort();
    std::ofstream(config_dir + "/main.cf") << "compatibility_level = 3.6\n";
    // Debian's master.cf has every service Postfix needs (postlog for
    // maillog_file among them); its port-25 listener is replaced by ours.
    std::string master = ReadFile("/etc/postfix/master.cf");
    if (master.empty()) master = ReadFile("/usr/share/postfix/master.cf.dist");
    ASSERT_FALSE(master.empty()) << "no master.cf: install postfix";
    std::string ours;
    for (absl::string_view line : absl::StrSplit(master, '\n')) {
      if (absl::StartsWith(line, "smtp      inet")) continue;
      absl::StrAppend(&ours, line, "\n");
    }
    absl::StrAppend(&ours, "127.0.0.1:", reject_port_,
                    " inet n - n - - smtpd\n  -o smtpd_milters=inet:127.0.0.1:",
                    reject_milter_port_, "\n");
    absl::StrAppend(&ours, "127.0.0.1:", quarantine_port_,
                    " inet n - n - - smtpd\n  -o "
                    "smtpd_milters=inet:127.0.0.1:",
                    quarantine_milter_port_,
                    "\n  -o myhostname=filter.lureguard.test\n");
    absl::StrAppend(&ours, "127.0.0.1:", queue_port_,
                    " inet n - n - - smtpd\n  -o smtpd_milters=\n"
                    "  -o content_filter=smtp:[127.0.0.1]:",
                    quarantine_port_, "\n");
    std::ofstream(config_dir + "/master.cf") << ours;
    Postconf({
        absl::StrCat("queue_directory=", queue_dir),
        absl::StrCat("data_directory=", data_dir),
        absl::StrCat("maillog_file=", dir_->path(), "/postfix.log"),
        absl::StrCat("maillog_file_prefixes=", dir_->path()),
        "myhostname=mx.lureguard.test",
        "mydomain=lureguard.test",
        "mydestination=",
        "inet_interfaces=loopback-only",
        "inet_protocols=ipv4",
        "mynetworks=127.0.0.0/8",
        absl::StrCat("relayhost=[127.0.0.1]:", sink_port_),
        "smtpd_relay_restrictions=permit_mynetworks,reject",
        "smtpd_peername_lookup=no",
        "alias_maps=",
        "alias_database=",
        "local_recipient_maps=",
        "biff=no",
        "milter_default_action=accept",
        "milter_protocol=6",
        "message_size_limit=52428800",
        "default_destination_recipient_limit=1000",
        "smtp_tls_security_level=none",
        "smtpd_tls_security_level=none",
        "maximal_backoff_time=60s",
        "minimal_backoff_time=30s",
        "queue_run_delay=30s",
    });
    testing::RunResult chroot =
        testing::Run({kPostconf, "-c", config_dir, "-F", "*/*/chroot = n"});
    ASSERT_EQ(chroot.exit_code, 0) << chroot.err;
    testing::RunResult start =
        testing::Run({kPostfix, "-c", config_dir, "start"});
    ASSERT_EQ(start.exit_code, 0) << start.out << start.err << PostfixLog();
    postfix_started_ = true;
    for (int port : {reject_port_, quarantine_port_, queue_port_}) {
      ASSERT_TRUE(WaitForPort(port, absl::Seconds(30))) << PostfixLog();
    }
  }

  static std::string PostfixLog() {
    std::string log = ReadFile(dir_->path() + "/postfix.log");
    return "\npostfix.log:\n" +
           log.substr(log.size() > 6000 ? log.size() - 6000 : 0);
  }

  // The delivered message whose bytes contain `marker`, waiting for it.
  static std::optional<std::string> WaitForDelivery(
      const std::string& marker, absl::Duration timeout = absl::Seconds(60)) {
    const absl::Time deadline = absl::Now() + timeout;
    const std::string new_dir = sink_dir_ + "/new";
    while (absl::Now() < deadline) {
      if (DIR* dir = opendir(new_dir.c_str()); dir != nullptr) {
        std::vector<std::string> names;
        while (dirent* entry = readdir(dir)) {
          if (entry->d_name[0] != '.') names.push_back(entry->d_name);
        }
        closedir(dir);
        for (const std::string& name : names) {
          std::string bytes = ReadFile(new_dir + "/" + name);
          if (absl::StrContains(bytes, marker)) return bytes;
        }
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
    return std::nullopt;
  }

  // Headers named `name` (any case) in `message`'s header block.
  static std::vector<std::string> HeaderValues(const std::string& message,
                                               absl::string_view name) {
    std::vector<std::string> values;
    const std::string block = message.substr(0, message.find("\n\n"));
    const std::string prefix = absl::StrCat(name, ":");
    for (absl::string_view line : absl::StrSplit(block, '\n')) {
      if (line.size() > prefix.size() &&
          absl::EqualsIgnoreCase(line.substr(0, prefix.size()), prefix)) {
        values.emplace_back(
            absl::StripAsciiWhitespace(line.substr(prefix.size())));
      }
    }
    return values;
  }

  // `postqueue -j`'s line for `queue_id`, once it is in `queue_name`.
  static std::optional<std::string> WaitInQueue(const std::string& queue_id,
                                                const std::string& queue_name) {
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      testing::RunResult r =
          testing::Run({kPostqueue, "-c", PostfixDir(), "-j"});
      for (absl::string_view line : absl::StrSplit(r.out, '\n')) {
        if (absl::StrContains(
                line, absl::StrCat("\"queue_id\": \"", queue_id, "\"")) &&
            absl::StrContains(
                line, absl::StrCat("\"queue_name\": \"", queue_name, "\""))) {
          return std::string(line);
        }
      }
      absl::SleepFor(absl::Milliseconds(250));
    }
    return std::nullopt;
  }

  // "250 2.0.0 Ok: queued as 4Xyz" -> "4Xyz".
  static std::string QueueIdOf(const SmtpReply& reply) {
    const size_t at = reply.text.rfind("queued as ");
    if (at == std::string::npos) return "";
    return std::string(absl::StripAsciiWhitespace(reply.text.substr(at + 10)));
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline testing::Subprocess* sink_ = nullptr;
  static inline testing::Subprocess* reject_milter_ = nullptr;
  static inline testing::Subprocess* quarantine_milter_ = nullptr;
  static inline std::string verdict_key_;
  static inline std::string sink_dir_;
  static inline std::string milter_metrics_;
  static inline int sink_port_ = 0;
  static inline int reject_milter_port_ = 0;
  static inline int quarantine_milter_port_ = 0;
  static inline int reject_port_ = 0;
  static inline int quarantine_port_ = 0;
  static inline int queue_port_ = 0;
  static inline bool postfix_started_ = false;
};

TEST_F(MilterTest, LinksAreRewrittenToClickUrlsAndTheRestStaysIntact) {
  const std::string marker = "milter-links-1";
  SmtpReply reply =
      SmtpClient(reject_port_)
          .Send("alice@partner.example", {"procurement@acme-logistics.example"},
                LinkMessage(marker));
  ASSERT_EQ(reply.code, 250) << reply.text << PostfixLog();
  std::optional<std::string> delivered = WaitForDelivery(marker);
  ASSERT_TRUE(delivered.has_value()) << PostfixLog();

  EXPECT_THAT(HeaderValues(*delivered, "X-Lureguard-Verdict"),
              ::testing::ElementsAre(::testing::StartsWith("ALLOW score=")));
  EXPECT_THAT(HeaderValues(*delivered, "Subject"),
              ::testing::ElementsAre(marker));
  EXPECT_THAT(*delivered, Not(HasSubstr("https://prices.partner.example")));
  EXPECT_THAT(*delivered, Not(HasSubstr("http://orders.partner.example")));
  const std::string click =
      absl::StrCat("http://", server_->http_address(), "/c/");
  size_t clicks = 0;
  for (size_t at = delivered->find(click); at != std::string::npos;
       at = delivered->find(click, at + 1)) {
    ++clicks;
  }
  EXPECT_EQ(clicks, 2u) << *delivered;
  // Every line without a link arrives as it was sent.
  for (const char* line : {"\nHello,\n", "\nKind regards,\nAlice\n",
                           "\nFrom: Alice Example <alice@partner.example>\n",
                           "\nContent-Type: text/plain; charset=utf-8\n"}) {
    EXPECT_THAT(*delivered, HasSubstr(line));
  }

  // One JSON log line per message, found by Postfix's queue id; no
  // address appears in the milter's log.
  const std::string queue_id = QueueIdOf(reply);
  ASSERT_FALSE(queue_id.empty()) << reply.text;
  // Info lines are written in batches (server/common/log.h): wait for it.
  ASSERT_TRUE(
      reject_milter_
          ->WaitForStderrLine(absl::StrCat("\"queue_id\":\"", queue_id, "\""),
                              absl::Seconds(10))
          .ok());
  const std::string log = reject_milter_->stderr_text();
  EXPECT_THAT(log, HasSubstr(absl::StrCat("\"queue_id\":\"", queue_id,
                                          "\",\"action\":\"accept\","
                                          "\"verdict\":\"allow\"")));
  EXPECT_THAT(log, Not(HasSubstr("alice@")));
  EXPECT_THAT(log, Not(HasSubstr("procurement@")));

  httplib::Client metrics("http://" + milter_metrics_);
  httplib::Result scrape = metrics.Get("/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_THAT(scrape->body,
              HasSubstr("lureguard_milter_messages_total{action=\"accept\","
                        "verdict=\"allow\"}"));
  EXPECT_THAT(scrape->body,
              Not(HasSubstr("lureguard_milter_messages_total{action=\""
                            "accept\",verdict=\"allow\"} 0\n")));
}

TEST_F(MilterTest, ForgedVerdictHeaderIsReplacedByOurs) {
  const std::string marker = "milter-spoof-1";
  SmtpReply reply =
      SmtpClient(reject_port_)
          .Send("alice@partner.example", {"procurement@acme-logistics.example"},
                LinkMessage(marker,
                            "X-Lureguard-Verdict: ALLOW score=0.00 forged-one\n"
                            "x-lureguard-verdict: ALLOW forged-two\n"));
  ASSERT_EQ(reply.code, 250) << reply.text;
  std::optional<std::string> delivered = WaitForDelivery(marker);
  ASSERT_TRUE(delivered.has_value()) << PostfixLog();
  std::vector<std::string> verdicts =
      HeaderValues(*delivered, "X-Lureguard-Verdict");
  ASSERT_EQ(verdicts.size(), 1u) << *delivered;
  EXPECT_THAT(verdicts[0], ::testing::StartsWith("ALLOW score="));
  EXPECT_THAT(*delivered, Not(HasSubstr("forged-one")));
  EXPECT_THAT(*delivered, Not(HasSubstr("forged-two")));
}

TEST_F(MilterTest, CampaignIsRefusedWith550UnderReject) {
  SmtpReply reply = SmtpClient(reject_port_)
                        .Send("sales@haier-biomedical.com",
                              {"procurement@acme-logistics.example"},
                              ReadFile(kData + "campaign_attachment.eml"));
  EXPECT_EQ(reply.code, 550) << reply.text;
  EXPECT_THAT(reply.text, HasSubstr("5.7.1 Message refused as phishing by "
                                    "Lureguard (MAIL_"));
}

TEST_F(MilterTest, CampaignIsHeldUnderQuarantine) {
  SmtpReply reply = SmtpClient(quarantine_port_)
                        .Send("sales@haier-biomedical.com",
                              {"procurement@acme-logistics.example"},
                              ReadFile(kData + "campaign_attachment.eml"));
  ASSERT_EQ(reply.code, 250) << reply.text;
  const std::string queue_id = QueueIdOf(reply);
  ASSERT_FALSE(queue_id.empty()) << reply.text;
  std::optional<std::string> held = WaitInQueue(queue_id, "hold");
  ASSERT_TRUE(held.has_value()) << PostfixLog();
  // Held tagged, with the configured Subject prefix.
  testing::RunResult headers =
      testing::Run({kPostcat, "-c", PostfixDir(), "-h", "-q", queue_id});
  ASSERT_EQ(headers.exit_code, 0) << headers.err;
  EXPECT_THAT(
      headers.out,
      ::testing::ContainsRegex(
          "X-Lureguard-Verdict: BLOCK score=[01]\\.[0-9][0-9] reasons=MAIL_"));
  EXPECT_THAT(headers.out, HasSubstr("Subject: [PHISHING] "));
  // Held, so nothing reached the sink.
  EXPECT_FALSE(WaitForDelivery("haier-biomedical.com", absl::Seconds(1)));
}

TEST_F(MilterTest, TenMegabyteMessagePasses) {
  const std::string marker = "milter-large-1";
  std::string message = LinkMessage(marker);
  std::string line(76, 'A');
  line += "\n";
  while (message.size() < 10 * 1000 * 1000) message += line;
  SmtpReply reply = SmtpClient(reject_port_)
                        .Send("alice@partner.example",
                              {"procurement@acme-logistics.example"}, message);
  ASSERT_EQ(reply.code, 250) << reply.text;
  std::optional<std::string> delivered = WaitForDelivery(marker);
  ASSERT_TRUE(delivered.has_value()) << PostfixLog();
  EXPECT_GE(delivered->size(), 10u * 1000 * 1000);
  EXPECT_THAT(HeaderValues(*delivered, "X-Lureguard-Verdict"),
              ::testing::ElementsAre(::testing::StartsWith("ALLOW score=")));
}

TEST_F(MilterTest, MessageOverTheSizeCapPassesUnchangedMarkedSkipped) {
  const std::string marker = "milter-oversize-1";
  std::string message = LinkMessage(marker);
  while (message.size() < 2 * 1024 * 1024)
    message += std::string(76, 'B') + "\n";
  SmtpReply reply = SmtpClient(quarantine_port_)
                        .Send("alice@partner.example",
                              {"procurement@acme-logistics.example"}, message);
  ASSERT_EQ(reply.code, 250) << reply.text;
  std::optional<std::string> delivered = WaitForDelivery(marker);
  ASSERT_TRUE(delivered.has_value()) << PostfixLog();
  std::vector<std::string> verdict =
      HeaderValues(*delivered, "X-Lureguard-Verdict");
  ASSERT_EQ(verdict.size(), 1u);
  EXPECT_THAT(verdict[0], ::testing::MatchesRegex("skipped size=2[0-9]{6}"));
  EXPECT_THAT(*delivered,
              HasSubstr("https://prices.partner.example/list?id=42"));
}

TEST_F(MilterTest, TwoHundredRecipientsPass) {
  const std::string marker = "milter-many-1";
  std::vector<std::string> recipients;
  for (int i = 0; i < 200; ++i) {
    recipients.push_back(absl::StrCat("user", i, "@acme-logistics.example"));
  }
  SmtpReply reply =
      SmtpClient(reject_port_)
          .Send("alice@partner.example", recipients, LinkMessage(marker));
  ASSERT_EQ(reply.code, 250) << reply.text;
  std::optional<std::string> delivered = WaitForDelivery(marker);
  ASSERT_TRUE(delivered.has_value()) << PostfixLog();
  EXPECT_THAT(HeaderValues(*delivered, "X-Lureguard-Verdict"),
              ::testing::ElementsAre(::testing::StartsWith("ALLOW score=")));
  // aiosmtpd records the envelope: every recipient in one delivery.
  std::vector<std::string> rcpt = HeaderValues(*delivered, "X-RcptTo");
  ASSERT_EQ(rcpt.size(), 1u);
  EXPECT_EQ(std::vector<std::string>(absl::StrSplit(rcpt[0], ", ")).size(),
            200u);
}

// Runs last: it stops the server and starts it again on the same address.
TEST_F(MilterTest, ServerDownAcceptsUnchangedOrTempfailsUntilItIsBack) {
  const std::string address = server_->address();
  ASSERT_EQ(server_->Stop(), 0);
  delete server_;
  server_ = nullptr;

  // on_failure: FAILURE_ACCEPT — delivered unchanged, marked unavailable.
  const std::string accepted = "milter-down-accept-1";
  SmtpReply reply =
      SmtpClient(reject_port_)
          .Send("alice@partner.example", {"procurement@acme-logistics.example"},
                LinkMessage(accepted));
  ASSERT_EQ(reply.code, 250) << reply.text;
  std::optional<std::string> delivered = WaitForDelivery(accepted);
  ASSERT_TRUE(delivered.has_value()) << PostfixLog();
  EXPECT_THAT(HeaderValues(*delivered, "X-Lureguard-Verdict"),
              ::testing::ElementsAre("unavailable"));
  EXPECT_THAT(*delivered,
              HasSubstr("https://prices.partner.example/list?id=42"));

  // on_failure: FAILURE_TEMPFAIL — the SMTP client is told to come back.
  SmtpReply refused =
      SmtpClient(quarantine_port_)
          .Send("alice@partner.example", {"procurement@acme-logistics.example"},
                LinkMessage("milter-down-direct-1"));
  EXPECT_EQ(refused.code, 451) << refused.text;
  EXPECT_THAT(refused.text, HasSubstr("4.7.1"));

  // A sending MTA keeps the message in its deferred queue...
  const std::string retried = "milter-down-retry-1";
  SmtpReply queued =
      SmtpClient(queue_port_)
          .Send("alice@partner.example", {"procurement@acme-logistics.example"},
                LinkMessage(retried));
  ASSERT_EQ(queued.code, 250) << queued.text;
  const std::string queue_id = QueueIdOf(queued);
  std::optional<std::string> deferred = WaitInQueue(queue_id, "deferred");
  ASSERT_TRUE(deferred.has_value()) << PostfixLog();
  EXPECT_THAT(*deferred, HasSubstr("451 4.7.1"));

  // ...and delivers it, checked, once the server is back.
  StartServer(address);
  ASSERT_NE(server_, nullptr);
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    testing::Run({kPostqueue, "-c", PostfixDir(), "-f"});
    delivered = WaitForDelivery(retried, absl::Seconds(3));
    if (delivered.has_value()) break;
  }
  ASSERT_TRUE(delivered.has_value()) << PostfixLog();
  EXPECT_THAT(HeaderValues(*delivered, "X-Lureguard-Verdict"),
              ::testing::ElementsAre(::testing::StartsWith("ALLOW score=")));
  EXPECT_THAT(*delivered, Not(HasSubstr("https://prices.partner.example")));
}

}  // namespace
}  // namespace lureguard
