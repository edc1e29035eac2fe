#include "server/lists/internal/json_array_scanner.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lureguard::lists::internal {
namespace {

bool IsJsonWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string Describe(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f)
    return absl::StrCat("'", absl::string_view(&c, 1), "'");
  return absl::StrFormat("byte 0x%02x", u);
}

}  // namespace

absl::Status JsonArrayScanner::Unexpected(char c,
                                          absl::string_view expected) const {
  return absl::InvalidArgumentError(absl::StrCat(
      "byte ", offset_, ": expected ", expected, ", found ", Describe(c)));
}

absl::Status JsonArrayScanner::Add(absl::string_view chunk,
                                   ElementCallback on_element) {
  for (size_t i = 0; i < chunk.size(); ++i, ++offset_) {
    const char c = chunk[i];
    switch (state_) {
      case State::kBeforeArray:
        // A UTF-8 byte-order mark may open the file.
        if (offset_ < 3 &&
            static_cast<unsigned char>(c) ==
                static_cast<unsigned char>("\xEF\xBB\xBF"[offset_])) {
          continue;
        }
        if (IsJsonWhitespace(c)) continue;
        if (c == '<') {
          // An error page served in place of the dump.
          return absl::InvalidArgumentError(
              "an HTML or XML page, not a JSON array");
        }
        if (c != '[') return Unexpected(c, "'[' opening a JSON array");
        state_ = State::kBeforeElement;
        break;
      case State::kBeforeElement:
        if (IsJsonWhitespace(c)) continue;
        if (c == ']' && !after_comma_) {
          state_ = State::kDone;
          continue;
        }
        if (c != '{') return Unexpected(c, "'{' opening an object");
        state_ = State::kInElement;
        depth_ = 1;
        element_.assign(1, c);
        oversized_ = false;
        break;
      case State::kInElement: {
        // Copy the run of ordinary bytes at once; stop at the bytes that
        // change the structure.
        size_t end = i;
        while (end < chunk.size()) {
          const char d = chunk[end];
          if (in_string_ ? (d == '"' || d == '\\' || escaped_)
                         : (d == '"' || d == '{' || d == '}' || d == '[' ||
                            d == ']')) {
            break;
          }
          ++end;
        }
        if (end > i) {
          if (!oversized_) {
            const size_t room = max_element_bytes_ - element_.size();
            element_.append(chunk.data() + i, std::min(end - i, room));
            oversized_ = end - i > room;
          }
          offset_ += end - i - 1;
          i = end - 1;
          continue;
        }
        if (!oversized_) {
          if (element_.size() < max_element_bytes_) {
            element_.push_back(c);
          } else {
            oversized_ = true;
          }
        }
        if (in_string_) {
          if (escaped_) {
            escaped_ = false;
          } else if (c == '\\') {
            escaped_ = true;
          } else if (c == '"') {
            in_string_ = false;
          }
          continue;
        }
        if (c == '"') {
          in_string_ = true;
        } else if (c == '{' || c == '[') {
          ++depth_;
        } else if (c == '}' || c == ']') {
          if (--depth_ == 0) {
            ++element_count_;
            state_ = State::kAfterElement;
            absl::Status status = on_element(element_, oversized_);
            element_.clear();
            if (!status.ok()) return status;
          }
        }
        break;
      }
      case State::kAfterElement:
        if (IsJsonWhitespace(c)) continue;
        if (c == ',') {
          state_ = State::kBeforeElement;
          after_comma_ = true;
        } else if (c == ']') {
          state_ = State::kDone;
        } else {
          return Unexpected(c, "',' or ']' after an object");
        }
        break;
      case State::kDone:
        if (IsJsonWhitespace(c)) continue;
        return Unexpected(c, "nothing after the array's closing ']'");
    }
  }
  return absl::OkStatus();
}

absl::Status JsonArrayScanner::Finish() const {
  if (state_ == State::kDone) return absl::OkStatus();
  if (state_ == State::kBeforeArray) {
    return absl::InvalidArgumentError("empty input: expected a JSON array");
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the input ends after ", offset_, " bytes inside the JSON array (",
      element_count_, " objects read): truncated"));
}

}  // namespace lureguard::lists::internal
