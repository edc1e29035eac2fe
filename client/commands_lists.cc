// `lureguard blocklist|allowlist add|rm|ls|import`: block- and allow-list
// entries through AdminService.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/call.h"
#include "client/command.h"
#include "client/duration.h"
#include "client/entry_kind.h"
#include "client/input_file.h"
#include "client/output.h"
#include "client/threat_type.h"
#include "lureguard/v1/admin_service.grpc.pb.h"
#include "server/common/status_macros.h"

namespace lureguard::cli {
namespace {

using lureguard::v1::AdminService;
using lureguard::v1::ListEntry;
using lureguard::v1::ListType;

// Progress reports are worth drawing only for imports that take a while.
constexpr absl::Duration kProgressAfter = absl::Seconds(1);
constexpr absl::Duration kProgressEvery = absl::Milliseconds(100);

std::string ListName(ListType list) {
  return list == lureguard::v1::ALLOWLIST ? "allowlist" : "blocklist";
}

// Reads --ttl into `out` and sets `set` when it is above zero (zero means
// for ever, as unset). InvalidArgumentError naming the flag when malformed.
absl::Status ParseTtl(const CommandContext& ctx,
                      google::protobuf::Duration& out, bool& set) {
  set = false;
  if (!ctx.command_line.Has("ttl")) return absl::OkStatus();
  absl::StatusOr<absl::Duration> ttl =
      ParseCliDuration(ctx.command_line.Get("ttl"));
  if (!ttl.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("flag --ttl: ", ttl.status().message()));
  }
  const int64_t seconds = absl::IDivDuration(*ttl, absl::Seconds(1), &*ttl);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(*ttl)));
  set = seconds != 0 || out.nanos() != 0;  // zero means for ever: leave unset
  return absl::OkStatus();
}

// Entries as table rows, shared by add and ls.
const std::vector<std::string> kEntryColumns = {
    "ID", "KIND", "THREAT", "VALUE", "TENANT", "SOURCE", "EXPIRES", "REASON"};

std::vector<std::string> EntryRow(const ListEntry& e) {
  return {absl::StrCat(e.id()),
          EntryKindFlagName(e.kind()),
          ThreatTypeFlagName(e.threat_type()),
          e.value(),
          OrDash(e.tenant()),
          OrDash(e.source()),
          e.has_expire_time() ? FormatTimestamp(e.expire_time()) : "never",
          OrDash(e.reason())};
}

// Draws "importing FILE: 3.0 MiB / 10.0 MiB (30%)" on a terminal's stderr,
// redrawing one line, once the import has run for a second.
class ImportProgress {
 public:
  ImportProgress(const CommandContext& ctx, std::string name,
                 std::optional<uint64_t> total)
      : ctx_(ctx), name_(std::move(name)), total_(total), start_(ctx.now()) {}

  void Update(uint64_t sent) {
    if (!ctx_.stderr_is_tty) return;
    const absl::Time now = ctx_.now();
    if (now - start_ <= kProgressAfter) return;
    if (shown_ && now - last_ < kProgressEvery) return;
    Draw(sent);
    last_ = now;
  }

  // Ends the progress line, if one was drawn, showing `sent` bytes.
  void Done(uint64_t sent) {
    if (!shown_) return;
    if (sent != drawn_) Draw(sent);
    ctx_.err << '\n';
    ctx_.err.flush();
  }

 private:
  void Draw(uint64_t sent) {
    std::string line =
        absl::StrCat("importing ", name_, ": ", FormatBytes(sent));
    if (total_.has_value()) {
      absl::StrAppend(&line, " / ", FormatBytes(*total_));
      if (*total_ > 0) {
        absl::StrAppendFormat(&line, " (%d%%)",
                              static_cast<int>(sent * 100 / *total_));
      }
    }
    // "\r" redraws the line; trailing blanks cover a longer previous one.
    ctx_.err << '\r' << line << "   ";
    ctx_.err.flush();
    shown_ = true;
    drawn_ = sent;
  }

  const CommandContext& ctx_;
  const std::string name_;
  const std::optional<uint64_t> total_;
  const absl::Time start_;
  absl::Time last_;
  bool shown_ = false;
  uint64_t drawn_ = 0;  // bytes shown by the last Draw
};

// Reads --threat into `set`; InvalidArgumentError naming the flag when it
// is not phishing, malware or unwanted. Unset leaves the server's default.
absl::Status ParseThreat(
    const CommandContext& ctx,
    const std::function<void(lureguard::v1::ThreatType)>& set) {
  if (!ctx.command_line.Has("threat")) return absl::OkStatus();
  ASSIGN_OR_RETURN(lureguard::v1::ThreatType threat,
                   ThreatTypeFromFlag(ctx.command_line.Get("threat")));
  set(threat);
  return absl::OkStatus();
}

}  // namespace

