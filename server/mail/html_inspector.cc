// The HTML inspector: one gumbo parse per layer, an iterative walk of the
// tree (hostile nesting cannot exhaust the stack), scripts read by the
// single-pass scanner of internal/script_decoder, and decoded blobs fed
// back in as new layers until the options' limits say stop.

#include "server/mail/html_inspector.h"

#include <gumbo.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "server/common/html_nesting.h"
#include "server/mail/internal/ascii_view.h"
#include "server/mail/internal/markup_slimmer.h"
#include "server/mail/internal/script_decoder.h"

namespace lureguard::mail {
namespace {

using internal::Contains;
using internal::DecodeDataUri;
using internal::DecodePercent;
using internal::EqualsIgnoreCase;
using internal::ScanScript;
using internal::ScriptScan;
using internal::ScriptScanLimits;
using internal::StartsWithIgnoreCase;
using internal::StripLeadingWhitespace;
using internal::StripWhitespace;
using internal::ToLower;

// Recursion guard whatever the options say: each layer costs two stack
// frames of the inspector and a gumbo parse.
constexpr int kMaxDepthCap = 32;

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

// A URL attribute or argument as a browser reads it: surrounding blanks
// and embedded tabs and newlines dropped.
std::string CleanUrl(std::string_view url) {
  url = StripWhitespace(url);
  std::string out;
  out.reserve(url.size());
  for (char c : url) {
    if (c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

bool HasScheme(std::string_view url) {
  if (url.empty() || !absl::ascii_isalpha(url[0])) return false;
  for (size_t i = 1; i < url.size(); ++i) {
    const char c = url[i];
    if (c == ':') return true;
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return false;
}

bool IsHttpUrl(std::string_view url) {
  return StartsWithIgnoreCase(url, "http://") ||
         StartsWithIgnoreCase(url, "https://");
}

// RFC 3986 section 5.2.4, on the path of a resolved reference.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  const bool absolute = path.starts_with("/");
  if (absolute) i = 1;
  bool trailing = false;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    const std::string_view seg = path.substr(i, j - i);
    trailing = false;
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      trailing = true;
    } else if (seg == ".") {
      trailing = true;
    } else {
      out.push_back(seg);
    }
    i = j + 1;
  }
  std::string result = absolute ? "/" : "";
  for (size_t k = 0; k < out.size(); ++k) {
    if (k > 0) result += '/';
    result += out[k];
  }
  if (trailing && !result.ends_with("/")) result += '/';
  return result;
}

// `ref` resolved against the absolute http(s) `base`; `ref` as written
// when there is no base or it has a scheme of its own.
std::string ResolveAgainstBase(std::string_view ref, std::string_view base) {
  if (base.empty() || ref.empty() || HasScheme(ref)) return std::string(ref);
  const size_t scheme_end = base.find("://");
  if (scheme_end == std::string_view::npos) return std::string(ref);
  const size_t authority_end =
      std::min(base.find_first_of("/?#", scheme_end + 3), base.size());
  const std::string_view scheme = base.substr(0, scheme_end + 1);  // "https:"
  const std::string_view origin = base.substr(0, authority_end);
  if (ref.starts_with("//")) return std::string(scheme) + std::string(ref);
  if (ref.starts_with("/")) {
    const size_t q = std::min(ref.find_first_of("?#"), ref.size());
    return std::string(origin) + RemoveDotSegments(ref.substr(0, q)) +
           std::string(ref.substr(q));
  }
  const size_t base_query =
      std::min(base.find_first_of("?#", authority_end), base.size());
  const size_t base_fragment =
      std::min(base.find('#', authority_end), base.size());
  if (ref.starts_with("#")) {
    return std::string(base.substr(0, base_fragment)) + std::string(ref);
  }
  if (ref.starts_with("?")) {
    return std::string(base.substr(0, base_query)) + std::string(ref);
  }
  std::string_view base_path =
      base.substr(authority_end, base_query - authority_end);
  const size_t slash = base_path.rfind('/');
  base_path = slash == std::string_view::npos ? std::string_view("/")
                                              : base_path.substr(0, slash + 1);
  const size_t q = std::min(ref.find_first_of("?#"), ref.size());
  return std::string(origin) +
         RemoveDotSegments(std::string(base_path) +
                           std::string(ref.substr(0, q))) +
         std::string(ref.substr(q));
}

// Markup worth a parse: a '<' that opens a tag, a comment or an end tag.
bool HasTag(std::string_view text) {
  for (size_t i = text.find('<'); i != std::string_view::npos;
       i = text.find('<', i + 1)) {
    if (i + 1 < text.size() && (absl::ascii_isalpha(text[i + 1]) ||
                                text[i + 1] == '!' || text[i + 1] == '/')) {
      return true;
    }
  }
  return false;
}

// Text that is markup from its first byte on: read as markup only, since
// reading it as script too would report its attributes as literals.
bool StartsWithTag(std::string_view text) {
  text = StripLeadingWhitespace(text);
  return text.size() >= 2 && text[0] == '<' &&
         (absl::ascii_isalpha(text[1]) || text[1] == '!');
}

// A plain script literal whose markup is worth a parse: elements that
// collect, send or load. Template snippets such as "<div>" + v + "</div>"
// in chart scripts stay out, so they cost nothing.
bool HasInterestingTag(std::string_view text) {
  static constexpr std::string_view kTags[] = {
      "form",   "input", "meta", "iframe", "frame", "object", "embed",
      "script", "html",  "body", "base",   "svg",   "title"};
  for (size_t i = text.find('<'); i != std::string_view::npos;
       i = text.find('<', i + 1)) {
    const std::string_view rest = text.substr(i + 1);
    for (std::string_view tag : kTags) {
      if (StartsWithIgnoreCase(rest, tag) &&
          (rest.size() == tag.size() ||
           !absl::ascii_isalnum(rest[tag.size()]))) {
        return true;
      }
    }
  }
  return false;
}

bool LooksLikeMarkupOrUrl(std::string_view text) {
  return HasTag(text) || Contains(text, "://") ||
         StartsWithIgnoreCase(StripLeadingWhitespace(text), "javascript:") ||
         StartsWithIgnoreCase(StripLeadingWhitespace(text), "data:");
}

bool IsEmailLocalChar(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}
bool IsEmailDomainChar(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '.' || c == '-';
}

// Calls `found` with each e-mail address in `text`, lowercased. Linear:
// an '@' cannot be part of the local part or domain of another match.
void ForEachEmail(std::string_view text,
                  const std::function<void(std::string)>& found) {
  for (size_t at = text.find('@'); at != std::string_view::npos;
       at = text.find('@', at + 1)) {
    size_t b = at;
    while (b > 0 && at - b < 64 && IsEmailLocalChar(text[b - 1])) --b;
    while (b < at && text[b] == '.') ++b;
    size_t e = at + 1;
    while (e < text.size() && e - at < 254 && IsEmailDomainChar(text[e])) ++e;
    while (e > at + 1 && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
    if (b == at || e == at + 1) continue;
    const std::string_view domain = text.substr(at + 1, e - at - 1);
    const size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0) continue;
    const std::string_view tld = domain.substr(dot + 1);
    if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), [](char c) {
          return absl::ascii_isalpha(c);
        })) {
      continue;
    }
    found(ToLower(text.substr(b, e - b)));
  }
}

