#include "server/common/version.h"

#ifndef LUREGUARD_VERSION
#error "LUREGUARD_VERSION comes from CMake (server/common/CMakeLists.txt)"
#endif

namespace lureguard {

const char kVersion[] = LUREGUARD_VERSION;

}  // namespace lureguard
