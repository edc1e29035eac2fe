#include "server/mail/message_checker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/html_nesting.h"
#include "server/common/status_macros.h"
#include "server/links/internal/splice.h"
#include "server/mail/html_inspector.h"
#include "server/mail/internal/content_signals.h"
#include "server/mail/internal/message_reader.h"
#include "server/mail/internal/sender_signals.h"
#include "server/mail/zip_archive.h"

namespace lureguard::mail {
namespace {

using verdict::Reason;
using verdict::ReasonCode;

// Longest recipient address accepted (RFC 5321 4.5.3.1: 64 + 1 + 255).
constexpr size_t kMaxAddressLength = 320;

absl::Status ValidateInput(const MessageInput& input,
                           const MailLimits& limits) {
  if (input.message.empty()) {
    return absl::InvalidArgumentError("message: must not be empty");
  }
  if (input.message.size() > limits.max_message_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("message: is ", input.message.size(),
                     " bytes; the limit is ", limits.max_message_bytes));
  }
  for (size_t i = 0; i < input.recipients.size(); ++i) {
    const std::string& r = input.recipients[i];
    if (r.size() > kMaxAddressLength || r.find('@') == std::string::npos ||
        r.find_first_of("\r\n\t <>") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("recipients[", i, "]: '", r.substr(0, 64),
                       "' is not a mail address (local@domain)"));
    }
  }
  if (input.envelope_sender.size() > kMaxAddressLength ||
      input.envelope_sender.find_first_of("\r\n") != std::string::npos) {
    return absl::InvalidArgumentError(
        "envelope_sender: is not a mail address (local@domain)");
  }
  return absl::OkStatus();
}

std::string Lower(absl::string_view text) {
  std::string out(text);
  absl::AsciiStrToLower(&out);
  return out;
}

// The recipients a personalised lure would carry: envelope, To and Cc.
std::vector<std::string> RecipientAddresses(const MessageInput& input,
                                            const internal::ReadMessage& read) {
  std::vector<std::string> out;
  auto add = [&](absl::string_view address) {
    std::string lower = Lower(absl::StripAsciiWhitespace(address));
    if (!lower.empty() && std::find(out.begin(), out.end(), lower) == out.end())
      out.push_back(std::move(lower));
  };
  for (const std::string& r : input.recipients) add(r);
  for (const internal::Mailbox& m : read.recipients) add(m.address);
  return out;
}

bool IsSvg(absl::string_view content_type, absl::string_view filename) {
  return content_type == "image/svg+xml" ||
         absl::EndsWithIgnoreCase(filename, ".svg");
}

std::string MemberType(absl::string_view name) {
  return absl::EndsWithIgnoreCase(name, ".svg") ? "image/svg+xml" : "text/html";
}

// One URL a link or a page sends the reader (or data) to, with its verdict.
struct JudgedUrl {
  const verdict::Verdict* verdict;
  std::string part;
  std::string filename;
  std::string url;
};

// The reasons of the most suspicious URL of the message, when it is at
// least WARN: one URL, not all of them, so that a newsletter's hundred
// mildly odd links do not add up to a block.
void AddWorstUrlReasons(const std::vector<JudgedUrl>& urls,
                        std::vector<Reason>* reasons, bool* degraded,
                        std::vector<std::string>* notes) {
  const JudgedUrl* worst = nullptr;
  for (const JudgedUrl& candidate : urls) {
    if (candidate.verdict->verdict_id.empty() ||
        candidate.verdict->action == verdict::Action::kAllow) {
      continue;
    }
    if (worst == nullptr || candidate.verdict->score > worst->verdict->score) {
      worst = &candidate;
    }
  }
  if (worst == nullptr) return;
  if (worst->verdict->degraded) {
    *degraded = true;
    // Said, so that a degraded verdict is not left unexplained.
    notes->push_back(absl::StrCat(
        "url ", worst->url,
        ": its verdict waits for a certificate probe or a redirect lookup; "
        "the message checked again in a few seconds has it"));
  }
  for (const Reason& reason : worst->verdict->reasons) {
    // A link to an allow-listed site says nothing for the message.
    if (reason.code == ReasonCode::kAllowlistMatch) continue;
    Reason& copy = reasons->emplace_back(reason);
    copy.part = worst->part;
    copy.filename = worst->filename;
    copy.url = worst->url;
  }
}

