#include "server/links/internal/mime_rewriter.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "server/links/internal/attached_message.h"
#include "server/links/internal/charset.h"
#include "server/links/internal/gmime_init.h"
#include "server/links/internal/html_link_rewriter.h"
#include "server/links/internal/splice.h"
#include "server/links/internal/text_link_finder.h"
#include "server/links/internal/transfer_encoding.h"

namespace lureguard::links::internal {
namespace {

// A leaf part to rewrite, as found in the tree.
struct TextPart {
  GMimeObject* object = nullptr;
  std::string path;  // "1", "1.2"
  bool html = false;
  TransferEncoding encoding = TransferEncoding::kIdentity;
  std::string charset;  // as written; "" when absent
  size_t body_start = 0;
  size_t body_end = 0;
  // In a message attached to this one: read for its links, never changed.
  bool in_attached_message = false;
};

std::optional<TransferEncoding> EncodingOf(GMimePart* part) {
  switch (g_mime_part_get_content_encoding(part)) {
    case GMIME_CONTENT_ENCODING_DEFAULT:
    case GMIME_CONTENT_ENCODING_7BIT:
    case GMIME_CONTENT_ENCODING_8BIT:
    case GMIME_CONTENT_ENCODING_BINARY:
      return TransferEncoding::kIdentity;
    case GMIME_CONTENT_ENCODING_BASE64:
      return TransferEncoding::kBase64;
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
      return TransferEncoding::kQuotedPrintable;
    default:
      return std::nullopt;  // uuencode: not worth a rewrite path
  }
}

// Collects the parts to rewrite under `object`, in document order.
// Iterative: a hostile message can nest multiparts deeply.
void CollectTextParts(GMimeObject* root, const RewriteOptions& options,
                      size_t message_size, std::vector<TextPart>* out) {
  struct Item {
    GMimeObject* object;
    std::string path;
    bool attached;  // inside a message/rfc822 part
  };
  std::vector<Item> stack = {{root, "", false}};
  while (!stack.empty()) {
    auto [object, path, attached] = std::move(stack.back());
    stack.pop_back();
    if (GMIME_IS_MULTIPART_SIGNED(object) ||
        GMIME_IS_MULTIPART_ENCRYPTED(object)) {
      continue;  // a changed byte would break the signature
    }
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      const int count = g_mime_multipart_get_count(multipart);
      for (int i = count; i > 0; --i) {
        std::string child =
            path.empty() ? std::to_string(i) : path + "." + std::to_string(i);
        stack.push_back({g_mime_multipart_get_part(multipart, i - 1),
                         std::move(child), attached});
      }
      continue;
    }
    // A forwarded message: its links are read, its bytes kept (IMAP
    // numbering, as the message verdict names parts: PATH.1, PATH.2).
    if (GMIME_IS_MESSAGE_PART(object)) {
      GMimeObject* inner_root = AttachedMessageRoot(object);
      if (inner_root == nullptr) continue;
      stack.push_back(
          {inner_root,
           AttachedMessagePath(inner_root, path.empty() ? "1" : path), true});
      continue;
    }
    if (!GMIME_IS_PART(object)) continue;
    GMimeContentType* type = g_mime_object_get_content_type(object);
    const bool html = g_mime_content_type_is_type(type, "text", "html");
    const bool text = g_mime_content_type_is_type(type, "text", "plain");
    if (!(html && options.rewrite_html) && !(text && options.rewrite_text)) {
      continue;
    }
    GMimeContentDisposition* disposition =
        g_mime_object_get_content_disposition(object);
    if (disposition != nullptr &&
        g_mime_content_disposition_is_attachment(disposition)) {
      continue;
    }
    GMimePart* part = GMIME_PART(object);
    std::optional<TransferEncoding> encoding = EncodingOf(part);
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!encoding.has_value() || content == nullptr) continue;
    GMimeStream* stream = g_mime_data_wrapper_get_stream(content);
    if (stream == nullptr) continue;
    const gint64 start = stream->bound_start;
    const gint64 end = stream->bound_end < 0 ? static_cast<gint64>(message_size)
                                             : stream->bound_end;
    if (start < 0 || end < start || end > static_cast<gint64>(message_size)) {
      continue;
    }
    const char* charset = g_mime_content_type_get_parameter(type, "charset");
    out->push_back({object, path.empty() ? "1" : path, html, *encoding,
                    charset != nullptr ? charset : "",
                    static_cast<size_t>(start), static_cast<size_t>(end),
                    attached});
  }
}

// Where header `wanted` of `part` has its value in `message`: the offset
// just after its colon and the raw value there (folding and line ending
// included). nullopt when the part has no such header; `misplaced` is set
// when it has one that is not where GMime says.
struct HeaderValue {
  size_t start = 0;
  std::string_view raw;
};
// The length of a raw header value without its line ending.
size_t WithoutLineEnding(std::string_view raw) {
  size_t end = raw.size();
  while (end > 0 && (raw[end - 1] == '\r' || raw[end - 1] == '\n')) --end;
  return end;
}

