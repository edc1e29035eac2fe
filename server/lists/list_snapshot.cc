#include "server/lists/list_snapshot.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/common/ip_range.h"
#include "server/lists/entry_value.h"
#include "server/lists/internal/huge_pages.h"

namespace lureguard::lists {
namespace {

using store::EntryKind;

// Record format, in ListSnapshot::records_:
//
//   varint head_length | head bytes | varint tail_id | varint attributes_id
//
// The value is head + strings_.Get(tail_id). A host splits before its first
// dot ("login" + ".evil.test"), so its parent domain is stored once for all
// its listed subdomains and the record is usually the first label plus
// three bytes; other kinds keep the whole value in the head (tail 0: "").
// Varints are LEB128: 7 bits a byte, low bits first.

void AppendVarint(std::string& out, uint32_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

uint32_t ReadVarint(const char*& p) {
  uint32_t value = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(*p++);
    value |= static_cast<uint32_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return value;
  }
}

constexpr size_t kMaxVarintBytes = 5;

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

// The store's views are std::string_view; Debian's Abseil has its own.
absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }

// What Reserve() sets aside in the record arena per entry: a host's first
// label and three varints are 10 to 20 bytes; URL prefixes take more.
constexpr int64_t kReservedRecordBytes = 24;

}  // namespace

ListSnapshot ListSnapshot::Build(
    const std::vector<store::ListEntryRecord>& entries) {
  ListSnapshotBuilder builder;
  for (const store::ListEntryRecord& entry : entries) {
    [[maybe_unused]] absl::Status added = builder.Add(entry);
    assert(added.ok());
  }
  return std::move(builder).Build();
}

void ListSnapshotBuilder::Reserve(int64_t entries) {
  if (entries <= 0) return;
  const int64_t bytes =
      std::min<int64_t>(entries * kReservedRecordBytes, UINT32_MAX);
  std::string& records = snapshot_.records_;
  if (records.capacity() < static_cast<size_t>(bytes)) {
    records.reserve(bytes);
    internal::AdviseHugePages(records.data(), records.capacity());
  }
  // Most entries are hosts; URL entries are few and grow their own table.
  hosts_.Reserve(entries);
}

uint32_t ListSnapshotBuilder::InternAttributes(
    const store::ListEntryView& entry) {
  // The store streams entries in id order, so a feed's entries arrive in
  // long runs with equal attributes: skip the interning for those.
  if (last_attributes_ != UINT32_MAX) {
    const ListSnapshot::Attributes& last =
        snapshot_.attributes_[last_attributes_];
    if (last.list == entry.list && last.kind == entry.kind &&
        last.threat == entry.threat && last.expire_time == entry.expire_time &&
        snapshot_.strings_.Get(last.tenant) == AsAbsl(entry.tenant) &&
        snapshot_.strings_.Get(last.source) == AsAbsl(entry.source) &&
        snapshot_.strings_.Get(last.reason) == AsAbsl(entry.reason)) {
      return last_attributes_;
    }
  }
  const uint32_t tenant = snapshot_.strings_.Intern(AsAbsl(entry.tenant));
  const uint32_t source = snapshot_.strings_.Intern(AsAbsl(entry.source));
  const uint32_t reason = snapshot_.strings_.Intern(AsAbsl(entry.reason));
  auto [it, inserted] = attribute_ids_.try_emplace(
      std::make_tuple(static_cast<int>(entry.list),
                      static_cast<int>(entry.kind),
                      static_cast<int>(entry.threat), tenant, source, reason,
                      entry.expire_time),
      static_cast<uint32_t>(snapshot_.attributes_.size()));
  if (inserted) {
    snapshot_.attributes_.push_back(
        ListSnapshot::Attributes{entry.list, entry.kind, entry.threat, tenant,
                                 source, reason, entry.expire_time});
  }
  last_attributes_ = it->second;
  return it->second;
}

absl::Status ListSnapshotBuilder::Add(const store::ListEntryRecord& entry) {
  return Add(store::ViewOf(entry));
}

absl::Status ListSnapshotBuilder::Add(const store::ListEntryView& entry) {
  std::string& records = snapshot_.records_;
  const absl::string_view value = AsAbsl(entry.value);
  // References are 32-bit offsets, and UINT32_MAX marks an empty slot.
  // The string pool's offsets are 32-bit too.
  if (records.size() + value.size() + 3 * kMaxVarintBytes >= UINT32_MAX ||
      snapshot_.strings_.bytes() + value.size() + entry.reason.size() +
              entry.source.size() + entry.tenant.size() >=
          UINT32_MAX) {
    return absl::ResourceExhaustedError(
        absl::StrCat("list snapshot: more than 4 GiB of entry values; "
                     "entry '",
                     value, "' and later ones do not fit"));
  }
  absl::string_view head = value;
  uint32_t tail = 0;
  if (IsHostKind(entry.kind)) {
    const size_t dot = head.find('.');
    if (dot != absl::string_view::npos) {
      tail = snapshot_.strings_.Intern(head.substr(dot));
      head = head.substr(0, dot);
    }
  }
  const uint32_t attributes = InternAttributes(entry);
  const uint32_t ref = static_cast<uint32_t>(records.size());
  AppendVarint(records, static_cast<uint32_t>(head.size()));
  records.append(head.data(), head.size());
  AppendVarint(records, tail);
  AppendVarint(records, attributes);

  (entry.list == store::ListType::kAllow ? snapshot_.counts_.allow
                                         : snapshot_.counts_.block)++;
  switch (entry.kind) {
    case EntryKind::kHost:
    case EntryKind::kDomain:
      hosts_.Add(internal::KeyTable::Hash(value), ref);
      break;
    case EntryKind::kUrlPrefix:
    case EntryKind::kExactUrl:
      expressions_.Add(internal::KeyTable::Hash(value), ref);
      break;
    case EntryKind::kIpRange: {
      absl::StatusOr<IpRange> range = ParseIpRange(value);
      // The store holds only normalized values; a value that no longer
      // parses cannot match anything, so it is left out of the index.
      if (!range.ok()) break;
      std::vector<int>& lengths = range->network.is_v6
                                      ? snapshot_.ipv6_prefix_lengths_
                                      : snapshot_.ipv4_prefix_lengths_;
      if (std::find(lengths.begin(), lengths.end(), range->prefix_length) ==
          lengths.end()) {
        lengths.push_back(range->prefix_length);
      }
      snapshot_.ip_ranges_[IpKey(range->network, range->prefix_length)]
          .push_back(ref);
      break;
    }
  }
  return absl::OkStatus();
}