// Calls `found` with each absolute http(s) URL in `text`.
void ForEachHttpUrl(std::string_view text,
                    const std::function<void(std::string_view)>& found) {
  for (size_t c = text.find("://"); c != std::string_view::npos;
       c = text.find("://", c + 3)) {
    size_t b;
    if (c >= 5 && EqualsIgnoreCase(text.substr(c - 5, 5), "https")) {
      b = c - 5;
    } else if (c >= 4 && EqualsIgnoreCase(text.substr(c - 4, 4), "http")) {
      b = c - 4;
    } else {
      continue;
    }
    if (b > 0 && absl::ascii_isalpha(text[b - 1])) continue;
    size_t e = c + 3;
    while (e < text.size()) {
      const unsigned char ch = text[e];
      if (ch <= ' ' || ch == '"' || ch == '\'' || ch == '`' || ch == '<' ||
          ch == '>' || ch == '\\') {
        break;
      }
      ++e;
    }
    if (e > c + 3) found(text.substr(b, e - b));
    c = e > c + 3 ? e - 3 : c;
  }
}

// ASCII and Cyrillic capitals to lowercase, so "Пароль" reads as
// "пароль"; other bytes as they are.
std::string FoldCase(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    const unsigned char c = out[i];
    if (c < 0x80) {
      out[i] = absl::ascii_tolower(c);
    } else if (c == 0xD0 && i + 1 < out.size()) {
      const unsigned char d = out[i + 1];
      if (d >= 0x90 && d <= 0x9F) {  // А..П -> а..п
        out[i + 1] = static_cast<char>(d + 0x20);
      } else if (d >= 0xA0 && d <= 0xAF) {  // Р..Я -> р..я
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(d - 0x20);
      }
      ++i;
    }
  }
  return out;
}

bool IsAsciiLetterAt(std::string_view s, size_t i) {
  return i < s.size() && absl::ascii_isalpha(s[i]);
}

