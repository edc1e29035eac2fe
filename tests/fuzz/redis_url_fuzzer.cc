// Fuzz target for the Redis URL parser (counter_store.url and
// --counter_store). Besides the sanitizers, it checks the promises of
// server/login/internal/redis_client.h: a parsed endpoint is usable, and
// an error names the field and never repeats a password.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "server/login/internal/redis_client.h"
#include "tests/fuzz/fuzz_check.h"

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
  // The usage hint spells out the URL's shape, placeholders and all
  // ("[[user]:password@]"); only what the input put into the message
  // counts as repeated.
  const std::string echoed = absl::StrReplaceAll(
      message, {{"redis://[[user]:password@]host[:port][/db]", ""}});
  const size_t scheme = input.find("://");
  const size_t at = input.rfind('@');
  if (scheme != std::string_view::npos && at != std::string_view::npos &&
      at > scheme + 3) {
    const std::string_view credentials =
        input.substr(scheme + 3, at - scheme - 3);
    // Short strings occur in any message by chance; a password does not.
    if (credentials.size() >= 8) {
      Check(echoed.find(credentials) == std::string::npos,
            "an error never repeats the credentials", input);
    }
  }
  return 0;
}
