// Fuzz target for the Redis URL parser (counter_store.url and
// --counter_store). Besides the sanitizers, it checks the promises of
// server/login/internal/redis_client.h: a parsed endpoint is usable, and
// an error names the field and never repeats a password.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "server/login/internal/redis_client.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using lureguard::fuzz::Check;
  absl::StatusOr<lureguard::login::internal::RedisEndpoint> endpoint =
      lureguard::login::internal::ParseRedisUrl(
          "counter_store.url", absl::string_view(input.data(), input.size()));
  if (endpoint.ok()) {
    Check(!endpoint->host.empty(), "a parsed URL has a host", input);
    Check(endpoint->port >= 1 && endpoint->port <= 65535,
          "a parsed port is in [1, 65535]", input);
    Check(endpoint->db >= 0 && endpoint->db <= 15,
          "a parsed database is in [0, 15]", input);
    return 0;
  }
  const std::string message(endpoint.status().message());
  Check(absl::StartsWith(message, "counter_store.url: "),
        "an error names the field", input);
  // A refusal shows the URL quoted after the field name ("field: 'URL'
  // reason") only when it has no '@': one with credentials must not be
  // shown at all. (Looking for the credentials' text in the message
  // flagged the reasons' own words, which inputs copied: "[[user]:
  // password@]", "has a database number out...", "url: is not a ...".)
  if (input.find('@') != std::string_view::npos) {
    Check(!absl::StartsWith(message, "counter_store.url: '"),
          "an error never shows a URL with its credentials", input);
  }
  return 0;
}