std::optional<HeaderValue> FindHeaderValue(std::string_view message,
                                           const TextPart& part,
                                           const char* wanted,
                                           bool* misplaced) {
  *misplaced = false;
  GMimeHeaderList* headers = g_mime_object_get_header_list(part.object);
  const int count = g_mime_header_list_get_count(headers);
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(header);
    if (name == nullptr || g_ascii_strcasecmp(name, wanted) != 0) continue;
    const char* raw = g_mime_header_get_raw_value(header);
    const gint64 offset = g_mime_header_get_offset(header);
    const std::string_view raw_value(raw == nullptr ? "" : raw);
    const size_t value_start =
        static_cast<size_t>(offset) + std::string_view(name).size() + 1;
    if (raw == nullptr || offset < 0 ||
        value_start + raw_value.size() > message.size() ||
        message.substr(value_start, raw_value.size()) != raw_value) {
      *misplaced = true;
      return std::nullopt;
    }
    return HeaderValue{value_start, raw_value};
  }
  return std::nullopt;
}

// The splice that makes `part`'s Content-Type say charset=utf-8, or
// nullopt when its header is not where GMime says (then the part is not
// rewritten).
std::optional<Splice> Utf8CharsetSplice(std::string_view message,
                                        const TextPart& part) {
  bool misplaced = false;
  if (std::optional<HeaderValue> header =
          FindHeaderValue(message, part, "Content-Type", &misplaced)) {
    const std::string_view raw_value = header->raw;
    const size_t value_start = header->start;
    // The charset parameter's value, quoted or not; else append one.
    std::string lower(raw_value);
    for (char& c : lower) c = g_ascii_tolower(c);
    size_t at = lower.find("charset");
    while (at != std::string::npos) {
      size_t p = at + 7;
      while (p < lower.size() && (lower[p] == ' ' || lower[p] == '\t')) ++p;
      const bool parameter_start =
          at > 0 && (lower[at - 1] == ';' || lower[at - 1] == ' ' ||
                     lower[at - 1] == '\t' || lower[at - 1] == '\n');
      if (p < lower.size() && lower[p] == '=' && parameter_start) {
        ++p;
        while (p < lower.size() && (lower[p] == ' ' || lower[p] == '\t')) ++p;
        if (p < lower.size() && lower[p] == '"') {
          const size_t close = lower.find('"', p + 1);
          if (close == std::string::npos) return std::nullopt;
          return Splice{value_start + p + 1, close - p - 1, "utf-8"};
        }
        size_t value_end = p;
        while (value_end < lower.size() && lower[value_end] != ';' &&
               lower[value_end] != ' ' && lower[value_end] != '\t' &&
               lower[value_end] != '\r' && lower[value_end] != '\n' &&
               lower[value_end] != '(') {
          ++value_end;
        }
        return Splice{value_start + p, value_end - p, "utf-8"};
      }
      at = lower.find("charset", at + 1);
    }
    return Splice{value_start + WithoutLineEnding(raw_value), 0,
                  "; charset=utf-8"};
  }
  return std::nullopt;
}

// The splice that makes `part` quoted-printable: its
// Content-Transfer-Encoding value replaced, or the header added at the end
// of its header section. nullopt when neither can be found in `message`.
std::optional<Splice> QuotedPrintableSplice(std::string_view message,
                                            const TextPart& part,
                                            std::string_view eol) {
  bool misplaced = false;
  if (std::optional<HeaderValue> header = FindHeaderValue(
          message, part, "Content-Transfer-Encoding", &misplaced)) {
    return Splice{header->start, WithoutLineEnding(header->raw),
                  " quoted-printable"};
  }
  if (misplaced) return std::nullopt;
  // No such header (7bit by default): add one before the blank line that
  // ends the headers.
  const size_t blank = part.body_start - std::min(part.body_start, eol.size());
  if (blank < eol.size() || message.substr(blank, eol.size()) != eol ||
      message[blank - 1] != '\n') {
    return std::nullopt;
  }
  return Splice{
      blank, 0,
      "Content-Transfer-Encoding: quoted-printable" + std::string(eol)};
}

// Whether a line of `text` is longer than RFC 5322's 998 octets.
bool HasOverlongLine(std::string_view text) {
  constexpr size_t kMaxLineOctets = 998;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    size_t length = end - start;
    if (length > 0 && end < text.size() && text[end - 1] == '\r') --length;
    if (length > kMaxLineOctets) return true;
    start = end + 1;
  }
  return false;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
}

// The line ending the message's header section uses.
std::string_view MessageEol(std::string_view message) {
  const size_t newline = message.find('\n');
  return newline != std::string_view::npos && newline > 0 &&
                 message[newline - 1] == '\r'
             ? "\r\n"
             : "\n";
}

