// Domains: libpsl for the public suffix and registrable domain, ICU for the
// display form and the scripts of each label.

#include "server/url/internal/domains.h"

#include <libpsl.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "server/common/bounded_cache.h"
#include "server/url/internal/idna.h"
#include "server/url/internal/ipv4.h"
#include "server/url/internal/public_suffix_rules.h"

namespace lureguard::url {
namespace internal {
namespace {

// Names longer than DNS allows (253) are refused by resolvers; the buffer
// keeps the NUL-terminated copy libpsl needs off the heap.
constexpr size_t kMaxDomainLength = 253;

// The newest of libpsl's built-in list and Debian's publicsuffix package
// (/usr/share/publicsuffix), loaded once; immutable, so lookups need no lock.
const psl_ctx_t* PublicSuffixList() {
  static const psl_ctx_t* const psl = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return psl;
}

bool IsIpLiteral(std::string_view host) {
  return !host.empty() && (host.front() == '[' || EndsInANumber(host));
}

using PslLookup = const char* (*)(const psl_ctx_t*, const char*);

std::string_view Lookup(PslLookup lookup, std::string_view host,
                        std::array<char, kMaxDomainLength + 1>* buffer) {
  const psl_ctx_t* psl = PublicSuffixList();
  if (psl == nullptr || host.empty() || host.size() > kMaxDomainLength ||
      host.find('\0') != std::string_view::npos) {
    return {};
  }
  std::memcpy(buffer->data(), host.data(), host.size());
  (*buffer)[host.size()] = '\0';
  const char* found = lookup(psl, buffer->data());
  if (found == nullptr) return {};
  // libpsl returns a pointer into the string it was given.
  return std::string_view(found);
}

// The list's rules in hash tables (public_suffix_rules.h), from the text
// of the list libpsl reads; null when that file is missing.
const PublicSuffixRules* SuffixRules() {
  static const PublicSuffixRules* const rules = []() -> PublicSuffixRules* {
    std::optional<PublicSuffixRules> loaded =
        PublicSuffixRules::Load(kPublicSuffixListPath);
    return loaded.has_value() ? new PublicSuffixRules(std::move(*loaded))
                              : nullptr;
  }();
  return rules;
}

// The length of `host`'s public suffix (0: none): from the rule tables, or
// where the list's text is missing from libpsl, whose lookup was a fifth of
// a URL analysis (issue #19) and is cached: a gateway sees the same hosts
// again and again, and the list never changes while the process runs.
// 65,536 hosts of at most ~300 bytes each.
size_t PublicSuffixLength(std::string_view host) {
  const PublicSuffixRules* rules = SuffixRules();
  // The tables hold rules as hosts arrive, in ASCII; a name in Unicode
  // (a brand's domain as an admin typed it) goes to libpsl, which
  // converts it.
  if (rules != nullptr && std::all_of(host.begin(), host.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x80;
      })) {
    if (host.size() > kMaxDomainLength ||
        host.find('\0') != std::string_view::npos) {
      return 0;
    }
    return rules->PublicSuffixLength(host);
  }
  static auto* const cache = new BoundedCache<uint16_t>(1 << 16);
  return cache->GetOrCompute(absl::string_view(host.data(), host.size()), [&] {
    std::array<char, kMaxDomainLength + 1> buffer;
    return static_cast<uint16_t>(
        Lookup(psl_unregistrable_domain, host, &buffer).size());
  });
}

}  // namespace

void ComputeDomainParts(std::string_view host, HostKind kind,
                        std::string* registrable, std::string* suffix) {
  registrable->clear();
  suffix->clear();
  if (kind != HostKind::kDomain || IsIpLiteral(host)) return;
  // One lookup gives both: the registrable domain is the public suffix
  // plus the label to its left, which is what psl_registrable_domain
  // computes with a second walk over the list (half of the lookup cost).
  const size_t suffix_length = PublicSuffixLength(host);
  if (suffix_length == 0) return;
  // libpsl's answer is the tail of the name it was given.
  const std::string_view found = host.substr(host.size() - suffix_length);
  suffix->assign(found);
  if (found.size() + 1 >= host.size()) return;  // a public suffix itself
  const size_t suffix_begin = host.size() - found.size();
  const size_t dot = host.rfind('.', suffix_begin - 2);
  registrable->assign(host.substr(dot == std::string_view::npos ? 0 : dot + 1));
}

void ComputeUnicodeHost(std::string_view host, HostKind kind,
                        std::string* unicode) {
  if (kind != HostKind::kDomain || IsPlainAsciiDomain(host) ||
      !DomainToUnicode(host, unicode)) {
    unicode->assign(host);
  }
}

void ComputeLabels(std::string_view unicode_host, HostKind kind,
                   std::vector<HostLabel>* labels) {
  labels->clear();
  if (kind != HostKind::kDomain) return;
  labels->reserve(1 +
                  std::count(unicode_host.begin(), unicode_host.end(), '.'));
  size_t start = 0;
  while (start <= unicode_host.size()) {
    size_t end = unicode_host.find('.', start);
    if (end == std::string_view::npos) end = unicode_host.size();
    HostLabel& label = labels->emplace_back();
    label.text.assign(unicode_host.substr(start, end - start));
    bool latin_letter = false;
    bool non_ascii = false;
    for (char c : label.text) {
      if (static_cast<unsigned char>(c) >= 0x80) non_ascii = true;
      if (absl::ascii_isalpha(static_cast<unsigned char>(c))) {
        latin_letter = true;
      }
    }
    if (!non_ascii) {
      if (latin_letter) label.scripts.emplace_back("Latn");
    } else {
      std::vector<UScriptCode> codes;
      const char* s = label.text.data();
      const int32_t length = static_cast<int32_t>(label.text.size());
      for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) continue;
        UErrorCode error = U_ZERO_ERROR;
        const UScriptCode code = uscript_getScript(c, &error);
        if (U_FAILURE(error) || code == USCRIPT_COMMON ||
            code == USCRIPT_INHERITED || code == USCRIPT_INVALID_CODE) {
          continue;
        }
        if (std::find(codes.begin(), codes.end(), code) == codes.end()) {
          codes.push_back(code);
        }
      }
      for (UScriptCode code : codes) {
        const char* name = uscript_getShortName(code);
        if (name != nullptr) label.scripts.emplace_back(name);
      }
      std::sort(label.scripts.begin(), label.scripts.end());
    }
    if (end == unicode_host.size()) break;
    start = end + 1;
  }
}

}  // namespace internal

std::string RegistrableDomain(std::string_view canonical_host) {
  std::string registrable, suffix;
  internal::ComputeDomainParts(canonical_host, HostKind::kDomain, &registrable,
                               &suffix);
  return registrable;
}

std::string PublicSuffix(std::string_view canonical_host) {
  std::string registrable, suffix;
  internal::ComputeDomainParts(canonical_host, HostKind::kDomain, &registrable,
                               &suffix);
  return suffix;
}

SuffixSection PublicSuffixSection(std::string_view canonical_host) {
  const std::string suffix = PublicSuffix(canonical_host);
  const psl_ctx_t* psl = internal::PublicSuffixList();
  if (suffix.empty() || psl == nullptr) return SuffixSection::kUnlisted;
  if (psl_is_public_suffix2(psl, suffix.c_str(),
                            PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE)) {
    return SuffixSection::kIcann;
  }
  if (psl_is_public_suffix2(psl, suffix.c_str(),
                            PSL_TYPE_PRIVATE | PSL_TYPE_NO_STAR_RULE)) {
    return SuffixSection::kPrivate;
  }
  return SuffixSection::kUnlisted;
}

}  // namespace lureguard::url
