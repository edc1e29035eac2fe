// Fuzz target for what lureguard-milter rebuilds from an SMTP session: the
// MessageCollector (envelope, headers as libmilter hands them, body
// chunks), the body taken back out of a rewritten message, and the tenant
// routing of the recipients. All of it is mail from anyone on the
// internet.
//
// Input: one event per line, the first byte saying which:
//   F<sender>            MAIL FROM
//   T<recipient>         RCPT TO
//   H<name>:<value>      a header; '\x01' in the value stands for the LF
//                        of a folded header, as Postfix passes them
//   B<chunk>             a body chunk; '\x01' stands for CRLF
//   R                    a new message on the same session (Reset)
// The limit is 2048 bytes, so inputs reach the over-limit path.
//
// Besides the sanitizers it checks the promises of client/milter/message.h:
// size() is the length of Message() while within the limit, Message() is
// the headers, an empty line and the body, the body of an unchanged
// message comes back whole, and the verdict headers are counted.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "client/milter/message.h"
#include "client/milter/tenant_routing.h"
#include "lureguard/v1/milter_config.pb.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::fuzz::Check;
namespace milter = ::lureguard::milter;

constexpr int64_t kMaxBytes = 2048;

const milter::TenantRouter& Router() {
  static const milter::TenantRouter* const router = [] {
    lureguard::v1::MilterConfig config;
    config.set_default_tenant("default");
    auto* acme = config.add_tenant_routes();
    acme->set_domain("acme.example");
    acme->set_tenant("acme");
    auto* globex = config.add_tenant_routes();
    globex->set_domain("mail.globex.example");
    globex->set_tenant("globex");
    return new milter::TenantRouter(config);
  }();
  return *router;
}

void CheckMessage(const milter::MessageCollector& message, int verdict_headers,
                  std::string_view input) {
  Check(message.verdict_headers_seen() == verdict_headers,
        "every X-Lureguard-Verdict header is counted", input);
  Check(message.over_limit() == (message.size() > kMaxBytes),
        "over the limit means larger than it", input);
  if (message.over_limit()) return;
  const std::string bytes = message.Message();
  Check(static_cast<int64_t>(bytes.size()) == message.size(),
        "size() is the length of Message()", input);
  Check(message.header_bytes() == message.headers().size() + 2 &&
            absl::StartsWith(bytes, absl::StrCat(message.headers(), "\r\n")) &&
            absl::EndsWith(bytes, message.body()),
        "Message() is the headers, an empty line and the body", input);
  absl::StatusOr<std::string> body =
      milter::BodyOfRewrittenMessage(message.headers(), bytes);
  Check(body.ok() && *body == message.body(),
        "an unchanged message gives its body back", input);
  for (absl::string_view line : absl::StrSplit(message.headers(), "\r\n")) {
    Check(line.find('\n') == absl::string_view::npos,
          "header lines end in CRLF only", input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  milter::MessageCollector message(kMaxBytes);
  int verdict_headers = 0;
  size_t recipients = 0;
  for (absl::string_view event :
       absl::StrSplit(absl::string_view(input.data(), input.size()), '\n')) {
    if (event.empty()) continue;
    const char kind = event.front();
    event.remove_prefix(1);
    switch (kind) {
      case 'F':
        message.SetSender(event);
        break;
      case 'T':
        message.AddRecipient(event);
        ++recipients;
        break;
      case 'H': {
        const size_t colon = event.find(':');
        const absl::string_view name = event.substr(0, colon);
        const std::string value = absl::StrReplaceAll(
            colon == absl::string_view::npos ? "" : event.substr(colon + 1),
            {{"\x01", "\n"}});
        if (absl::EqualsIgnoreCase(name, milter::kVerdictHeader)) {
          ++verdict_headers;
        }
        message.AddHeader(name, value);
        break;
      }
      case 'B':
        message.AppendBody(absl::StrReplaceAll(event, {{"\x01", "\r\n"}}));
        break;
      case 'R':
        CheckMessage(message, verdict_headers, input);
        message.Reset();
        verdict_headers = 0;
        recipients = 0;
        break;
      default:
        break;
    }
  }
  CheckMessage(message, verdict_headers, input);
  Check(message.recipients().size() == recipients, "every recipient is kept",
        input);
  const std::string tenant = Router().TenantFor(message.recipients());
  Check(tenant == "default" || tenant == "acme" || tenant == "globex",
        "the tenant is a configured one", input);
  for (const std::string& recipient : message.recipients()) {
    const std::string domain = milter::RecipientDomain(recipient);
    Check(std::none_of(domain.begin(), domain.end(),
                       [](char c) { return absl::ascii_isupper(c); }),
          "recipient domains are lowercase", input);
  }
  return 0;
}
