// Content-Transfer-Encoding of a MIME body: decoding through GMime, and
// encoding back in the layout of the original (line length, line ending),
// so a re-encoded part looks like the part it replaces.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_TRANSFER_ENCODING_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_TRANSFER_ENCODING_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace lureguard::links::internal {

enum class TransferEncoding {
  kIdentity,  // 7bit, 8bit, binary, or none given
  kBase64,
  kQuotedPrintable,
};

// How an encoded body is laid out.
struct BodyLayout {
  std::string eol = "\r\n";
  // Longest encoded line (base64), 0 for a single unbroken line.
  size_t line_length = 76;
  bool final_eol = true;  // the body ends with a line ending
};

// The layout of `encoded`; `default_eol` when it has no line ending.
BodyLayout DetectLayout(std::string_view encoded, std::string_view default_eol);

// The decoded bytes of `body`. Lenient as mail readers are: invalid
// characters in base64 are skipped, malformed '=' sequences in QP kept.
std::string DecodeBody(std::string_view body, TransferEncoding encoding);

// `data` encoded for `encoding` in `layout`. For quoted-printable, line
// endings in `data` ("\n" or "\r\n") become hard line breaks written as
// layout.eol, and lines are soft-broken at 76 characters (RFC 2045 6.7).
std::string EncodeBody(std::string_view data, TransferEncoding encoding,
                       const BodyLayout& layout);

// `new_data` encoded like `original`, the encoded form of `old_data`. For
// quoted-printable, lines whose decoded text did not change keep their
// original bytes, so only the lines holding a rewritten link are written
// anew; base64 keeps its lines before the first change; identity bodies
// are `new_data`.
std::string ReencodeBody(std::string_view original, std::string_view old_data,
                         std::string_view new_data, TransferEncoding encoding,
                         const BodyLayout& layout);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_TRANSFER_ENCODING_H_
