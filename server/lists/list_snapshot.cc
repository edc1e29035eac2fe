#include "server/lists/list_snapshot.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/lists/entry_value.h"
#include "server/lists/ip_range.h"

namespace lureguard::lists {
namespace {

using store::EntryKind;

std::string IpKey(const IpAddress& network, int prefix_length) {
  std::string key(reinterpret_cast<const char*>(network.bytes.data()),
                  network.ByteLength());
  key.push_back(static_cast<char>(prefix_length));
  return key;
}

bool IsHostKind(EntryKind kind) {
  return kind == EntryKind::kHost || kind == EntryKind::kDomain;
}
bool IsDomainKind(EntryKind kind) { return kind == EntryKind::kDomain; }
bool IsUrlPrefixKind(EntryKind kind) { return kind == EntryKind::kUrlPrefix; }
bool IsExactUrlKind(EntryKind kind) { return kind == EntryKind::kExactUrl; }
bool IsIpRangeKind(EntryKind kind) { return kind == EntryKind::kIpRange; }

}  // namespace

ListSnapshot ListSnapshot::Build(std::vector<store::ListEntryRecord> entries) {
  ListSnapshot snapshot;
  snapshot.entries_ = std::move(entries);
  snapshot.next_.assign(snapshot.entries_.size(), kEndOfChain);
  for (uint32_t i = 0; i < snapshot.entries_.size(); ++i) {
    const store::ListEntryRecord& entry = snapshot.entries_[i];
    (entry.list == store::ListType::kAllow ? snapshot.counts_.allow
                                           : snapshot.counts_.block)++;
    switch (entry.kind) {
      case EntryKind::kHost:
      case EntryKind::kDomain:
        snapshot.Insert(snapshot.hosts_, entry.value, i);
        break;
      case EntryKind::kUrlPrefix:
      case EntryKind::kExactUrl:
        snapshot.Insert(snapshot.expressions_, entry.value, i);
        break;
      case EntryKind::kIpRange: {
        absl::StatusOr<IpRange> range = ParseIpRange(entry.value);
        // The store holds only normalized values; a value that no longer
        // parses cannot match anything, so it is left out of the index.
        if (!range.ok()) break;
        std::vector<int>& lengths = range->network.is_v6
                                        ? snapshot.ipv6_prefix_lengths_
                                        : snapshot.ipv4_prefix_lengths_;
        if (std::find(lengths.begin(), lengths.end(), range->prefix_length) ==
            lengths.end()) {
          lengths.push_back(range->prefix_length);
        }
        snapshot.Insert(snapshot.ip_ranges_,
                        IpKey(range->network, range->prefix_length), i);
        break;
      }
    }
  }
  return snapshot;
}

void ListSnapshot::Insert(Index& index, std::string key, uint32_t entry) {
  auto [it, inserted] = index.try_emplace(std::move(key), entry);
  if (!inserted) {
    next_[entry] = it->second;
    it->second = entry;
  }
}

void ListSnapshot::Collect(const Index& index, absl::string_view key,
                           absl::string_view tenant, absl::Time now,
                           bool (*accept)(EntryKind),
                           absl::string_view technique,
                           std::vector<ListMatch>& out) const {
  auto it = index.find(key);
  if (it == index.end()) return;
  for (uint32_t i = it->second; i != kEndOfChain; i = next_[i]) {
    const store::ListEntryRecord& entry = entries_[i];
    if (!accept(entry.kind)) continue;
    if (!entry.tenant.empty() && entry.tenant != tenant) continue;
    if (entry.expire_time <= now) continue;
    out.push_back(ListMatch{&entry, technique});
  }
}

void ListSnapshot::MatchHost(absl::string_view host, bool alternate,
                             absl::string_view tenant, absl::Time now,
                             std::vector<ListMatch>& out) const {
  Collect(hosts_, host, tenant, now, IsHostKind,
          alternate ? "alternate-host" : "exact-host", out);
  // Every parent domain, not only Safe Browsing's last five, so that a
  // domain entry covers hosts of any depth below it.
  for (size_t dot = host.find('.'); dot != absl::string_view::npos;
       dot = host.find('.', dot + 1)) {
    Collect(hosts_, host.substr(dot + 1), tenant, now, IsDomainKind,
            alternate ? "alternate-host" : "subdomain", out);
  }
}

void ListSnapshot::MatchIp(absl::string_view host, absl::string_view tenant,
                           absl::Time now, std::vector<ListMatch>& out) const {
  std::optional<IpAddress> address = ParseIpAddress(host);
  if (!address) return;
  for (int length :
       address->is_v6 ? ipv6_prefix_lengths_ : ipv4_prefix_lengths_) {
    Collect(ip_ranges_, IpKey(MaskAddress(*address, length), length), tenant,
            now, IsIpRangeKind, "ip-range", out);
  }
}

std::vector<ListMatch> ListSnapshot::Match(const url::UrlAnalysis& url,
                                           absl::string_view tenant,
                                           absl::Time now) const {
  std::vector<ListMatch> matches;
  if (entries_.empty()) return matches;
  if (url.host_kind == url::HostKind::kDomain) {
    MatchHost(url.host, /*alternate=*/false, tenant, now, matches);
  } else {
    MatchIp(url.host, tenant, now, matches);
    Collect(hosts_, url.host, tenant, now, IsHostKind, "exact-host", matches);
  }
  for (const std::string& alternate : url.alternate_hosts) {
    if (ParseIpAddress(alternate)) {
      MatchIp(alternate, tenant, now, matches);
    } else {
      MatchHost(alternate, /*alternate=*/true, tenant, now, matches);
    }
  }
  if (!expressions_.empty()) {
    for (const std::string& expression : url.expressions) {
      Collect(expressions_, expression, tenant, now, IsUrlPrefixKind,
              "url-prefix", matches);
    }
    Collect(expressions_, UrlExpression(url, /*with_query=*/true), tenant, now,
            IsExactUrlKind, "exact-url", matches);
  }
  // A host seen by both parsers can reach one entry twice; keep the first.
  for (size_t i = 1; i < matches.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (matches[j].entry == matches[i].entry) {
        matches.erase(matches.begin() + i--);
        break;
      }
    }
  }
  std::stable_partition(matches.begin(), matches.end(), [](const ListMatch& m) {
    return m.entry->list == store::ListType::kAllow;
  });
  return matches;
}

}  // namespace lureguard::lists
