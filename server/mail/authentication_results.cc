#include "server/mail/authentication_results.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace lureguard::mail {
namespace {

// A header field is at most 998 characters a line (RFC 5322 §2.1.1), but
// folding lets one field run over many lines; real ones stay under a few
// KiB. 64 KiB bounds the work per field with a wide margin.
constexpr size_t kMaxValueBytes = 64 * 1024;

// Debian's Abseil has its own string_view type; its functions take that.
absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// How much of the value an error message quotes.
constexpr size_t kSnippetBytes = 40;

// `text` cut to kSnippetBytes and C-escaped, for error messages.
std::string Snippet(std::string_view text) {
  const bool cut = text.size() > kSnippetBytes;
  return absl::StrCat(absl::CHexEscape(AbslView(text.substr(0, kSnippetBytes))),
                      cut ? "..." : "");
}

// RFC 5321 Keyword (letters, digits, '-'), plus '_', which some receivers
// put in property names. Used for methods, results, ptypes and properties.
bool IsKeywordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_';
}

// RFC 2045 token: any byte but space, controls and tspecials. Bytes of
// UTF-8 (RFC 6532 allows it in header fields) count as token bytes.
bool IsTokenChar(char c) {
  const unsigned char b = static_cast<unsigned char>(c);
  if (b <= 0x20 || b == 0x7f) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) ==
         std::string_view::npos;
}

bool IsWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Walks one header value left to right. Every read starts after skipping
// CFWS (RFC 5322 §3.2.2: folding whitespace and nested comments), because
// RFC 8601's grammar allows CFWS between any two of its tokens.
class ValueReader {
 public:
  explicit ValueReader(std::string_view value) : value_(value) {}

  bool AtEnd() {
    SkipCfws();
    return pos_ >= value_.size();
  }

  // The next byte after CFWS, or '\0' at the end.
  char Peek() {
    SkipCfws();
    return pos_ < value_.size() ? value_[pos_] : '\0';
  }

  // Consumes `c` when it comes next (after CFWS).
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  // A keyword, lowercased; "" when none comes next.
  std::string ReadKeyword() {
    SkipCfws();
    const size_t start = pos_;
    while (pos_ < value_.size() && IsKeywordChar(value_[pos_])) ++pos_;
    return absl::AsciiStrToLower(AbslView(value_.substr(start, pos_ - start)));
  }

  // RFC 2045 value (token or quoted-string), as written; nullopt when
  // neither comes next. `quoted` says which it was.
  std::optional<std::string> ReadValue(bool* quoted) {
    SkipCfws();
    *quoted = pos_ < value_.size() && value_[pos_] == '"';
    if (*quoted) return ReadQuotedString();
    const size_t start = pos_;
    while (pos_ < value_.size() && IsTokenChar(value_[pos_])) ++pos_;
    if (pos_ == start) return std::nullopt;
    return std::string(value_.substr(start, pos_ - start));
  }

  // RFC 8601 pvalue: a value or an address ("user@example.com",
  // "@example.com"). Read leniently up to whitespace, a comment or ';', so
  // that the base64 of header.b (with '/', '+', '=') and quoted local
  // parts come through whole; quotes are removed.
  std::string ReadPropertyValue() {
    SkipCfws();
    std::string out;
    while (pos_ < value_.size()) {
      const char c = value_[pos_];
      if (IsWhitespace(c) || c == '(' || c == ';') break;
      if (c == '"') {
        out += ReadQuotedString();
      } else {
        out += c;
        ++pos_;
      }
    }
    return out;
  }

  // Digits (an authres-version or method-version); "" when none.
  std::string_view ReadDigits() {
    SkipCfws();
    const size_t start = pos_;
    while (pos_ < value_.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(value_[pos_]))) {
      ++pos_;
    }
    return value_.substr(start, pos_ - start);
  }

  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }

  // The value from the current position (after CFWS) on.
  std::string_view Rest() {
    SkipCfws();
    return value_.substr(pos_);
  }

 private:
  // Skips whitespace (folded or not) and comments. Comments nest and hold
  // quoted-pairs; one left open runs to the end of the value, as lenient
  // receivers read it.
  void SkipCfws() {
    int depth = 0;
    while (pos_ < value_.size()) {
      const char c = value_[pos_];
      if (depth > 0) {
        if (c == '\\') {
          pos_ += 2;
          continue;
        }
        if (c == '(') ++depth;
        if (c == ')') --depth;
        ++pos_;
      } else if (c == '(') {
        depth = 1;
        ++pos_;
      } else if (IsWhitespace(c)) {
        ++pos_;
      } else {
        break;
      }
    }
    if (pos_ > value_.size()) pos_ = value_.size();
  }

  // At an opening '"': the contents with quoted-pairs resolved. One left
  // open runs to the end of the value.
  std::string ReadQuotedString() {
    std::string out;
    ++pos_;  // the opening quote
    while (pos_ < value_.size()) {
      const char c = value_[pos_++];
      if (c == '"') return out;
      if (c == '\\' && pos_ < value_.size()) {
        out += value_[pos_++];
      } else {
        out += c;
      }
    }
    return out;
  }

  std::string_view value_;
  size_t pos_ = 0;
};

