#include "tests/bench/check_url_load.h"

#include <atomic>
#include <fstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "lureguard/v1/url_service.grpc.pb.h"

namespace lureguard::bench {

int PortOf(const std::string& address) {
  int port = 0;
  (void)absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port);
  return port;
}

std::string UrlFor(uint64_t n) {
  switch (n % 10) {
    case 0:
      return absl::StrCat("https://soak-feed-0-", n % 5000, ".example/login");
    case 1:
      return absl::StrCat("https://paypa1-secure", n % 977, ".com/signin");
    case 2:
      return absl::StrCat("http://micros0ft-login", n % 499,
                          ".net/common/oauth2?client=", n);
    default:
      return absl::StrCat("https://www.site", n % 100000, ".example/path/", n,
                          "?q=", n % 7);
  }
}

std::string WriteLoadConfig(const std::string& dir) {
  const std::string path = dir + "/config.textproto";
  std::ofstream(path) << "rate_limit { requests_per_second: 0 }\n"
                         "logging { disable_request_log: true }\n";
  return path;
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  return context;
}

double MeasureCapacity(const std::vector<std::string>& addresses,
                       const std::string& token, int threads,
                       absl::Duration duration) {
  std::atomic<int64_t> calls{0};
  std::vector<std::thread> workers;
  const absl::Time end = absl::Now() + duration;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto stub = v1::UrlService::NewStub(grpc::CreateChannel(
          addresses[t % addresses.size()], grpc::InsecureChannelCredentials()));
      for (uint64_t n = t; absl::Now() < end; n += threads) {
        v1::CheckUrlRequest request;
        request.set_url(UrlFor(n));
        v1::CheckUrlResponse response;
        if (stub->CheckUrl(Context(token).get(), request, &response).ok()) {
          calls.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return calls.load() / absl::ToDoubleSeconds(duration);
}

}  // namespace lureguard::bench