std::string SafeFileName(absl::string_view name) {
  std::string out;
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u >= 0x7f || c == '"' || c == '\\' ? '_' : c);
  }
  return out.empty() ? "attachment" : out;
}

absl::string_view Eol(absl::string_view message) {
  const size_t newline = message.find('\n');
  return newline != absl::string_view::npos && newline > 0 &&
                 message[newline - 1] == '\r'
             ? "\r\n"
             : "\n";
}

// `text` on one line: control characters (a file name can carry CR/LF,
// and with them a forged MIME boundary) become spaces.
std::string OneLine(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

// The text/plain part that stands in for a defanged attachment named
// `filename`, listing the findings that condemned it.
std::string DefangNotice(absl::string_view filename,
                         const std::vector<Reason>& reasons,
                         absl::string_view eol) {
  const std::string name = SafeFileName(filename);
  std::string out =
      absl::StrCat("Content-Type: text/plain; charset=utf-8", eol,
                   "Content-Disposition: attachment; filename=\"", name,
                   ".txt\"", eol, "Content-Transfer-Encoding: 8bit", eol, eol,
                   "Lureguard removed the attachment \"", name,
                   "\" from this message because it is dangerous:", eol);
  for (const Reason& reason : reasons) {
    absl::StrAppend(&out, "- ", OneLine(reason.detail), eol);
  }
  absl::StrAppend(&out, "Ask your IT team if you need the original.", eol);
  return out;
}

// One message's judgement: reads it once, then the sender, every page
// (ZIP members too), and the link roll-up, each a step of its own.
class Judgement {
 public:
  Judgement(const MessageInput& input, const verdict::EngineSnapshot& snapshot,
            const MailPolicies& policies, const links::UrlVerdicts& verdicts,
            const Clock& clock)
      : input_(input),
        snapshot_(snapshot),
        policies_(policies),
        limits_(policies.limits()),
        verdicts_(verdicts),
        clock_(clock),
        deadline_(clock.Now() + limits_.deadline),
        inspect_{.max_decoded_bytes = limits_.max_decoded_bytes,
                 .max_decode_depth = limits_.max_decode_depth} {}

  MessageCheck Run(std::vector<links::LinkReport> links,
                   std::vector<std::string> link_notes) {
    check_.links = std::move(links);
    internal::ReadMessage read = internal::ReadMailMessage(
        input_.message, {.max_part_bytes = limits_.max_part_bytes,
                         .max_parts = limits_.max_parts});
    degraded_ = !read.parsed || !read.notes.empty() || !link_notes.empty();
    check_.notes = std::move(read.notes);
    check_.notes.insert(check_.notes.end(), link_notes.begin(),
                        link_notes.end());
    recipients_ = RecipientAddresses(input_, read);
    JudgeSender(read);
    for (internal::MessagePart& part : read.parts) JudgePart(part);
    RollUp();
    return std::move(check_);
  }

 private:
  // Nested archives are opened this deep (an archive in an archive is a
  // common way past scanners that open one level).
  static constexpr int kMaxZipDepth = 2;

  void JudgeSender(const internal::ReadMessage& read) {
    SenderReport& sender = check_.sender;
    if (!read.from.empty()) {
      sender.from_address = read.from.front().address;
      sender.from_display_name = read.from.front().display_name;
    }
    if (!read.reply_to.empty()) {
      sender.reply_to_address = read.reply_to.front().address;
    }
    sender.envelope_sender = input_.envelope_sender;
    internal::SenderFindings found = internal::JudgeSender(
        read, {.brands = snapshot_.brands.get(),
               .lists = &snapshot_.lists,
               .now = clock_.Now(),
               .policies = &policies_,
               .tenant = input_.tenant,
               .envelope_sender = input_.envelope_sender});
    sender.dmarc = found.dmarc;
    reasons_ = std::move(found.reasons);
  }

  // False, with a note, once the deadline has passed.
  bool InTime(absl::string_view part) {
    if (out_of_time_) return false;
    if (clock_.Now() <= deadline_) return true;
    out_of_time_ = true;
    degraded_ = true;
    check_.notes.push_back(absl::StrCat(
        "part ", part, " and later: not read within the deadline (",
        absl::FormatDuration(limits_.deadline), ")"));
    return false;
  }

  void JudgePart(internal::MessagePart& part) {
    check_.parts.emplace_back();
    PartReport& report = check_.parts.back();
    report.part = part.path;
    report.content_type = part.content_type;
    report.filename = part.filename;
    report.attachment = part.attachment;
    report.size_bytes = static_cast<int64_t>(part.size);
    report.skipped = part.skipped;
    if (part.data.empty()) return;
    if (!InTime(part.path)) {
      report.skipped = "not read within the deadline";
      return;
    }
    if (part.kind == internal::PartKind::kMarkup) {
      InspectPage(internal::MarkupAsUtf8(std::move(part.data), part.charset),
                  check_.parts.size() - 1);
      return;
    }
    InspectZip(part.data, part.path, check_.parts.size() - 1, 1);
  }

  // Reads the page of check_.parts[index] (an index: the vector grows).
  void InspectPage(const std::string& data, size_t index) {
    PartReport& report = check_.parts[index];
    report.inspected = true;
    // Most bodies are plain newsletters: no field, no sink, nothing to
    // parse for (their links are the links engine's). Attachments are
    // read whole: their links count too.
    if (!report.attachment && !MayBeActive(data)) return;
    const HtmlFindings findings = InspectHtml(data, inspect_);
    // A limit that stopped decoding leaves part of the page unread: say so
    // rather than answer as if it had all been read.
    if (findings.decoding_stopped) {
      degraded_ = true;
      check_.notes.push_back(absl::StrCat(
          "part ", report.part,
          ": the page decodes itself past max_decode_depth (",
          inspect_.max_decode_depth, " layers) or max_decoded_bytes (",
          inspect_.max_decoded_bytes, "); what lies deeper was not read"));
    }
    if (findings.nesting_bounded) {
      check_.notes.push_back(
          absl::StrCat("part ", report.part, ": elements nested deeper than ",
                       kMaxHtmlNesting, " were read as siblings"));
    }
    internal::JudgePage(findings,
                        {.part = report.part,
                         .filename = report.filename,
                         .attachment = report.attachment,
                         .svg = IsSvg(report.content_type, report.filename),
                         .brands = snapshot_.brands.get(),
                         .tenant = input_.tenant,
                         .recipients = &recipients_,
                         .verdicts = &verdicts_},
                        report);
  }

  // A ZIP archive: its pages are read like attachments of their own,
  // "PATH/NAME" each, and archives inside it one level further.
  void InspectZip(const std::string& data, const std::string& path,
                  size_t index, int depth) {
    absl::StatusOr<ZipContents> zip = ReadZip(
        data,
        {.max_members = static_cast<size_t>(limits_.max_parts),
         .max_member_bytes = limits_.max_part_bytes,
         .max_total_bytes = limits_.max_part_bytes * 4},
        [depth](auto name) {
          const absl::string_view n(name.data(), name.size());
          return internal::IsMarkupFileName(n) ||
                 (depth < kMaxZipDepth && absl::EndsWithIgnoreCase(n, ".zip"));
        });
    if (!zip.ok()) {
      check_.parts[index].skipped = std::string(zip.status().message());
      return;
    }
    check_.parts[index].inspected = true;
    if (zip->truncated) {
      degraded_ = true;
      check_.notes.push_back(absl::StrCat(
          "part ", path, ": the ZIP archive was read only in part"));
    }
    for (const std::string& unreadable : zip->unreadable) {
      check_.notes.push_back(absl::StrCat("part ", path, ": ", unreadable));
    }
    for (ZipMember& member : zip->members) {
      if (!InTime(path)) return;
      const std::string member_path = absl::StrCat(path, "/", member.name);
      if (std::any_of(
              check_.parts.begin(), check_.parts.end(),
              [&](const PartReport& p) { return p.part == member_path; })) {
        continue;  // a name stored twice: the first one was read
      }
      check_.parts.emplace_back();
      PartReport& page = check_.parts.back();
      page.part = member_path;
      page.filename = member.name;
      page.attachment = true;
      page.size_bytes = static_cast<int64_t>(member.data.size());
      if (member.truncated) {
        page.skipped = "read in part (over max_part_bytes, or a broken stream)";
        degraded_ = true;
      }
      if (absl::EndsWithIgnoreCase(member.name, ".zip")) {
        page.content_type = "application/zip";
        InspectZip(member.data, member_path, check_.parts.size() - 1,
                   depth + 1);
        continue;
      }
      page.content_type = MemberType(member.name);
      InspectPage(internal::MarkupAsUtf8(std::move(member.data), ""),
                  check_.parts.size() - 1);
    }
  }

  void RollUp() {
    std::vector<JudgedUrl> urls;
    for (const PartReport& part : check_.parts) {
      reasons_.insert(reasons_.end(), part.reasons.begin(), part.reasons.end());
      for (const PartSinkReport& sink : part.sinks) {
        urls.push_back({&sink.verdict, part.part, part.filename, sink.url});
      }
    }
    for (const links::LinkReport& link : check_.links) {
      urls.push_back({&link.verdict, link.link.part, "", link.unwrapped.url});
    }
    AddWorstUrlReasons(urls, &reasons_, &degraded_, &check_.notes);
    check_.verdict = snapshot_.policy.Decide(std::move(reasons_),
                                             snapshot_.policy.max_cache_ttl);
    check_.verdict.verdict_id = verdict::NewVerdictId();
    check_.verdict.degraded = degraded_;
  }

  const MessageInput& input_;
  const verdict::EngineSnapshot& snapshot_;
  const MailPolicies& policies_;
  const MailLimits& limits_;
  const links::UrlVerdicts& verdicts_;
  const Clock& clock_;
  const absl::Time deadline_;
  const HtmlInspectOptions inspect_;
  std::vector<std::string> recipients_;
  std::vector<Reason> reasons_;
  bool degraded_ = false;
  bool out_of_time_ = false;
  MessageCheck check_;
};

}  // namespace

