// lureguard-milter: a Postfix/Sendmail milter that sends every message to
// Lureguard's LinkService.RewriteMessage and tags, rewrites, quarantines or
// rejects it by the verdict. See client/milter/README.md.

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "client/milter/config.h"
#include "client/milter/filter.h"
#include "client/milter/judge.h"
#include "client/milter/libmilter_glue.h"
#include "client/milter/metrics.h"
#include "google/protobuf/text_format.h"
#include "httplib.h"
#include "server/common/log.h"

ABSL_FLAG(std::string, config, "",
          "textproto file of lureguard.v1.MilterConfig");
ABSL_FLAG(std::string, milter_socket, "",
          "libmilter connection spec: inet:PORT@HOST or unix:/path "
          "(default inet:10025@127.0.0.1)");
ABSL_FLAG(std::string, server, "",
          "Lureguard gRPC address HOST:PORT (default 127.0.0.1:50051)");
ABSL_FLAG(std::string, token, "",
          "API key with the verdict role (else LUREGUARD_TOKEN, else "
          "--token_file)");
ABSL_FLAG(std::string, token_file, "", "file holding the API key");
ABSL_FLAG(bool, check_config, false,
          "read and validate the configuration, print it with defaults "
          "applied, and exit: 0 when valid, 1 otherwise");

namespace {

namespace v1 = ::lureguard::v1;
namespace milter = ::lureguard::milter;

int Fail(absl::string_view what) {
  lureguard::LogError(what);
  std::fprintf(stderr, "lureguard-milter: %.*s\n",
               static_cast<int>(what.size()), what.data());
  return 1;
}

// Flags default to empty so that only the given ones override the file.
void ApplyFlags(v1::MilterConfig& config) {
  if (std::string v = absl::GetFlag(FLAGS_milter_socket); !v.empty()) {
    config.set_milter_socket(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_server); !v.empty()) {
    config.set_server(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_token_file); !v.empty()) {
    config.set_token_file(v);
  }
}

// The first non-empty source of: --token, LUREGUARD_TOKEN, the token file.
absl::StatusOr<std::string> ResolveToken(const v1::MilterConfig& config) {
  if (std::string token = absl::GetFlag(FLAGS_token); !token.empty()) {
    return token;
  }
  if (const char* env = std::getenv("LUREGUARD_TOKEN");
      env != nullptr && *env != '\0') {
    return std::string(env);
  }
  if (config.token_file().empty()) return std::string();
  std::ifstream file(config.token_file());
  if (!file) {
    return absl::InvalidArgumentError(
        absl::StrCat("token_file: cannot read '", config.token_file(), "'"));
  }
  std::stringstream contents;
  contents << file.rdbuf();
  return std::string(absl::StripAsciiWhitespace(contents.str()));
}

// /metrics on `listen` (HOST:PORT, port 0 picks one), served by a thread.
class MetricsListener {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsListener>> Start(
      const std::string& listen, const milter::MilterMetrics* metrics) {
    const size_t colon = listen.rfind(':');
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[') {
      host = host.substr(1, host.size() - 2);
    }
    int port = 0;
    if (!absl::SimpleAtoi(listen.substr(colon + 1), &port)) {
      return absl::InvalidArgumentError(
          absl::StrCat("metrics_listen: '", listen, "' has no port"));
    }
    auto listener = std::unique_ptr<MetricsListener>(new MetricsListener);
    listener->server_.Get(
        "/metrics", [metrics](const httplib::Request&, httplib::Response& res) {
          res.set_content(metrics->Exposition(),
                          "text/plain; version=0.0.4; charset=utf-8");
        });
    if (port == 0) {
      port = listener->server_.bind_to_any_port(host);
    } else if (!listener->server_.bind_to_port(host, port)) {
      port = -1;
    }
    if (port <= 0) {
      return absl::UnavailableError(
          absl::StrCat("metrics_listen: cannot listen on '", listen, "'"));
    }
    listener->address_ = absl::StrCat(listen.substr(0, colon), ":", port);
    listener->thread_ =
        std::thread([l = listener.get()] { l->server_.listen_after_bind(); });
    return listener;
  }
  ~MetricsListener() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  const std::string& address() const { return address_; }

