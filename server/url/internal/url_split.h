// Splitting a URL string into its components, the way the WHATWG URL
// Standard's state machine delimits them for special schemes, without
// validating or transforming any component.
//
// Both the strict WHATWG parser and the lenient Safe Browsing canonicalizer
// start from this split, so they can never disagree about where the
// authority ends (the evasion the URL engine exists to prevent).

#ifndef LUREGUARD_SERVER_URL_INTERNAL_URL_SPLIT_H_
#define LUREGUARD_SERVER_URL_INTERNAL_URL_SPLIT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace lureguard::url::internal {

enum class SchemeKind { kHttp, kHttps, kWs, kWss, kFtp, kFile, kOther };

// Views into the preprocessed input; valid while it lives.
struct UrlSplit {
  std::string scheme;  // lowercase; "http" when the input has none
  SchemeKind scheme_kind = SchemeKind::kHttp;
  bool scheme_less = false;
  // Number of '/' or '\' between "scheme:" and the authority.
  int slashes = 0;
  bool has_at = false;        // the authority contains '@'
  int at_count = 0;           // '@' in the authority
  std::string_view userinfo;  // before the last '@' of the authority
  std::string_view host;      // raw, brackets kept
  bool has_port = false;      // a ':' followed the host
  std::string_view port;      // raw text after that ':'
  std::string_view path;      // raw, from the '/' or '\' ending the authority
  bool has_query = false;
  std::string_view query;
  bool has_fragment = false;
  std::string_view fragment;

  bool is_special() const { return scheme_kind != SchemeKind::kOther; }
  bool is_web() const {
    return scheme_kind == SchemeKind::kHttp ||
           scheme_kind == SchemeKind::kHttps;
  }
};

// WHATWG basic URL parser, first steps: removes leading and trailing C0
// controls and spaces, then every tab, LF and CR. Returns a view of `input`
// when nothing inside had to be removed, else of `*buffer`.
std::string_view PreprocessUrl(std::string_view input, std::string* buffer);

// Splits preprocessed input. Input without a scheme is taken as http whose
// authority starts at the beginning (after "//" if present); "host:port/..."
// counts as scheme-less. For non-special schemes and "file" only `scheme`
// and `scheme_kind` are set. InvalidArgument for empty input and for
// scheme-less input that begins with a path ("/x", "?q", "#f").
absl::Status SplitUrl(std::string_view preprocessed, UrlSplit* split);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_URL_SPLIT_H_
