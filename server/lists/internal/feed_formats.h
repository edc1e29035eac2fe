// One record of each feed format to a list entry: the per-format rules
// behind ImportParser. Private to server/lists/; ImportParser does the
// streaming, counting and deduplication.
//
// Thread safety: pure functions.

#ifndef LUREGUARD_SERVER_LISTS_INTERNAL_FEED_FORMATS_H_
#define LUREGUARD_SERVER_LISTS_INTERNAL_FEED_FORMATS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/lists/entry_value.h"

namespace lureguard::lists::internal {

// A URL named by a URL feed (OpenPhish, PhishTank, URLhaus) as a URL-prefix
// entry "host/path": the query and fragment are dropped because they vary
// per victim (tracking ids, e-mail addresses), and the path is kept so a
// shared host (sites.google.com) is not blocked whole. A root path gives
// "host/", which under Safe Browsing expression matching covers the host.
absl::StatusOr<EntryValue> UrlFeedEntry(absl::string_view url);

// An AdBlock/uBlock network rule that names a host or a host and path:
// "||host^" is a domain entry (the host and its subdomains, as adblock
// reads "||"), "||host/path^" a URL prefix. Options after '$' are ignored
// except $badfilter (which cancels a rule rather than adding one).
// Exception (@@), cosmetic (##) and any other rule is InvalidArgument
// naming the kind, so the import counts it as skipped.
absl::StatusOr<EntryValue> ParseAdblockRule(absl::string_view rule);

// Where the columns a CSV feed needs are, from its header line.
struct FeedCsvColumns {
  size_t count = 0;     // fields in the header
  int url = -1;         // required
  int url_status = -1;  // URLhaus: online | offline | unknown
  int verified = -1;    // PhishTank: yes | no
  int online = -1;      // PhishTank: yes | no
};

// True when `fields` look like a CSV feed header: one field is "url".
bool IsFeedCsvHeader(const std::vector<std::string>& fields);

// Maps the header of a "phishtank-csv" or "urlhaus-csv" feed.
// InvalidArgument naming the missing column when there is no "url".
absl::StatusOr<FeedCsvColumns> ParseFeedCsvHeader(
    absl::string_view format, const std::vector<std::string>& header);

// One data row. InvalidArgument when the row has a different number of
// fields than the header, when the feed marks it offline or unverified
// (those rows are skipped, not failures), or when the URL is invalid.
absl::StatusOr<EntryValue> ParseFeedCsvRow(const FeedCsvColumns& columns,
                                           const std::vector<std::string>& row);

// One object of a PhishTank JSON dump ({"url": ..., "verified": "yes",
// "online": "yes", ...}), parsed with protobuf's JSON parser. Same rules as
// a PhishTank CSV row.
absl::StatusOr<EntryValue> ParsePhishtankJsonRecord(absl::string_view json);

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_FEED_FORMATS_H_