MessageChecker::MessageChecker(const links::LinkProtector& links,
                               links::UrlVerdicts verdicts,
                               const verdict::Engine& engine,
                               const MailPolicies& policies, const Clock& clock)
    : links_(links),
      verdicts_(std::move(verdicts)),
      engine_(engine),
      policies_(policies),
      clock_(clock) {}

namespace {

// Links past max_links were neither judged nor rewritten: a message of
// 5,000 harmless links and one lure must not read as wholly judged.
void NoteLinksOverLimit(int over_limit, std::vector<std::string>& notes) {
  if (over_limit <= 0) return;
  notes.push_back(absl::StrCat("links: ", over_limit,
                               " link(s) past links.max_links were neither "
                               "judged nor rewritten"));
}

}  // namespace

absl::StatusOr<MessageCheck> MessageChecker::Check(
    const MessageInput& input) const {
  RETURN_IF_ERROR(ValidateInput(input, policies_.limits()));
  std::vector<std::string> notes;
  absl::StatusOr<links::RewriteOutput> found = links_.Inspect(
      {.kind = links::ContentKind::kMessage,
       .content = std::string_view(input.message.data(), input.message.size()),
       .tenant = input.tenant});
  if (!found.ok()) {
    if (!absl::IsInvalidArgument(found.status())) return found.status();
    notes.push_back(absl::StrCat("links: ", found.status().message()));
    found = links::RewriteOutput();
  }
  NoteLinksOverLimit(found->links_over_limit, notes);
  return Judge(input, std::move(found->links), std::move(notes));
}

