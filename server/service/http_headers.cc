#include "server/service/http_headers.h"

#include <algorithm>

#include "absl/strings/match.h"

namespace lureguard::service {

std::optional<absl::string_view> HttpHeaders::Get(
    absl::string_view name) const {
  for (const Field& field : fields_) {
    if (absl::EqualsIgnoreCase(field.first, name)) return field.second;
  }
  return std::nullopt;
}

std::string HttpHeaders::GetOr(absl::string_view name,
                               absl::string_view fallback) const {
  std::optional<absl::string_view> value = Get(name);
  return std::string(value.has_value() ? *value : fallback);
}

void HttpHeaders::Set(absl::string_view name, absl::string_view value) {
  Remove(name);
  Add(name, value);
}

void HttpHeaders::Add(absl::string_view name, absl::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

void HttpHeaders::Remove(absl::string_view name) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [name](const Field& field) {
                                 return absl::EqualsIgnoreCase(field.first,
                                                               name);
                               }),
                fields_.end());
}

}  // namespace lureguard::service
