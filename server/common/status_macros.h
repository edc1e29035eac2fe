// Early returns for absl::Status and absl::StatusOr, so the error path of a
// sequence of fallible steps reads as the steps.
//
//   RETURN_IF_ERROR(store.Write(record));
//   ASSIGN_OR_RETURN(std::string body, ReadFile(path));
//
// Both evaluate their expression once and return its status unchanged.

#ifndef LUREGUARD_SERVER_COMMON_STATUS_MACROS_H_
#define LUREGUARD_SERVER_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function with the status of `expr` (an
// absl::Status or anything convertible to one) unless it is OK.
#define RETURN_IF_ERROR(expr)                                    \
  do {                                                           \
    const ::absl::Status lureguard_status_macro_status = (expr); \
    if (!lureguard_status_macro_status.ok()) {                   \
      return lureguard_status_macro_status;                      \
    }                                                            \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); returns its status unless OK,
// else declares or assigns `lhs` from its value (moved).
#define ASSIGN_OR_RETURN(lhs, rexpr)                                     \
  LUREGUARD_ASSIGN_OR_RETURN_IMPL(                                       \
      LUREGUARD_STATUS_MACRO_CONCAT(lureguard_statusor_, __LINE__), lhs, \
      rexpr)

#define LUREGUARD_ASSIGN_OR_RETURN_IMPL(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = *std::move(statusor)

#define LUREGUARD_STATUS_MACRO_CONCAT_INNER(x, y) x##y
#define LUREGUARD_STATUS_MACRO_CONCAT(x, y) \
  LUREGUARD_STATUS_MACRO_CONCAT_INNER(x, y)

#endif  // LUREGUARD_SERVER_COMMON_STATUS_MACROS_H_
