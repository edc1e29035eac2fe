// Fuzz target for the server's configuration path, as main reads --config:
// the textproto parse (LoadConfigFile is this parse plus a file read),
// ApplyDefaults, ValidateConfig and everything the server derives from a
// valid config at start. Input: the file.
//
// Besides the sanitizers it checks the promises of
// server/service/config.h: errors are InvalidArgument naming the place
// (the line and column, or the field), defaults are idempotent and
// printing a config reads back the same, and a config that validates
// starts: every *FromConfig the server calls succeeds on it, so
// `--check_config` never passes a file the server then refuses.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/message_differencer.h"
#include "lureguard/v1/config.pb.h"
#include "server/common/log.h"
#include "server/common/text_proto.h"
#include "server/service/config.h"
#include "server/service/links_config.h"
#include "server/service/login_config.h"
#include "server/service/mail_config.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::fuzz::Check;
namespace v1 = ::lureguard::v1;
namespace service = ::lureguard::service;

// "limits.max_url_length: ...", "links.tenants[0].policy.x: ...",
// "certs.resolve_overrides['a.example']: ...", "tls.cert_file,
// tls.key_file: ...": a field path, then ": ".
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

// Equal field by field, a NaN equal to itself (rate_limit takes doubles).
bool Same(const v1::ServerConfig& a, const v1::ServerConfig& b) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  return differencer.Compare(a, b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Parse errors and rejected configs are the expected outcome here.
  static const bool quiet = [] {
    lureguard::SetLogLevel(lureguard::LogLevel::kError);
    return true;
  }();
  (void)quiet;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  v1::ServerConfig config;
  if (absl::Status s = lureguard::ParseTextProto(
          absl::string_view(input.data(), input.size()), &config);
      !s.ok()) {
    Check(s.code() == absl::StatusCode::kInvalidArgument &&
              absl::StartsWith(s.message(), "line "),
          "a parse error is InvalidArgument with its line", input);
    return 0;
  }
  service::ApplyDefaults(config);
  v1::ServerConfig twice = config;
  service::ApplyDefaults(twice);
  Check(Same(config, twice), "ApplyDefaults is idempotent", input);

  std::string printed;
  Check(google::protobuf::TextFormat::PrintToString(config, &printed),
        "a config prints", input);
  v1::ServerConfig reread;
  Check(
      lureguard::ParseTextProto(printed, &reread).ok() && Same(config, reread),
      "what --check_config prints reads back the same", input);

  const absl::Status valid = service::ValidateConfig(config);
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
  // What Server::Start derives from a validated config.
  Check(service::PolicyFromConfig(config).Validate().ok(),
        "the policy of a valid config is valid", input);
  (void)service::CtOptionsFromConfig(config);
  Check(service::LoginOptionsFromConfig(config).ok(),
        "a valid config gives login options", input);
  Check(service::LinkPoliciesFromConfig(config.links(), "http://127.0.0.1:8080")
            .ok(),
        "a valid config gives link policies", input);
  (void)service::LinkOptionsFromConfig(config);
  Check(service::MailPoliciesFromConfig(config).ok(),
        "a valid config gives mail policies", input);
  return 0;
}
