// The WHATWG URL Standard's basic URL parser for special schemes, working
// on a UrlSplit (see url_split.h). Implemented in whatwg_parser.cc.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_WHATWG_H_
#define LUREGUARD_SERVER_URL_INTERNAL_WHATWG_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "server/url/internal/url_split.h"
#include "server/url/url.h"

namespace lureguard::url::internal {

// Fills `*out` from a split of a special, non-file URL. InvalidArgument with
// the reason when the Standard returns failure.
// REQUIRES: split.is_special() && split.scheme_kind != SchemeKind::kFile.
absl::Status ParseSplitUrl(const UrlSplit& split, ParsedUrl* out);

// WHATWG "path state" for special URLs: '/' and '\' separate segments,
// "." and ".." (also as %2e) are resolved, and bytes of the path
// percent-encode set are escaped. Replaces `*out`; the result starts with
// '/'.
void SerializeWhatwgPath(std::string_view raw_path, std::string* out);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_WHATWG_H_
