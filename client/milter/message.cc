#include "client/milter/message.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lureguard::milter {
namespace {

absl::string_view WithoutBrackets(absl::string_view address) {
  address = absl::StripAsciiWhitespace(address);
  if (absl::StartsWith(address, "<") && absl::EndsWith(address, ">")) {
    address.remove_prefix(1);
    address.remove_suffix(1);
  }
  return address;
}

// Bare LF (as Postfix keeps folded header lines) becomes CRLF, matching the
// body's line ends on the milter protocol.
void AppendWithCrlf(absl::string_view text, std::string* out) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
      out->push_back('\r');
    out->push_back(text[i]);
  }
}

}  // namespace

MessageCollector::MessageCollector(int64_t max_bytes) : max_bytes_(max_bytes) {
  Reset();
}

void MessageCollector::Reset() {
  sender_.clear();
  recipients_.clear();
  headers_.clear();
  body_.clear();
  subject_.reset();
  message_id_.clear();
  verdict_headers_seen_ = 0;
  size_ = 2;  // the empty line after the headers
}

void MessageCollector::SetSender(absl::string_view sender) {
  sender_ = std::string(WithoutBrackets(sender));
}

void MessageCollector::AddRecipient(absl::string_view recipient) {
  recipients_.emplace_back(WithoutBrackets(recipient));
}

void MessageCollector::AddHeader(absl::string_view name,
                                 absl::string_view value) {
  if (absl::EqualsIgnoreCase(name, kVerdictHeader)) ++verdict_headers_seen_;
  if (absl::EqualsIgnoreCase(name, "Subject") && !subject_.has_value()) {
    subject_ = std::string(value);
  }
  if (absl::EqualsIgnoreCase(name, "Message-ID") && message_id_.empty()) {
    message_id_ = std::string(absl::StripAsciiWhitespace(value));
  }
  const bool leading_space =
      !value.empty() && (value[0] == ' ' || value[0] == '\t');
  size_t bare_line_feeds = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r')) {
      ++bare_line_feeds;
    }
  }
  const size_t line_bytes = name.size() + 1 + (leading_space ? 0 : 1) +
                            value.size() + bare_line_feeds + 2;
  size_ += line_bytes;
  if (over_limit()) return;
  absl::StrAppend(&headers_, name, leading_space ? ":" : ": ");
  AppendWithCrlf(value, &headers_);
  headers_.append("\r\n");
}

void MessageCollector::AppendBody(absl::string_view chunk) {
  size_ += chunk.size();
  if (over_limit()) {
    // Nothing kept is ever sent; free it at once.
    std::string().swap(headers_);
    std::string().swap(body_);
    return;
  }
  body_.append(chunk.data(), chunk.size());
}

std::string MessageCollector::Message() const {
  std::string message;
  message.reserve(headers_.size() + 2 + body_.size());
  absl::StrAppend(&message, headers_, "\r\n", body_);
  return message;
}

absl::StatusOr<std::string> BodyOfRewrittenMessage(
    absl::string_view sent_headers, absl::string_view rewritten) {
  const std::string block = absl::StrCat(sent_headers, "\r\n");
  if (absl::StartsWith(rewritten, block)) {
    return std::string(rewritten.substr(block.size()));
  }
  // A changed header block: the body starts after the first empty line.
  size_t crlf = rewritten.find("\r\n\r\n");
  size_t lf = rewritten.find("\n\n");
  if (crlf == absl::string_view::npos && lf == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "rewritten message: no empty line ends the header block");
  }
  if (lf == absl::string_view::npos ||
      (crlf != absl::string_view::npos && crlf < lf)) {
    return std::string(rewritten.substr(crlf + 4));
  }
  return std::string(rewritten.substr(lf + 2));
}

}  // namespace lureguard::milter
