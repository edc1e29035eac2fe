// Asks the kernel to back a large buffer with transparent huge pages.
// Private to server/lists/.
//
// Why: a 10 M-entry snapshot is ~300 MB written once and then read at
// random. In 4 KiB pages that is ~75 k page faults while it is built (on
// this project's VM, about a second of a rebuild) and a TLB miss on most
// lookups; 2 MiB pages take 512 times fewer of both. Debian's default THP
// mode is "madvise", so a buffer gets huge pages only when asked.
//
// Thread safety: safe for concurrent use.

#ifndef LUREGUARD_SERVER_LISTS_INTERNAL_HUGE_PAGES_H_
#define LUREGUARD_SERVER_LISTS_INTERNAL_HUGE_PAGES_H_

#include <cstddef>

namespace lureguard::lists::internal {

// Advises huge pages for the whole 2 MiB pages inside [data, data + bytes).
// Call it before the buffer is first written: pages already faulted in
// stay small until the kernel's background collapse. A hint only: where
// the kernel refuses or huge pages are off, nothing changes but speed.
void AdviseHugePages(const void* data, size_t bytes);

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_HUGE_PAGES_H_
