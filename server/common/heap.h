// Hands the allocator's free memory back to the kernel after a large
// transient allocation (a list import, a snapshot rebuild).
//
// glibc keeps freed memory in its arenas for reuse, so without this a
// process stays at its peak size after every large import for good: a
// 1 M-entry import left the server ~200 MB larger while its new snapshot
// is 29 MB (issue #19). It walks every arena under that arena's lock:
// call it after work that freed a lot, not on every request.
//
// Thread safety: safe to call from any thread.

#ifndef LUREGUARD_SERVER_COMMON_HEAP_H_
#define LUREGUARD_SERVER_COMMON_HEAP_H_

namespace lureguard {

// malloc_trim(0): the free pages of every arena go back to the kernel.
void ReleaseFreeHeapMemory();

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_HEAP_H_
