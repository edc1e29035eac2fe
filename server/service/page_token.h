// Page tokens of the list methods (AIP-158): opaque to callers, they carry
// the id of the last item of the previous page.

#ifndef LUREGUARD_SERVER_SERVICE_PAGE_TOKEN_H_
#define LUREGUARD_SERVER_SERVICE_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace lureguard::service {

// The token of the page after the item with id `last_id`.
std::string PageToken(int64_t last_id);

// The id a token continues after; 0 for the empty token (the first page).
// InvalidArgument naming `page_token` for anything else.
absl::StatusOr<int64_t> ParsePageToken(const std::string& token);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_PAGE_TOKEN_H_