absl::StatusOr<MessageRewrite> MessageChecker::Rewrite(
    const MessageInput& input, std::string recipient) const {
  RETURN_IF_ERROR(ValidateInput(input, policies_.limits()));
  MessageRewrite out;
  ASSIGN_OR_RETURN(
      links::RewriteOutput rewritten,
      links_.Rewrite({.kind = links::ContentKind::kMessage,
                      .content = std::string_view(input.message.data(),
                                                  input.message.size()),
                      .tenant = input.tenant,
                      .recipient = std::move(recipient)}));
  out.rewrite = std::move(rewritten);
  std::vector<std::string> notes;
  NoteLinksOverLimit(out.rewrite.links_over_limit, notes);
  absl::StatusOr<MessageCheck> check =
      Judge(input, out.rewrite.links, std::move(notes));
  if (!check.ok()) return check.status();
  out.check = *std::move(check);
  if (out.check.verdict.action != verdict::Action::kBlock ||
      !policies_.For(input.tenant).defang_attachments) {
    return out;
  }
  std::shared_ptr<const verdict::EngineSnapshot> snapshot = engine_.snapshot();
  // The rewrite changed only bodies, never the tree: part paths are the
  // same in the rewritten message, byte offsets are not.
  const std::string& message = out.rewrite.content;
  internal::ReadMessage read = internal::ReadMailMessage(
      message,
      {.max_part_bytes = 0, .max_parts = policies_.limits().max_parts});
  std::vector<links::internal::Splice> splices;
  for (const PartReport& part : out.check.parts) {
    if (!part.attachment || part.reasons.empty()) continue;
    // A ZIP member ("2/docs/x.html") condemns the archive that holds it.
    const std::string target = part.part.substr(0, part.part.find('/'));
    if (std::any_of(out.defanged.begin(), out.defanged.end(),
                    [&](const DefangedPart& d) { return d.part == target; })) {
      continue;
    }
    const verdict::Verdict own =
        snapshot->policy.Decide(part.reasons, absl::ZeroDuration());
    if (own.action == verdict::Action::kAllow) continue;
    for (const internal::MessagePart& located : read.parts) {
      if (located.path != target || located.part_end <= located.part_start) {
        continue;
      }
      splices.push_back(
          {located.part_start, located.part_end - located.part_start,
           DefangNotice(located.filename, part.reasons, Eol(message))});
      DefangedPart& defanged = out.defanged.emplace_back();
      defanged.part = target;
      defanged.filename = located.filename;
      for (const Reason& reason : part.reasons) {
        defanged.codes.push_back(reason.code);
      }
      break;
    }
  }
  if (!splices.empty()) {
    std::sort(splices.begin(), splices.end(),
              [](const auto& a, const auto& b) { return a.offset < b.offset; });
    out.rewrite.content = links::internal::ApplySplices(message, splices);
  }
  return out;
}

absl::StatusOr<MessageCheck> MessageChecker::Judge(
    const MessageInput& input, std::vector<links::LinkReport> links,
    std::vector<std::string> link_notes) const {
  std::shared_ptr<const verdict::EngineSnapshot> snapshot = engine_.snapshot();
  if (snapshot == nullptr) {
    return absl::UnavailableError("the verdict snapshot is still loading");
  }
  Judgement judgement(input, *snapshot, policies_, verdicts_, clock_);
  return judgement.Run(std::move(links), std::move(link_notes));
}

std::vector<std::string> RewriteRecipients(absl::string_view recipient) {
  if (recipient.find('@') == absl::string_view::npos ||
      recipient.find_first_of(" \t\r\n<>") != absl::string_view::npos) {
    return {};
  }
  return {std::string(recipient)};
}

}  // namespace lureguard::mail
