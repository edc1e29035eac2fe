// Drops from an HTML document the bytes that cost a parser most and tell a
// credential-page inspection nothing: the text of <style> elements (CSS)
// and the payload of base64 raster images in attribute values (kits embed
// their logos that way). gumbo spends most of a kit page's parse walking
// such bytes one code point at a time.
//
// It follows the HTML tokenizer's states as far as they matter here
// (data, tags with quoted attribute values, comments, raw-text and RCDATA
// elements, <plaintext>), so nothing inside a script, a comment or an
// attribute is taken for a <style>, and it only removes a style's text
// when that text holds no '<' at all: what is left parses to the same
// elements, attributes and scripts.
//
// Thread safety: a pure function.

#ifndef LUREGUARD_SERVER_MAIL_INTERNAL_MARKUP_SLIMMER_H_
#define LUREGUARD_SERVER_MAIL_INTERNAL_MARKUP_SLIMMER_H_

#include <string>
#include <string_view>

namespace lureguard::mail::internal {

// Raster data: URIs longer than this keep only their first bytes.
inline constexpr size_t kMaxKeptImageUri = 64;

// `html` without CSS text and base64 raster payloads; `html` itself (copied)
// when there is nothing to drop.
std::string SlimMarkup(std::string_view html);

}  // namespace lureguard::mail::internal

#endif  // LUREGUARD_SERVER_MAIL_INTERNAL_MARKUP_SLIMMER_H_
