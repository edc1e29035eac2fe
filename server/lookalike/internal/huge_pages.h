// Memory for the brand index's large arrays (the deletion and partition
// tables and their filters, the automaton, the per-token copies), backed
// by transparent huge pages where the kernel grants them.
//
// Why: a lookup with the top 100k protected makes ~100 random reads into
// ~100 MB of arrays per host. On 4 kB pages each of them also misses the
// TLB (1,536 entries reach 6 MB), and in a VM a page walk is two-
// dimensional: measured on the machine, the same process with all
// of its heap on huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1) ran a
// lookup 7 % faster at p50, 11 % at p99 (issue #19 item 5). Debian sets
// transparent huge pages to "madvise", so memory gets them only when asked.
//
// Allocations of kHugePageSize or more are mapped on their own, aligned to
// a huge page and marked MADV_HUGEPAGE before first use; smaller ones come
// from operator new. Without transparent huge pages the mapping still
// works, on small pages.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_HUGE_PAGES_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_HUGE_PAGES_H_

#include <cstddef>
#include <memory>
#include <vector>

namespace lureguard::lookalike::internal {

inline constexpr size_t kHugePageSize = size_t{2} << 20;

// `bytes` (at least kHugePageSize) rounded up to whole huge pages, aligned
// to one, asked to be huge pages. Aborts when the mapping fails, as
// operator new would terminate.
void* MapHugePages(size_t bytes);
// Releases what MapHugePages(bytes) returned.
void UnmapHugePages(void* memory, size_t bytes);

// A std::allocator that maps allocations of kHugePageSize bytes or more
// with MapHugePages.
template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(size_t n) {
    if (n * sizeof(T) >= kHugePageSize) {
      return static_cast<T*>(MapHugePages(n * sizeof(T)));
    }
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) >= kHugePageSize) {
      UnmapHugePages(p, n * sizeof(T));
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_HUGE_PAGES_H_
