// The Public Suffix List's rules in hash tables, for the lookup every new
// host needs. libpsl answers the same question, but by walking the host's
// tails through its DAFSA: psl_unregistrable_domain cost ~6,400
// instructions a host, an eighth of a first-time CheckUrl (issue #19); a
// few hash lookups per label cost a tenth of that. libpsl stays the answer
// where the list's text cannot be read (domains.cc).
//
// Semantics are libpsl's psl_unregistrable_domain: a host's public suffix is
// its longest tail that is itself a public suffix, where a name is one when
// no exception rule names it and a rule names it exactly, a wildcard rule
// names it or its parent ("*.sch.uk": "sch.uk" and "x.sch.uk"), or it is a
// single label (the implicit "*" rule). Rules in
// Unicode are held in their ASCII (Punycode) form, as hosts arrive.
//
// Immutable after Parse; lookups need no lock.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_PUBLIC_SUFFIX_RULES_H_
#define LUREGUARD_SERVER_URL_INTERNAL_PUBLIC_SUFFIX_RULES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace lureguard::url::internal {

// The list as the publicsuffix package installs it, beside the compiled
// form libpsl's psl_latest reads.
inline constexpr char kPublicSuffixListPath[] =
    "/usr/share/publicsuffix/public_suffix_list.dat";

class PublicSuffixRules {
 public:
  // The rules of a list in the publicsuffix.org format ("//" comments, one
  // rule per line, "*." wildcards, "!" exceptions).
  static PublicSuffixRules Parse(std::string_view text);

  // The rules of the list file at `path`; nullopt when it cannot be read or
  // holds no rule.
  static std::optional<PublicSuffixRules> Load(const std::string& path);

  // The length of the public suffix of `host` (canonical: ASCII, lowercase,
  // no trailing dot); 0 for an empty host.
  size_t PublicSuffixLength(std::string_view host) const;

  // Whether `name` is itself a public suffix.
  bool IsPublicSuffix(std::string_view name) const;

  // Names that some rule names.
  size_t rule_count() const { return rules_.size(); }

 private:
  // What the rules say of one name: a name can be listed, the parent of a
  // wildcard and an exception at once. One table, so that a tail costs at
  // most two lookups (itself, and its parent for wildcards).
  enum RuleFlags : uint8_t {
    kExact = 1,      // "co.uk"
    kWildcard = 2,   // "ck" for "*.ck"
    kException = 4,  // "www.ck" for "!www.ck"
  };
  uint8_t FlagsOf(absl::string_view name) const;

  absl::flat_hash_map<std::string, uint8_t> rules_;
};

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_PUBLIC_SUFFIX_RULES_H_