// Whether an occurrence of "pass" at `p` in folded `s` names a password:
// "pass", "passwd", "password", "passcode", "passphrase", "passwort",
// "user_pass", "txtPass1", "mot de passe", but not "passport",
// "passenger", "bypass" or "compass".
bool PassMeansPassword(std::string_view s, size_t p) {
  static constexpr std::string_view kNotPassword[] = {
      "bypass", "compass", "surpass", "trespass", "impass"};
  for (std::string_view word : kNotPassword) {
    const size_t start = p + 4;
    if (start >= word.size() &&
        s.substr(start - word.size(), word.size()) == word) {
      return false;
    }
  }
  const std::string_view rest = s.substr(p + 4);
  if (!IsAsciiLetterAt(rest, 0) &&
      (rest.empty() || static_cast<unsigned char>(rest[0]) < 0x80)) {
    return true;
  }
  for (std::string_view suffix : {"word", "wd", "code", "phrase", "wort"}) {
    if (rest.starts_with(suffix)) return true;
  }
  return rest[0] == 'e' && !IsAsciiLetterAt(rest, 1);  // "passe"
}

// Whether a field's name, id, placeholder or label says password, in
// English or in the languages of the kits seen in the wild.
bool SaysPassword(std::string_view value) {
  const std::string s = FoldCase(value);
  if (Contains(s, "pwd")) return true;
  for (size_t p = s.find("pass"); p != std::string::npos;
       p = s.find("pass", p + 1)) {
    if (PassMeansPassword(s, p)) return true;
  }
  static constexpr std::string_view kWords[] = {
      "contraseña", "contrasena", "contrasenya", "пароль",      "密码",
      "密碼",       "パスワード", "wachtwoord",  "hasło",       "haslo",
      "parola",     "lösenord",   "losenord",    "adgangskode", "kennwort",
      "salasana",   "heslo",      "jelszó",      "jelszo",      "şifre",
      "비밀번호"};
  for (std::string_view word : kWords) {
    if (Contains(s, word)) return true;
  }
  // "senha" (Portuguese), not "resenha" (a review).
  for (size_t p = s.find("senha"); p != std::string::npos;
       p = s.find("senha", p + 1)) {
    if (p < 2 || s.substr(p - 2, 2) != "re") return true;
  }
  return false;
}

std::string_view Attribute(const GumboElement& element, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&element.attributes, name);
  return a == nullptr ? std::string_view() : std::string_view(a->value);
}

// Input types that never collect a typed secret or an identity.
bool IsNonTextInputType(std::string_view type) {
  static constexpr std::string_view kTypes[] = {
      "hidden", "submit", "button", "checkbox", "radio", "reset",
      "image",  "file",   "color",  "range",    "date",  "datetime-local",
      "month",  "week",   "time",   "search"};
  for (std::string_view t : kTypes) {
    if (EqualsIgnoreCase(type, t)) return true;
  }
  return false;
}

// What gave a password field away, or "" when the input is not one.
std::string PasswordEvidence(const GumboElement& input) {
  const std::string type = ToLower(Attribute(input, "type"));
  std::string_view name = Attribute(input, "name");
  std::string_view id = Attribute(input, "id");
  auto shorten = [](std::string_view v) { return v.substr(0, 64); };
  if (type == "password") {
    std::string e = "input type=password";
    if (!name.empty()) {
      e += " name=" + std::string(shorten(name));
    } else if (!id.empty()) {
      e += " id=" + std::string(shorten(id));
    }
    return e;
  }
  if (IsNonTextInputType(type)) return "";
  const std::string autocomplete = ToLower(Attribute(input, "autocomplete"));
  if (Contains(autocomplete, "current-password") ||
      Contains(autocomplete, "new-password")) {
    return "input autocomplete=" + std::string(shorten(autocomplete));
  }
  for (const char* attr : {"name", "id", "placeholder", "aria-label"}) {
    const std::string_view v = Attribute(input, attr);
    if (!v.empty() && SaysPassword(v)) {
      return "input " + std::string(attr) + "=" + std::string(shorten(v));
    }
  }
  return "";
}

bool IsIdentityInput(const GumboElement& input) {
  const std::string type = ToLower(Attribute(input, "type"));
  if (type == "email") return true;
  if (IsNonTextInputType(type) || type == "password") return false;
  const std::string autocomplete = ToLower(Attribute(input, "autocomplete"));
  if (autocomplete == "username" || autocomplete == "email") return true;
  for (const char* attr : {"name", "id"}) {
    const std::string v = ToLower(Attribute(input, attr));
    for (std::string_view word : {"mail", "user", "login"}) {
      if (Contains(v, word)) return true;
    }
  }
  return false;
}

