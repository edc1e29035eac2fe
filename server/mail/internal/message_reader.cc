#include "server/mail/internal/message_reader.h"

#include <gmime/gmime.h>

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/links/internal/attached_message.h"
#include "server/links/internal/charset.h"
#include "server/links/internal/gmime_init.h"

namespace lureguard::mail::internal {
namespace {

using links::internal::GPtr;

struct GFree {
  void operator()(char* p) const { g_free(p); }
};

std::string Lower(absl::string_view text) {
  std::string out(text);
  absl::AsciiStrToLower(&out);
  return out;
}

void AppendMailboxes(InternetAddressList* list, std::vector<Mailbox>* out,
                     int depth = 0) {
  if (list == nullptr || depth > 4) return;
  const int count = internet_address_list_length(list);
  for (int i = 0; i < count && out->size() < 1000; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(address)) {
      AppendMailboxes(
          internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)),
          out, depth + 1);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    Mailbox& mailbox = out->emplace_back();
    const char* name = internet_address_get_name(address);
    if (name != nullptr) mailbox.display_name = name;
    const char* addr =
        internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
    if (addr != nullptr) mailbox.address = addr;
    const size_t at = mailbox.address.rfind('@');
    if (at != std::string::npos) {
      std::string domain = Lower(mailbox.address.substr(at + 1));
      while (!domain.empty() && domain.back() == '.') domain.pop_back();
      // "[192.0.2.1]" literals and garbage are not domains to match.
      if (!domain.empty() && domain.front() != '[') {
        mailbox.domain = std::move(domain);
      }
    }
  }
}

std::string Unfold(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\r' || c == '\n') continue;
    out.push_back(c == '\t' ? ' ' : c);
  }
  return out;
}

bool IsZip(absl::string_view type, absl::string_view filename) {
  return type == "application/zip" || type == "application/x-zip" ||
         type == "application/x-zip-compressed" ||
         absl::EndsWithIgnoreCase(filename, ".zip");
}

bool IsMarkupType(absl::string_view type) {
  return type == "text/html" || type == "application/xhtml+xml" ||
         type == "image/svg+xml";
}

// Types under which senders ship files of any kind; their content decides.
bool IsGenericType(absl::string_view type) {
  return type == "application/octet-stream" ||
         type == "application/x-unknown" || type == "application/unknown" ||
         type == "application/binary" || type == "application/download" ||
         type == "application/force-download";
}

// The encoded body's bounds in the original, or false.
bool BodyBounds(GMimePart* part, size_t message_size, size_t* start,
                size_t* end) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return false;
  GMimeStream* stream = g_mime_data_wrapper_get_stream(content);
  if (stream == nullptr || stream->bound_start < 0) return false;
  const gint64 bound_end = stream->bound_end < 0
                               ? static_cast<gint64>(message_size)
                               : stream->bound_end;
  if (bound_end < stream->bound_start ||
      bound_end > static_cast<gint64>(message_size)) {
    return false;
  }
  *start = static_cast<size_t>(stream->bound_start);
  *end = static_cast<size_t>(bound_end);
  return true;
}

