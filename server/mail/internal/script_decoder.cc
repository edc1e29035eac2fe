// A single-pass reader of page scripts: a small JavaScript tokenizer (enough
// to find strings, identifiers and punctuation without being fooled by
// comments and regular expressions) and an evaluator of the few expression
// shapes phishing kits use to hide markup: literals, '+' joins, variables
// assigned a literal, and decoder calls. No regex library: everything is a
// linear scan, so hostile scripts cost time in proportion to their size.

#include "server/mail/internal/script_decoder.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "server/mail/internal/ascii_view.h"

namespace lureguard::mail::internal {
namespace {

// Expression nesting followed at most (parentheses, nested decoder calls);
// deeper expressions are not evaluated. Kits nest two or three.
constexpr int kMaxExprDepth = 32;

// Evaluation may copy a value a few times (variables, joins) before it is
// reported; this multiple of max_bytes bounds that work.
constexpr size_t kWorkFactor = 4;

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate
  if (cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Appends UTF-16 code units as UTF-8, pairing surrogates, as JavaScript
// strings hold them.
class Utf16Sink {
 public:
  explicit Utf16Sink(std::string& out) : out_(out) {}
  ~Utf16Sink() { Flush(); }
  void Add(uint32_t unit) {
    if (unit > 0xFFFF) {  // \u{...} code point
      Flush();
      AppendUtf8(unit, out_);
      return;
    }
    if (high_ != 0) {
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        AppendUtf8(0x10000 + ((high_ - 0xD800) << 10) + (unit - 0xDC00), out_);
        high_ = 0;
        return;
      }
      Flush();
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      high_ = unit;
      return;
    }
    AppendUtf8(unit, out_);
  }
  void Flush() {
    if (high_ != 0) AppendUtf8(0xFFFD, out_);
    high_ = 0;
  }

 private:
  std::string& out_;
  uint32_t high_ = 0;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads `n` hex digits at s[i..]; -1 when they are not all there.
int64_t ReadHex(std::string_view s, size_t i, size_t n) {
  if (i + n > s.size()) return -1;
  int64_t v = 0;
  for (size_t k = 0; k < n; ++k) {
    const int h = HexValue(s[i + k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

bool IsIdentStart(unsigned char c) {
  return absl::ascii_isalpha(c) || c == '_' || c == '$' || c >= 0x80;
}
bool IsIdentPart(unsigned char c) {
  return IsIdentStart(c) || absl::ascii_isdigit(c);
}

// One token of a script. Strings keep their raw span (quotes included) and
// are decoded only when a value is needed, up to the caller's cap.
struct Token {
  enum Kind { kIdent, kString, kNumber, kPunct };
  Kind kind;
  uint32_t begin;
  uint32_t end;
  bool newline_before = false;
  bool template_with_substitution = false;
};

// Keywords after which '/' starts a regular expression, not a division.
bool IsRegexKeyword(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "return", "typeof", "case",   "do",   "else",  "in",
      "of",     "new",    "delete", "void", "throw", "instanceof"};
  for (std::string_view w : kWords) {
    if (word == w) return true;
  }
  return false;
}

// Splits a script into tokens in one pass. Comments and
// regular-expression literals are skipped; an unterminated string ends at
// the line end (as a browser would report a syntax error there, nothing
// after it matters).
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s), n_(s.size()) {}

  std::vector<Token> Run() &&;

 private:
  enum class Blank { kNone, kSkipped, kEndOfScript };

  // Skips one run of blank space or one comment at i_. kEndOfScript: an
  // unterminated block comment, which hides the rest.
  Blank SkipBlank();
  void ReadString();
  void ReadNumber();
  void ReadIdent();
  // Whether a '/' at i_ starts a regular expression, not a division,
  // judged from the token before it.
  bool SlashStartsRegex() const;
  // Reads a regular-expression literal at i_ as one value token; false
  // (nothing read) when it does not close on its line.
  bool ReadRegex();
  void ReadPunct();
  void Push(Token::Kind kind, size_t begin, size_t end);

  const std::string_view s_;
  const size_t n_;
  size_t i_ = 0;
  bool newline_ = false;  // a line ended since the last token
  std::vector<Token> tokens_;
};

std::vector<Token> Tokenizer::Run() && {
  while (i_ < n_) {
    const Blank blank = SkipBlank();
    if (blank == Blank::kEndOfScript) break;
    if (blank == Blank::kSkipped) continue;
    const unsigned char c = s_[i_];
    if (c == '"' || c == '\'' || c == '`') {
      ReadString();
    } else if (absl::ascii_isdigit(c) ||
               (c == '.' && i_ + 1 < n_ && absl::ascii_isdigit(s_[i_ + 1]))) {
      ReadNumber();
    } else if (IsIdentStart(c) || c == '\\') {
      ReadIdent();
    } else if (c != '/' || !SlashStartsRegex() || !ReadRegex()) {
      ReadPunct();
    }
  }
  return std::move(tokens_);
}

Tokenizer::Blank Tokenizer::SkipBlank() {
  const unsigned char c = s_[i_];
  if (c == '\n' || c == '\r') {
    newline_ = true;
    ++i_;
    return Blank::kSkipped;
  }
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
    ++i_;
    return Blank::kSkipped;
  }
  if (c == '/' && i_ + 1 < n_ && s_[i_ + 1] == '/') {
    while (i_ < n_ && s_[i_] != '\n' && s_[i_] != '\r') ++i_;
    return Blank::kSkipped;
  }
  if (c == '/' && i_ + 1 < n_ && s_[i_ + 1] == '*') {
    const size_t e = s_.find("*/", i_ + 2);
    if (e == std::string_view::npos) return Blank::kEndOfScript;
    if (s_.substr(i_, e - i_).find('\n') != std::string_view::npos) {
      newline_ = true;
    }
    i_ = e + 2;
    return Blank::kSkipped;
  }
  if (c == '<' && s_.substr(i_).starts_with("<!--")) {  // HTML-like comment
    while (i_ < n_ && s_[i_] != '\n') ++i_;
    return Blank::kSkipped;
  }
  return Blank::kNone;
}

void Tokenizer::ReadString() {
  const char quote = s_[i_];
  const size_t b = i_++;
  bool substitution = false;
  int braces = 0;  // depth inside a template's ${...}
  while (i_ < n_) {
    const char d = s_[i_];
    if (d == '\\') {
      i_ += 2;
      continue;
    }
    if (quote == '`') {
      if (braces == 0 && d == '$' && i_ + 1 < n_ && s_[i_ + 1] == '{') {
        substitution = true;
        braces = 1;
        i_ += 2;
        continue;
      }
      if (braces > 0) {
        if (d == '{') ++braces;
        if (d == '}') --braces;
        ++i_;
        continue;
      }
    } else if (d == '\n' || d == '\r') {
      break;
    }
    ++i_;
    if (d == quote) break;
  }
  i_ = std::min(i_, n_);
  Push(Token::kString, b, i_);
  tokens_.back().template_with_substitution = substitution;
}

void Tokenizer::ReadNumber() {
  const size_t b = i_;
  while (i_ < n_ &&
         (absl::ascii_isalnum(s_[i_]) || s_[i_] == '.' || s_[i_] == '_')) {
    ++i_;
  }
  Push(Token::kNumber, b, i_);
}

void Tokenizer::ReadIdent() {
  const size_t b = i_++;
  while (i_ < n_ && IsIdentPart(s_[i_])) ++i_;
  Push(Token::kIdent, b, i_);
}

bool Tokenizer::SlashStartsRegex() const {
  if (tokens_.empty()) return true;
  const Token& p = tokens_.back();
  if (p.kind == Token::kPunct) {
    const char pc = s_[p.begin];
    return pc != ')' && pc != ']';
  }
  if (p.kind == Token::kIdent) {
    return IsRegexKeyword(s_.substr(p.begin, p.end - p.begin));
  }
  return false;
}

bool Tokenizer::ReadRegex() {
  size_t j = i_ + 1;
  bool in_class = false;
  while (j < n_ && s_[j] != '\n' && s_[j] != '\r') {
    const char d = s_[j];
    if (d == '\\') {
      j += 2;
      continue;
    }
    if (d == '[') in_class = true;
    if (d == ']') in_class = false;
    if (d == '/' && !in_class) {
      ++j;
      while (j < n_ && IsIdentPart(s_[j])) ++j;  // flags
      Push(Token::kNumber, i_, j);  // a value, never a string we read
      i_ = j;
      return true;
    }
    ++j;
  }
  return false;
}

// Punctuation: the multi-character operators the evaluator tells apart
// ("==" from "=", "+=" from "+"), the rest one character each.
void Tokenizer::ReadPunct() {
  size_t len = 1;
  static constexpr std::string_view kOps[] = {
      "===", "!==", "==", "!=", "+=", "=>", "<=", ">=", "&&", "||", "++"};
  for (std::string_view op : kOps) {
    if (s_.substr(i_, op.size()) == op) {
      len = op.size();
      break;
    }
  }
  Push(Token::kPunct, i_, i_ + len);
  i_ += len;
}

void Tokenizer::Push(Token::Kind kind, size_t begin, size_t end) {
  tokens_.push_back(Token{kind, static_cast<uint32_t>(begin),
                          static_cast<uint32_t>(end), newline_, false});
  newline_ = false;
}

std::vector<Token> Tokenize(std::string_view s) { return Tokenizer(s).Run(); }

// Resolves the escapes of a string literal's body into `out`, at most
// `cap` bytes; returns false when it was cut.
bool UnescapeLiteral(std::string_view body, size_t cap, std::string& out) {
  Utf16Sink units(out);
  size_t i = 0;
  const size_t n = body.size();
  while (i < n) {
    if (out.size() >= cap) return false;
    const char c = body[i];
    if (c != '\\') {
      // Copy a run without escapes at once.
      size_t j = body.find('\\', i);
      if (j == std::string_view::npos) j = n;
      const size_t take = std::min(j - i, cap - out.size());
      units.Flush();
      out.append(body.substr(i, take));
      if (take < j - i) return false;
      i = j;
      continue;
    }
    if (i + 1 >= n) break;
    const char e = body[i + 1];
    i += 2;
    switch (e) {
      case 'n':
        units.Add('\n');
        break;
      case 't':
        units.Add('\t');
        break;
      case 'r':
        units.Add('\r');
        break;
      case 'b':
        units.Add('\b');
        break;
      case 'f':
        units.Add('\f');
        break;
      case 'v':
        units.Add('\v');
        break;
      case '0':
        units.Add(0);
        break;
      case '\r':
        if (i < n && body[i] == '\n') ++i;
        break;
      case '\n':
        break;  // line continuation
      case 'x': {
        const int64_t v = ReadHex(body, i, 2);
        if (v < 0) {
          units.Add('x');
        } else {
          units.Add(static_cast<uint32_t>(v));
          i += 2;
        }
        break;
      }
      case 'u': {
        if (i < n && body[i] == '{') {
          const size_t close = body.find('}', i);
          if (close != std::string_view::npos && close - i - 1 <= 6 &&
              close > i + 1) {
            const int64_t v = ReadHex(body, i + 1, close - i - 1);
            if (v >= 0) {
              units.Add(static_cast<uint32_t>(v));
              i = close + 1;
              break;
            }
          }
          units.Add('u');
          break;
        }
        const int64_t v = ReadHex(body, i, 4);
        if (v < 0) {
          units.Add('u');
        } else {
          units.Add(static_cast<uint32_t>(v));
          i += 4;
        }
        break;
      }
      default:
        units.Flush();
        out.push_back(e);
    }
  }
  units.Flush();
  if (out.size() > cap) {
    out.resize(cap);
    return false;
  }
  return true;
}

bool IsHttpMethod(std::string_view m) {
  static constexpr std::string_view kMethods[] = {
      "get", "post", "put", "patch", "delete", "head", "options"};
  for (std::string_view k : kMethods) {
    if (EqualsIgnoreCase(m, k)) return true;
  }
  return false;
}

// A string value the evaluator computed.
struct Value {
  std::string text;
  bool truncated = false;
  int parts = 0;              // operands joined with '+'
  std::string outer_decoder;  // the decoder applied last, if any
  bool uses_decoder = false;  // a decoder call anywhere inside
};

// The scanner: tokens of one script, the variables it assigned literals
// to, and the budgets of one ScanScript call.
class Scanner {
 public:
  Scanner(std::string_view script, const ScriptScanLimits& limits)
      : s_(script),
        limits_(limits),
        tokens_(Tokenize(script)),
        work_left_(limits.max_bytes * kWorkFactor + 4096) {}

  ScriptScan Run();

 private:
  std::string_view Text(const Token& t) const {
    return s_.substr(t.begin, t.end - t.begin);
  }
  bool IsPunct(size_t i, std::string_view p) const {
    return i < tokens_.size() && tokens_[i].kind == Token::kPunct &&
           Text(tokens_[i]) == p;
  }
  bool IsIdent(size_t i) const {
    return i < tokens_.size() && tokens_[i].kind == Token::kIdent;
  }
  // Reads a dotted chain a.b.c starting at `i`; returns its end.
  size_t ReadChain(size_t i, std::vector<std::string_view>& chain) const;
  // The index after the ')' that closes the '(' at `open`.
  size_t SkipParens(size_t open) const;
  bool AtStatementEnd(size_t i) const {
    return i >= tokens_.size() || IsPunct(i, ";") || IsPunct(i, ",") ||
           IsPunct(i, ")") || IsPunct(i, "}") || IsPunct(i, "]") ||
           tokens_[i].newline_before;
  }

  // Expression evaluation: *i advances past what was read.
  std::optional<Value> EvalExpr(size_t* i, int depth, size_t cap);
  std::optional<Value> EvalTerm(size_t* i, int depth, size_t cap);
  std::optional<Value> EvalCall(std::string_view callee, size_t* i, int depth,
                                size_t cap);
  std::optional<Value> EvalCharCodes(size_t* i, size_t close_punct_index,
                                     size_t cap);
  // An array literal of string expressions at `*i` ('['), its elements.
  std::optional<std::vector<std::string>> EvalArray(size_t* i, int depth,
                                                    size_t cap);
  // `.join(SEP)` of `parts` at `*i` ('.'): kits split a base64 payload
  // into an array and join it before atob.
  std::optional<Value> EvalJoin(const std::vector<std::string>& parts,
                                size_t* i, int depth, size_t cap);
  bool Spend(size_t bytes) {
    if (bytes > work_left_) {
      work_left_ = 0;
      out_.truncated = true;
      return false;
    }
    work_left_ -= bytes;
    return true;
  }
  size_t BlobCap() const { return limits_.max_bytes - blob_bytes_; }

  // Index of the value of key `key` in the object literal opening at
  // `brace`, top level only; npos when absent.
  size_t FindObjectKey(size_t brace, std::string_view key) const;
  std::string EvalUrlAt(size_t i);
  std::string EvalMethodAt(size_t i);

  void AddSink(SinkKind kind, std::string url, std::string method);
  void AddBlob(Value v);
  void AddLiteral(std::string text, bool cut);
  // Each returns the index to continue at, or npos when nothing matched.
  size_t TryCall(size_t i, const std::vector<std::string_view>& chain,
                 size_t after);
  size_t TryAssignment(size_t start, const std::vector<std::string_view>& chain,
                       size_t after);

  std::string_view s_;
  ScriptScanLimits limits_;
  std::vector<Token> tokens_;
  size_t work_left_;
  size_t blob_bytes_ = 0;
  size_t literal_bytes_ = 0;
  absl::flat_hash_map<std::string_view, std::string> vars_;
  // Variables assigned an array literal of strings.
  absl::flat_hash_map<std::string_view, std::vector<std::string>> arrays_;
  ScriptScan out_;
};

size_t Scanner::ReadChain(size_t i,
                          std::vector<std::string_view>& chain) const {
  chain.clear();
  while (IsIdent(i)) {
    chain.push_back(Text(tokens_[i]));
    ++i;
    if (IsPunct(i, ".") && IsIdent(i + 1)) {
      ++i;
      continue;
    }
    break;
  }
  return i;
}

size_t Scanner::SkipParens(size_t open) const {
  int level = 0;
  for (size_t i = open; i < tokens_.size(); ++i) {
    if (tokens_[i].kind != Token::kPunct) continue;
    const char c = s_[tokens_[i].begin];
    if (c == '(') ++level;
    if (c == ')' && --level == 0) return i + 1;
  }
  return tokens_.size();
}

std::optional<Value> Scanner::EvalExpr(size_t* i, int depth, size_t cap) {
  std::optional<Value> v = EvalTerm(i, depth, cap);
  if (!v) return std::nullopt;
  while (IsPunct(*i, "+")) {
    size_t j = *i + 1;
    const size_t room = cap > v->text.size() ? cap - v->text.size() : 0;
    std::optional<Value> rhs = EvalTerm(&j, depth, room);
    if (!rhs) return std::nullopt;
    if (!Spend(rhs->text.size())) return std::nullopt;
    v->text += rhs->text;
    v->truncated |= rhs->truncated;
    v->parts += rhs->parts;
    v->uses_decoder |= rhs->uses_decoder;
    v->outer_decoder.clear();  // a join is no longer one decoder's output
    *i = j;
  }
  return v;
}

std::optional<Value> Scanner::EvalTerm(size_t* i, int depth, size_t cap) {
  if (depth > kMaxExprDepth) {
    out_.truncated = true;
    return std::nullopt;
  }
  if (*i >= tokens_.size()) return std::nullopt;
  const Token& t = tokens_[*i];
  if (t.kind == Token::kString) {
    if (t.template_with_substitution) return std::nullopt;
    Value v;
    v.parts = 1;
    std::string_view body = Text(t).substr(1);
    if (!body.empty() && body.back() == s_[t.begin] && t.end - t.begin >= 2) {
      body.remove_suffix(1);
    }
    v.truncated = !UnescapeLiteral(body, cap, v.text);
    if (!Spend(v.text.size())) return std::nullopt;
    ++*i;
    return v;
  }
  if (IsPunct(*i, "(")) {
    size_t j = *i + 1;
    std::optional<Value> v = EvalExpr(&j, depth + 1, cap);
    if (!v || !IsPunct(j, ")")) return std::nullopt;
    *i = j + 1;
    return v;
  }
  if (IsPunct(*i, "[")) {
    size_t j = *i;
    std::optional<std::vector<std::string>> parts = EvalArray(&j, depth, cap);
    if (!parts) return std::nullopt;
    std::optional<Value> v = EvalJoin(*parts, &j, depth, cap);
    if (v) *i = j;
    return v;
  }
  if (t.kind != Token::kIdent) return std::nullopt;
  std::vector<std::string_view> chain;
  const size_t after = ReadChain(*i, chain);
  if (chain.size() == 2 && chain[1] == "join" && IsPunct(after, "(")) {
    auto it = arrays_.find(chain[0]);
    if (it == arrays_.end()) return std::nullopt;
    size_t j = after - 2;  // at the '.' before "join"
    std::optional<Value> v = EvalJoin(it->second, &j, depth, cap);
    if (v) *i = j;
    return v;
  }
  if (IsPunct(after, "(")) {
    std::string callee;
    for (size_t k = 0; k < chain.size(); ++k) {
      if (k > 0) callee += '.';
      callee += chain[k];
    }
    size_t j = after;
    std::optional<Value> v = EvalCall(callee, &j, depth, cap);
    if (v) *i = j;
    return v;
  }
  if (chain.size() == 1) {
    auto it = vars_.find(chain[0]);
    if (it == vars_.end()) return std::nullopt;
    Value v;
    v.parts = 1;
    v.text = it->second.substr(0, cap);
    v.truncated = v.text.size() < it->second.size();
    if (!Spend(v.text.size())) return std::nullopt;
    *i = after;
    return v;
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> Scanner::EvalArray(size_t* i, int depth,
                                                           size_t cap) {
  if (!IsPunct(*i, "[")) return std::nullopt;
  std::vector<std::string> parts;
  size_t total = 0;
  size_t j = *i + 1;
  while (!IsPunct(j, "]")) {
    std::optional<Value> v = EvalExpr(&j, depth + 1, cap - total);
    if (!v) return std::nullopt;
    total += v->text.size();
    parts.push_back(std::move(v->text));
    if (total >= cap || parts.size() > 65536) return std::nullopt;
    if (IsPunct(j, ",")) {
      ++j;
    } else if (!IsPunct(j, "]")) {
      return std::nullopt;
    }
  }
  *i = j + 1;
  return parts;
}

std::optional<Value> Scanner::EvalJoin(const std::vector<std::string>& parts,
                                       size_t* i, int depth, size_t cap) {
  size_t j = *i;
  if (!IsPunct(j, ".") || !IsIdent(j + 1) || Text(tokens_[j + 1]) != "join" ||
      !IsPunct(j + 2, "(")) {
    return std::nullopt;
  }
  j += 3;
  std::string separator = ",";  // join() with no argument
  if (!IsPunct(j, ")")) {
    std::optional<Value> sep = EvalExpr(&j, depth + 1, cap);
    if (!sep || !IsPunct(j, ")")) return std::nullopt;
    separator = std::move(sep->text);
  }
  Value v;
  v.parts = static_cast<int>(parts.size());
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) v.text += separator;
    v.text += parts[k];
    if (v.text.size() > cap) {
      v.text.resize(cap);
      v.truncated = true;
      break;
    }
  }
  if (!Spend(v.text.size())) return std::nullopt;
  *i = j + 1;
  return v;
}

// The decoder name a callee stands for, or "" when it is not one.
std::string_view DecoderName(std::string_view callee) {
  for (std::string_view prefix : {"window.", "self.", "globalThis."}) {
    if (callee.starts_with(prefix)) {
      callee.remove_prefix(prefix.size());
      break;
    }
  }
  if (callee == "atob") return "atob";
  if (callee == "unescape") return "unescape";
  if (callee == "decodeURIComponent") return "decodeURIComponent";
  if (callee == "decodeURI") return "decodeURIComponent";
  if (callee == "String.fromCharCode" ||
      callee == "String.fromCharCode.apply" ||
      callee == "String.fromCodePoint") {
    return "fromCharCode";
  }
  return "";
}

std::optional<Value> Scanner::EvalCharCodes(size_t* i, size_t close,
                                            size_t cap) {
  // *i is at the first number; numbers separated by ',' up to `close`.
  Value v;
  v.parts = 1;
  {
    Utf16Sink units(v.text);
    size_t j = *i;
    while (j < close) {
      if (tokens_[j].kind != Token::kNumber) return std::nullopt;
      std::string_view num = Text(tokens_[j]);
      uint64_t value = 0;
      bool ok = !num.empty();
      if (num.size() > 2 && num[0] == '0' && (num[1] == 'x' || num[1] == 'X')) {
        for (char c : num.substr(2)) {
          const int h = HexValue(c);
          if (h < 0) ok = false;
          value = std::min<uint64_t>(value * 16 + std::max(h, 0), 0x10FFFF);
        }
      } else {
        for (char c : num) {
          if (!absl::ascii_isdigit(c)) ok = false;
          value = std::min<uint64_t>(value * 10 + (c - '0'), 0x10FFFF);
        }
      }
      if (!ok) return std::nullopt;
      if (v.text.size() < cap) {
        units.Add(static_cast<uint32_t>(value));
      } else {
        v.truncated = true;
      }
      ++j;
      if (j < close && !IsPunct(j, ",")) return std::nullopt;
      if (j < close) ++j;
    }
  }
  if (v.text.size() > cap) v.text.resize(cap);
  if (!Spend(v.text.size())) return std::nullopt;
  *i = close;
  return v;
}

std::optional<Value> Scanner::EvalCall(std::string_view callee, size_t* i,
                                       int depth, size_t cap) {
  const std::string_view name = DecoderName(callee);
  if (name.empty()) return std::nullopt;
  const size_t open = *i;  // at '('
  const size_t end = SkipParens(open);
  if (end > tokens_.size() || !IsPunct(end - 1, ")")) return std::nullopt;
  const size_t close = end - 1;
  std::optional<Value> v;
  if (name == "fromCharCode") {
    size_t j = open + 1;
    if (callee.ends_with(".apply")) {
      // String.fromCharCode.apply(null, [60, 104, ...])
      while (j < close && !IsPunct(j, "[")) ++j;
      const size_t bracket_end = j + 1;
      size_t k = bracket_end;
      while (k < close && !IsPunct(k, "]")) ++k;
      if (k >= close) return std::nullopt;
      j = bracket_end;
      v = EvalCharCodes(&j, k, cap);
    } else {
      v = EvalCharCodes(&j, close, cap);
    }
    if (!v) return std::nullopt;
  } else {
    size_t j = open + 1;
    // The argument may hide up to ~2x (percent) or 4/3 (base64) more
    // bytes than its decoded size.
    const size_t arg_cap = cap > (SIZE_MAX - 4) / 3 ? cap : cap * 3 + 4;
    std::optional<Value> arg = EvalExpr(&j, depth + 1, arg_cap);
    if (!arg || !(IsPunct(j, ")") || IsPunct(j, ","))) return std::nullopt;
    v.emplace();
    v->parts = 1;
    v->truncated = arg->truncated;
    if (name == "atob") {
      std::optional<std::string> d = DecodeBase64(arg->text, cap);
      if (!d) return std::nullopt;
      v->truncated |= d->size() >= cap && arg->text.size() / 4 * 3 > cap;
      v->text = std::move(*d);
    } else {
      v->text = DecodePercent(arg->text, cap);
      v->truncated |= v->text.size() >= cap && arg->text.size() > cap;
    }
    if (!Spend(v->text.size())) return std::nullopt;
  }
  v->outer_decoder = std::string(name);
  v->uses_decoder = true;
  *i = end;
  return v;
}

size_t Scanner::FindObjectKey(size_t brace, std::string_view key) const {
  int level = 0;
  for (size_t i = brace; i < tokens_.size(); ++i) {
    const Token& t = tokens_[i];
    if (t.kind == Token::kPunct) {
      const char c = s_[t.begin];
      if (c == '{' || c == '(' || c == '[') ++level;
      if (c == '}' || c == ')' || c == ']') {
        if (--level == 0) return std::string_view::npos;
      }
      continue;
    }
    if (level != 1 || !IsPunct(i + 1, ":")) continue;
    if (i > brace + 1 && !IsPunct(i - 1, ",") && !IsPunct(i - 1, "{")) {
      continue;
    }
    std::string_view name = Text(t);
    if (t.kind == Token::kString && name.size() >= 2) {
      name = name.substr(1, name.size() - 2);
    }
    if (name == key) return i + 2;
  }
  return std::string_view::npos;
}

std::string Scanner::EvalUrlAt(size_t i) {
  size_t j = i;
  std::optional<Value> v = EvalExpr(&j, 0, limits_.max_bytes);
  if (!v) return "";
  return std::move(v->text);
}

std::string Scanner::EvalMethodAt(size_t i) {
  std::string m = EvalUrlAt(i);
  if (!IsHttpMethod(m)) return "";
  return ToLower(m);
}

void Scanner::AddSink(SinkKind kind, std::string url, std::string method) {
  if (out_.sinks.size() >= limits_.max_items) {
    out_.truncated = true;
    return;
  }
  out_.sinks.push_back(ScriptSink{kind, std::move(url), std::move(method)});
}

void Scanner::AddBlob(Value v) {
  if (v.text.empty()) return;
  const size_t room = BlobCap();
  if (v.text.size() > room) {
    v.text.resize(room);
    v.truncated = true;
  }
  if (v.truncated) out_.truncated = true;
  if (v.text.empty()) return;
  blob_bytes_ += v.text.size();
  out_.blobs.push_back(
      DecodedBlob{v.outer_decoder.empty() ? "string-concat" : v.outer_decoder,
                  std::move(v.text), v.truncated});
}

void Scanner::AddLiteral(std::string text, bool cut) {
  const size_t room = limits_.max_bytes - literal_bytes_;
  if (text.size() > room) {
    text.resize(room);
    cut = true;
  }
  if (cut) out_.truncated = true;
  if (text.empty()) return;
  literal_bytes_ += text.size();
  out_.literals.push_back(std::move(text));
}

bool IsWindowLike(std::string_view name) {
  return name == "window" || name == "self" || name == "top" ||
         name == "parent" || name == "globalThis" || name == "document" ||
         name == "this";
}

// location, window.location, document.location, top.location, ...
bool IsLocation(const std::vector<std::string_view>& chain, size_t size) {
  if (size == 0 || chain[size - 1] != "location") return false;
  for (size_t k = 0; k + 1 < size; ++k) {
    if (!IsWindowLike(chain[k])) return false;
  }
  return true;
}

size_t Scanner::TryCall(size_t i, const std::vector<std::string_view>& chain,
                        size_t after) {
  const size_t arg0 = after + 1;
  const std::string_view last = chain.back();
  const size_t n = chain.size();
  const bool global = n == 1 || (n == 2 && IsWindowLike(chain[0]));
  if (global && last == "fetch") {
    std::string url = EvalUrlAt(arg0);
    std::string method;
    // fetch(url, {method: "POST", ...})
    const size_t end = SkipParens(after);
    for (size_t k = arg0; k + 1 < end; ++k) {
      if (IsPunct(k, ",") && IsPunct(k + 1, "{")) {
        const size_t m = FindObjectKey(k + 1, "method");
        if (m != std::string_view::npos) method = EvalMethodAt(m);
        break;
      }
      if (IsPunct(k, "(") || IsPunct(k, "[") || IsPunct(k, "{")) {
        k = SkipParens(k) - 1;  // skip nested groups roughly
        if (!IsPunct(k, ")")) break;
      }
    }
    AddSink(SinkKind::kFetch, std::move(url),
            method.empty() ? "get" : std::move(method));
    return i + 1;
  }
  if (last == "open" && n == 2 && IsWindowLike(chain[0]) &&
      chain[0] != "document") {
    AddSink(SinkKind::kWindowOpen, EvalUrlAt(arg0), "");
    return i + 1;
  }
  if (last == "open" && n >= 2) {
    // xhr.open("POST", url): the first argument must be a method, so
    // other .open() calls (dialogs, menus) stay out.
    size_t j = arg0;
    std::optional<Value> m = EvalExpr(&j, 0, 16);
    if (m && IsHttpMethod(m->text) && IsPunct(j, ",")) {
      AddSink(SinkKind::kXmlHttpRequest, EvalUrlAt(j + 1), ToLower(m->text));
    }
    return i + 1;
  }
  if (n == 2 && (chain[0] == "$" || chain[0] == "jQuery") &&
      (last == "ajax" || last == "post" || last == "get" ||
       last == "getJSON")) {
    std::string method = last == "post" ? "post" : "get";
    std::string url;
    if (IsPunct(arg0, "{")) {
      const size_t u = FindObjectKey(arg0, "url");
      if (u != std::string_view::npos) url = EvalUrlAt(u);
      size_t m = FindObjectKey(arg0, "method");
      if (m == std::string_view::npos) m = FindObjectKey(arg0, "type");
      if (m != std::string_view::npos) {
        std::string said = EvalMethodAt(m);
        if (!said.empty()) method = std::move(said);
      }
    } else {
      url = EvalUrlAt(arg0);
    }
    AddSink(SinkKind::kJqueryAjax, std::move(url), std::move(method));
    return i + 1;
  }
  if (n == 2 && chain[0] == "navigator" && last == "sendBeacon") {
    AddSink(SinkKind::kSendBeacon, EvalUrlAt(arg0), "post");
    return i + 1;
  }
  if ((last == "replace" || last == "assign") && IsLocation(chain, n - 1)) {
    AddSink(SinkKind::kLocation, EvalUrlAt(arg0), "");
    return i + 1;
  }
  if (global && last == "WebSocket" && i > 0 &&
      tokens_[i - 1].kind == Token::kIdent && Text(tokens_[i - 1]) == "new") {
    AddSink(SinkKind::kWebSocket, EvalUrlAt(arg0), "");
    return i + 1;
  }
  return std::string_view::npos;
}

size_t Scanner::TryAssignment(size_t /*start*/,
                              const std::vector<std::string_view>& chain,
                              size_t after) {
  const size_t n = chain.size();
  const bool plus = IsPunct(after, "+=");
  if (!plus && !IsPunct(after, "=")) return std::string_view::npos;
  const size_t rhs = after + 1;
  if (!plus && (IsLocation(chain, n) || (n >= 2 && chain[n - 1] == "href" &&
                                         IsLocation(chain, n - 1)))) {
    AddSink(SinkKind::kLocation, EvalUrlAt(rhs), "");
    return rhs;
  }
  if (!plus && n >= 2 && chain[n - 1] == "action") {
    AddSink(SinkKind::kFormAction, EvalUrlAt(rhs), "");
    return rhs;
  }
  if (n != 1) return std::string_view::npos;
  if (!plus && IsPunct(rhs, "[")) {
    size_t j = rhs;
    std::optional<std::vector<std::string>> parts =
        EvalArray(&j, 0, limits_.max_bytes);
    if (parts && AtStatementEnd(j)) {
      arrays_[chain[0]] = *std::move(parts);
      vars_.erase(chain[0]);
      return rhs;
    }
  }
  arrays_.erase(chain[0]);
  // A variable (declared or not): remember what it holds when that is a
  // literal value, and forget it when it is assigned anything else.
  size_t j = rhs;
  std::optional<Value> v = EvalExpr(&j, 0, limits_.max_bytes);
  if (!v || !AtStatementEnd(j)) {
    vars_.erase(chain[0]);
    return rhs;
  }
  if (plus) {
    auto it = vars_.find(chain[0]);
    if (it == vars_.end()) return rhs;
    if (!Spend(v->text.size())) return rhs;
    it->second += v->text;
    if (it->second.size() > limits_.max_bytes) {
      it->second.resize(limits_.max_bytes);
      out_.truncated = true;
    }
    return rhs;
  }
  vars_[chain[0]] = v->text;
  return rhs;
}

ScriptScan Scanner::Run() {
  std::vector<std::string_view> chain;
  size_t i = 0;
  const size_t n = tokens_.size();
  while (i < n) {
    if (work_left_ == 0) {
      out_.truncated = true;
      break;
    }
    const Token& t = tokens_[i];
    if (t.kind == Token::kString) {
      // A run of literals joined with '+' is one literal; a run that
      // also reads variables or decoders is evaluated for a blob.
      const bool continues_join = i > 0 && IsPunct(i - 1, "+");
      size_t j = i;
      std::string joined;
      bool cut = false;
      int parts = 0;
      const size_t room = limits_.max_bytes - literal_bytes_;
      while (j < n && tokens_[j].kind == Token::kString) {
        const Token& lit = tokens_[j];
        std::string_view body = Text(lit).substr(1);
        if (!body.empty() && body.back() == s_[lit.begin] &&
            lit.end - lit.begin >= 2) {
          body.remove_suffix(1);
        }
        if (joined.size() < room) {
          cut |= !UnescapeLiteral(body, room - joined.size(), joined);
        } else {
          cut = true;
        }
        ++parts;
        ++j;
        if (IsPunct(j, "+") && j + 1 < n &&
            tokens_[j + 1].kind == Token::kString) {
          ++j;
          continue;
        }
        break;
      }
      if (!continues_join && parts >= 2) {
        Value v;
        v.text = joined;
        v.truncated = cut;
        v.parts = parts;
        AddBlob(std::move(v));
      }
      AddLiteral(std::move(joined), cut);
      i = j;
      continue;
    }
    if (t.kind == Token::kIdent && i > 0 && IsPunct(i - 1, ".") &&
        Text(t) == "action" && IsPunct(i + 1, "=")) {
      // document.forms[0].action = "...": the chain before the '.' may
      // hold an index, so the property is matched on its own.
      AddSink(SinkKind::kFormAction, EvalUrlAt(i + 2), "");
      i += 2;
      continue;
    }
    if (t.kind != Token::kIdent || (i > 0 && IsPunct(i - 1, "."))) {
      ++i;
      continue;
    }
    const size_t after = ReadChain(i, chain);
    if (IsPunct(after, "(")) {
      // A decoder call: report it once, under its outer decoder.
      std::string callee;
      for (size_t k = 0; k < chain.size(); ++k) {
        if (k > 0) callee += '.';
        callee += chain[k];
      }
      if (!DecoderName(callee).empty()) {
        size_t j = i;
        std::optional<Value> v = EvalTerm(&j, 0, BlobCap());
        if (v) {
          AddBlob(std::move(*v));
          i = j;
          continue;
        }
        ++i;
        continue;
      }
      const size_t next = TryCall(i, chain, after);
      i = next != std::string_view::npos ? next : i + 1;
      continue;
    }
    const size_t next = TryAssignment(i, chain, after);
    i = next != std::string_view::npos ? next : after;
  }
  return std::move(out_);
}

}  // namespace

ScriptScan ScanScript(std::string_view script, const ScriptScanLimits& limits) {
  Scanner scanner(script, limits);
  return scanner.Run();
}

std::vector<std::string> StringLiterals(std::string_view script,
                                        size_t max_bytes) {
  return ScanScript(script, ScriptScanLimits{.max_bytes = max_bytes}).literals;
}

std::vector<DecodedBlob> DecodeScript(std::string_view script,
                                      size_t max_bytes) {
  return ScanScript(script, ScriptScanLimits{.max_bytes = max_bytes}).blobs;
}

std::optional<std::string> DecodeDataUri(std::string_view uri,
                                         size_t max_bytes) {
  size_t b = 0;
  while (b < uri.size() && static_cast<unsigned char>(uri[b]) <= ' ') ++b;
  uri.remove_prefix(b);
  if (uri.size() < 5 || !EqualsIgnoreCase(uri.substr(0, 5), "data:")) {
    return std::nullopt;
  }
  uri.remove_prefix(5);
  const size_t comma = uri.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  const std::string header = ToLower(uri.substr(0, comma));
  const std::string_view payload = uri.substr(comma + 1);
  std::string_view media(header);
  const size_t semi = media.find(';');
  const bool base64 = Contains(header, ";base64");
  if (semi != std::string_view::npos) media = media.substr(0, semi);
  media = StripWhitespace(media);
  // No media type means text/plain (RFC 2397).
  const bool text_like =
      media.empty() || media.starts_with("text/") || media == "image/svg+xml" ||
      media == "application/xhtml+xml" || media == "application/javascript" ||
      media == "application/ecmascript" ||
      media == "application/x-javascript" || media == "application/xml";
  if (!text_like) return std::nullopt;
  if (base64)
    return DecodeBase64(DecodePercent(payload, payload.size()), max_bytes);
  return DecodePercent(payload, max_bytes);
}

std::optional<std::string> DecodeBase64(std::string_view text,
                                        size_t max_bytes) {
  std::string out;
  out.reserve(std::min(max_bytes, text.size() / 4 * 3 + 3));
  uint32_t acc = 0;
  int bits = 0;
  size_t sextets = 0;
  bool padding = false;
  for (const char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      continue;
    } else if (c == '=') {
      padding = true;
      continue;
    } else {
      return std::nullopt;
    }
    if (padding) return std::nullopt;  // data after '='
    ++sextets;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out.size() >= max_bytes) return out;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (sextets % 4 == 1) return std::nullopt;  // atob throws on these
  return out;
}

std::string DecodePercent(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(max_bytes, text.size()));
  size_t i = 0;
  while (i < text.size() && out.size() < max_bytes) {
    const char c = text[i];
    if (c == '%') {
      if (i + 1 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U')) {
        const int64_t v = ReadHex(text, i + 2, 4);
        if (v >= 0) {
          // unescape gives UTF-16 units; pair surrogates written as two.
          uint32_t cp = static_cast<uint32_t>(v);
          i += 6;
          if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < text.size() &&
              text[i] == '%' && (text[i + 1] == 'u' || text[i + 1] == 'U')) {
            const int64_t lo = ReadHex(text, i + 2, 4);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) +
                   (static_cast<uint32_t>(lo) - 0xDC00);
              i += 6;
            }
          }
          AppendUtf8(cp, out);
          continue;
        }
      }
      const int64_t v = ReadHex(text, i + 1, 2);
      if (v >= 0) {
        out.push_back(static_cast<char>(v));
        i += 3;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

}  // namespace lureguard::mail::internal