// The URL of a meta refresh's content ("0; url='https://...'"), or "".
std::string RefreshUrl(std::string_view content) {
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < content.size() && absl::ascii_isspace(content[i])) ++i;
  };
  skip_blanks();
  while (i < content.size() &&
         (absl::ascii_isdigit(content[i]) || content[i] == '.')) {
    ++i;
  }
  skip_blanks();
  if (i < content.size() && (content[i] == ';' || content[i] == ',')) ++i;
  skip_blanks();
  if (StartsWithIgnoreCase(content.substr(i), "url")) {
    size_t j = i + 3;
    while (j < content.size() && absl::ascii_isspace(content[j])) ++j;
    if (j < content.size() && content[j] == '=') {
      i = j + 1;
      skip_blanks();
    }
  }
  std::string_view rest = content.substr(i);
  if (!rest.empty() && (rest[0] == '\'' || rest[0] == '"')) {
    const size_t close = rest.find(rest[0], 1);
    rest =
        rest.substr(1, close == std::string_view::npos ? std::string_view::npos
                                                       : close - 1);
  }
  return CleanUrl(rest);
}

// Whether a <script type=...> is run as JavaScript.
bool IsJavaScriptType(std::string_view type) {
  type = StripWhitespace(type);
  if (type.empty() || EqualsIgnoreCase(type, "module")) return true;
  const size_t semi = type.find(';');
  const std::string t = ToLower(type.substr(0, semi));
  return t == "text/javascript" || t == "application/javascript" ||
         t == "text/ecmascript" || t == "application/ecmascript" ||
         t == "application/x-javascript" || t == "text/jscript";
}

// Whitespace runs as one space, appended to `out` up to `cap` bytes (cut
// on a UTF-8 boundary).
void AppendCollapsed(std::string_view text, size_t cap, std::string& out) {
  for (char c : text) {
    if (out.size() >= cap) break;
    if (absl::ascii_isspace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (out.size() >= cap) {
    size_t n = std::min(out.size(), cap);
    // Do not leave half a UTF-8 sequence at the end.
    size_t k = n;
    while (k > 0 && (static_cast<unsigned char>(out[k - 1]) & 0xC0) == 0x80) {
      --k;
    }
    if (k > 0 && static_cast<unsigned char>(out[k - 1]) >= 0xC0) {
      const unsigned char lead = out[k - 1];
      const size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
      if (n - (k - 1) < len) n = k - 1;
    }
    out.resize(n);
  }
}

// The text of an element's text and CDATA children (a <script> or a
// <title>).
std::string ChildText(const GumboNode* node) {
  std::string text;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const GumboNode* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
        child->type == GUMBO_NODE_WHITESPACE) {
      text += child->v.text.text;
    }
  }
  return text;
}

bool IsScriptElement(const GumboNode* node) {
  const GumboElement& e = node->v.element;
  if (e.tag == GUMBO_TAG_SCRIPT) return true;
  if (e.tag != GUMBO_TAG_UNKNOWN) return false;
  // Foreign content (SVG) keeps the name only in the source.
  GumboStringPiece name = e.original_tag;
  gumbo_tag_from_original_text(&name);
  return EqualsIgnoreCase(std::string_view(name.data, name.length), "script");
}

// What one markup layer gathered before its sinks are resolved against
// the layer's <base href>.
struct Layer {
  int depth = 0;
  std::string base;  // an absolute http(s) URL, or "" (keep as written)
  bool base_from_this_layer = false;
};

// One InspectHtml call: the options, the budgets left, and the findings
// gathered per layer depth so they come out layer 0 first.
class Inspector {
 public:
  explicit Inspector(const HtmlInspectOptions& options)
      : options_(options),
        max_depth_(std::clamp(options.max_decode_depth, 0, kMaxDepthCap)),
        bytes_left_(options.max_decoded_bytes),
        layers_left_(options.max_items * 4) {}

  void Markup(std::string_view html, int depth, const std::string& base);
  HtmlFindings Finish();

 private:
  void Script(std::string_view script, int depth, const std::string& base);
  // A decoded blob, data: payload or written markup as a new layer.
  void Decoded(std::string_view text, int depth, std::string_view decoder,
               const std::string& base);
  void Element(const GumboNode* node, Layer& layer);
  void Attributes(const GumboElement& element, Layer& layer);
  void AddSink(SinkKind kind, std::string_view written, std::string method,
               int depth, const std::string& base);
  void AddAddress(std::string address);
  void AddScriptUrl(std::string_view url);
  void AddText(std::string_view text, int depth);
  std::vector<HtmlSink>& SinksAt(int depth) {
    if (sinks_.size() <= static_cast<size_t>(depth)) sinks_.resize(depth + 1);
    return sinks_[depth];
  }

  const HtmlInspectOptions& options_;
  const int max_depth_;
  size_t bytes_left_;
  size_t layers_left_;
  absl::flat_hash_set<size_t> seen_layers_;
  absl::flat_hash_set<std::string> seen_addresses_;
  absl::flat_hash_set<std::string> seen_urls_;
  std::vector<std::vector<HtmlSink>> sinks_;  // per depth
  std::vector<std::string> texts_;            // per depth
  HtmlFindings f_;
};

