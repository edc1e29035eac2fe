// The size limit every rewrite entry point enforces, with one message.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_INPUT_LIMIT_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_INPUT_LIMIT_H_

#include <cstddef>

#include "absl/status/status.h"
#include "server/links/message_rewriter.h"

namespace lureguard::links::internal {

// InvalidArgument naming max_input_bytes when `size` exceeds it.
absl::Status CheckInputSize(size_t size, const RewriteOptions& options);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_INPUT_LIMIT_H_