std::string Decode(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return "";
  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, out.get());
  GByteArray* bytes =
      g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  if (bytes == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

class Walker {
 public:
  Walker(absl::string_view message, const ReadLimits& limits, ReadMessage& out)
      : message_(message), limits_(limits), out_(out) {}

  // Iterative: a hostile message can nest multiparts deeply.
  void Walk(GMimeObject* root) {
    struct Item {
      GMimeObject* object;
      std::string path;
      bool attached;
    };
    std::vector<Item> stack = {{root, "", false}};
    while (!stack.empty()) {
      Item item = std::move(stack.back());
      stack.pop_back();
      GMimeObject* object = item.object;
      if (GMIME_IS_MULTIPART_ENCRYPTED(object)) {
        Note(absl::StrCat("part ", Path(item.path), ": encrypted, not read"));
        continue;
      }
      if (GMIME_IS_MULTIPART(object)) {
        GMimeMultipart* multipart = GMIME_MULTIPART(object);
        const int count = g_mime_multipart_get_count(multipart);
        for (int i = count; i > 0; --i) {
          stack.push_back({g_mime_multipart_get_part(multipart, i - 1),
                           Child(item.path, i), item.attached});
        }
        continue;
      }
      if (GMIME_IS_MESSAGE_PART(object)) {
        GMimeObject* inner_root = links::internal::AttachedMessageRoot(object);
        if (inner_root == nullptr) continue;
        stack.push_back(
            {inner_root,
             links::internal::AttachedMessagePath(inner_root, Path(item.path)),
             true});
        continue;
      }
      if (!GMIME_IS_PART(object)) continue;
      if (static_cast<int>(out_.parts.size()) >= limits_.max_parts) {
        Note(absl::StrCat("parts after the first ", limits_.max_parts,
                          " (max_parts) were not read"));
        return;
      }
      AddPart(GMIME_PART(object), Path(item.path), item.attached);
    }
  }

 private:
  static std::string Child(const std::string& path, int i) {
    return path.empty() ? std::to_string(i) : absl::StrCat(path, ".", i);
  }
  static std::string Path(const std::string& path) {
    return path.empty() ? "1" : path;
  }
  void Note(std::string note) {
    if (out_.notes.size() < 100) out_.notes.push_back(std::move(note));
  }

  void AddPart(GMimePart* gpart, std::string path, bool attached) {
    GMimeObject* object = GMIME_OBJECT(gpart);
    MessagePart& part = out_.parts.emplace_back();
    part.path = std::move(path);
    part.in_attached_message = attached;
    GMimeContentType* type = g_mime_object_get_content_type(object);
    if (type != nullptr) {
      std::unique_ptr<char, GFree> mime(
          g_mime_content_type_get_mime_type(type));
      if (mime != nullptr) part.content_type = Lower(mime.get());
    }
    if (type != nullptr) {
      const char* charset = g_mime_content_type_get_parameter(type, "charset");
      if (charset != nullptr) part.charset = Lower(charset);
    }
    const char* filename = g_mime_part_get_filename(gpart);
    if (filename != nullptr) part.filename = filename;
    GMimeContentDisposition* disposition =
        g_mime_object_get_content_disposition(object);
    part.attachment = !part.filename.empty() ||
                      (disposition != nullptr &&
                       g_mime_content_disposition_is_attachment(disposition));

    size_t body_start = 0, body_end = 0;
    const bool bounded =
        BodyBounds(gpart, message_.size(), &body_start, &body_end);
    const size_t encoded = bounded ? body_end - body_start : 0;
    const GMimeContentEncoding encoding =
        g_mime_part_get_content_encoding(gpart);
    part.size =
        encoding == GMIME_CONTENT_ENCODING_BASE64 ? encoded / 4 * 3 : encoded;
    if (bounded) {
      GMimeHeaderList* headers = g_mime_object_get_header_list(object);
      if (headers != nullptr && g_mime_header_list_get_count(headers) > 0) {
        const gint64 offset = g_mime_header_get_offset(
            g_mime_header_list_get_header_at(headers, 0));
        if (offset >= 0 && static_cast<size_t>(offset) <= body_start) {
          part.part_start = static_cast<size_t>(offset);
          part.part_end = body_end;
        }
      }
    }

    if (IsZip(part.content_type, part.filename)) {
      part.kind = PartKind::kZip;
    } else if (IsMarkupType(part.content_type) ||
               IsMarkupFileName(part.filename)) {
      part.kind = PartKind::kMarkup;
    } else if (!(part.attachment && IsGenericType(part.content_type))) {
      return;  // nothing of it is read
    }
    // Base64 takes 4 bytes per 3, quoted-printable up to 3 per 1; both
    // are over the limit decoded when the encoded form is 4x as long.
    if (encoded > 4 * limits_.max_part_bytes) {
      Skip(part, encoded);
      return;
    }
    part.data = Decode(gpart);
    part.size = part.data.size();
    if (part.data.size() > limits_.max_part_bytes) {
      part.data.clear();
      Skip(part, part.size);
      return;
    }
    if (part.kind == PartKind::kOther) {
      // A generic attachment: its bytes say whether it is a page.
      if (LooksLikeMarkup(MarkupAsUtf8(part.data, part.charset))) {
        part.kind = PartKind::kMarkup;
      } else {
        part.data.clear();
      }
    }
  }

  void Skip(MessagePart& part, size_t size) {
    if (part.kind == PartKind::kOther) return;  // would not be read anyway
    part.skipped = absl::StrCat("over max_part_bytes (", size, " > ",
                                limits_.max_part_bytes, " bytes)");
    Note(absl::StrCat("part ", part.path, ": ", part.skipped));
  }

  absl::string_view message_;
  const ReadLimits& limits_;
  ReadMessage& out_;
};

}  // namespace

