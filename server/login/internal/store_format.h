// The on-disk layout of the breached-password store (see
// breached_passwords.h), shared by the reader and the importer.

#ifndef LUREGUARD_SERVER_LOGIN_INTERNAL_STORE_FORMAT_H_
#define LUREGUARD_SERVER_LOGIN_INTERNAL_STORE_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lureguard::login::internal {

inline constexpr char kMagic[8] = {'L', 'G', 'P', 'W', 'D', '\0', 'v', '1'};
inline constexpr size_t kHeaderBytes = 64;
// Buckets by the first two bytes of the hash; the index has one more entry
// than buckets so bucket p ends where p + 1 starts.
inline constexpr uint32_t kPrefixes = 1 << 16;
inline constexpr size_t kIndexBytes = 8 * (kPrefixes + 1);
inline constexpr size_t kRecordsOffset = kHeaderBytes + kIndexBytes;
inline constexpr size_t kStoredHashBytes = 18;  // hash bytes 2..19
inline constexpr size_t kRecordBytes = kStoredHashBytes + 4;

// The format is little-endian; so are the machines Lureguard targets
// (x86-64, arm64), so loads are plain copies.
inline uint64_t LoadU64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint32_t LoadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace lureguard::login::internal

#endif  // LUREGUARD_SERVER_LOGIN_INTERNAL_STORE_FORMAT_H_