// What reading one resinfo gave.
enum class ResinfoOutcome {
  kResult,     // a method=result, maybe with properties
  kNone,       // the "none" that stands for no results
  kMalformed,  // not a resinfo: the list ends here
};

// Reads "reason=" and "ptype.property=pvalue" pairs after a method=result
// into `result`, until the end, a ';' or something that is not a pair.
// Names without a ptype (Microsoft's "action=none") are kept as properties
// under the bare name. False when something else came before the ';'.
bool ReadProperties(ValueReader& reader, AuthResult& result) {
  while (!reader.AtEnd() && reader.Peek() != ';') {
    const size_t start = reader.pos();
    std::string name = reader.ReadKeyword();
    if (name.empty()) return false;
    if (reader.Consume('.')) {
      const std::string property = reader.ReadKeyword();
      if (property.empty()) {
        reader.set_pos(start);
        return false;
      }
      absl::StrAppend(&name, ".", property);
    }
    if (!reader.Consume('=')) {
      reader.set_pos(start);
      return false;
    }
    std::string value = reader.ReadPropertyValue();
    if (name == "reason" && result.reason.empty()) {
      result.reason = std::move(value);
    } else {
      result.properties.emplace_back(std::move(name), std::move(value));
    }
  }
  return true;
}

// Reads one resinfo after its ';': method[/version]=result [reason=...]
// [properties]. On kMalformed the reader stands where it went wrong.
ResinfoOutcome ReadResinfo(ValueReader& reader, AuthResult& result) {
  const size_t start = reader.pos();
  result.method = reader.ReadKeyword();
  if (result.method.empty()) return ResinfoOutcome::kMalformed;
  if (reader.Consume('/') && reader.ReadDigits().empty()) {
    reader.set_pos(start);
    return ResinfoOutcome::kMalformed;
  }
  if (!reader.Consume('=')) {
    if (result.method == "none") return ResinfoOutcome::kNone;
    reader.set_pos(start);
    return ResinfoOutcome::kMalformed;
  }
  result.result = reader.ReadKeyword();
  if (result.result.empty()) {
    reader.set_pos(start);
    return ResinfoOutcome::kMalformed;
  }
  // Pairs cut short by garbage keep what came before (lenient); the caller
  // sees the garbage in `unparsed`.
  ReadProperties(reader, result);
  return ResinfoOutcome::kResult;
}

// Reads resinfos until the end of the value, the "none" no-result or the
// first malformed one. `need_semicolon` is false for Microsoft's form,
// whose first resinfo has no ';' before it.
void ReadResinfos(ValueReader& reader, bool need_semicolon,
                  AuthenticationResults& out) {
  while (!reader.AtEnd()) {
    if (need_semicolon && !reader.Consume(';')) {
      out.unparsed = std::string(reader.Rest());
      return;
    }
    need_semicolon = true;
    // A trailing ';' (Microsoft writes one) or ";;" ends nothing.
    if (reader.AtEnd() || reader.Peek() == ';') continue;
    AuthResult result;
    switch (ReadResinfo(reader, result)) {
      case ResinfoOutcome::kResult:
        out.results.push_back(std::move(result));
        break;
      case ResinfoOutcome::kNone:
        // "none" stands alone; anything after it is not RFC 8601.
        while (reader.Consume(';')) {
        }
        out.unparsed = std::string(reader.Rest());
        return;
      case ResinfoOutcome::kMalformed:
        out.unparsed = std::string(reader.Rest());
        return;
    }
  }
}

}  // namespace

std::string_view AuthResult::Property(std::string_view name) const {
  for (const auto& [key, value] : properties) {
    if (absl::EqualsIgnoreCase(key, AbslView(name))) return value;
  }
  return "";
}

absl::StatusOr<AuthenticationResults> ParseAuthenticationResults(
    std::string_view value) {
  if (value.size() > kMaxValueBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("Authentication-Results value is ", value.size(),
                     " bytes, more than the ", kMaxValueBytes, " read"));
  }
  ValueReader reader(value);
  if (reader.AtEnd()) {
    return absl::InvalidArgumentError(
        "Authentication-Results value has no authserv-id: it is empty");
  }
  const size_t start = reader.pos();
  bool quoted = false;
  std::optional<std::string> id = reader.ReadValue(&quoted);
  if (!id.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Authentication-Results value has no authserv-id: it "
                     "starts with '",
                     Snippet(reader.Rest()), "'"));
  }
  AuthenticationResults out;
  const char next = reader.Peek();
  if (!quoted && (next == '=' || next == '/')) {
    // Microsoft 365: no authserv-id, the value opens with method=result.
    reader.set_pos(start);
    ReadResinfos(reader, /*need_semicolon=*/false, out);
    return out;
  }
  out.authserv_id = absl::AsciiStrToLower(*id);
  reader.ReadDigits();  // authres-version
  if (reader.AtEnd()) return out;
  if (reader.Peek() != ';') {
    return absl::InvalidArgumentError(absl::StrCat(
        "Authentication-Results value: expected ';' after authserv-id '",
        Snippet(*id), "', found '", Snippet(reader.Rest()), "'"));
  }
  ReadResinfos(reader, /*need_semicolon=*/true, out);
  return out;
}

}  // namespace lureguard::mail
