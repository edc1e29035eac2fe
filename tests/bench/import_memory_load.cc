// What a large list import costs the server in memory (issue #19 item 5:
// "after a 1 M import the resident memory grows <= 120 MB"). Starts the real
// lureguard-server with its default config, streams an ImportListEntries of
// N distinct domains (1 M by default) in 64 KiB messages, as the CLI does,
// and prints the server's resident memory before, its peak during the
// import and the publish of the new snapshot, and after it settles (stable
// within 1 MiB over 2 s), with the growth: after minus before.
//
// Usage: import_memory_load [--entries N] [--server BINARY]
// Not a ctest: figures depend on the machine, its load and the allocator.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "tests/bench/load_server.h"
#include "tests/testing/process_stats.h"

ABSL_FLAG(int, entries, 1000000, "distinct domains to import");
ABSL_FLAG(std::string, server, LUREGUARD_SERVER_BINARY,
          "the lureguard-server binary to measure");

namespace {

namespace v1 = ::lureguard::v1;
using lureguard::bench::LoadServer;
using lureguard::testing::ResidentKiB;

constexpr size_t kChunkBytes = 64 << 10;

double MiB(int64_t kib) { return kib / 1024.0; }

// The server's RSS once it stops moving: two samples 2 s apart within
// 1 MiB (at most 30 s).
int64_t SettledResidentKiB(pid_t pid) {
  int64_t last = ResidentKiB(pid);
  for (int i = 0; i < 15; ++i) {
    absl::SleepFor(absl::Seconds(2));
    const int64_t now = ResidentKiB(pid);
    if (std::abs(now - last) < 1024) return now;
    last = now;
  }
  return last;
}

int Main(int entries, const std::string& binary) {
  absl::StatusOr<std::unique_ptr<LoadServer>> started =
      LoadServer::Start(binary, "");
  if (!started.ok()) {
    std::fprintf(stderr, "import_memory_load: %s\n",
                 std::string(started.status().message()).c_str());
    return 1;
  }
  LoadServer& server = **started;
  const int64_t before = SettledResidentKiB(server.pid());

  std::atomic<bool> done{false};
  std::atomic<int64_t> peak{before};
  std::thread sampler([&] {
    while (!done.load()) {
      const int64_t now = ResidentKiB(server.pid());
      int64_t seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
  });

  auto admin = v1::AdminService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + server.admin_token());
  v1::ImportListEntriesResponse response;
  const absl::Time start = absl::Now();
  std::unique_ptr<grpc::ClientWriter<v1::ImportListEntriesRequest>> writer =
      admin->ImportListEntries(&context, &response);
  v1::ImportListEntriesRequest request;
  request.set_list(v1::BLOCKLIST);
  request.set_format("domains");
  std::string chunk;
  for (int i = 0; i < entries; ++i) {
    absl::StrAppend(&chunk, "import-", i, ".example\n");
    if (chunk.size() >= kChunkBytes || i + 1 == entries) {
      request.set_content(chunk);
      if (!writer->Write(request)) break;
      request.Clear();
      chunk.clear();
    }
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  const absl::Duration took = absl::Now() - start;
  done.store(true);
  sampler.join();
  if (!status.ok() || response.accepted_count() != entries) {
    std::fprintf(stderr, "import_memory_load: import: %s (%lld accepted)\n",
                 status.error_message().c_str(),
                 static_cast<long long>(response.accepted_count()));
    return 1;
  }
  const int64_t after = SettledResidentKiB(server.pid());
  std::printf(
      "%d entries imported and published in %.1f s; server RSS before "
      "%.1f MiB, peak %.1f MiB, after %.1f MiB: growth %.1f MiB\n",
      entries, absl::ToDoubleSeconds(took), MiB(before), MiB(peak.load()),
      MiB(after), MiB(after - before));
  return server.Stop() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The server's RSS around a large list import.\n"
      "  import_memory_load [--entries N] [--server BINARY]");
  absl::ParseCommandLine(argc, argv);
  const int entries = absl::GetFlag(FLAGS_entries);
  if (entries < 1) {
    std::fprintf(stderr, "import_memory_load: --entries must be positive\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  return Main(entries, absl::GetFlag(FLAGS_server));
}
