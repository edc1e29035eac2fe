// Fuzz target for the Authentication-Results parser: every input is parsed
// as a header value. Besides the sanitizers, it checks the promises of
// server/mail/authentication_results.h that hold for every input.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "server/mail/authentication_results.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::fuzz::Check;
using lureguard::mail::AuthenticationResults;
using lureguard::mail::AuthResult;

// The parser's refusal threshold (64 KiB); inputs a little over it check
// the refusal.
constexpr size_t kMaxValue = 64 * 1024;

bool IsLowercase(std::string_view s) {
  for (char c : s) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<AuthenticationResults> r =
      lureguard::mail::ParseAuthenticationResults(input);
  if (size > kMaxValue) {
    Check(r.status().code() == absl::StatusCode::kInvalidArgument,
          "values over 64 KiB are refused", input.substr(0, 256));
    return 0;
  }
  if (!r.ok()) {
    Check(r.status().code() == absl::StatusCode::kInvalidArgument,
          "failures are InvalidArgument", input);
    return 0;
  }
  Check(IsLowercase(r->authserv_id), "authserv-id is lowercase", input);
  Check(r->unparsed.size() <= size, "unparsed is part of the value", input);
  Check(input.find(r->unparsed) != std::string_view::npos,
        "unparsed is a piece of the value", input);
  for (const AuthResult& result : r->results) {
    Check(!result.method.empty() && !result.result.empty(),
          "every result has a method and a result", input);
    Check(IsLowercase(result.method) && IsLowercase(result.result),
          "methods and results are lowercase", input);
    for (const auto& [name, value] : result.properties) {
      Check(!name.empty() && IsLowercase(name),
            "property names are non-empty and lowercase", input);
    }
    if (!result.properties.empty()) {
      Check(result.Property(result.properties[0].first) ==
                result.properties[0].second,
            "Property() finds the first property by name", input);
    }
  }
  return 0;
}