void Inspector::AddAddress(std::string address) {
  if (seen_addresses_.contains(address)) return;
  if (f_.addresses.size() >= options_.max_items) {
    f_.truncated = true;
    return;
  }
  seen_addresses_.insert(address);
  f_.addresses.push_back(std::move(address));
}

void Inspector::AddScriptUrl(std::string_view url) {
  if (seen_urls_.contains(std::string(url))) return;
  if (f_.script_urls.size() >= options_.max_items) {
    f_.truncated = true;
    return;
  }
  seen_urls_.insert(std::string(url));
  f_.script_urls.emplace_back(url);
}

void Inspector::AddText(std::string_view text, int depth) {
  if (texts_.size() <= static_cast<size_t>(depth)) texts_.resize(depth + 1);
  std::string& out = texts_[depth];
  if (out.size() >= options_.max_text_bytes) return;
  if (!out.empty() && out.back() != ' ') out.push_back(' ');
  AppendCollapsed(text, options_.max_text_bytes, out);
}

void Inspector::AddSink(SinkKind kind, std::string_view written,
                        std::string method, int depth,
                        const std::string& base) {
  std::string url = CleanUrl(written);
  if (StartsWithIgnoreCase(url, "data:")) {
    if (std::optional<std::string> payload = DecodeDataUri(
            url, std::min(bytes_left_, options_.max_decoded_bytes))) {
      Decoded(*payload, depth + 1, "data-uri", base);
    }
  }
  std::vector<HtmlSink>& sinks = SinksAt(depth);
  if (sinks.size() >= options_.max_items) {
    f_.truncated = true;
    return;
  }
  sinks.push_back(
      HtmlSink{kind, ResolveAgainstBase(url, base), std::move(method), depth});
}

void Inspector::Decoded(std::string_view text, int depth,
                        std::string_view decoder, const std::string& base) {
  if (text.empty()) return;
  if (depth > max_depth_ || layers_left_ == 0 || bytes_left_ == 0) {
    f_.truncated = true;
    f_.decoding_stopped = true;
    return;
  }
  if (!seen_layers_.insert(std::hash<std::string_view>()(text)).second) {
    return;
  }
  if (text.size() > bytes_left_) {
    text = text.substr(0, bytes_left_);
    f_.truncated = true;
    f_.decoding_stopped = true;
  }
  bytes_left_ -= text.size();
  --layers_left_;
  f_.max_depth = std::max(f_.max_depth, depth);
  if (!decoder.empty() && LooksLikeMarkupOrUrl(text) &&
      std::find(f_.decoders.begin(), f_.decoders.end(), decoder) ==
          f_.decoders.end()) {
    f_.decoders.emplace_back(decoder);
  }
  const std::string_view trimmed = StripWhitespace(text);
  if (IsHttpUrl(trimmed) &&
      trimmed.find_first_of(" \t\r\n\"'<>") == std::string_view::npos) {
    AddScriptUrl(trimmed);
  }
  if (HasTag(text)) Markup(text, depth, base);
  if (!StartsWithTag(text)) Script(text, depth, base);
}

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '$';
}

// The first `lower_needle` in `haystack` at or after `from`, any case.
size_t FindIgnoreCase(std::string_view haystack, std::string_view lower_needle,
                      size_t from) {
  for (size_t i = from; i + lower_needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < lower_needle.size()) {
      char c = haystack[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != lower_needle[k]) break;
      ++k;
    }
    if (k == lower_needle.size()) return i;
  }
  return std::string_view::npos;
}

// True when `script` makes a password field itself: `x.type =
// "password"`, `setAttribute("type", "password")`, or `{type:
// "password"}` handed to a constructor such as jQuery's.
bool ScriptMakesPasswordField(std::string_view script) {
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  };
  auto skip_space_back = [&](size_t k) {
    while (k > 0 && (script[k - 1] == ' ' || script[k - 1] == '\t' ||
                     script[k - 1] == '\n' || script[k - 1] == '\r')) {
      --k;
    }
    return k;
  };
  auto ends_with_type = [&](size_t k) {  // script[.., k) ends in "type"
    return k >= 4 && lower(script[k - 4]) == 't' &&
           lower(script[k - 3]) == 'y' && lower(script[k - 2]) == 'p' &&
           lower(script[k - 1]) == 'e' &&
           (k == 4 || !IsIdentChar(script[k - 5]));
  };
  for (size_t at = 0;
       (at = FindIgnoreCase(script, "password", at)) != std::string_view::npos;
       at += 8) {
    if (at == 0 || (script[at - 1] != '"' && script[at - 1] != '\'' &&
                    script[at - 1] != '`')) {
      continue;
    }
    const size_t end = at + 8;
    if (end >= script.size() || script[end] != script[at - 1]) continue;
    size_t k = skip_space_back(at - 1);
    if (k == 0) continue;
    const char op = script[k - 1];
    k = skip_space_back(k - 1);
    if (op == '=' || op == ':') {
      // `.type = "password"`, `{type: "password"}`, `{"type": "password"}`
      if (k > 0 && (script[k - 1] == '"' || script[k - 1] == '\'')) --k;
      if (ends_with_type(k)) return true;
    } else if (op == ',') {
      // setAttribute("type", "password")
      if (k > 0 && (script[k - 1] == '"' || script[k - 1] == '\'')) {
        if (ends_with_type(k - 1)) return true;
      }
    }
  }
  return false;
}