namespace {

bool ContainsIgnoreCase(absl::string_view haystack, absl::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (absl::EqualsIgnoreCase(haystack.substr(i, needle.size()), needle)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsMarkupFileName(absl::string_view name) {
  for (absl::string_view ext : {".htm", ".html", ".shtml", ".xhtml", ".svg"}) {
    if (absl::EndsWithIgnoreCase(name, ext)) return true;
  }
  return false;
}

bool LooksLikeMarkup(absl::string_view data) {
  if (absl::StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
  data = absl::StripLeadingAsciiWhitespace(data);
  data = data.substr(0, 1024);
  if (absl::StartsWithIgnoreCase(data, "<?xml")) {
    return ContainsIgnoreCase(data, "<svg") ||
           ContainsIgnoreCase(data, "<html");
  }
  for (absl::string_view start :
       {"<!doctype html", "<html", "<svg", "<head", "<body", "<script", "<form",
        "<meta", "<iframe", "<!--"}) {
    if (absl::StartsWithIgnoreCase(data, start)) {
      // A leading comment alone proves little; a tag after it does.
      return start != "<!--" || ContainsIgnoreCase(data, "<html") ||
             ContainsIgnoreCase(data, "<script") ||
             ContainsIgnoreCase(data, "<form");
    }
  }
  return false;
}

std::string MarkupAsUtf8(std::string data, absl::string_view charset) {
  absl::string_view from;
  if (absl::StartsWith(data, absl::string_view("\xFF\xFE\x00\x00", 4))) {
    from = "UTF-32LE";
  } else if (absl::StartsWith(data, absl::string_view("\x00\x00\xFE\xFF", 4))) {
    from = "UTF-32BE";
  } else if (absl::StartsWith(data, "\xFF\xFE")) {
    from = "UTF-16LE";
  } else if (absl::StartsWith(data, "\xFE\xFF")) {
    from = "UTF-16BE";
  } else if (absl::StartsWithIgnoreCase(charset, "utf-16") ||
             absl::StartsWithIgnoreCase(charset, "utf-32")) {
    from = charset;
  } else {
    return data;
  }
  std::optional<std::string> utf8 =
      links::internal::ToUtf8(std::string_view(data.data(), data.size()),
                              std::string_view(from.data(), from.size()));
  return utf8.has_value() ? *std::move(utf8) : data;
}

ReadMessage ReadMailMessage(absl::string_view message,
                            const ReadLimits& limits) {
  links::internal::EnsureGMimeInitialized();
  ReadMessage out;
  GPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(message.data(), message.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  // Parts keep views of the stream instead of copies: that gives each
  // body's byte range in `message`.
  g_mime_parser_set_persist_stream(parser.get(), TRUE);
  GPtr<GMimeMessage> parsed(
      g_mime_parser_construct_message(parser.get(), nullptr));
  if (parsed == nullptr) {
    out.notes.push_back(
        "MIME: not an RFC 5322 message (no header section GMime can parse)");
    return out;
  }
  out.parsed = true;
  GMimeMessage* msg = parsed.get();
  AppendMailboxes(g_mime_message_get_from(msg), &out.from);
  AppendMailboxes(g_mime_message_get_sender(msg), &out.sender);
  AppendMailboxes(g_mime_message_get_reply_to(msg), &out.reply_to);
  AppendMailboxes(g_mime_message_get_to(msg), &out.recipients);
  AppendMailboxes(g_mime_message_get_cc(msg), &out.recipients);
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
  const int count =
      headers != nullptr ? g_mime_header_list_get_count(headers) : 0;
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(header);
    if (name == nullptr ||
        g_ascii_strcasecmp(name, "Authentication-Results") != 0) {
      continue;
    }
    const char* raw = g_mime_header_get_raw_value(header);
    if (raw != nullptr && out.authentication_results.size() < 50) {
      out.authentication_results.push_back(Unfold(raw));
    }
  }
  GMimeObject* root = g_mime_message_get_mime_part(msg);
  if (root != nullptr) Walker(message, limits, out).Walk(root);
  return out;
}

}  // namespace lureguard::mail::internal
