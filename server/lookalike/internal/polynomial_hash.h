// Polynomial prefix hashes of a DNS label, shared by the deletion index
// and the partition index (deletion_index.h, partition_index.h): the hash
// of any substring, and of the string with characters deleted, in O(1).
// A typo query asks both indexes about the same string, which is hashed
// once for the two.
//
// Pure values; thread-safe.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_POLYNOMIAL_HASH_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_POLYNOMIAL_HASH_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace lureguard::lookalike::internal {

inline constexpr uint64_t kPolynomialBase = 0x100000001b3ULL;  // FNV prime

struct PolynomialPowers {
  // A DNS label is at most 63 bytes.
  static constexpr size_t kMaxLength = 63;
  std::array<uint64_t, kMaxLength + 2> p;
  constexpr PolynomialPowers() : p() {
    p[0] = 1;
    for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * kPolynomialBase;
  }
};
inline constexpr PolynomialPowers kPolynomialPowers;

// prefix(i) is the hash of s[0, i): sum of s[k] * B^(i-1-k), modulo 2^64.
class PrefixHashes {
 public:
  static constexpr size_t kMaxLength = PolynomialPowers::kMaxLength;

  // Hashes the first kMaxLength bytes of `s` at most.
  explicit PrefixHashes(absl::string_view s) {
    const size_t n = s.size() < kMaxLength ? s.size() : kMaxLength;
    prefix_[0] = 0;
    for (size_t i = 0; i < n; ++i) {
      prefix_[i + 1] =
          prefix_[i] * kPolynomialBase + static_cast<unsigned char>(s[i]);
    }
  }

  uint64_t prefix(size_t i) const { return prefix_[i]; }

  uint64_t Substring(size_t begin, size_t length) const {
    return prefix_[begin + length] -
           prefix_[begin] * kPolynomialPowers.p[length];
  }

 private:
  std::array<uint64_t, kMaxLength + 2> prefix_;
};

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_POLYNOMIAL_HASH_H_
