// lureguard-server: serves phishing verdicts over gRPC.
//
// With no flags it runs on embedded defaults: SQLite in ./var/lureguard.db,
// gRPC on 127.0.0.1:50051. Flags override the --config file.

#include <signal.h>

#include <cstdio>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/text_format.h"
#include "server/common/log.h"
#include "server/service/config.h"
#include "server/service/counter_store_config.h"
#include "server/service/server.h"
#include "server/store/store.h"

ABSL_FLAG(std::string, config, "",
          "textproto file of lureguard.v1.ServerConfig");
ABSL_FLAG(std::string, listen, "",
          "gRPC listen address HOST:PORT (default 127.0.0.1:50051)");
ABSL_FLAG(std::string, http_listen, "",
          "HTTP front listen address HOST:PORT (default 127.0.0.1:8080)");
ABSL_FLAG(std::string, metrics_listen, "",
          "Prometheus metrics listen address HOST:PORT (default: off)");
ABSL_FLAG(std::string, data_dir, "",
          "directory of the SQLite store and admin token (default ./var)");
ABSL_FLAG(std::string, store, "",
          "where the store lives: sqlite:PATH (default "
          "sqlite:<data_dir>/lureguard.db) or a postgresql:// URL shared by "
          "several replicas");
ABSL_FLAG(bool, allow_private_targets, false,
          "let TLS probes and feed fetches reach loopback and private "
          "addresses (tests only)");
ABSL_FLAG(std::string, log_level, "",
          "debug, info, warn or error (default: logging.level, or info)");
ABSL_FLAG(std::string, counter_store, "",
          "login counter store URL (redis://...), overriding "
          "counter_store.url in the config");
ABSL_FLAG(bool, check_config, false,
          "read and validate the configuration, print it with defaults "
          "applied, and exit: 0 when valid, 1 otherwise");

namespace {

namespace v1 = ::lureguard::v1;
using lureguard::service::Server;

// Flags default to empty (false) so that a flag given on the command line
// can be told from one that was not, and only the given ones override the
// file. (Abseil 20220623 keeps IsSpecifiedOnCommandLine private.)
void ApplyFlags(v1::ServerConfig& config) {
  if (std::string v = absl::GetFlag(FLAGS_listen); !v.empty()) {
    config.set_listen(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_http_listen); !v.empty()) {
    config.set_http_listen(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_metrics_listen); !v.empty()) {
    config.set_metrics_listen(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_data_dir); !v.empty()) {
    config.set_data_dir(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_store); !v.empty()) {
    config.set_store(v);
  }
  if (absl::GetFlag(FLAGS_allow_private_targets)) {
    config.set_allow_private_targets(true);
  }
  if (std::string v = absl::GetFlag(FLAGS_log_level); !v.empty()) {
    config.mutable_logging()->set_level(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_counter_store); !v.empty()) {
    config.mutable_counter_store()->set_url(v);
  }
}

int Fail(absl::string_view what) {
  lureguard::LogError(what);
  std::fprintf(stderr, "lureguard-server: %.*s\n",
               static_cast<int>(what.size()), what.data());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Debian builds Abseil without NDEBUG, so every absl::Mutex lock records
  // its lock order in a global graph to detect deadlocks: about 3 % of the
  // server's CPU under CheckUrl load (perf, issue #19). The tests keep the
  // check; the server does not pay it on every call.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(
      "Serves phishing verdicts over gRPC.\n\n"
      "  lureguard-server                      # embedded defaults\n"
      "  lureguard-server --config lureguard.textproto --listen "
      "0.0.0.0:50051");
  absl::FlagsUsageConfig usage;
  usage.version_string = [] {
    return absl::StrCat("lureguard-server ", lureguard::service::kVersion,
                        "\n");
  };
  // --help lists the flags of this file only: Abseil's default looks for
  // a file named after the program ("lureguard-server.cc"), so it listed none.
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "server/main.cc");
  };
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);

  // Checked before anything logs; applied once the config file is read.
  const std::string level_flag = absl::GetFlag(FLAGS_log_level);
  if (!level_flag.empty() &&
      !lureguard::ParseLogLevel(level_flag).has_value()) {
    return Fail(absl::StrCat("--log_level: unknown level '", level_flag, "'"));
  }

  v1::ServerConfig config;
  if (const std::string path = absl::GetFlag(FLAGS_config); !path.empty()) {
    absl::StatusOr<v1::ServerConfig> loaded =
        lureguard::service::LoadConfigFile(path);
    if (!loaded.ok()) return Fail(loaded.status().message());
    config = *std::move(loaded);
  }
  ApplyFlags(config);
  lureguard::service::ApplyDefaults(config);
  if (absl::Status s = lureguard::service::ValidateConfig(config); !s.ok()) {
    return Fail(s.message());
  }
  if (absl::GetFlag(FLAGS_check_config)) {
    config.mutable_counter_store()->set_url(
        lureguard::service::RedactedCounterStoreUrl(
            config.counter_store().url()));
    // Printed for an operator to read, and often pasted into tickets: not
    // with the database password.
    config.set_store(lureguard::store::DescribeStoreLocation(config.store()));
    std::string text;
    google::protobuf::TextFormat::PrintToString(config, &text);
    std::printf("%s", text.c_str());
    return 0;
  }
  lureguard::SetLogLevel(*lureguard::ParseLogLevel(config.logging().level()));

  // Signals are taken synchronously by one thread, so shutdown runs as
  // ordinary code rather than inside a signal handler. They are blocked
  // before any other thread starts so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(config);
  if (!server.ok()) return Fail(server.status().message());

  std::thread signal_waiter([&signals, &server] {
    int signal = 0;
    sigwait(&signals, &signal);
    lureguard::LogInfo("signal received",
                       {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
    (*server)->Shutdown();
  });
  (*server)->Wait();
  signal_waiter.join();
  return 0;
}
