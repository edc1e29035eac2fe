#include "server/links/internal/transfer_encoding.h"

#include <gmime/gmime.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "server/links/internal/gmime_init.h"

namespace lureguard::links::internal {
namespace {

// RFC 2045 6.7 rule 5: encoded lines are at most 76 characters.
constexpr size_t kQpLineLength = 76;

// True when a physical line starting with line[i] could be read as
// something else: a MIME boundary ("--"), an SMTP end of data ("."), an
// mbox separator ("From "). Escaping the first character avoids it.
bool RiskyLineStart(std::string_view line, size_t i) {
  const char c = line[i];
  return c == '-' || c == '.' ||
         (c == 'F' && line.substr(i).starts_with("From "));
}

void AppendQuotedPrintableLine(std::string_view line, std::string_view eol,
                               std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  size_t column = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    bool escape = !((c >= 33 && c <= 126 && c != '=') ||
                    ((c == ' ' || c == '\t') && !last));
    // Leave room for the '=' of a soft line break.
    const size_t limit = last ? kQpLineLength : kQpLineLength - 1;
    if (column + (escape ? 3 : 1) > limit) {
      out->push_back('=');
      out->append(eol);
      column = 0;
    }
    if (column == 0 && RiskyLineStart(line, i)) escape = true;
    if (escape) {
      out->push_back('=');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
      column += 3;
    } else {
      out->push_back(static_cast<char>(c));
      ++column;
    }
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

// Lines of decoded text, each with its '\n' (the last may lack one).
std::vector<std::string_view> DecodedLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    const size_t end =
        newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// Start offsets of the logical lines of a quoted-printable body (physical
// lines joined by soft breaks), plus its size at the end.
std::vector<size_t> QuotedPrintableLineStarts(std::string_view encoded) {
  std::vector<size_t> starts;
  size_t start = 0;
  bool line_open = false;
  while (start < encoded.size()) {
    if (!line_open) starts.push_back(start);
    const size_t newline = encoded.find('\n', start);
    if (newline == std::string_view::npos) break;
    // A soft break is '=' at the end, transport padding after it allowed.
    size_t end = newline;
    while (end > start &&
           (encoded[end - 1] == '\r' || encoded[end - 1] == ' ' ||
            encoded[end - 1] == '\t')) {
      --end;
    }
    line_open = end > start && encoded[end - 1] == '=';
    start = newline + 1;
  }
  starts.push_back(encoded.size());
  return starts;
}

std::string ReencodeQuotedPrintable(std::string_view original,
                                    std::string_view old_data,
                                    std::string_view new_data,
                                    const BodyLayout& layout) {
  const std::vector<std::string_view> old_lines = DecodedLines(old_data);
  const std::vector<std::string_view> new_lines = DecodedLines(new_data);
  const std::vector<size_t> starts = QuotedPrintableLineStarts(original);
  // Each decoded line comes from one logical line; when the counts differ
  // (a malformed body), the body is encoded whole.
  if (starts.size() != old_lines.size() + 1) {
    return EncodeQuotedPrintable(new_data, layout);
  }
  size_t prefix = 0;
  while (prefix < old_lines.size() && prefix < new_lines.size() &&
         old_lines[prefix] == new_lines[prefix]) {
    ++prefix;
  }
  size_t suffix = 0;
  while (suffix + prefix < old_lines.size() &&
         suffix + prefix < new_lines.size() &&
         old_lines[old_lines.size() - 1 - suffix] ==
             new_lines[new_lines.size() - 1 - suffix]) {
    ++suffix;
  }
  std::string middle;
  for (size_t i = prefix; i + suffix < new_lines.size(); ++i) {
    middle.append(new_lines[i]);
  }
  std::string out(original.substr(0, starts[prefix]));
  out += EncodeQuotedPrintable(middle, layout);
  out.append(original.substr(starts[old_lines.size() - suffix]));
  return out;
}

// Base64 lines before the first changed byte are kept: each full line of
// L characters holds L/4*3 bytes, so the encoding restarts cleanly there.
std::string ReencodeBase64(std::string_view original, std::string_view old_data,
                           std::string_view new_data,
                           const BodyLayout& layout) {
  if (layout.line_length == 0) return EncodeBase64(new_data, layout);
  size_t first_change = 0;
  while (first_change < old_data.size() && first_change < new_data.size() &&
         old_data[first_change] == new_data[first_change]) {
    ++first_change;
  }
  const size_t bytes_per_line = layout.line_length / 4 * 3;
  const size_t encoded_line = layout.line_length + layout.eol.size();
  size_t kept = first_change / bytes_per_line;
  // Only lines that are exactly as this layout would write them.
  size_t lines_ok = 0;
  while (lines_ok < kept && (lines_ok + 1) * encoded_line <= original.size()) {
    const std::string_view line =
        original.substr(lines_ok * encoded_line, encoded_line);
    if (line.substr(layout.line_length) != layout.eol ||
        line.substr(0, layout.line_length).find_first_of("\r\n= \t") !=
            std::string_view::npos) {
      break;
    }
    ++lines_ok;
  }
  kept = lines_ok;
  std::string out(original.substr(0, kept * encoded_line));
  out += EncodeBase64(new_data.substr(kept * bytes_per_line), layout);
  return out;
}

}  // namespace

std::string ReencodeBody(std::string_view original, std::string_view old_data,
                         std::string_view new_data, TransferEncoding encoding,
                         const BodyLayout& layout) {
  if (encoding == TransferEncoding::kQuotedPrintable) {
    return ReencodeQuotedPrintable(original, old_data, new_data, layout);
  }
  if (encoding == TransferEncoding::kBase64) {
    return ReencodeBase64(original, old_data, new_data, layout);
  }
  return EncodeBody(new_data, encoding, layout);
}

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
