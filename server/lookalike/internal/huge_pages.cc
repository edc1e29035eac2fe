#include "server/lookalike/internal/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace lureguard::lookalike::internal {
namespace {

size_t RoundUp(size_t bytes) {
  return (bytes + kHugePageSize - 1) / kHugePageSize * kHugePageSize;
}

}  // namespace

void* MapHugePages(size_t bytes) {
  const size_t size = RoundUp(bytes);
  // mmap aligns to small pages only: map one huge page more and trim the
  // ends so that the kernel can back the range with whole huge pages.
  void* const mapped =
      mmap(nullptr, size + kHugePageSize, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) std::abort();
  const uintptr_t start = reinterpret_cast<uintptr_t>(mapped);
  const uintptr_t aligned = (start + kHugePageSize - 1) & ~(kHugePageSize - 1);
  if (aligned > start) munmap(mapped, aligned - start);
  const uintptr_t end = start + size + kHugePageSize;
  if (end > aligned + size) {
    munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
  }
  void* const memory = reinterpret_cast<void*>(aligned);
  // Advice only: without transparent huge pages the memory stays usable.
  madvise(memory, size, MADV_HUGEPAGE);
  return memory;
}

void UnmapHugePages(void* memory, size_t bytes) {
  munmap(memory, RoundUp(bytes));
}

}  // namespace lureguard::lookalike::internal