ListSnapshot ListSnapshotBuilder::Build() && {
  std::string& records = snapshot_.records_;
#ifdef __GLIBC__
  // glibc serves blocks of 32 MiB and more with mmap, where capacity never
  // written is never resident: trimming such an arena would only copy it.
  constexpr size_t kMappedBytes = size_t{32} << 20;
  if (records.capacity() < kMappedBytes) records.shrink_to_fit();
#else
  records.shrink_to_fit();
#endif
  snapshot_.strings_.Freeze();
  snapshot_.attributes_.shrink_to_fit();
  snapshot_.hosts_ = std::move(hosts_).Build();
  snapshot_.expressions_ = std::move(expressions_).Build();
  // Release the build-only state now rather than with the builder. (Not
  // `= {}`: that picks the initializer-list assignment, which keeps the
  // capacity.)
  attribute_ids_ = decltype(attribute_ids_)();
#ifdef __GLIBC__
  // The build buffers grew by doubling; glibc keeps the abandoned blocks
  // below its mmap threshold (up to 32 MiB each) in the heap, which at 10 M
  // entries is ~100 MB resident for nothing.
  malloc_trim(0);
#endif
  return std::move(snapshot_);
}

ListSnapshot::Record ListSnapshot::DecodeRecord(uint32_t ref) const {
  const char* p = records_.data() + ref;
  Record record;
  const uint32_t head_length = ReadVarint(p);
  record.head = absl::string_view(p, head_length);
  p += head_length;
  record.tail = ReadVarint(p);
  record.attributes = ReadVarint(p);
  return record;
}

bool ListSnapshot::HasKey(const Record& record, absl::string_view key) const {
  const absl::string_view tail = strings_.Get(record.tail);
  return key.size() == record.head.size() + tail.size() &&
         key.substr(0, record.head.size()) == record.head &&
         key.substr(record.head.size()) == tail;
}

void ListSnapshot::CollectRecord(uint32_t ref, const Record& record,
                                 absl::string_view tenant, absl::Time now,
                                 bool (*accept)(EntryKind),
                                 absl::string_view technique,
                                 std::vector<ListMatch>& out) const {
  const Attributes& attributes = attributes_[record.attributes];
  if (!accept(attributes.kind)) return;
  if (attributes.tenant != 0 && strings_.Get(attributes.tenant) != tenant) {
    return;
  }
  if (attributes.expire_time <= now) return;
  ListMatch& match = out.emplace_back();
  match.list = attributes.list;
  match.kind = attributes.kind;
  match.threat = attributes.threat;
  match.value = absl::StrCat(record.head, strings_.Get(record.tail));
  match.source = strings_.Get(attributes.source);
  match.reason = strings_.Get(attributes.reason);
  match.expire_time = attributes.expire_time;
  match.technique = technique;
  match.entry = ref;
}

void ListSnapshot::Collect(const internal::KeyTable& table,
                           absl::string_view key, absl::string_view tenant,
                           absl::Time now, bool (*accept)(EntryKind),
                           absl::string_view technique,
                           std::vector<ListMatch>& out) const {
  table.ForEachCandidate(internal::KeyTable::Hash(key), [&](uint32_t ref) {
    const Record record = DecodeRecord(ref);
    if (HasKey(record, key)) {
      CollectRecord(ref, record, tenant, now, accept, technique, out);
    }
  });
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
  if (ip_ranges_.empty()) return;
  std::optional<IpAddress> address = ParseIpAddress(host);
  if (!address) return;
  // "[::ffff:203.0.113.9]" reaches 203.0.113.9: the IPv4 ranges apply too.
  if (address->is_v6) {
    if (std::optional<std::string> v4 =
            url::EmbeddedIpv4(std::string_view(host.data(), host.size()))) {
      MatchIp(*v4, tenant, now, out);
    }
  }
  for (int length :
       address->is_v6 ? ipv6_prefix_lengths_ : ipv4_prefix_lengths_) {
    auto it = ip_ranges_.find(IpKey(MaskAddress(*address, length), length));
    if (it == ip_ranges_.end()) continue;
    for (auto ref = it->second.rbegin(); ref != it->second.rend(); ++ref) {
      CollectRecord(*ref, DecodeRecord(*ref), tenant, now, IsIpRangeKind,
                    "ip-range", out);
    }
  }
}

std::vector<ListMatch> ListSnapshot::Match(const url::UrlAnalysis& url,
                                           absl::string_view tenant,
                                           absl::Time now) const {
  std::vector<ListMatch> matches;
  if (counts_.block + counts_.allow == 0) return matches;
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
    // Made here, not by AnalyzeUrl: only a snapshot with URL entries needs
    // them. Kept per thread, so that their strings are reused.
    thread_local std::vector<std::string> expressions;
    url::LookupExpressions(url, expressions);
    for (const std::string& expression : expressions) {
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
    return m.list == store::ListType::kAllow;
  });
  return matches;
}

}  // namespace lureguard::lists