 private:
  MetricsListener() = default;
  httplib::Server server_;
  std::thread thread_;
  std::string address_;
};

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Sends each message an MTA receives to Lureguard (RewriteMessage) "
      "and tags, rewrites, quarantines or rejects it.\n\n"
      "  LUREGUARD_TOKEN=... lureguard-milter --server 127.0.0.1:50051 "
      "--milter_socket inet:10025@127.0.0.1\n"
      "  lureguard-milter --config /etc/lureguard/milter.textproto "
      "--token_file /etc/lureguard/milter.token");
  // --help lists this file's flags: Abseil's default looks for a file named
  // after the program ("lureguard-milter.cc") and so listed none.
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "client/milter/main.cc");
  };
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);

  v1::MilterConfig config;
  if (const std::string path = absl::GetFlag(FLAGS_config); !path.empty()) {
    absl::StatusOr<v1::MilterConfig> loaded =
        milter::LoadMilterConfigFile(path);
    if (!loaded.ok()) return Fail(loaded.status().message());
    config = *std::move(loaded);
  }
  ApplyFlags(config);
  milter::ApplyMilterDefaults(config);
  if (absl::Status s = milter::ValidateMilterConfig(config); !s.ok()) {
    return Fail(s.message());
  }
  if (absl::GetFlag(FLAGS_check_config)) {
    std::string text;
    google::protobuf::TextFormat::PrintToString(config, &text);
    std::printf("%s", text.c_str());
    return 0;
  }
  lureguard::SetLogLevel(*lureguard::ParseLogLevel(config.log_level()));
  absl::StatusOr<std::string> token = ResolveToken(config);
  if (!token.ok()) return Fail(token.status().message());
  if (token->empty()) {
    lureguard::LogWarning(
        "no API key: give --token, LUREGUARD_TOKEN or --token_file");
  }

  // Signals are taken by one thread with sigwait, blocked before any other
  // thread starts so that every thread inherits the mask. libmilter's own
  // signal thread waits for the same ones; either way smfi_stop runs.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  milter::MilterMetrics metrics;
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      milter::MakeServerChannel(config.server(), config.tls());
  if (!channel.ok()) return Fail(channel.status().message());
  milter::GrpcMessageJudge judge(*channel, *token, milter::DeadlineOf(config),
                                 config.max_in_flight(), &metrics);
  milter::MessageFilter filter(config, &judge, &metrics);

  std::unique_ptr<MetricsListener> metrics_listener;
  if (!config.metrics_listen().empty()) {
    absl::StatusOr<std::unique_ptr<MetricsListener>> started =
        MetricsListener::Start(config.metrics_listen(), &metrics);
    if (!started.ok()) return Fail(started.status().message());
    metrics_listener = *std::move(started);
    lureguard::LogInfo("metrics listening",
                       {{"metrics_listen", metrics_listener->address()}});
  }

  if (absl::Status s = milter::OpenMilter(&filter, config.milter_socket());
      !s.ok()) {
    return Fail(s.message());
  }
  lureguard::LogInfo("listening", {{"milter_socket", config.milter_socket()},
                                   {"server", config.server()}});

  std::atomic<bool> stopping = false;
  std::thread signal_waiter([&signals, &stopping] {
    int signal = 0;
    sigwait(&signals, &signal);
    if (stopping.load()) return;
    lureguard::LogInfo("signal received",
                       {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
    milter::StopMilter();
  });
  absl::Status run = milter::RunMilter();
  stopping.store(true);
  // Wakes the waiter if libmilter's own signal thread took the signal.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  metrics_listener.reset();
  if (!run.ok()) return Fail(run.message());
  lureguard::LogInfo("stopped");
  return 0;
}
