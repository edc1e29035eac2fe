// Splits a JSON array of objects into the objects' texts as the bytes
// arrive, so a feed dump of hundreds of megabytes (PhishTank's JSON is one
// line) never has to be held whole: only one object at a time is buffered.
// The scanner checks only the array's structure (brackets, commas, strings
// and their escapes); each object's text is then parsed on its own.
//
// Thread safety: not thread-safe; one scanner per input.
//
// Example:
//   JsonArrayScanner scanner(/*max_element_bytes=*/65536);
//   absl::Status s = scanner.Add(R"([{"a":1},{"b":"]"}])",
//       [](absl::string_view object, bool oversized) {
//         // called twice: {"a":1} and {"b":"]"}
//         return absl::OkStatus();
//       });
//   s = scanner.Finish();  // OK: the array is closed

#ifndef LUREGUARD_SERVER_LISTS_INTERNAL_JSON_ARRAY_SCANNER_H_
#define LUREGUARD_SERVER_LISTS_INTERNAL_JSON_ARRAY_SCANNER_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lureguard::lists::internal {

class JsonArrayScanner {
 public:
  // Receives each complete element. `oversized` is true when the element
  // was longer than `max_element_bytes`: `object` is then only its first
  // bytes. A non-OK return stops the scan and is returned by Add.
  using ElementCallback =
      absl::FunctionRef<absl::Status(absl::string_view object, bool oversized)>;

  explicit JsonArrayScanner(size_t max_element_bytes)
      : max_element_bytes_(max_element_bytes) {}

  // Scans the next bytes. InvalidArgument naming the byte offset when the
  // input is not an array of objects; the scanner must then be discarded.
  absl::Status Add(absl::string_view chunk, ElementCallback on_element);

  // InvalidArgument if the array was not closed (a truncated download).
  absl::Status Finish() const;

 private:
  enum class State {
    kBeforeArray,    // leading byte-order mark and whitespace
    kBeforeElement,  // after '[' or ','
    kInElement,
    kAfterElement,  // expecting ',' or ']'
    kDone,          // after the closing ']': only whitespace may follow
  };

  absl::Status Unexpected(char c, absl::string_view expected) const;

  const size_t max_element_bytes_;
  State state_ = State::kBeforeArray;
  bool after_comma_ = false;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool oversized_ = false;
  std::string element_;
  int64_t offset_ = 0;  // of the byte being scanned, for messages
  int64_t element_count_ = 0;
};

}  // namespace lureguard::lists::internal

#endif  // LUREGUARD_SERVER_LISTS_INTERNAL_JSON_ARRAY_SCANNER_H_
