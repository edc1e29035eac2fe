// Throughput of the URL engine on real phishing URLs, next to libcurl's
// URL parser on the same inputs in the same run.
//
// Target (issue 3): AnalyzeUrl-like work (parse + canonicalize +
// expressions) at >= 1M URLs/s on one core. Read items_per_second.

#include <benchmark/benchmark.h>
#include <curl/curl.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "server/url/internal/canonical.h"
#include "server/url/internal/expressions.h"
#include "server/url/internal/host_parser.h"
#include "server/url/internal/url_split.h"
#include "server/url/internal/whatwg.h"
#include "server/url/url.h"

namespace {

// The sample size: enough distinct URLs to defeat caches of a few
// hot inputs, small enough to load instantly.
constexpr size_t kUrlCount = 10000;

const std::vector<std::string>& Urls() {
  static const std::vector<std::string> urls = [] {
    std::vector<std::string> out;
    const std::string path =
        std::string(LUREGUARD_DATA_DIR) + "/phishing-urls.txt";
    std::ifstream in(path);
    std::string line;
    while (out.size() < kUrlCount && std::getline(in, line)) {
      if (!line.empty()) out.push_back(line);
    }
    return out;
  }();
  return urls;
}

bool SkipWithoutData(benchmark::State& state) {
  if (!Urls().empty()) return false;
  state.SkipWithError("data absent: " LUREGUARD_DATA_DIR "/phishing-urls.txt");
  return true;
}

// Parse + canonicalize + expressions, and also domains and signals: the
// whole verdict front door.
void BM_AnalyzeUrl(benchmark::State& state) {
  if (SkipWithoutData(state)) return;
  size_t failures = 0;
  for (auto _ : state) {
    for (const std::string& url : Urls()) {
      absl::StatusOr<lureguard::url::UrlAnalysis> a =
          lureguard::url::AnalyzeUrl(url);
      failures += !a.ok();
      benchmark::DoNotOptimize(a);
    }
  }
  state.SetItemsProcessed(state.iterations() * Urls().size());
  state.counters["rejected"] =
      static_cast<double>(failures) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_AnalyzeUrl)->Unit(benchmark::kMillisecond);

// Exactly the target, parse + canonicalize + expressions, with the
// buffers a caller on a hot path would reuse: the steps AnalyzeUrl runs
// before domains (libpsl), display form, legacy parser and signals.
void BM_ParseCanonicalizeExpressions(benchmark::State& state) {
  if (SkipWithoutData(state)) return;
  namespace internal = lureguard::url::internal;
  std::string buffer, host, canonical;
  internal::UrlSplit split;
  lureguard::url::ParsedUrl parsed;
  std::vector<std::string> expressions;
  size_t failures = 0;
  for (auto _ : state) {
    for (const std::string& url : Urls()) {
      const std::string_view s = internal::PreprocessUrl(url, &buffer);
      if (!internal::SplitUrl(s, &split).ok() || !split.is_web() ||
          !internal::ParseSplitUrl(split, &parsed).ok()) {
        ++failures;
        continue;
      }
      lureguard::url::HostKind kind = parsed.host_kind;
      if (!internal::CanonicalizeWhatwgHostForSafeBrowsing(parsed.host, &host,
                                                           &kind)) {
        ++failures;
        continue;
      }
      canonical.clear();
      internal::CanonicalLayout layout;
      internal::AppendCanonicalUrl(parsed.scheme, host, parsed.path,
                                   parsed.has_query, parsed.query, &canonical,
                                   &layout);
      const std::string_view c = canonical;
      internal::WriteExpressions(
          host, kind,
          c.substr(layout.path_begin, layout.query_begin - layout.path_begin),
          layout.has_query,
          layout.has_query ? c.substr(layout.query_begin + 1)
                           : std::string_view(),
          &expressions);
      benchmark::DoNotOptimize(expressions.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * Urls().size());
  state.counters["rejected"] =
      static_cast<double>(failures) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ParseCanonicalizeExpressions)->Unit(benchmark::kMillisecond);

void BM_ParseUrl(benchmark::State& state) {
  if (SkipWithoutData(state)) return;
  for (auto _ : state) {
    for (const std::string& url : Urls()) {
      absl::StatusOr<lureguard::url::ParsedUrl> p =
          lureguard::url::ParseUrl(url);
      benchmark::DoNotOptimize(p);
    }
  }
  state.SetItemsProcessed(state.iterations() * Urls().size());
}
BENCHMARK(BM_ParseUrl)->Unit(benchmark::kMillisecond);

void BM_CanonicalizeUrl(benchmark::State& state) {
  if (SkipWithoutData(state)) return;
  for (auto _ : state) {
    for (const std::string& url : Urls()) {
      absl::StatusOr<std::string> c = lureguard::url::CanonicalizeUrl(url);
      benchmark::DoNotOptimize(c);
    }
  }
  state.SetItemsProcessed(state.iterations() * Urls().size());
}
BENCHMARK(BM_CanonicalizeUrl)->Unit(benchmark::kMillisecond);

// libcurl's parser on the same URLs: one reused handle, parse only.
void BM_CurlUrlSet(benchmark::State& state) {
  if (SkipWithoutData(state)) return;
  CURLU* handle = curl_url();
  size_t failures = 0;
  for (auto _ : state) {
    for (const std::string& url : Urls()) {
      const CURLUcode rc = curl_url_set(handle, CURLUPART_URL, url.c_str(),
                                        CURLU_DEFAULT_SCHEME);
      failures += rc != CURLUE_OK;
      benchmark::DoNotOptimize(rc);
    }
  }
  curl_url_cleanup(handle);
  state.SetItemsProcessed(state.iterations() * Urls().size());
  state.counters["rejected"] =
      static_cast<double>(failures) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_CurlUrlSet)->Unit(benchmark::kMillisecond);

// libcurl parse plus reading the host back, closer to what ParseUrl gives.
void BM_CurlUrlSetAndGetHost(benchmark::State& state) {
  if (SkipWithoutData(state)) return;
  CURLU* handle = curl_url();
  for (auto _ : state) {
    for (const std::string& url : Urls()) {
      if (curl_url_set(handle, CURLUPART_URL, url.c_str(),
                       CURLU_DEFAULT_SCHEME) != CURLUE_OK) {
        continue;
      }
      char* host = nullptr;
      if (curl_url_get(handle, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        benchmark::DoNotOptimize(host);
        curl_free(host);
      }
    }
  }
  curl_url_cleanup(handle);
  state.SetItemsProcessed(state.iterations() * Urls().size());
}
BENCHMARK(BM_CurlUrlSetAndGetHost)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::cout << "url_bench: " << Urls().size() << " URLs from "
            << LUREGUARD_DATA_DIR << "/phishing-urls.txt\n";
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