void Inspector::Script(std::string_view script, int depth,
                       const std::string& base) {
  if (!f_.password_field.has_value() && ScriptMakesPasswordField(script)) {
    f_.password_field =
        PasswordField{"a script makes an input of type password", depth};
  }
  const ScriptScan scan = ScanScript(
      script, ScriptScanLimits{.max_bytes = options_.max_decoded_bytes,
                               .max_items = options_.max_items});
  if (scan.truncated) f_.truncated = true;
  for (const internal::ScriptSink& sink : scan.sinks) {
    const std::string url = CleanUrl(sink.url);
    if (StartsWithIgnoreCase(url, "javascript:")) {
      // location = "javascript:..." runs the rest as script, once decoded.
      Decoded(DecodePercent(std::string_view(url).substr(11),
                            options_.max_decoded_bytes),
              depth + 1, "", base);
    }
    AddSink(sink.kind, url, sink.method, depth, base);
  }
  // Blobs before literals: a joined literal and its "string-concat" blob
  // are the same text, and the blob names the decoder.
  for (const internal::DecodedBlob& blob : scan.blobs) {
    if (blob.truncated) f_.truncated = true;
    if (blob.decoder == "string-concat" && !LooksLikeMarkupOrUrl(blob.text)) {
      continue;
    }
    Decoded(blob.text, depth + 1, blob.decoder, base);
  }
  for (const std::string& literal : scan.literals) {
    ForEachHttpUrl(literal, [&](std::string_view url) { AddScriptUrl(url); });
    ForEachEmail(literal, [&](std::string a) { AddAddress(std::move(a)); });
    if (HasInterestingTag(literal)) Decoded(literal, depth + 1, "", base);
  }
}

void Inspector::Attributes(const GumboElement& element, Layer& layer) {
  for (unsigned i = 0; i < element.attributes.length; ++i) {
    const GumboAttribute* a =
        static_cast<const GumboAttribute*>(element.attributes.data[i]);
    const std::string_view name(a->name);
    const std::string_view value(a->value);
    if (name.size() > 2 && StartsWithIgnoreCase(name, "on")) {
      f_.has_script = true;
      Script(value, layer.depth, layer.base);
      continue;
    }
    // A frame's document written into the attribute: a whole kit page fits
    // there as well as in a data: URI, and renders from a local file.
    if (name == "srcdoc" &&
        (element.tag == GUMBO_TAG_IFRAME || element.tag == GUMBO_TAG_FRAME)) {
      Decoded(value, layer.depth + 1, "srcdoc", layer.base);
      continue;
    }
    if (name != "href" && name != "src" && name != "action" &&
        name != "formaction" && name != "data") {
      continue;
    }
    const std::string url = CleanUrl(value);
    if (StartsWithIgnoreCase(url, "javascript:")) {
      f_.has_script = true;
      Script(DecodePercent(std::string_view(url).substr(11),
                           options_.max_decoded_bytes),
             layer.depth, layer.base);
    } else if (StartsWithIgnoreCase(url, "data:") &&
               (element.tag == GUMBO_TAG_A || element.tag == GUMBO_TAG_AREA ||
                (element.tag == GUMBO_TAG_SCRIPT && name == "src"))) {
      // Frames, objects and embeds decode theirs as sinks.
      if (std::optional<std::string> payload = DecodeDataUri(
              url, std::min(bytes_left_, options_.max_decoded_bytes))) {
        Decoded(*payload, layer.depth + 1, "data-uri", layer.base);
      }
    }
  }
}

