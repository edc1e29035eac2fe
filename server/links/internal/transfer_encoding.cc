#include "server/links/internal/transfer_encoding.h"

#include <gmime/gmime.h>

#include "absl/strings/escaping.h"
#include "server/links/internal/gmime_init.h"

namespace lureguard::links::internal {
namespace {

// RFC 2045 6.7 rule 5: encoded lines are at most 76 characters.
constexpr size_t kQpLineLength = 76;

void AppendQuotedPrintableLine(std::string_view line, std::string_view eol,
                               std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  size_t column = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    char token[3];
    size_t token_length = 1;
    if ((c >= 33 && c <= 126 && c != '=') ||
        ((c == ' ' || c == '\t') && !last)) {
      token[0] = static_cast<char>(c);
    } else {
      token[0] = '=';
      token[1] = kHex[c >> 4];
      token[2] = kHex[c & 0xF];
      token_length = 3;
    }
    // Leave room for the '=' of a soft line break.
    const size_t limit = last ? kQpLineLength : kQpLineLength - 1;
    if (column + token_length > limit) {
      out->push_back('=');
      out->append(eol);
      column = 0;
    }
    out->append(token, token_length);
    column += token_length;
  }
}

std::string EncodeQuotedPrintable(std::string_view data,
                                  const BodyLayout& layout) {
  std::string out;
  out.reserve(data.size() + data.size() / 8 + 16);
  size_t start = 0;
  while (start < data.size()) {
    const size_t newline = data.find('\n', start);
    if (newline == std::string_view::npos) {
      AppendQuotedPrintableLine(data.substr(start), layout.eol, &out);
      // Text without a final line break ends in a soft break, so decoding
      // gives back no line ending that was not there.
      if (layout.final_eol) {
        out.push_back('=');
        out.append(layout.eol);
      }
      break;
    }
    size_t end = newline;
    if (end > start && data[end - 1] == '\r') --end;
    AppendQuotedPrintableLine(data.substr(start, end - start), layout.eol,
                              &out);
    out.append(layout.eol);
    start = newline + 1;
  }
  return out;
}

std::string EncodeBase64(std::string_view data, const BodyLayout& layout) {
  const std::string encoded =
      absl::Base64Escape(absl::string_view(data.data(), data.size()));
  if (layout.line_length == 0) {
    return layout.final_eol ? encoded + layout.eol : encoded;
  }
  std::string out;
  out.reserve(encoded.size() +
              (encoded.size() / layout.line_length + 1) * layout.eol.size());
  for (size_t i = 0; i < encoded.size(); i += layout.line_length) {
    out.append(encoded, i, layout.line_length);
    if (i + layout.line_length < encoded.size() || layout.final_eol) {
      out.append(layout.eol);
    }
  }
  return out;
}

}  // namespace

BodyLayout DetectLayout(std::string_view encoded,
                        std::string_view default_eol) {
  BodyLayout layout;
  const size_t newline = encoded.find('\n');
  if (newline == std::string_view::npos) {
    layout.eol = std::string(default_eol);
    layout.line_length = 0;
    layout.final_eol = false;
    return layout;
  }
  const bool crlf = newline > 0 && encoded[newline - 1] == '\r';
  layout.eol = crlf ? "\r\n" : "\n";
  layout.final_eol = encoded.back() == '\n';
  const size_t first_line = crlf ? newline - 1 : newline;
  // A body that is one line plus its ending is unbroken; otherwise keep
  // the first line's length, in whole base64 quanta.
  if (newline + 1 == encoded.size()) {
    layout.line_length = 0;
  } else {
    layout.line_length = first_line - first_line % 4;
    if (layout.line_length == 0) layout.line_length = 76;
  }
  return layout;
}

std::string DecodeBody(std::string_view body, TransferEncoding encoding) {
  if (encoding == TransferEncoding::kIdentity) return std::string(body);
  EnsureGMimeInitialized();
  GMimeEncoding state;
  g_mime_encoding_init_decode(&state,
                              encoding == TransferEncoding::kBase64
                                  ? GMIME_CONTENT_ENCODING_BASE64
                                  : GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  std::string out(g_mime_encoding_outlen(&state, body.size()) + 16, '\0');
  const size_t n =
      g_mime_encoding_flush(&state, body.data(), body.size(), out.data());
  out.resize(n);
  return out;
}

std::string EncodeBody(std::string_view data, TransferEncoding encoding,
                       const BodyLayout& layout) {
  switch (encoding) {
    case TransferEncoding::kBase64:
      return EncodeBase64(data, layout);
    case TransferEncoding::kQuotedPrintable:
      return EncodeQuotedPrintable(data, layout);
    case TransferEncoding::kIdentity:
      break;
  }
  return std::string(data);
}

}  // namespace lureguard::links::internal
