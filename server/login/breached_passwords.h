// The breached-password store: SHA-1 hashes of passwords seen in breaches,
// with how often each was seen, in one compact sorted file that is
// memory-mapped, so a billion hashes need no more RAM than the pages a
// lookup touches.
//
// File format (little-endian), version 1:
//   header, 64 bytes: "LGPWD\0v1", u64 hash count, i64 update time (Unix s)
//   index: 65537 u64 record numbers; prefix p's records are [index[p],
//          index[p+1]), p being the first two bytes of the hash
//   records: 22 bytes each, sorted: bytes 2..19 of the hash, u32 count
// The two bytes the index implies are not stored, so a record is 22 bytes:
// 1 G hashes take 22 GB, 10 M take 220 MB.
//
// Lookup is a binary search in one prefix bucket (about 150 records at
// 10 M hashes, 15 k at 1 G). Range answers the public Pwned Passwords
// k-anonymity API byte for byte (RangeBody).
//
// Thread safety: const methods are safe for concurrent use. The file must
// not be modified in place while open; replacing it by rename is safe.
//
// Example:
//   absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> store =
//       BreachedPasswordStore::Open("/var/lib/lureguard/breached.lgpw");
//   std::optional<uint32_t> seen = (*store)->Lookup(sha1_bytes);
//   std::string body = RangeBody(**store, "21BD1", /*padding=*/false, rng);

#ifndef LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORDS_H_
#define LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORDS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/common/file_system.h"

namespace lureguard::login {

using Sha1 = std::array<uint8_t, 20>;

// Parses 40 hex digits (either case) into a SHA-1; nullopt otherwise.
std::optional<Sha1> ParseSha1Hex(absl::string_view hex);

class BreachedPasswordStore {
 public:
  // Maps `path` from `fs`. NotFound when it cannot be opened (absent or
  // unreadable), DataLoss when it cannot be read or mapped or is not a
  // store of this format (the message names the path and what is wrong).
  static absl::StatusOr<std::unique_ptr<BreachedPasswordStore>> Open(
      const std::string& path, FileSystem& fs = DefaultFileSystem());

  ~BreachedPasswordStore() = default;
  BreachedPasswordStore(const BreachedPasswordStore&) = delete;
  BreachedPasswordStore& operator=(const BreachedPasswordStore&) = delete;

  // How often `hash` was seen in breaches; nullopt when never.
  std::optional<uint32_t> Lookup(const Sha1& hash) const;

  // Calls `visit(hash, count)` for every hash whose first 20 bits are
  // `prefix20` (the value of 5 hex digits), in ascending order.
  void ForEachInRange(
      uint32_t prefix20,
      const std::function<void(const Sha1&, uint32_t)>& visit) const;

  // Calls `visit` for every hash in ascending order.
  void ForEach(const std::function<void(const Sha1&, uint32_t)>& visit) const;

  // The i-th hash in ascending order, and its count.
  // REQUIRES: 0 <= i < size().
  std::pair<Sha1, uint32_t> At(int64_t i) const;

  int64_t size() const { return count_; }
  int64_t file_bytes() const { return static_cast<int64_t>(map_.size()); }
  absl::Time update_time() const { return update_time_; }
  const std::string& path() const { return path_; }

 private:
  BreachedPasswordStore() = default;
  const uint8_t* Record(uint64_t i) const;
  Sha1 HashAt(uint16_t prefix, uint64_t i) const;

  std::string path_;
  MappedRegion map_;
  const uint8_t* index_ = nullptr;
  const uint8_t* records_ = nullptr;
  int64_t count_ = 0;
  absl::Time update_time_ = absl::UnixEpoch();
};

// The body the public range API (`GET /range/{prefix}`) answers: one
// "SUFFIX:COUNT" line per stored hash with that prefix, the suffix as 35
// uppercase hex digits, lines in ascending order separated by CRLF, no
// final line break. With `padding` (the API's `Add-Padding: true`), random
// suffixes with count 0 are mixed in, in order, until the body has between
// 800 and 1000 lines; `random` supplies the randomness. `store` may be null
// (no store yet): the body then holds padding only. InvalidArgument when
// `prefix` is not 5 hex digits.
absl::StatusOr<std::string> RangeBody(const BreachedPasswordStore* store,
                                      absl::string_view prefix, bool padding,
                                      const std::function<uint64_t()>& random);

}  // namespace lureguard::login

#endif  // LUREGUARD_SERVER_LOGIN_BREACHED_PASSWORDS_H_
