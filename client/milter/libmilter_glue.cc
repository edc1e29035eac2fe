#include "client/milter/libmilter_glue.h"

#include <libmilter/mfapi.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "server/common/log.h"

namespace lureguard::milter {
namespace {

const MessageFilter* g_filter = nullptr;

// smfi_replacebody sends at most this much per call; libmilter's own chunk
// size (MILTER_CHUNK_SIZE) is 65535.
constexpr size_t kBodyChunk = 65535;

// One SMTP session: the message being collected and whether the MTA sends
// header values with their leading space.
struct Session {
  explicit Session(int64_t max_bytes) : message(max_bytes) {}
  MessageCollector message;
  bool leading_space = false;
};

Session* SessionOf(SMFICTX* ctx) {
  auto* session = static_cast<Session*>(smfi_getpriv(ctx));
  if (session == nullptr) {
    session = new Session(g_filter->config().max_message_bytes());
    smfi_setpriv(ctx, session);
  }
  return session;
}

// A header value as libmilter must be given it: with the leading space
// when SMFIP_HDR_LEADSPC was agreed (the MTA then adds none).
std::string HeaderValue(const Session& session, absl::string_view value) {
  return session.leading_space ? absl::StrCat(" ", value) : std::string(value);
}

sfsistat OnNegotiate(SMFICTX* ctx, unsigned long actions, unsigned long steps,
                     unsigned long, unsigned long, unsigned long* want_actions,
                     unsigned long* want_steps, unsigned long* want2,
                     unsigned long* want3) {
  Session* session = SessionOf(ctx);
  constexpr unsigned long kActions =
      SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY | SMFIF_QUARANTINE;
  *want_actions = actions & kActions;
  // Header values as received (leading space kept), and no calls for the
  // steps the filter does not look at.
  *want_steps = steps & (SMFIP_HDR_LEADSPC | SMFIP_NOHELO | SMFIP_NOUNKNOWN |
                         SMFIP_NODATA);
  *want2 = 0;
  *want3 = 0;
  session->leading_space = (*want_steps & SMFIP_HDR_LEADSPC) != 0;
  return SMFIS_CONTINUE;
}

sfsistat OnConnect(SMFICTX* ctx, char*, _SOCK_ADDR*) {
  SessionOf(ctx);
  return SMFIS_CONTINUE;
}

sfsistat OnEnvFrom(SMFICTX* ctx, char** argv) {
  Session* session = SessionOf(ctx);
  session->message.Reset();
  if (argv != nullptr && argv[0] != nullptr) {
    session->message.SetSender(argv[0]);
  }
  return SMFIS_CONTINUE;
}

sfsistat OnEnvRcpt(SMFICTX* ctx, char** argv) {
  if (argv != nullptr && argv[0] != nullptr) {
    SessionOf(ctx)->message.AddRecipient(argv[0]);
  }
  return SMFIS_CONTINUE;
}

sfsistat OnHeader(SMFICTX* ctx, char* name, char* value) {
  SessionOf(ctx)->message.AddHeader(name, value == nullptr ? "" : value);
  return SMFIS_CONTINUE;
}

sfsistat OnBody(SMFICTX* ctx, unsigned char* bytes, size_t size) {
  SessionOf(ctx)->message.AppendBody(
      absl::string_view(reinterpret_cast<const char*>(bytes), size));
  return SMFIS_CONTINUE;
}

// Writes the decision's header changes, body and quarantine. Returns false
// when libmilter refused one of them.
bool ApplyChanges(SMFICTX* ctx, const Session& session,
                  const FilterResult& result) {
  const MilterDecision& decision = result.decision;
  bool ok = true;
  // Ours is the only X-Lureguard-Verdict: remove each that arrived, from
  // the last, so that the indexes of the others stay.
  char name[] = "X-Lureguard-Verdict";
  for (int i = session.message.verdict_headers_seen(); i >= 1; --i) {
    ok &= smfi_chgheader(ctx, name, i, nullptr) == MI_SUCCESS;
  }
  std::string value = HeaderValue(session, decision.verdict_header);
  ok &= smfi_addheader(ctx, name, value.data()) == MI_SUCCESS;
  if (!decision.subject_prefix.empty()) {
    char subject_name[] = "Subject";
    if (session.message.subject().has_value()) {
      std::string subject =
          PrefixedSubject(*session.message.subject(), decision.subject_prefix);
      ok &= smfi_chgheader(ctx, subject_name, 1, subject.data()) == MI_SUCCESS;
    } else {
      std::string subject = HeaderValue(
          session, absl::StripTrailingAsciiWhitespace(decision.subject_prefix));
      ok &= smfi_addheader(ctx, subject_name, subject.data()) == MI_SUCCESS;
    }
  }
  if (decision.replace_body) {
    const std::string& body = result.new_body;
    if (body.empty()) {
      ok &= smfi_replacebody(ctx, nullptr, 0) == MI_SUCCESS;
    }
    for (size_t at = 0; at < body.size(); at += kBodyChunk) {
      const size_t n = std::min(kBodyChunk, body.size() - at);
      ok &= smfi_replacebody(ctx,
                             reinterpret_cast<unsigned char*>(
                                 const_cast<char*>(body.data() + at)),
                             static_cast<int>(n)) == MI_SUCCESS;
    }
  }
  if (decision.disposition == Disposition::kQuarantine) {
    std::string reason = decision.quarantine_reason;
    ok &= smfi_quarantine(ctx, reason.data()) == MI_SUCCESS;
  }
  return ok;
}

sfsistat OnEndOfMessage(SMFICTX* ctx) {
  const absl::Time start = absl::Now();
  Session* session = SessionOf(ctx);
  const char* queue_id_value = smfi_getsymval(ctx, const_cast<char*>("i"));
  const std::string queue_id = queue_id_value == nullptr ? "" : queue_id_value;

  const FilterResult result = g_filter->Judge(session->message);
  const MilterDecision& decision = result.decision;
  sfsistat answer = SMFIS_CONTINUE;
  bool applied = true;
  if (decision.disposition == Disposition::kReject ||
      decision.disposition == Disposition::kTempfail) {
    // libmilter reads the text as a format: a '%' must be doubled.
    std::string text = absl::StrReplaceAll(decision.reply_text, {{"%", "%%"}});
    smfi_setreply(ctx, const_cast<char*>(decision.reply_code.c_str()),
                  const_cast<char*>(decision.reply_xcode.c_str()), text.data());
    answer = decision.disposition == Disposition::kReject ? SMFIS_REJECT
                                                          : SMFIS_TEMPFAIL;
  } else {
    applied = ApplyChanges(ctx, *session, result);
  }
  const absl::Duration elapsed = absl::Now() - start;
  if (MilterMetrics* metrics = g_filter->metrics(); metrics != nullptr) {
    metrics->RecordMessage(decision.disposition, decision.verdict_label);
    metrics->RecordLatency(elapsed, result.rpc_time);
  }
  // Never an address or a subject: the queue id finds the message in the
  // MTA's own log.
  const std::string bytes = absl::StrCat(session->message.size());
  const std::string eom_us = absl::StrCat(absl::ToInt64Microseconds(elapsed));
  const std::string rpc_us =
      absl::StrCat(absl::ToInt64Microseconds(result.rpc_time));
  const std::string recipients =
      absl::StrCat(session->message.recipients().size());
  const std::string links = absl::StrCat(result.links);
  const std::string rewritten = absl::StrCat(result.links_rewritten);
  Log(applied ? LogLevel::kInfo : LogLevel::kError,
      applied ? "message" : "message changes refused by the MTA",
      {{"queue_id", queue_id},
       {"action", DispositionName(decision.disposition)},
       {"verdict", decision.verdict_label},
       {"header", decision.verdict_header},
       {"tenant", result.tenant},
       {"bytes", bytes},
       {"recipients", recipients},
       {"links", links},
       {"links_rewritten", rewritten},
       {"eom_us", eom_us},
       {"rpc_us", rpc_us}});
  session->message.Reset();
  return answer;
}

sfsistat OnAbort(SMFICTX* ctx) {
  SessionOf(ctx)->message.Reset();
  return SMFIS_CONTINUE;
}

sfsistat OnClose(SMFICTX* ctx) {
  delete static_cast<Session*>(smfi_getpriv(ctx));
  smfi_setpriv(ctx, nullptr);
  return SMFIS_CONTINUE;
}

}  // namespace

absl::Status OpenMilter(const MessageFilter* filter,
                        const std::string& socket_spec) {
  g_filter = filter;
  static char name[] = "lureguard-milter";
  static smfiDesc description = {
      .xxfi_name = name,
      .xxfi_version = SMFI_VERSION,
      .xxfi_flags =
          SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY | SMFIF_QUARANTINE,
      .xxfi_connect = OnConnect,
      .xxfi_helo = nullptr,
      .xxfi_envfrom = OnEnvFrom,
      .xxfi_envrcpt = OnEnvRcpt,
      .xxfi_header = OnHeader,
      .xxfi_eoh = nullptr,
      .xxfi_body = OnBody,
      .xxfi_eom = OnEndOfMessage,
      .xxfi_abort = OnAbort,
      .xxfi_close = OnClose,
      .xxfi_unknown = nullptr,
      .xxfi_data = nullptr,
      .xxfi_negotiate = OnNegotiate,
  };
  if (smfi_register(description) != MI_SUCCESS) {
    return absl::InternalError("smfi_register failed");
  }
  if (smfi_setconn(const_cast<char*>(socket_spec.c_str())) != MI_SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrCat("milter_socket: '", socket_spec, "' is not usable"));
  }
  // Postfix's milter_content_timeout is 300 s; the milter waits as long
  // for the MTA's next command.
  smfi_settimeout(300);
  if (smfi_opensocket(/*rmsocket=*/true) != MI_SUCCESS) {
    return absl::UnavailableError(
        absl::StrCat("milter_socket: cannot listen on '", socket_spec, "'"));
  }
  return absl::OkStatus();
}

absl::Status RunMilter() {
  if (smfi_main() != MI_SUCCESS) {
    return absl::InternalError("smfi_main failed");
  }
  return absl::OkStatus();
}

void StopMilter() { smfi_stop(); }

}  // namespace lureguard::milter
