// CheckUrl's request read where its bytes lie: the URL and the tenant as
// views, with no message built (what parsing cost per call before:
// ~750 instructions and a protobuf arena set up and torn down, ~480 more;
// callgrind, tests/bench/callgrind_check_url.sh).
//
// Thread safety: a pure function.

#ifndef LUREGUARD_SERVER_SERVICE_CHECK_URL_REQUEST_H_
#define LUREGUARD_SERVER_SERVICE_CHECK_URL_REQUEST_H_

#include "absl/strings/string_view.h"

namespace lureguard::service {

// The two fields of a lureguard.v1.CheckUrlRequest, viewing the bytes they
// were read from.
struct CheckUrlRequestView {
  absl::string_view url;
  absl::string_view tenant;
};

// Reads `bytes` as protobuf's parser reads a CheckUrlRequest's wire twin
// (lureguard.internal.LenientCheckUrlRequest: bytes, not UTF-8-checked
// strings, so that a bad URL gets an error naming it): the last occurrence
// of a field wins, other fields are skipped. False where that parser
// refuses the bytes.
bool ReadCheckUrlRequest(absl::string_view bytes, CheckUrlRequestView& request);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_CHECK_URL_REQUEST_H_
