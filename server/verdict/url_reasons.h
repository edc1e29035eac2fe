// Reasons derived from a URL's own structure and from list matches: the
// URL-side signal sources of the verdict.

#ifndef LUREGUARD_SERVER_VERDICT_URL_REASONS_H_
#define LUREGUARD_SERVER_VERDICT_URL_REASONS_H_

#include <vector>

#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand_index.h"
#include "server/url/url.h"
#include "server/verdict/verdict.h"

namespace lureguard::verdict {

// One reason per structural signal of `url`, with that signal's weight.
std::vector<Reason> StructuralReasons(const url::UrlAnalysis& url);

// The reason a list match gives: BLOCKLIST_MATCH or ALLOWLIST_MATCH with
// the entry, its kind and its source.
Reason ListMatchReason(const lists::ListMatch& match);

// The reason a lookalike match gives: the LOOKALIKE_* (or IDN_SPOOF) code of
// its technique, the brand, the official domain imitated and the evidence.
Reason LookalikeReason(const lookalike::LookalikeMatch& match);

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_URL_REASONS_H_