// Rewrites one part; appends the splices that change it, if any.
void RewritePart(std::string_view message, const TextPart& part,
                 LinkSession& session, std::vector<Splice>* splices) {
  const std::string_view body =
      message.substr(part.body_start, part.body_end - part.body_start);
  const std::string decoded = DecodeBody(body, part.encoding);
  const std::string charset = part.charset.empty() ? "us-ascii" : part.charset;

  // UTF-8 text is rewritten as it is. Text in a charset that converts to
  // UTF-8 and back without loss is rewritten as UTF-8; bytes invalid in
  // the charset ride along escaped (charset.h), so one of them neither
  // hides the part's other non-ASCII links nor changes how a second pass
  // reads the part. Anything else (US-ASCII, unknown charsets, stateful
  // ones an invalid byte desynchronises) is rewritten as the bytes it
  // is, which keeps every byte: links and HTML syntax are ASCII.
  const bool utf8_charset = IsUtf8Charset(charset);
  std::optional<std::string> utf8;
  if (!utf8_charset && !IsUsAsciiCharset(charset)) {
    if (std::optional<std::string> converted = ToUtf8(decoded, charset);
        converted.has_value() && FromUtf8(*converted, charset) == decoded) {
      utf8 = std::move(converted);
    }
  }
  const bool as_bytes = !utf8.has_value();
  const std::string& input = as_bytes ? decoded : *utf8;
  // Where a new URL does not fit the charset, the part switches to UTF-8
  // by its charset parameter; without a Content-Type to edit, new URLs
  // are written in ASCII instead.
  const std::optional<Splice> charset_splice =
      utf8_charset ? std::nullopt : Utf8CharsetSplice(message, part);
  session.set_ascii_only(!utf8_charset && !charset_splice.has_value());
  const std::string rewritten =
      part.html ? RewriteHtmlLinks(input, part.path, session)
                : RewriteTextLinks(input, part.path, session);
  session.set_ascii_only(false);
  if (rewritten == input) return;

  std::optional<std::string> recoded;
  bool switch_to_utf8 = false;
  if (utf8_charset) {
    recoded = rewritten;
  } else if (as_bytes) {
    // New non-ASCII bytes would be read in the wrong charset.
    switch_to_utf8 = !IsAscii(rewritten) && IsAscii(decoded);
    recoded = rewritten;
  } else {
    recoded = FromUtf8(rewritten, charset);
    if (!recoded.has_value()) {
      switch_to_utf8 = true;
      recoded = rewritten;
    }
  }
  // Header splices go in first; RewriteMimeMessage sorts them all.
  if (switch_to_utf8) {
    if (!charset_splice.has_value()) return;  // a charset without ASCII
    splices->push_back(*charset_splice);
  }
  const std::string_view eol = MessageEol(message);
  BodyLayout layout = DetectLayout(body, eol);
  TransferEncoding encoding = part.encoding;
  // RFC 5322 allows 998 octets a line; a 7bit or 8bit line that longer
  // click URLs push past it would be folded or refused by the next MTA,
  // breaking a URL: such a part is sent quoted-printable instead.
  if (encoding == TransferEncoding::kIdentity && HasOverlongLine(*recoded) &&
      !HasOverlongLine(decoded)) {
    std::optional<Splice> quoted = QuotedPrintableSplice(message, part, eol);
    if (quoted.has_value()) {
      splices->push_back(*std::move(quoted));
      encoding = TransferEncoding::kQuotedPrintable;
      layout.line_length = 76;
    }
  }
  splices->push_back(
      {part.body_start, body.size(),
       encoding == part.encoding
           ? ReencodeBody(body, decoded, *recoded, part.encoding, layout)
           : EncodeBody(*recoded, encoding, layout)});
  session.CountPartRewritten();
}

}  // namespace

absl::StatusOr<std::string> RewriteMimeMessage(std::string_view message,
                                               const RewriteOptions& options,
                                               LinkSession& session) {
  EnsureGMimeInitialized();
  GPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(message.data(), message.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  // Parts keep views of the stream instead of copies, which is what gives
  // each body's byte range in `message`.
  g_mime_parser_set_persist_stream(parser.get(), TRUE);
  GPtr<GMimeMessage> parsed(
      g_mime_parser_construct_message(parser.get(), nullptr));
  if (parsed == nullptr) {
    return absl::InvalidArgumentError(
        "message: not an RFC 5322 message (no header section GMime can "
        "parse)");
  }
  GMimeObject* root = g_mime_message_get_mime_part(parsed.get());
  if (root == nullptr) return std::string(message);

  std::vector<TextPart> parts;
  CollectTextParts(root, options, message.size(), &parts);
  std::vector<Splice> splices;
  size_t covered = 0;  // end of the last rewritten byte range
  for (const TextPart& part : parts) {
    if (part.body_start < covered) continue;  // GMime never overlaps; guard
    // A forwarded message's links are offered to be judged; the session
    // returns no replacement for them, so its part keeps every byte.
    session.set_in_attached_message(part.in_attached_message);
    const size_t before = splices.size();
    RewritePart(message, part, session, &splices);
    if (splices.size() > before) covered = part.body_end;
  }
  if (splices.empty()) return std::string(message);
  std::sort(
      splices.begin(), splices.end(),
      [](const Splice& a, const Splice& b) { return a.offset < b.offset; });
  return ApplySplices(message, splices);
}

}  // namespace lureguard::links::internal