void Inspector::Element(const GumboNode* node, Layer& layer) {
  const GumboElement& e = node->v.element;
  Attributes(e, layer);
  switch (e.tag) {
    case GUMBO_TAG_BASE: {
      const std::string href = CleanUrl(Attribute(e, "href"));
      if (!layer.base_from_this_layer && IsHttpUrl(href)) {
        layer.base = href;
        layer.base_from_this_layer = true;
      }
      break;
    }
    case GUMBO_TAG_A:
    case GUMBO_TAG_AREA: {
      const std::string written = CleanUrl(Attribute(e, "href"));
      // "#top" stays in the page, whatever <base> says.
      const std::string href = written.starts_with('#')
                                   ? ""
                                   : ResolveAgainstBase(written, layer.base);
      if (IsHttpUrl(href) &&
          std::find(f_.links.begin(), f_.links.end(), href) == f_.links.end()) {
        if (f_.links.size() < options_.max_items) {
          f_.links.push_back(href);
        } else {
          f_.truncated = true;
        }
      }
      break;
    }
    case GUMBO_TAG_FORM: {
      ++f_.forms;
      std::string method = ToLower(StripWhitespace(Attribute(e, "method")));
      if (method != "post" && method != "dialog") method = "get";
      AddSink(SinkKind::kFormAction, Attribute(e, "action"), method,
              layer.depth, layer.base);
      break;
    }
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON: {
      const std::string_view formaction = Attribute(e, "formaction");
      if (!formaction.empty()) {
        AddSink(SinkKind::kFormAction, formaction, "", layer.depth, layer.base);
      }
      if (e.tag == GUMBO_TAG_BUTTON) break;
      if (!f_.password_field.has_value()) {
        std::string evidence = PasswordEvidence(e);
        if (!evidence.empty()) {
          f_.password_field = PasswordField{std::move(evidence), layer.depth};
        }
      }
      if (IsIdentityInput(e)) f_.has_identity_field = true;
      ForEachEmail(Attribute(e, "value"),
                   [&](std::string a) { AddAddress(std::move(a)); });
      break;
    }
    case GUMBO_TAG_META: {
      if (EqualsIgnoreCase(StripWhitespace(Attribute(e, "http-equiv")),
                           "refresh")) {
        const std::string url = RefreshUrl(Attribute(e, "content"));
        if (!url.empty()) {
          AddSink(SinkKind::kMetaRefresh, url, "", layer.depth, layer.base);
        }
      }
      break;
    }
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_EMBED: {
      const std::string_view src = Attribute(e, "src");
      if (!src.empty()) {
        AddSink(SinkKind::kFrame, src, "", layer.depth, layer.base);
      }
      break;
    }
    case GUMBO_TAG_OBJECT: {
      const std::string_view data = Attribute(e, "data");
      if (!data.empty()) {
        AddSink(SinkKind::kFrame, data, "", layer.depth, layer.base);
      }
      break;
    }
    case GUMBO_TAG_TITLE: {
      if (f_.title.empty()) {
        std::string title;
        AppendCollapsed(ChildText(node), 1024, title);
        f_.title = std::string(StripWhitespace(title));
      }
      break;
    }
    default:
      break;
  }
}

void Inspector::Markup(std::string_view html, int depth,
                       const std::string& base) {
  GumboOptions gumbo_options = kGumboDefaultOptions;
  // Parse errors are not used; recording them costs time and memory.
  gumbo_options.max_errors = 0;
  // CSS and raster data: URIs are most of a kit page's bytes and nothing
  // of what it does; gumbo walks them one code point at a time.
  std::string slim = internal::SlimMarkup(html);
  // gumbo's time grows faster than the square of the nesting depth: a page
  // of 25,000 nested elements held a core for minutes (html_nesting.h).
  if (BoundHtmlNesting(slim) > 0) f_.nesting_bounded = true;
  std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
      gumbo_parse_with_options(&gumbo_options, slim.data(), slim.size()));
  if (output == nullptr) return;
  Layer layer{depth, base, false};
  // Sinks of this layer are resolved against its <base href>, which may
  // come after them in the source: remember where they start.
  const size_t first_sink = SinksAt(depth).size();
  int explicit_elements = 0;
  std::string text;

  // (node, whether its text is hidden: inside style, noscript, template).
  std::vector<std::pair<const GumboNode*, bool>> stack = {
      {output->document, false}};
  while (!stack.empty()) {
    const auto [node, hidden] = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      const std::string_view t(node->v.text.text);
      if (!hidden) {
        if (!text.empty()) text.push_back(' ');
        AppendCollapsed(t, options_.max_text_bytes, text);
        ForEachEmail(t, [&](std::string a) { AddAddress(std::move(a)); });
      }
      continue;
    }
    const GumboVector* children = nullptr;
    bool hide_children = hidden;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      children = &node->v.document.children;
    } else if (node->type == GUMBO_NODE_ELEMENT ||
               node->type == GUMBO_NODE_TEMPLATE) {
      if ((node->parse_flags & GUMBO_INSERTION_BY_PARSER) == 0) {
        ++explicit_elements;
      }
      if (IsScriptElement(node)) {
        f_.has_script = true;
        Attributes(node->v.element, layer);
        if (IsJavaScriptType(Attribute(node->v.element, "type"))) {
          Script(ChildText(node), depth, layer.base);
        }
        continue;
      }
      Element(node, layer);
      const GumboTag tag = node->v.element.tag;
      if (tag == GUMBO_TAG_TITLE) continue;
      if (tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT ||
          tag == GUMBO_TAG_TEMPLATE || node->type == GUMBO_NODE_TEMPLATE) {
        hide_children = true;
      }
      children = &node->v.element.children;
    }
    if (children == nullptr) continue;
    for (unsigned i = children->length; i > 0; --i) {
      stack.emplace_back(static_cast<const GumboNode*>(children->data[i - 1]),
                         hide_children);
    }
  }

  if (layer.base_from_this_layer) {
    std::vector<HtmlSink>& sinks = SinksAt(depth);
    for (size_t i = first_sink; i < sinks.size(); ++i) {
      sinks[i].url = ResolveAgainstBase(sinks[i].url, layer.base);
    }
  }
  // Script read as markup (if (a<b) ...) has no element of its own: its
  // "text" is code, not something the page shows.
  if (depth == 0 || explicit_elements > 0) AddText(text, depth);
}

