#include "tests/bench/bench_engine.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/url/url.h"

namespace lureguard::bench {

std::shared_ptr<verdict::EngineSnapshot> BenchSnapshot(
    std::vector<store::ListEntryRecord> extra) {
  std::vector<store::ListEntryRecord> entries;
  entries.reserve(100000 + extra.size());
  for (int i = 0; i < 100000; ++i) {
    store::ListEntryRecord entry;
    entry.kind = store::EntryKind::kDomain;
    entry.value = absl::StrCat("blocked-", i, ".test");
    entries.push_back(std::move(entry));
  }
  for (store::ListEntryRecord& entry : extra) {
    entries.push_back(std::move(entry));
  }
  auto snapshot = std::make_shared<verdict::EngineSnapshot>();
  snapshot->lists = lists::ListSnapshot::Build(std::move(entries));
  absl::StatusOr<lookalike::BrandIndex> brands =
      lookalike::BrandIndex::Build(lookalike::DefaultBrands());
  if (brands.ok()) {
    snapshot->brands =
        std::make_shared<const lookalike::BrandIndex>(*std::move(brands));
  }
  return snapshot;
}

std::shared_ptr<verdict::EngineSnapshot> BenchSnapshotBlockingATenth(
    const std::vector<std::string>& urls) {
  std::vector<store::ListEntryRecord> entries;
  for (size_t i = 0; i < urls.size(); i += 10) {
    absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(urls[i]);
    if (!analysis.ok() || !analysis->is_web) continue;
    store::ListEntryRecord entry;
    entry.kind = store::EntryKind::kHost;
    entry.value = analysis->host;
    entries.push_back(std::move(entry));
  }
  return BenchSnapshot(std::move(entries));
}

}  // namespace lureguard::bench
