// The product version, from CMake's project(VERSION): one place to change
// it, and every binary, metric and test reads the same string.

#ifndef LUREGUARD_SERVER_COMMON_VERSION_H_
#define LUREGUARD_SERVER_COMMON_VERSION_H_

namespace lureguard {

// Reported by GetStatus, --version, the build-info metric and the log.
extern const char kVersion[];

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_VERSION_H_
