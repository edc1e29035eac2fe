// An immutable, in-memory index of block- and allow-list entries.
//
// Built off the request path from the store's entries, then shared by all
// verdict threads without locks. Matching follows Safe Browsing expression
// semantics: hosts are looked up at every parent domain, URL prefixes and
// exact URLs through the URL's host-suffix x path-prefix expressions, IP
// literals against CIDR ranges. Expired entries stop matching at their
// expiry without a rebuild.
//
// Thread safety: const methods are safe for concurrent use.
//
// Example:
//   ListSnapshot lists = ListSnapshot::Build(records);
//   std::vector<ListMatch> hits = lists.Match(*analysis, "tenant-a", now);

#ifndef LUREGUARD_SERVER_LISTS_LIST_SNAPSHOT_H_
#define LUREGUARD_SERVER_LISTS_LIST_SNAPSHOT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/store/store.h"
#include "server/url/url.h"

namespace lureguard::lists {

// One entry that matched a URL, and how.
struct ListMatch {
  const store::ListEntryRecord* entry = nullptr;  // owned by the snapshot
  // "exact-host", "subdomain", "url-prefix", "exact-url", "ip-range", or
  // "alternate-host" when it matched a host only a legacy parser sees.
  absl::string_view technique;
};

// Entry counts per list.
struct ListCounts {
  int64_t block = 0;
  int64_t allow = 0;
};

class ListSnapshot {
 public:
  // An empty snapshot: nothing matches.
  ListSnapshot() = default;
  // Indexes `entries` (taking ownership). Entries already expired at match
  // time are skipped then, so the caller need not filter them.
  static ListSnapshot Build(std::vector<store::ListEntryRecord> entries);

  ListSnapshot(ListSnapshot&&) = default;
  ListSnapshot& operator=(ListSnapshot&&) = default;

  // Returns every unexpired entry of `tenant` or of every tenant (empty
  // tenant) that matches `url`, allow-list matches first.
  // REQUIRES: url.is_web.
  std::vector<ListMatch> Match(const url::UrlAnalysis& url,
                               absl::string_view tenant, absl::Time now) const;

  ListCounts counts() const { return counts_; }

 private:
  // Entries sharing one lookup key are chained through `next_`.
  using Index = absl::flat_hash_map<std::string, uint32_t>;
  static constexpr uint32_t kEndOfChain = UINT32_MAX;

  void Insert(Index& index, std::string key, uint32_t entry);
  void MatchHost(absl::string_view host, bool alternate,
                 absl::string_view tenant, absl::Time now,
                 std::vector<ListMatch>& out) const;
  void MatchIp(absl::string_view host, absl::string_view tenant, absl::Time now,
               std::vector<ListMatch>& out) const;
  void Collect(const Index& index, absl::string_view key,
               absl::string_view tenant, absl::Time now,
               bool (*accept)(store::EntryKind), absl::string_view technique,
               std::vector<ListMatch>& out) const;

  std::vector<store::ListEntryRecord> entries_;
  std::vector<uint32_t> next_;
  Index hosts_;        // kHost and kDomain, by host
  Index expressions_;  // kUrlPrefix and kExactUrl, by expression
  // kIpRange, by masked address bytes + family + prefix length.
  Index ip_ranges_;
  // Prefix lengths present in ip_ranges_, so a lookup masks only those.
  std::vector<int> ipv4_prefix_lengths_;
  std::vector<int> ipv6_prefix_lengths_;
  ListCounts counts_;
};

}  // namespace lureguard::lists

#endif  // LUREGUARD_SERVER_LISTS_LIST_SNAPSHOT_H_
