// UTF-8 validation for untrusted text (request fields, feed lines, stored
// values): one definition, so every layer agrees on what it accepts.

#ifndef LUREGUARD_SERVER_COMMON_UTF8_H_
#define LUREGUARD_SERVER_COMMON_UTF8_H_

#include "absl/strings/string_view.h"

namespace lureguard {

// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no
// UTF-16 surrogates, nothing past U+10FFFF, no truncated sequence.
bool IsValidUtf8(absl::string_view text);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_UTF8_H_
