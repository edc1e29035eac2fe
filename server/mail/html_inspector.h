// Reads an HTML (or SVG) document the way a browser would run it when a
// person opens it from a mail, and reports what a credential-harvesting
// page gives away: fields that collect a password, where the page sends
// data or the person (form actions, script sinks, meta refresh), the
// addresses it carries, the text it shows, and what it hid behind the
// decoders a page runs at open time (atob, unescape, decodeURIComponent,
// String.fromCharCode, data: URIs), looked at again after decoding.
//
// No script is executed: string literals are decoded where a page passes
// them to a decoder, and the decoded text is inspected as markup and as
// script, layer by layer, within the limits of HtmlInspectOptions.
//
// Thread safety: a pure function; safe to call concurrently.
//
// Example:
//   HtmlFindings f = InspectHtml(attachment_html, HtmlInspectOptions{});
//   if (f.password_field.has_value() && !f.sinks.empty()) { ... }

#ifndef LUREGUARD_SERVER_MAIL_HTML_INSPECTOR_H_
#define LUREGUARD_SERVER_MAIL_HTML_INSPECTOR_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lureguard::mail {

// Bounds on the work one document may cost.
struct HtmlInspectOptions {
  // Bytes of markup or script decoded from one blob, and in total over all
  // layers of one document; longer output is cut and `truncated` set.
  size_t max_decoded_bytes = 1u << 20;
  // Decoding layers followed (atob inside unescape inside ... ).
  int max_decode_depth = 4;
  // Bytes of visible text kept in HtmlFindings::text. Cutting the text does
  // not set `truncated`: the inspection itself goes on.
  size_t max_text_bytes = 8192;
  // Sinks, script URLs and addresses kept at most (each); also bounds the
  // decoded layers inspected (4 * max_items), so a page of thousands of
  // tiny encoded blobs costs no more than a few hundred parses.
  size_t max_items = 64;
};

// Where a page sends what the person typed, or the person.
enum class SinkKind {
  kFormAction,      // <form action=...> (or form.action = "..." in script)
  kFetch,           // fetch("...")
  kXmlHttpRequest,  // xhr.open("POST", "...")
  kJqueryAjax,      // $.post / $.ajax({url: ...}) / $.get / jQuery.*
  kSendBeacon,      // navigator.sendBeacon("...")
  kWebSocket,       // new WebSocket("wss://...")
  kLocation,        // location = / location.href = / .replace() / .assign()
  kWindowOpen,      // window.open("...")
  kMetaRefresh,     // <meta http-equiv="refresh" content="0;url=...">
  kFrame,           // <iframe src> / <frame src> / <object data> / <embed src>
};

// Stable lowercase name: "form-action", "fetch", "xhr", "jquery",
// "send-beacon", "websocket", "location", "window-open", "meta-refresh",
// "frame".
std::string_view SinkKindName(SinkKind kind);

// One place the page sends data or the person.
struct HtmlSink {
  SinkKind kind = SinkKind::kFormAction;
  // The URL as the page has it after decoding, resolved against <base href>
  // when relative; may be relative, empty (a form without action), a
  // data: or javascript: URL.
  std::string url;
  // Lowercase HTTP method where the page says it: a form's method ("get"
  // when absent), xhr.open's first argument, "post" for $.post, the
  // method/type of $.ajax settings or fetch options; empty otherwise.
  // Lets a caller tell a search box (GET) from a credential post.
  std::string method;
  // 0: in the document as sent; n: found after n decoding layers.
  int depth = 0;
};

// A field that collects a password.
struct PasswordField {
  // What gave it away, e.g. "input type=password name=pwd" or
  // "input name=passwd".
  std::string evidence;
  int depth = 0;  // decoding layer it was found in
};

// Everything InspectHtml saw.
struct HtmlFindings {
  // The first field collecting a password, if any: <input type=password>,
  // or a text input whose name, id or placeholder says pass/pwd/passwd/
  // password/passcode (any case, also in common non-English forms such as
  // "contraseña", "mot de passe", "passwort", "senha").
  std::optional<PasswordField> password_field;
  // An input for an e-mail address or user name (type=email, or name/id
  // email/user/login/username).
  bool has_identity_field = false;
  int forms = 0;  // <form> elements over all layers
  // Sinks in document order, layer 0 first; at most max_items. A sink
  // seen twice (same kind and URL) is kept once, at its first place.
  std::vector<HtmlSink> sinks;
  // Every absolute http(s) URL that appears as a string literal in script
  // (whatever it is used for), at most max_items: lets the caller spot
  // chat-bot or paste-site APIs assembled in variables.
  std::vector<std::string> script_urls;
  // The http(s) links of <a> and <area> elements (resolved against <base
  // href>), in document order, each once, at most max_items: where the
  // page sends the reader when clicked.
  std::vector<std::string> links;
  // E-mail addresses found in input values, script string literals and
  // text, lowercased, deduplicated, at most max_items: a page pre-filled
  // with the recipient's address.
  std::vector<std::string> addresses;
  // <title> text, whitespace collapsed.
  std::string title;
  // Visible text (no script/style), whitespace collapsed, at most
  // max_text_bytes, layer 0 first then decoded layers.
  std::string text;
  // Decoders the page used on a literal that decoded to markup or a URL,
  // in the order first seen: "atob", "unescape", "decodeURIComponent",
  // "fromCharCode", "data-uri", "string-concat".
  std::vector<std::string> decoders;
  // Deepest decoding layer that produced anything.
  int max_depth = 0;
  // A script element or event-handler attribute exists (any layer).
  bool has_script = false;
  // A limit (bytes, depth, items) cut the inspection short.
  bool truncated = false;
  // Of those, a limit on decoding (max_decode_depth, max_decoded_bytes, the
  // layers bound): some content the page decodes at open time was not
  // read. Pages that encode themselves that deep are built to outlast
  // inspectors.
  bool decoding_stopped = false;
  // Elements nested deeper than kMaxHtmlNesting (server/common/
  // html_nesting.h) were read as siblings: what they hold was still read.
  bool nesting_bounded = false;
};

// False when `document` holds nothing InspectHtml would report a field or
// a sink from: no form, input, script, frame, object, embed, event-handler
// attribute, meta refresh, javascript: URL, markup data: URI or the word
// "password" (any case). One linear pass, far cheaper than a parse: most
// mail bodies are plain newsletters, and a caller that only wants fields
// and sinks can skip them.
bool MayBeActive(std::string_view document);

// Inspects `document` (UTF-8 or ASCII-compatible bytes; HTML or SVG).
// Never fails: malformed markup is read as browsers read it (gumbo).
HtmlFindings InspectHtml(std::string_view document,
                         const HtmlInspectOptions& options = {});

}  // namespace lureguard::mail

#endif  // LUREGUARD_SERVER_MAIL_HTML_INSPECTOR_H_
