// The header fields of one HTTP request or response: names compared
// without regard to case (RFC 9110 §5.1), order and repeats kept as sent.
//
// Thread safety: a const HttpHeaders may be read from several threads.
//
// Example:
//   HttpHeaders headers;
//   headers.Set("Content-Type", "text/plain");
//   std::optional<absl::string_view> type = headers.Get("content-type");

#ifndef LUREGUARD_SERVER_SERVICE_HTTP_HEADERS_H_
#define LUREGUARD_SERVER_SERVICE_HTTP_HEADERS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace lureguard::service {

class HttpHeaders {
 public:
  using Field = std::pair<std::string, std::string>;

  // The first value of `name`, or nullopt when it is absent.
  std::optional<absl::string_view> Get(absl::string_view name) const;
  // The first value of `name`, or "" when it is absent.
  std::string GetOr(absl::string_view name,
                    absl::string_view fallback = "") const;
  bool Has(absl::string_view name) const { return Get(name).has_value(); }

  // Replaces every field named `name` by one with `value`.
  void Set(absl::string_view name, absl::string_view value);
  // Adds a field, keeping any of the same name (Set-Cookie style).
  void Add(absl::string_view name, absl::string_view value);
  void Remove(absl::string_view name);

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_HTTP_HEADERS_H_
