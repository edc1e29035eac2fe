#include "server/url/internal/idna.h"

#include <unicode/uidna.h>

#include <climits>

#include "server/url/internal/ascii.h"

namespace lureguard::url::internal {
namespace {

// Errors that the Standard's options turn off: CheckHyphens=false
// (hyphen errors) and VerifyDnsLength=false (empty labels and lengths).
// ICU always computes them, so they are filtered here; every other bit
// (disallowed code points, bad punycode, bidi, joiners...) fails.
constexpr uint32_t kIgnoredErrors =
    UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG |
    UIDNA_ERROR_DOMAIN_NAME_TOO_LONG | UIDNA_ERROR_LEADING_HYPHEN |
    UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4;

// Hosts longer than this are refused before reaching ICU, whose lengths
// are int32_t; no DNS name comes near it.
constexpr size_t kMaxIdnaInput = 1 << 16;

// One UTS #46 instance for the process: ICU documents a UIDNA as usable
// from many threads once opened, and opening costs a few microseconds.
const UIDNA* Uts46() {
  static const UIDNA* const idna = [] {
    UErrorCode error = U_ZERO_ERROR;
    UIDNA* opened = uidna_openUTS46(UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                        UIDNA_NONTRANSITIONAL_TO_ASCII |
                                        UIDNA_NONTRANSITIONAL_TO_UNICODE,
                                    &error);
    return U_SUCCESS(error) ? opened : nullptr;
  }();
  return idna;
}

using IdnaFunction = int32_t (*)(const UIDNA*, const char*, int32_t, char*,
                                 int32_t, UIDNAInfo*, UErrorCode*);

bool RunIdna(IdnaFunction function, std::string_view in, std::string* out) {
  const UIDNA* idna = Uts46();
  if (idna == nullptr || in.size() > kMaxIdnaInput) return false;
  // Mapping can grow the text (e.g. U+FDFA expands to 18 code points), so
  // size for the common case and retry once with ICU's exact length.
  out->resize(in.size() * 2 + 64);
  for (int attempt = 0; attempt < 2; ++attempt) {
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    UErrorCode error = U_ZERO_ERROR;
    const int32_t length =
        function(idna, in.data(), static_cast<int32_t>(in.size()), out->data(),
                 static_cast<int32_t>(out->size()), &info, &error);
    if (error == U_BUFFER_OVERFLOW_ERROR && attempt == 0 && length > 0) {
      out->resize(static_cast<size_t>(length));
      continue;
    }
    if (U_FAILURE(error) || length < 0) return false;
    if ((info.errors & ~kIgnoredErrors) != 0) return false;
    out->resize(static_cast<size_t>(length));
    return true;
  }
  return false;
}

}  // namespace

bool IsPlainAsciiDomain(std::string_view domain) {
  bool label_start = true;
  for (size_t i = 0; i < domain.size(); ++i) {
    const char c = domain[i];
    if (static_cast<unsigned char>(c) >= 0x80) return false;
    if (label_start && (c == 'x' || c == 'X') && i + 3 < domain.size() &&
        (domain[i + 1] | 0x20) == 'n' && domain[i + 2] == '-' &&
        domain[i + 3] == '-') {
      return false;
    }
    label_start = c == '.';
  }
  return true;
}

bool DomainToAscii(std::string_view domain, std::string* out) {
  bool ascii = true;
  for (char c : domain) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    out->assign(domain);
    LowercaseAscii(out);
  } else if (!RunIdna(uidna_nameToASCII_UTF8, domain, out)) {
    return false;
  }
  return !out->empty();
}

bool DomainToUnicode(std::string_view domain, std::string* out) {
  return RunIdna(uidna_nameToUnicodeUTF8, domain, out);
}

}  // namespace lureguard::url::internal