int RunListAdd(const CommandContext& ctx, ListType list) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::CreateListEntryRequest request;
  request.set_list(list);
  request.set_value(cl.args[0]);
  if (cl.Has("kind")) {
    absl::StatusOr<lureguard::v1::EntryKind> kind =
        EntryKindFromFlag(cl.Get("kind"));
    if (!kind.ok()) return ctx.UsageError(kind.status().message());
    request.set_kind(*kind);
  }
  request.set_reason(cl.Get("reason"));
  request.set_tenant(cl.Get("tenant"));
  if (absl::Status s = ParseThreat(
          ctx,
          [&](lureguard::v1::ThreatType t) { request.set_threat_type(t); });
      !s.ok()) {
    return ctx.UsageError(s.message());
  }
  bool has_ttl = false;
  google::protobuf::Duration ttl;
  if (absl::Status s = ParseTtl(ctx, ttl, has_ttl); !s.ok()) {
    return ctx.UsageError(s.message());
  }
  if (has_ttl) *request.mutable_ttl() = ttl;

  ListEntry entry;
  if (int code =
          CallUnary(ctx, &AdminService::Stub::CreateListEntry, request, entry);
      code != kExitOk) {
    return code;
  }
  TableWriter table(ctx.out, kEntryColumns);
  return WriteRecords(ctx, table, std::span<const ListEntry>(&entry, 1),
                      EntryRow);
}

int RunListRm(const CommandContext& ctx, ListType list) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::DeleteListEntryRequest request;
  request.set_list(list);
  request.set_value(cl.args[0]);
  if (cl.Has("kind")) {
    absl::StatusOr<lureguard::v1::EntryKind> kind =
        EntryKindFromFlag(cl.Get("kind"));
    if (!kind.ok()) return ctx.UsageError(kind.status().message());
    request.set_kind(*kind);
  }
  request.set_tenant(cl.Get("tenant"));

  lureguard::v1::DeleteListEntryResponse response;
  if (int code = CallUnary(ctx, &AdminService::Stub::DeleteListEntry, request,
                           response);
      code != kExitOk) {
    return code;
  }
  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  ctx.out << "deleted " << response.deleted_count()
          << (response.deleted_count() == 1 ? " entry" : " entries") << '\n';
  ctx.out.flush();
  return kExitOk;
}

int RunListLs(const CommandContext& ctx, ListType list) {
  const CommandLine& cl = ctx.command_line;
  lureguard::v1::ListListEntriesRequest request;
  request.set_list(list);
  request.set_tenant(cl.Get("tenant"));
  absl::StatusOr<int> page_size = PageSizeFlag(cl);
  if (!page_size.ok()) return ctx.UsageError(page_size.status().message());
  request.set_page_size(*page_size);

  TableWriter table(ctx.out, kEntryColumns);
  // Every page, printed as it arrives: a long list starts showing at once.
  const int code =
      ForEachPage(ctx, &AdminService::Stub::ListListEntries, request,
                  [&](const lureguard::v1::ListListEntriesResponse& page) {
                    return WriteRecords(ctx, table, page.entries(), EntryRow);
                  });
  if (code != kExitOk) return code;
  SayIfNoneListed(
      ctx, table,
      absl::StrCat("no ", ListName(list), " entries",
                   request.tenant().empty()
                       ? " (global)"
                       : absl::StrCat(" for tenant ", request.tenant())));
  return kExitOk;
}

int RunListImport(const CommandContext& ctx, ListType list) {
  const CommandLine& cl = ctx.command_line;
  const std::string& path = cl.args[0];
  lureguard::v1::ImportListEntriesRequest first;
  first.set_list(list);
  first.set_format(cl.Get("format"));
  first.set_reason(cl.Get("reason"));
  first.set_tenant(cl.Get("tenant"));
  first.set_skip_invalid(cl.Has("skip-invalid"));
  if (absl::Status s = ParseThreat(
          ctx, [&](lureguard::v1::ThreatType t) { first.set_threat_type(t); });
      !s.ok()) {
    return ctx.UsageError(s.message());
  }
  bool has_ttl = false;
  google::protobuf::Duration ttl;
  if (absl::Status s = ParseTtl(ctx, ttl, has_ttl); !s.ok()) {
    return ctx.UsageError(s.message());
  }
  if (has_ttl) *first.mutable_ttl() = ttl;

  absl::StatusOr<InputFile> input = InputFile::Open(path, ctx.in);
  if (!input.ok()) return ctx.LocalError(input.status().message());

  auto stub = AdminService::NewStub(ctx.channel);
  auto call = ctx.NewCallContext(/*streaming=*/true);
  lureguard::v1::ImportListEntriesResponse response;
  auto writer = stub->ImportListEntries(call.get(), &response);
  ImportProgress progress(ctx, input->display_name(), input->size());

  uint64_t sent = 0;
  const InputFile::End end = input->ForEachChunk(
      ctx.import_chunk_bytes, [&](absl::string_view data, bool is_first) {
        lureguard::v1::ImportListEntriesRequest chunk;
        if (is_first) chunk = first;
        chunk.set_content(data.data(), data.size());
        // A failed write means the server ended the call; Finish says why.
        if (!writer->Write(chunk)) return false;
        sent += data.size();
        progress.Update(sent);
        return true;
      });
  if (end == InputFile::End::kReadError) {
    call->TryCancel();
    writer->Finish();
    return ctx.LocalError(absl::StrCat("cannot read \"", path, "\""));
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  progress.Done(sent);
  if (!status.ok()) return ctx.RpcError(status);

  if (ctx.globals().output == OutputFormat::kJson) {
    return WriteJson(ctx, response);
  }
  WriteKeyValues(
      {{"format", response.format().empty() ? "-" : response.format()},
       {"accepted", absl::StrCat(response.accepted_count())},
       {"duplicates", absl::StrCat(response.duplicate_count())},
       {"skipped", absl::StrCat(response.skipped_count())}},
      ctx.out);
  for (const std::string& example : response.skipped_examples()) {
    ctx.out << "  " << example << '\n';
  }
  ctx.out.flush();
  return kExitOk;
}

}  // namespace lureguard::cli