HtmlFindings Inspector::Finish() {
  absl::flat_hash_set<std::pair<int, std::string>> seen;
  for (std::vector<HtmlSink>& layer : sinks_) {
    for (HtmlSink& sink : layer) {
      if (!seen.insert({static_cast<int>(sink.kind), sink.url}).second) {
        continue;
      }
      if (f_.sinks.size() >= options_.max_items) {
        f_.truncated = true;
        break;
      }
      f_.sinks.push_back(std::move(sink));
    }
  }
  for (const std::string& t : texts_) {
    if (t.empty()) continue;
    if (!f_.text.empty()) {
      if (f_.text.size() >= options_.max_text_bytes) break;
      f_.text.push_back(' ');
    }
    AppendCollapsed(t, options_.max_text_bytes, f_.text);
  }
  while (!f_.text.empty() && f_.text.back() == ' ') f_.text.pop_back();
  while (!f_.text.empty() && f_.text.front() == ' ') f_.text.erase(0, 1);
  return std::move(f_);
}

}  // namespace

std::string_view SinkKindName(SinkKind kind) {
  switch (kind) {
    case SinkKind::kFormAction:
      return "form-action";
    case SinkKind::kFetch:
      return "fetch";
    case SinkKind::kXmlHttpRequest:
      return "xhr";
    case SinkKind::kJqueryAjax:
      return "jquery";
    case SinkKind::kSendBeacon:
      return "send-beacon";
    case SinkKind::kWebSocket:
      return "websocket";
    case SinkKind::kLocation:
      return "location";
    case SinkKind::kWindowOpen:
      return "window-open";
    case SinkKind::kMetaRefresh:
      return "meta-refresh";
    case SinkKind::kFrame:
      return "frame";
  }
  return "unknown";
}

bool MayBeActive(std::string_view document) {
  // Needles after '<' (tags) and anywhere (URLs, words), lowercase.
  static constexpr std::string_view kTags[] = {
      "form",   "input", "script", "iframe",   "frame",
      "object", "embed", "button", "textarea", "select"};
  static constexpr std::string_view kWords[] = {
      "javascript:",    "data:text", "data:application",
      "data:image/svg", "password",  "refresh"};
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  };
  auto at = [&](size_t i, std::string_view needle) {
    if (document.size() - i < needle.size()) return false;
    for (size_t k = 0; k < needle.size(); ++k) {
      if (lower(document[i + k]) != needle[k]) return false;
    }
    return true;
  };
  for (size_t i = 0; i < document.size(); ++i) {
    const char c = lower(document[i]);
    if (c == '<') {
      for (std::string_view tag : kTags) {
        if (at(i + 1, tag)) return true;
      }
    } else if (c == 'o' && i > 0 &&
               (document[i - 1] == ' ' || document[i - 1] == '\t' ||
                document[i - 1] == '\n' || document[i - 1] == '\r' ||
                document[i - 1] == '"' || document[i - 1] == '\'' ||
                document[i - 1] == '/') &&
               i + 1 < document.size() && lower(document[i + 1]) == 'n') {
      // An event-handler attribute: on<letters>=.
      size_t k = i + 2;
      while (k < document.size() && lower(document[k]) >= 'a' &&
             lower(document[k]) <= 'z') {
        ++k;
      }
      while (k < document.size() &&
             (document[k] == ' ' || document[k] == '\t')) {
        ++k;
      }
      if (k > i + 2 && k < document.size() && document[k] == '=') return true;
    } else if (c == 'j' || c == 'd' || c == 'p' || c == 'r') {
      for (std::string_view word : kWords) {
        if (word[0] == c && at(i, word)) return true;
      }
    }
  }
  return false;
}

HtmlFindings InspectHtml(std::string_view document,
                         const HtmlInspectOptions& options) {
  Inspector inspector(options);
  inspector.Markup(document, 0, "");
  return inspector.Finish();
}

}  // namespace lureguard::mail
