// `lureguard cert probe HOST[:PORT]` (AdminService.ProbeCertificate): what a
// host's TLS certificate says, and which certificate reasons it gives.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "client/call.h"
#include "client/command.h"
#include "client/duration.h"
#include "client/host_port.h"
#include "client/output.h"
#include "lureguard/v1/admin_service.grpc.pb.h"

namespace lureguard::cli {
namespace {

absl::Duration FromProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

std::string YesNo(bool value) { return value ? "yes" : "no"; }

}  // namespace

int RunCertProbe(const CommandContext& ctx) {
  lureguard::v1::ProbeCertificateRequest request;
  std::string host;
  int port = 0;
  if (!SplitHostPort(ctx.command_line.args[0], host, port)) {
    return ctx.UsageError(absl::StrCat("'", ctx.command_line.args[0],
                                       "' is not HOST[:PORT] with a port in "
                                       "1-65535"));
  }
  request.set_host(host);
  request.set_port(port);
  lureguard::v1::ProbeCertificateResponse response;
  if (int code =
          CallUnary(ctx, &lureguard::v1::AdminService::Stub::ProbeCertificate,
                    request, response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  const lureguard::v1::CertificateFacts& c = response.certificate();
  std::string issuer = c.issuer_organization();
  if (!c.issuer_cn().empty()) {
    issuer = issuer.empty() ? c.issuer_cn()
                            : absl::StrCat(issuer, " (", c.issuer_cn(), ")");
  }
  std::vector<std::string> reasons;
  for (const lureguard::v1::Reason& r : response.reasons()) {
    reasons.push_back(absl::StrFormat(
        "%s %.2f%s", lureguard::v1::ReasonCode_Name(r.code()), r.weight(),
        r.matched().empty() ? "" : absl::StrCat(" [", r.matched(), "]")));
  }
  WriteKeyValues(
      {{"host", absl::StrCat(c.host(), ":", c.port())},
       {"address", c.address()},
       {"tls_version", c.tls_version()},
       {"subject_cn", OrDash(c.subject_cn())},
       {"dns_names", OrDash(absl::StrJoin(c.dns_names(), ", "))},
       {"san_count", absl::StrCat(c.san_dns_names_size())},
       {"issuer", OrDash(issuer)},
       {"free_dv_issuer", YesNo(c.free_dv_issuer())},
       {"not_before", FormatTimestamp(c.not_before())},
       {"not_after", FormatTimestamp(c.not_after())},
       {"validity", FormatCliDuration(FromProto(c.validity()))},
       {"age",
        FormatCliDuration(absl::Trunc(FromProto(c.age()), absl::Seconds(1)))},
       {"self_signed", YesNo(c.self_signed())},
       {"chain_trusted", YesNo(c.chain_trusted())},
       {"hostname_matches", YesNo(c.hostname_matches())},
       {"verify_errors", OrDash(absl::StrJoin(c.verify_errors(), "; "))},
       {"chain_length", absl::StrCat(c.chain_length())},
       {"serial", c.serial()},
       {"sha256", c.sha256_fingerprint()},
       {"latency",
        absl::StrCat(absl::ToDoubleMilliseconds(FromProto(c.latency())), "ms")},
       {"reasons", OrDash(absl::StrJoin(reasons, ", "))}},
      ctx.out);
  return kExitOk;
}

}  // namespace lureguard::cli
