// Fuzz target for lureguard-milter's configuration: ParseMilterConfig
// (LoadMilterConfigFile is this parse plus a file read),
// ApplyMilterDefaults, ValidateMilterConfig and the tenant routing built
// from a valid config. Input: the file.
//
// Besides the sanitizers it checks the promises of client/milter/config.h
// and tenant_routing.h: errors are InvalidArgument naming the place,
// defaults are idempotent, a valid config's deadline is within its bounds,
// and every tenant route a valid config accepts routes its own domain to
// its tenant (no route is silently dead).

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "client/milter/config.h"
#include "client/milter/tenant_routing.h"
#include "google/protobuf/util/message_differencer.h"
#include "lureguard/v1/milter_config.pb.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::fuzz::Check;
namespace v1 = ::lureguard::v1;
namespace milter = ::lureguard::milter;

// "max_in_flight: ...", "tenant_routes[2].domain: ...": a field path, then
// ": ".
bool NamesAField(absl::string_view message) {
  for (size_t i = 0; i < message.size();) {
    const char c = message[i];
    if (c == '[') {  // an index, or a quoted map key: [0], ['a.example']
      const size_t close = message.substr(i + 1, 1) == "'"
                               ? message.find("']", i + 2) + 1
                               : message.find(']', i);
      if (close == absl::string_view::npos || close == 0) return false;
      i = close + 1;
      continue;
    }
    if (c == ':') return i > 0 && message.substr(i + 1, 1) == " ";
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_' &&
        c != '.' && c != ',' && c != ' ') {
      return false;
    }
    ++i;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<v1::MilterConfig> config =
      milter::ParseMilterConfig(absl::string_view(input.data(), input.size()));
  if (!config.ok()) {
    Check(config.status().code() == absl::StatusCode::kInvalidArgument &&
              absl::StartsWith(config.status().message(), "line "),
          "a parse error is InvalidArgument with its line", input);
    return 0;
  }
  milter::ApplyMilterDefaults(*config);
  v1::MilterConfig twice = *config;
  milter::ApplyMilterDefaults(twice);
  Check(google::protobuf::util::MessageDifferencer::Equals(*config, twice),
        "ApplyMilterDefaults is idempotent", input);

  const absl::Status valid = milter::ValidateMilterConfig(*config);
  if (!valid.ok()) {
    Check(valid.code() == absl::StatusCode::kInvalidArgument,
          "a bad value is InvalidArgument", input);
    if (!NamesAField(valid.message())) {
      std::fprintf(stderr, "error: %s\n", std::string(valid.message()).c_str());
    }
    Check(NamesAField(valid.message()), "a bad value's error names the field",
          input);
    return 0;
  }
  const absl::Duration deadline = milter::DeadlineOf(*config);
  Check(deadline >= absl::Milliseconds(100) && deadline <= milter::kMaxDeadline,
        "a valid deadline is within [100ms, 300s]", input);

  const milter::TenantRouter router(*config);
  for (const v1::MilterTenantRoute& route : config->tenant_routes()) {
    const std::string address = absl::StrCat("<user@", route.domain(), ">");
    Check(milter::RecipientDomain(address) ==
              absl::AsciiStrToLower(absl::StripSuffix(route.domain(), ".")),
          "a route's domain is a recipient domain", input);
    Check(router.TenantFor({address}) == route.tenant(),
          "every accepted route routes its domain to its tenant", input);
  }
  Check(router.TenantFor({}) == config->default_tenant(),
        "no recipients: the default tenant", input);
  return 0;
}
