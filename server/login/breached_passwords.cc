#include "server/login/breached_passwords.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/login/internal/store_format.h"

namespace lureguard::login {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr char kHexDigits[] = "0123456789ABCDEF";

}  // namespace

std::optional<Sha1> ParseSha1Hex(absl::string_view hex) {
  if (hex.size() != 40) return std::nullopt;
  Sha1 hash;
  for (int i = 0; i < 20; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    hash[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return hash;
}

absl::StatusOr<std::unique_ptr<BreachedPasswordStore>>
BreachedPasswordStore::Open(const std::string& path, FileSystem& fs) {
  absl::StatusOr<std::unique_ptr<ReadableFile>> file = fs.OpenForReading(path);
  if (!file.ok()) {
    return absl::NotFoundError(
        absl::StrCat("breached-password store '", path, "' cannot be opened"));
  }
  absl::StatusOr<uint64_t> length = (*file)->Size();
  if (!length.ok()) {
    return absl::DataLossError(
        absl::StrCat("breached-password store '", path, "' cannot be read"));
  }
  if (*length < internal::kRecordsOffset) {
    return absl::DataLossError(absl::StrCat("breached-password store '", path,
                                            "' is truncated (", *length,
                                            " bytes)"));
  }
  absl::StatusOr<MappedRegion> map = (*file)->Map();
  if (!map.ok()) {
    return absl::DataLossError(
        absl::StrCat("breached-password store '", path, "' cannot be mapped"));
  }
  std::unique_ptr<BreachedPasswordStore> store(new BreachedPasswordStore());
  store->path_ = path;
  store->map_ = *std::move(map);
  const uint8_t* base = store->map_.data();
  const size_t mapped = store->map_.size();
  // The file may have changed size between Size() and Map().
  if (mapped < internal::kRecordsOffset ||
      std::memcmp(base, internal::kMagic, 8) != 0) {
    return absl::DataLossError(absl::StrCat(
        "'", path, "' is not a Lureguard breached-password store"));
  }
  store->count_ = static_cast<int64_t>(internal::LoadU64(base + 8));
  store->update_time_ =
      absl::FromUnixSeconds(static_cast<int64_t>(internal::LoadU64(base + 16)));
  store->index_ = base + internal::kHeaderBytes;
  store->records_ = base + internal::kRecordsOffset;
  const uint64_t expected =
      internal::kRecordsOffset +
      static_cast<uint64_t>(store->count_) * internal::kRecordBytes;
  if (store->count_ < 0 || expected != mapped ||
      internal::LoadU64(store->index_ + 8 * internal::kPrefixes) !=
          static_cast<uint64_t>(store->count_)) {
    return absl::DataLossError(absl::StrCat(
        "breached-password store '", path, "' is corrupt: ", mapped,
        " bytes for ", store->count_, " hashes"));
  }
  // Lookups jump around: tell the kernel not to read ahead.
  store->map_.AdviseRandomAccess();
  return store;
}

const uint8_t* BreachedPasswordStore::Record(uint64_t i) const {
  return records_ + i * internal::kRecordBytes;
}

Sha1 BreachedPasswordStore::HashAt(uint16_t prefix, uint64_t i) const {
  Sha1 hash;
  hash[0] = static_cast<uint8_t>(prefix >> 8);
  hash[1] = static_cast<uint8_t>(prefix & 0xff);
  std::memcpy(hash.data() + 2, Record(i), internal::kStoredHashBytes);
  return hash;
}

std::optional<uint32_t> BreachedPasswordStore::Lookup(const Sha1& hash) const {
  const uint32_t prefix = uint32_t{hash[0]} << 8 | hash[1];
  uint64_t lo = internal::LoadU64(index_ + 8 * prefix);
  uint64_t hi = internal::LoadU64(index_ + 8 * (prefix + 1));
  const uint8_t* key = hash.data() + 2;
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    const int c = std::memcmp(Record(mid), key, internal::kStoredHashBytes);
    if (c == 0) {
      return internal::LoadU32(Record(mid) + internal::kStoredHashBytes);
    }
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return std::nullopt;
}

void BreachedPasswordStore::ForEachInRange(
    uint32_t prefix20,
    const std::function<void(const Sha1&, uint32_t)>& visit) const {
  const uint16_t prefix = static_cast<uint16_t>(prefix20 >> 4);
  const uint8_t nibble = static_cast<uint8_t>(prefix20 & 0xf);
  uint64_t lo = internal::LoadU64(index_ + 8 * prefix);
  const uint64_t end = internal::LoadU64(index_ + 8 * (prefix + 1));
  // The first stored byte's high nibble is the 5th hex digit.
  uint64_t hi = end;
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    if ((Record(mid)[0] >> 4) < nibble) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  for (uint64_t i = lo; i < end && (Record(i)[0] >> 4) == nibble; ++i) {
    visit(HashAt(prefix, i),
          internal::LoadU32(Record(i) + internal::kStoredHashBytes));
  }
}

std::pair<Sha1, uint32_t> BreachedPasswordStore::At(int64_t i) const {
  // The bucket holding record i: the last prefix whose start is <= i.
  uint32_t lo = 0;
  uint32_t hi = internal::kPrefixes;
  while (hi - lo > 1) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (internal::LoadU64(index_ + 8 * mid) <= static_cast<uint64_t>(i)) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return {HashAt(static_cast<uint16_t>(lo), static_cast<uint64_t>(i)),
          internal::LoadU32(Record(static_cast<uint64_t>(i)) +
                            internal::kStoredHashBytes)};
}

void BreachedPasswordStore::ForEach(
    const std::function<void(const Sha1&, uint32_t)>& visit) const {
  for (uint32_t prefix = 0; prefix < internal::kPrefixes; ++prefix) {
    const uint64_t begin = internal::LoadU64(index_ + 8 * prefix);
    const uint64_t end = internal::LoadU64(index_ + 8 * (prefix + 1));
    for (uint64_t i = begin; i < end; ++i) {
      visit(HashAt(static_cast<uint16_t>(prefix), i),
            internal::LoadU32(Record(i) + internal::kStoredHashBytes));
    }
  }
}

absl::StatusOr<std::string> RangeBody(const BreachedPasswordStore* store,
                                      absl::string_view prefix, bool padding,
                                      const std::function<uint64_t()>& random) {
  uint32_t prefix20 = 0;
  bool valid = prefix.size() == 5;
  for (size_t i = 0; valid && i < prefix.size(); ++i) {
    const int v = HexValue(prefix[i]);
    valid = v >= 0;
    prefix20 = prefix20 << 4 | static_cast<uint32_t>(std::max(v, 0));
  }
  if (!valid) {
    return absl::InvalidArgumentError(
        absl::StrCat("prefix: '", prefix, "' is not 5 hexadecimal characters"));
  }
  // (the 35 suffix digits as the low 140 bits of the hash, count)
  struct Line {
    Sha1 hash;
    uint32_t count;
  };
  std::vector<Line> lines;
  if (store != nullptr) {
    store->ForEachInRange(prefix20, [&](const Sha1& hash, uint32_t count) {
      lines.push_back({hash, count});
    });
  }
  if (padding) {
    // The public API pads every answer to 800-1000 lines with count-0
    // suffixes, so the response size does not reveal the prefix.
    const size_t target = 800 + random() % 201;
    while (lines.size() < target) {
      Line pad;
      pad.count = 0;
      pad.hash[0] = static_cast<uint8_t>(prefix20 >> 12);
      pad.hash[1] = static_cast<uint8_t>(prefix20 >> 4);
      uint64_t bits = 0;
      for (int i = 2; i < 20; ++i) {
        if ((i - 2) % 8 == 0) bits = random();
        pad.hash[i] = static_cast<uint8_t>(bits);
        bits >>= 8;
      }
      pad.hash[2] =
          static_cast<uint8_t>((prefix20 & 0xf) << 4 | (pad.hash[2] & 0xf));
      lines.push_back(pad);
    }
    // Stable, so that a random suffix equal to a real one (odds 2^-140)
    // gives way to the real line.
    std::stable_sort(
        lines.begin(), lines.end(),
        [](const Line& a, const Line& b) { return a.hash < b.hash; });
    auto last = std::unique(
        lines.begin(), lines.end(),
        [](const Line& a, const Line& b) { return a.hash == b.hash; });
    lines.erase(last, lines.end());
  }
  std::string body;
  body.reserve(lines.size() * 48);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) body.append("\r\n");
    const Sha1& h = lines[i].hash;
    body.push_back(kHexDigits[h[2] & 0xf]);
    for (int b = 3; b < 20; ++b) {
      body.push_back(kHexDigits[h[b] >> 4]);
      body.push_back(kHexDigits[h[b] & 0xf]);
    }
    body.push_back(':');
    absl::StrAppend(&body, lines[i].count);
  }
  return body;
}

}  // namespace lureguard::login
