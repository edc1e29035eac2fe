// Word lists the matcher's false-positive guards and scores rely on,
// compiled by hand (English and a few words common in other languages'
// host names). Immutable; safe from any thread.

#ifndef LUREGUARD_SERVER_LOOKALIKE_INTERNAL_WORD_LISTS_H_
#define LUREGUARD_SERVER_LOOKALIKE_INTERNAL_WORD_LISTS_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace lureguard::lookalike::internal {

// True for an ordinary dictionary word. A host label that is a word is not
// a typo of a brand ("apply" is not "apple", "finance" is not "binance"),
// and a brand token that is a word ("outlook", "ledger") is not searched
// inside longer words.
bool IsCommonWord(absl::string_view word);

// The same for the skeleton of a word (skeleton.h), for text the
// Aho-Corasick automaton scanned in skeleton form.
bool IsCommonWordSkeleton(absl::string_view skeleton);

// Where a common word occurs in a skeleton: text[begin, end).
struct WordSpan {
  uint32_t begin;
  uint32_t end;
};

// Replaces `*spans` with every occurrence of a common word's skeleton in
// `skeleton`, found in one pass: the same answers as IsCommonWordSkeleton
// on every substring, without a hash lookup per substring.
void CommonWordSkeletonSpans(absl::string_view skeleton,
                             std::vector<WordSpan>* spans);

// True for words phishing kits put next to a brand ("paypal-secure-login"):
// they raise a combosquat's weight.
bool IsLureKeyword(absl::string_view word);

// The same for the skeleton of a word.
bool IsLureKeywordSkeleton(absl::string_view skeleton);

// True for the lure words that still signal a combosquat when written
// without a separator ("paypallogin"); "my" or "app" do not ("myapple").
bool IsStrongLureSkeleton(absl::string_view skeleton);

// True for words that name a brand's own infrastructure (CDNs, APIs, DNS,
// image and staging hosts: "shopifycdn", "slack-edge", "notion-static")
// and lure nobody: a page asking for a password gains nothing from them.
bool IsInfrastructureWord(absl::string_view word);

// The same for the skeleton of a word.
bool IsInfrastructureWordSkeleton(absl::string_view skeleton);

// True when `registrable_domain` is a platform whose subdomains are sites
// anyone can create (webflow.io, weebly.com) but which the public suffix
// list does not list as a private suffix.
bool IsHostingPlatform(absl::string_view registrable_domain);

// True for a private suffix of the public suffix list under which its owner
// names its own services rather than customers their sites
// ("gmail.googleapis.com", "events.withgoogle.com"): there the owner's
// names are its own, as under any of its domains.
bool IsOwnerServiceSuffix(absl::string_view suffix);

}  // namespace lureguard::lookalike::internal

#endif  // LUREGUARD_SERVER_LOOKALIKE_INTERNAL_WORD_LISTS_H_
