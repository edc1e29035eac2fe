#include "server/common/heap.h"

#include <malloc.h>

namespace lureguard {

void ReleaseFreeHeapMemory() { malloc_trim(0); }

}  // namespace lureguard
