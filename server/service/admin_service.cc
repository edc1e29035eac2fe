#include "server/service/admin_service.h"

#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "server/common/heap.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/common/utf8.h"
#include "server/lists/entry_value.h"
#include "server/lists/import_parser.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_codec.h"
#include "server/lookalike/brand_index.h"
#include "server/service/authorize.h"
#include "server/service/call_deadline.h"
#include "server/service/convert.h"
#include "server/service/page_token.h"
#include "server/service/request_limits.h"
#include "server/store/audit_scope.h"
#include "server/url/url.h"
#include "server/verdict/brand_records.h"
#include "server/verdict/cert_reasons.h"

namespace lureguard::service {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
// Tenant names end up in logs and keys; keep them short and printable.
constexpr size_t kMaxTenantLength = 128;
constexpr size_t kMaxReasonLength = 1024;

// Longest caller-supplied request id kept in the audit log.
constexpr size_t kMaxRequestIdLength = 128;

// The caller's `x-request-id` when it is a short printable token (it ends
// up in the audit log), else a random one, so every audit record can be
// matched with the server's logs.
std::string RequestId(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("x-request-id");
  if (it != metadata.end() && !it->second.empty() &&
      it->second.size() <= kMaxRequestIdLength &&
      std::all_of(it->second.begin(), it->second.end(),
                  [](char c) { return c > 0x20 && c < 0x7F; })) {
    return std::string(it->second.data(), it->second.size());
  }
  absl::BitGen random;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(random));
}

absl::string_view ListName(store::ListType list) {
  return list == store::ListType::kBlock ? "blocklist" : "allowlist";
}

// One-line summaries for the audit log.
std::string EntrySummary(const store::ListEntryRecord& entry) {
  std::string summary =
      absl::StrCat(lists::EntryKindName(entry.kind), " ", entry.value);
  if (!entry.reason.empty()) {
    absl::StrAppend(&summary, " reason=", absl::CEscape(entry.reason));
  }
  if (entry.threat != store::ThreatType::kPhishing) {
    absl::StrAppend(&summary, " threat=", store::ThreatTypeName(entry.threat));
  }
  if (entry.expire_time != absl::InfiniteFuture()) {
    absl::StrAppend(&summary, " expires=",
                    absl::FormatTime(absl::RFC3339_sec, entry.expire_time,
                                     absl::UTCTimeZone()));
  }
  return summary;
}

std::string FeedSummary(const lists::FeedConfig& feed) {
  return absl::StrCat(
      "url=", feed.url, " format=", feed.format,
      " interval=", absl::FormatDuration(feed.interval),
      feed.threat.has_value() ? " threat=" : "",
      feed.threat.has_value() ? store::ThreatTypeName(*feed.threat) : "",
      feed.enabled ? "" : " disabled");
}

std::string BrandSummary(const lookalike::Brand& brand) {
  return absl::StrCat("domains=", absl::StrJoin(brand.domains, ","),
                      " tokens=", absl::StrJoin(brand.tokens, ","));
}

std::string KeySummary(const auth::ApiKeyInfo& key) {
  std::string summary = absl::StrCat("role=", auth::RoleName(key.role));
  if (!key.tenant.empty()) absl::StrAppend(&summary, " tenant=", key.tenant);
  if (!key.client_subject.empty()) {
    absl::StrAppend(&summary, " client_subject=", key.client_subject);
  }
  return summary;
}

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

absl::Status CheckTenant(absl::string_view tenant) {
  if (tenant.size() > kMaxTenantLength) {
    return absl::InvalidArgumentError(absl::StrCat("tenant: is ", tenant.size(),
                                                   " bytes; the limit is ",
                                                   kMaxTenantLength));
  }
  for (char c : tenant) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') {
      return absl::InvalidArgumentError(
          absl::StrCat("tenant: '", tenant,
                       "' may contain only letters, digits, '-', '_' and '.'"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckReason(absl::string_view reason) {
  if (reason.size() > kMaxReasonLength) {
    return absl::InvalidArgumentError(absl::StrCat("reason: is ", reason.size(),
                                                   " bytes; the limit is ",
                                                   kMaxReasonLength));
  }
  if (!IsValidUtf8(reason)) {
    return absl::InvalidArgumentError("reason: is not valid UTF-8");
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> ExpiryFrom(const google::protobuf::Duration& ttl,
                                      absl::Time now) {
  const absl::Duration duration = FromProto(ttl);
  if (duration < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("ttl: is negative");
  }
  if (duration == absl::ZeroDuration()) return absl::InfiniteFuture();
  return now + duration;
}

// The list, the kind the caller named (if any) and the normalized value of
// a create or delete request, validated in the same order for both so the
// same bad field gets the same error.
struct EntryTarget {
  store::ListType list;
  std::optional<store::EntryKind> requested_kind;
  lists::EntryValue value;
};

// The brand as stored, summarized; empty when there is none.
std::string StoredBrandSummary(store::Store& store, absl::string_view tenant,
                               absl::string_view name) {
  absl::StatusOr<std::optional<store::StoredRecord>> record = store.GetRecord(
      verdict::kBrandCollection, std::string(tenant), std::string(name));
  if (!record.ok() || !record->has_value()) return "";
  absl::StatusOr<lookalike::Brand> brand =
      lookalike::DecodeBrand((*record)->payload);
  return brand.ok() ? BrandSummary(*brand) : "";
}

absl::StatusOr<EntryTarget> ParseEntryTarget(v1::ListType list,
                                             const std::string& tenant,
                                             const std::string& value,
                                             v1::EntryKind kind) {
  std::optional<store::ListType> parsed_list = FromProto(list);
  if (!parsed_list) {
    return absl::InvalidArgumentError("list: must be BLOCKLIST or ALLOWLIST");
  }
  if (absl::Status s = CheckTenant(tenant); !s.ok()) return s;
  if (!IsValidUtf8(value)) {
    return absl::InvalidArgumentError("value: is not valid UTF-8");
  }
  std::optional<store::EntryKind> parsed_kind = FromProto(kind);
  if (!parsed_kind && kind != v1::ENTRY_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind: unknown kind ", kind));
  }
  // Normalized as on creation, so "HTTP://Evil.com" names "evil.com".
  absl::StatusOr<lists::EntryValue> normalized =
      lists::NormalizeEntryValue(value, parsed_kind);
  if (!normalized.ok()) return NameField("value", normalized.status());
  return EntryTarget{*parsed_list, parsed_kind, *std::move(normalized)};
}

lookalike::Brand BrandFromProto(const v1::Brand& proto) {
  lookalike::Brand brand;
  brand.name = proto.name();
  brand.domains.assign(proto.domains().begin(), proto.domains().end());
  brand.tokens.assign(proto.tokens().begin(), proto.tokens().end());
  brand.tenant = proto.tenant();
  return brand;
}

void BrandToProto(const lookalike::Brand& brand, v1::Brand& out) {
  out.set_name(brand.name);
  for (const std::string& d : brand.domains) out.add_domains(d);
  for (const std::string& t : brand.tokens) out.add_tokens(t);
  out.set_tenant(brand.tenant);
}

// Checks brands the way the snapshot will index them, so a brand that would
// break the next rebuild is refused now, with the field named.
absl::Status ValidateBrands(const std::vector<lookalike::Brand>& brands) {
  for (const lookalike::Brand& brand : brands) {
    if (brand.name.empty()) return absl::InvalidArgumentError("name: is empty");
    if (absl::Status s = CheckTenant(brand.tenant); !s.ok()) return s;
    if (brand.domains.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("domains: brand '", brand.name, "' needs a domain"));
    }
  }
  absl::StatusOr<lookalike::BrandIndex> index =
      lookalike::BrandIndex::Build(brands);
  return index.status();
}

// What the first message of an import stream says of every entry.
struct ImportHeader {
  store::ListType list = store::ListType::kBlock;
  std::string tenant;
  std::string reason;
  std::optional<store::ThreatType> threat;  // none: the format's default
  absl::Time expiry;
};

// Checks the first message of an import stream; errors name the field.
absl::StatusOr<ImportHeader> ImportHeaderFrom(
    const v1::ImportListEntriesRequest& first, absl::Time now) {
  ImportHeader header;
  std::optional<store::ListType> list = FromProto(first.list());
  if (!list) {
    return absl::InvalidArgumentError("list: must be BLOCKLIST or ALLOWLIST");
  }
  header.list = *list;
  RETURN_IF_ERROR(CheckTenant(first.tenant()));
  RETURN_IF_ERROR(CheckReason(first.reason()));
  if (!first.format().empty()) {
    RETURN_IF_ERROR(lists::ImportParser::CheckFormat(first.format()));
  }
  ASSIGN_OR_RETURN(header.threat,
                   ThreatFromProto(first.threat_type(), "threat_type"));
  ASSIGN_OR_RETURN(header.expiry, ExpiryFrom(first.ttl(), now));
  header.tenant = first.tenant();
  header.reason = first.reason();
  return header;
}

// Parses the whole import stream, `first` included. The parser, its
// duplicate index and the last message live in this call only: at 1 M
// entries they take hundreds of MB, which must be freed before the
// snapshot rebuild adds its own (issue #19).
absl::StatusOr<lists::ImportResult> ParseImportStream(
    grpc::ServerContext& context,
    grpc::ServerReader<v1::ImportListEntriesRequest>& reader,
    v1::ImportListEntriesRequest first, absl::Time deadline) {
  lists::ImportParser parser(first.format(), first.skip_invalid());
  v1::ImportListEntriesRequest chunk = std::move(first);
  {
    // A client that stops sending would hold this thread: cancel the
    // call at its deadline, which ends the blocked Read.
    DeadlineTimer timer(deadline, [&context] { context.TryCancel(); });
    do {
      RETURN_IF_ERROR(parser.AddChunk(chunk.content()));
    } while (reader.Read(&chunk));
    if (timer.expired()) {
      return absl::DeadlineExceededError(
          "the import did not arrive before the call's deadline; nothing "
          "was written");
    }
  }
  // A cancelled stream ends its reads just as a finished one does: what
  // arrived is only part of the file.
  if (context.IsCancelled()) {
    LogInfo("list import abandoned", {{"why", "the call was cancelled"}});
    return absl::CancelledError(
        "the import was cancelled; nothing was written");
  }
  return std::move(parser).Finish();
}

// The store records of an import's entries, whose values are moved out.
std::vector<store::ListEntryRecord> ImportRecords(
    const ImportHeader& header, store::ThreatType threat,
    std::vector<lists::EntryValue>& values, absl::Time now) {
  std::vector<store::ListEntryRecord> records;
  records.reserve(values.size());
  for (lists::EntryValue& value : values) {
    store::ListEntryRecord& record = records.emplace_back();
    record.list = header.list;
    record.kind = value.kind;
    record.threat = threat;
    record.value = std::move(value.value);
    record.reason = header.reason;
    record.source = "admin";
    record.tenant = header.tenant;
    record.create_time = now;
    record.expire_time = header.expiry;
  }
  return records;
}

// The audit record's "after" of an import: how many entries, how read.
std::string ImportAuditSummary(size_t count, absl::string_view format,
                               const ImportHeader& header,
                               store::ThreatType threat) {
  std::string summary = absl::StrCat(
      count, " entries, format ", format,
      header.reason.empty() ? "" : " reason=", absl::CEscape(header.reason));
  if (threat != store::ThreatType::kPhishing) {
    absl::StrAppend(&summary, " threat=", store::ThreatTypeName(threat));
  }
  return summary;
}

void ImportToProto(int64_t written, const lists::ImportResult& parsed,
                   v1::ImportListEntriesResponse& out) {
  out.set_accepted_count(written);
  out.set_duplicate_count(parsed.duplicate_count);
  out.set_skipped_count(parsed.skipped_count);
  for (const std::string& example : parsed.skipped_examples) {
    out.add_skipped_examples(example);
  }
  out.set_format(parsed.format);
}

}  // namespace

AdminServiceImpl::AdminServiceImpl(
    store::Store& store, verdict::SnapshotPublisher& publisher,
    const verdict::Engine& engine, lists::FeedManager& feeds,
    auth::KeyRing& keys, const Authorizer& authorizer, const Clock& clock,
    const v1::Limits& limits, std::string version, CtAdmin ct,
    certs::ProbeCache* cert_probes)
    : store_(store),
      publisher_(publisher),
      engine_(engine),
      feeds_(feeds),
      keys_(keys),
      authorizer_(authorizer),
      clock_(clock),
      limits_(limits),
      version_(std::move(version)),
      start_time_(clock.Now()),
      cert_probes_(cert_probes),
      ct_(ct) {}

absl::Status AdminServiceImpl::AwaitPublished(
    const grpc::ServerContext& context) {
  absl::StatusOr<int64_t> revision = store_.Revision();
  if (!revision.ok()) return revision.status();
  const absl::Time now = clock_.Now();
  const absl::Time deadline =
      EffectiveDeadline(context, FromProto(limits_.default_deadline()), now);
  absl::Status published = publisher_.WaitForRevision(
      *revision, std::max(absl::ZeroDuration(), deadline - now));
  if (absl::IsDeadlineExceeded(published)) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the change is committed, but the new snapshot was not published "
        "before the call's deadline: ",
        published.message()));
  }
  return published;
}

store::AuditRecord AdminServiceImpl::NewAudit(
    const grpc::ServerContext& context, const auth::Principal& who,
    absl::string_view method, std::string target, std::string tenant) const {
  store::AuditRecord record;
  record.time = clock_.Now();
  record.actor = who.key_name;
  record.actor_role = std::string(auth::RoleName(who.role));
  record.method = std::string(method);
  record.target = std::move(target);
  record.tenant = std::move(tenant);
  record.request_id = RequestId(context);
  return record;
}

grpc::Status AdminServiceImpl::CreateListEntry(
    grpc::ServerContext* context, const v1::CreateListEntryRequest* request,
    v1::ListEntry* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = CheckReason(request->reason()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<EntryTarget> target = ParseEntryTarget(
      request->list(), request->tenant(), request->value(), request->kind());
  if (!target.ok()) return ToGrpcStatus(target.status());
  absl::StatusOr<std::optional<store::ThreatType>> threat =
      ThreatFromProto(request->threat_type(), "threat_type");
  if (!threat.ok()) return ToGrpcStatus(threat.status());
  const store::ListType list = target->list;
  const lists::EntryValue& value = target->value;

  const absl::Time now = clock_.Now();
  absl::StatusOr<absl::Time> expiry = ExpiryFrom(request->ttl(), now);
  if (!expiry.ok()) return ToGrpcStatus(expiry.status());

  store::ListEntryRecord record;
  record.list = list;
  record.kind = value.kind;
  record.value = value.value;
  record.reason = request->reason();
  record.source = "admin";
  record.tenant = request->tenant();
  record.threat = threat->value_or(store::ThreatType::kPhishing);
  record.create_time = now;
  record.expire_time = *expiry;
  store::AuditScope audit(
      NewAudit(*context, *who, "CreateListEntry",
               absl::StrCat(ListName(list), ":", value.value), record.tenant));
  audit.record().after = EntrySummary(record);
  absl::StatusOr<store::ListEntryRecord> stored = store_.UpsertEntry(record);
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  LogInfo("list entry added",
          {{"list", list == store::ListType::kBlock ? "block" : "allow"},
           {"kind", lists::EntryKindName(record.kind)},
           {"id", absl::StrCat(stored->id)}});
  ToProto(*stored, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteListEntry(
    grpc::ServerContext* context, const v1::DeleteListEntryRequest* request,
    v1::DeleteListEntryResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<EntryTarget> target = ParseEntryTarget(
      request->list(), request->tenant(), request->value(), request->kind());
  if (!target.ok()) return ToGrpcStatus(target.status());
  const store::ListType list = target->list;
  const lists::EntryValue& value = target->value;
  // Without an explicit kind, the value's inferred kind might differ from
  // the kind it was added with ("evil.com" added as a host): match any.
  std::optional<store::EntryKind> delete_kind =
      target->requested_kind ? std::optional(value.kind) : std::nullopt;
  store::AuditScope audit(NewAudit(
      *context, *who, "DeleteListEntry",
      absl::StrCat(ListName(list), ":", value.value), request->tenant()));
  audit.record().before =
      delete_kind
          ? absl::StrCat(lists::EntryKindName(*delete_kind), " ", value.value)
          : absl::StrCat("any kind ", value.value);
  absl::StatusOr<int64_t> deleted = store_.DeleteEntries(
      list, request->tenant(), value.value, delete_kind, "admin");
  if (!deleted.ok()) return ToGrpcStatus(deleted.status());
  if (*deleted == 0) {
    return grpc::Status(
        grpc::StatusCode::NOT_FOUND,
        absl::StrCat("value: no admin entry '", value.value, "' in the ",
                     list == store::ListType::kBlock ? "block" : "allow",
                     " list", request->tenant().empty() ? "" : " of tenant ",
                     request->tenant()));
  }
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  response->set_deleted_count(*deleted);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListListEntries(
    grpc::ServerContext* context, const v1::ListListEntriesRequest* request,
    v1::ListListEntriesResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  std::optional<store::ListType> list = FromProto(request->list());
  if (!list) return Invalid("list: must be BLOCKLIST or ALLOWLIST");
  if (absl::Status s = CheckTenant(request->tenant()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (request->page_size() < 0) return Invalid("page_size: is negative");
  const int page_size = request->page_size() == 0
                            ? kDefaultPageSize
                            : std::min(request->page_size(), kMaxPageSize);
  absl::StatusOr<int64_t> after = ParsePageToken(request->page_token());
  if (!after.ok()) return ToGrpcStatus(after.status());
  absl::StatusOr<store::ListEntryPage> page =
      store_.ListEntries(*list, request->tenant(), *after, page_size);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const store::ListEntryRecord& entry : page->entries) {
    ToProto(entry, *response->add_entries());
  }
  if (page->has_more) response->set_next_page_token(PageToken(page->last_id));
  response->set_total_size(page->total_size);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ImportListEntries(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportListEntriesRequest>* reader,
    v1::ImportListEntriesResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  v1::ImportListEntriesRequest first;
  if (!reader->Read(&first)) {
    if (context->IsCancelled()) {
      LogInfo("list import abandoned", {{"why", "the call was cancelled"}});
      return grpc::Status(grpc::StatusCode::CANCELLED,
                          "the import was cancelled; nothing was written");
    }
    return Invalid("the import stream carried no message");
  }
  const absl::Time now = clock_.Now();
  absl::StatusOr<ImportHeader> header = ImportHeaderFrom(first, now);
  if (!header.ok()) return ToGrpcStatus(header.status());

  absl::StatusOr<lists::ImportResult> parsed = ParseImportStream(
      *context, *reader, std::move(first),
      EffectiveDeadline(*context, FromProto(limits_.default_deadline()),
                        clock_.Now()));
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  if (static_cast<int64_t>(parsed->entries.size()) >
      limits_.max_import_entries()) {
    return Invalid(absl::StrCat("content: ", parsed->entries.size(),
                                " entries exceed the import limit of ",
                                limits_.max_import_entries()));
  }

  const store::ThreatType entry_threat =
      header->threat.value_or(lists::DefaultThreatType(parsed->format));
  std::vector<store::ListEntryRecord> records =
      ImportRecords(*header, entry_threat, parsed->entries, now);
  store::AuditScope audit(NewAudit(*context, *who, "ImportListEntries",
                                   std::string(ListName(header->list)),
                                   header->tenant));
  audit.record().after =
      ImportAuditSummary(records.size(), parsed->format, *header, entry_threat);
  absl::StatusOr<int64_t> written = store_.ImportEntries(
      records, std::nullopt, [context] { return !context->IsCancelled(); });
  // Written or not, the entries are done with: free them before the wait
  // for the rebuild, which needs as much again.
  std::vector<store::ListEntryRecord>().swap(records);
  std::vector<lists::EntryValue>().swap(parsed->entries);
  if (!written.ok()) {
    if (absl::IsCancelled(written.status())) {
      LogInfo("list import abandoned",
              {{"why", std::string(written.status().message())}});
    }
    return ToGrpcStatus(written.status());
  }
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  // The publisher trims after its rebuild, but this thread may free the
  // import's buffers only after that: trim again, they are freed now.
  ReleaseFreeHeapMemory();

  ImportToProto(*written, *parsed, *response);
  LogInfo(
      "list import done",
      {{"list", header->list == store::ListType::kBlock ? "block" : "allow"},
       {"format", parsed->format},
       {"accepted", absl::StrCat(*written)},
       {"skipped", absl::StrCat(parsed->skipped_count)}});
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::GetStatus(grpc::ServerContext* context,
                                         const v1::GetStatusRequest*,
                                         v1::GetStatusResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  response->set_version(version_);
  ToProto(clock_.Now() - start_time_, *response->mutable_uptime());
  response->set_store(store_.Describe());
  std::shared_ptr<const verdict::EngineSnapshot> snapshot = engine_.snapshot();
  response->set_serving(snapshot != nullptr);
  if (snapshot != nullptr) {
    response->set_snapshot_revision(snapshot->revision);
    ToProto(snapshot->build_time, *response->mutable_snapshot_time());
    response->set_blocklist_entries(snapshot->lists.counts().block);
    response->set_allowlist_entries(snapshot->lists.counts().allow);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::CreateFeed(grpc::ServerContext* context,
                                          const v1::CreateFeedRequest* request,
                                          v1::Feed* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<lists::FeedConfig> config = FromProto(request->feed());
  if (!config.ok()) return ToGrpcStatus(config.status());
  if (absl::Status s = CheckTenant(config->tenant); !s.ok()) {
    return ToGrpcStatus(s);
  }
  store::AuditScope audit(NewAudit(*context, *who, "CreateFeed",
                                   absl::StrCat("feed:", config->name),
                                   config->tenant));
  if (absl::StatusOr<std::vector<lists::FeedState>> feeds = feeds_.List();
      feeds.ok()) {
    for (const lists::FeedState& feed : *feeds) {
      if (feed.config.name == config->name &&
          feed.config.tenant == config->tenant) {
        audit.record().before = FeedSummary(feed.config);
      }
    }
  }
  audit.record().after = FeedSummary(*config);
  absl::StatusOr<lists::FeedState> state = feeds_.Upsert(*config);
  if (!state.ok()) return ToGrpcStatus(NameField("feed", state.status()));
  // The first refresh runs now, so the caller learns at once whether the
  // URL and format work and a check right after sees the entries.
  if (config->enabled) {
    state = feeds_.RefreshNow(config->name, config->tenant);
    if (!state.ok()) return ToGrpcStatus(state.status());
    if (absl::Status s = AwaitPublished(*context); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  ToProto(*state, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListFeeds(grpc::ServerContext* context,
                                         const v1::ListFeedsRequest*,
                                         v1::ListFeedsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<std::vector<lists::FeedState>> feeds = feeds_.List();
  if (!feeds.ok()) return ToGrpcStatus(feeds.status());
  for (const lists::FeedState& feed : *feeds) {
    ToProto(feed, *response->add_feeds());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteFeed(grpc::ServerContext* context,
                                          const v1::DeleteFeedRequest* request,
                                          v1::DeleteFeedResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->name().empty()) return Invalid("name: is empty");
  absl::StatusOr<std::vector<lists::FeedState>> feeds = feeds_.List();
  if (!feeds.ok()) return ToGrpcStatus(feeds.status());
  store::AuditScope audit(NewAudit(*context, *who, "DeleteFeed",
                                   absl::StrCat("feed:", request->name()),
                                   request->tenant()));
  for (const lists::FeedState& feed : *feeds) {
    if (feed.config.name == request->name() &&
        feed.config.tenant == request->tenant()) {
      response->set_deleted_entry_count(feed.entry_count);
      audit.record().before = FeedSummary(feed.config);
    }
  }
  if (absl::Status s = feeds_.Remove(request->name(), request->tenant());
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RefreshFeed(
    grpc::ServerContext* context, const v1::RefreshFeedRequest* request,
    v1::Feed* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->name().empty()) return Invalid("name: is empty");
  store::AuditScope audit(NewAudit(*context, *who, "RefreshFeed",
                                   absl::StrCat("feed:", request->name()),
                                   request->tenant()));
  audit.record().after = "refresh requested";
  absl::StatusOr<lists::FeedState> state =
      feeds_.RefreshNow(request->name(), request->tenant());
  if (!state.ok()) return ToGrpcStatus(state.status());
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  ToProto(*state, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::CreateBrand(
    grpc::ServerContext* context, const v1::CreateBrandRequest* request,
    v1::Brand* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  lookalike::Brand brand = BrandFromProto(request->brand());
  if (absl::Status s = ValidateBrands({brand}); !s.ok()) {
    return ToGrpcStatus(NameField("brand", s));
  }
  store::AuditScope audit(NewAudit(*context, *who, "CreateBrand",
                                   absl::StrCat("brand:", brand.name),
                                   brand.tenant));
  audit.record().before = StoredBrandSummary(store_, brand.tenant, brand.name);
  audit.record().after = BrandSummary(brand);
  if (absl::Status s = store_.PutRecord(
          verdict::BrandRecord(brand, clock_.Now()), /*affects_snapshot=*/true);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  BrandToProto(brand, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteBrand(
    grpc::ServerContext* context, const v1::DeleteBrandRequest* request,
    v1::DeleteBrandResponse*) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->name().empty()) return Invalid("name: is empty");
  if (absl::Status s = CheckTenant(request->tenant()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  store::AuditScope audit(NewAudit(*context, *who, "DeleteBrand",
                                   absl::StrCat("brand:", request->name()),
                                   request->tenant()));
  audit.record().before =
      StoredBrandSummary(store_, request->tenant(), request->name());
  absl::StatusOr<bool> deleted =
      store_.DeleteRecord(verdict::kBrandCollection, request->tenant(),
                          request->name(), std::nullopt);
  if (!deleted.ok()) return ToGrpcStatus(deleted.status());
  if (!*deleted) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("name: no brand '", request->name(), "'",
                                     request->tenant().empty()
                                         ? ""
                                         : " of tenant " + request->tenant()));
  }
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListBrands(grpc::ServerContext* context,
                                          const v1::ListBrandsRequest*,
                                          v1::ListBrandsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  std::string fingerprint;
  absl::StatusOr<std::vector<lookalike::Brand>> brands =
      verdict::LoadBrands(store_, &fingerprint);
  if (!brands.ok()) return ToGrpcStatus(brands.status());
  for (const lookalike::Brand& brand : *brands) {
    BrandToProto(brand, *response->add_brands());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ImportBrands(
    grpc::ServerContext* context, const v1::ImportBrandsRequest* request,
    v1::ImportBrandsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<lookalike::BrandListFormat> format =
      lookalike::ParseBrandListFormat(
          request->format().empty() ? "brands" : request->format());
  if (!format.ok()) return ToGrpcStatus(NameField("format", format.status()));
  if (request->top_n() < 0) return Invalid("top_n: is negative");
  absl::StatusOr<std::vector<lookalike::Brand>> brands =
      lookalike::ParseBrandList(request->content(), *format, request->top_n());
  if (!brands.ok()) return ToGrpcStatus(NameField("content", brands.status()));
  if (absl::Status s = ValidateBrands(*brands); !s.ok()) {
    return ToGrpcStatus(NameField("content", s));
  }
  // One transaction: all brands and the audit record, or nothing.
  const absl::Time now = clock_.Now();
  std::vector<store::StoredRecord> records;
  records.reserve(brands->size());
  for (const lookalike::Brand& brand : *brands) {
    records.push_back(verdict::BrandRecord(brand, now));
  }
  store::AuditScope audit(
      NewAudit(*context, *who, "ImportBrands", "brands", ""));
  audit.record().after =
      absl::StrCat(brands->size(), " brands, format ",
                   request->format().empty() ? "brands" : request->format());
  if (absl::Status s = store_.PutRecords(records, /*affects_snapshot=*/true);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  response->set_imported_count(static_cast<int64_t>(brands->size()));
  return grpc::Status::OK;
}

namespace {

void ApiKeyToProto(const auth::ApiKeyInfo& key, v1::ApiKey& out) {
  out.set_name(key.name);
  out.set_key_id(key.key_id);
  out.set_role(static_cast<v1::ApiKeyRole>(key.role));
  out.set_tenant(key.tenant);
  ToProto(key.create_time, *out.mutable_create_time());
  out.set_client_subject(key.client_subject);
}

}  // namespace

grpc::Status AdminServiceImpl::CreateApiKey(
    grpc::ServerContext* context, const v1::CreateApiKeyRequest* request,
    v1::CreateApiKeyResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->role() != v1::VERDICT && request->role() != v1::ADMIN &&
      request->role() != v1::READONLY_ADMIN) {
    return Invalid("role: must be VERDICT, ADMIN or READONLY_ADMIN");
  }
  if (absl::Status s = CheckTenant(request->tenant()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  // Admin reads and writes span every tenant (feeds, brands, status), so an
  // admin key bound to one tenant would promise an isolation it cannot keep.
  if (!request->tenant().empty() && request->role() != v1::VERDICT) {
    return Invalid("tenant: only VERDICT keys can be bound to a tenant");
  }
  const auth::Role role = static_cast<auth::Role>(request->role());
  store::AuditScope audit(NewAudit(*context, *who, "CreateApiKey",
                                   absl::StrCat("key:", request->name()),
                                   request->tenant()));
  auth::ApiKeyInfo created;
  created.role = role;
  created.tenant = request->tenant();
  created.client_subject = request->client_subject();
  audit.record().after = KeySummary(created);
  absl::StatusOr<std::string> token = keys_.Create(
      request->name(), role, request->tenant(), request->client_subject());
  if (!token.ok()) return ToGrpcStatus(token.status());
  for (const auth::ApiKeyInfo& key : keys_.List()) {
    if (key.name == request->name())
      ApiKeyToProto(key, *response->mutable_key());
  }
  response->set_token(*token);
  LogInfo("API key created", {{"name", request->name()},
                              {"role", auth::RoleName(role)},
                              {"by", who->key_name}});
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListApiKeys(grpc::ServerContext* context,
                                           const v1::ListApiKeysRequest*,
                                           v1::ListApiKeysResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  for (const auth::ApiKeyInfo& key : keys_.List()) {
    ApiKeyToProto(key, *response->add_keys());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RevokeApiKey(
    grpc::ServerContext* context, const v1::RevokeApiKeyRequest* request,
    v1::RevokeApiKeyResponse*) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  std::string tenant;
  std::string before;
  for (const auth::ApiKeyInfo& key : keys_.List()) {
    if (key.name == request->name()) {
      tenant = key.tenant;
      before = KeySummary(key);
    }
  }
  store::AuditScope audit(NewAudit(*context, *who, "RevokeApiKey",
                                   absl::StrCat("key:", request->name()),
                                   tenant));
  audit.record().before = before;
  if (absl::Status s = keys_.Revoke(request->name()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  LogInfo("API key revoked",
          {{"name", request->name()}, {"by", who->key_name}});
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListAuditRecords(
    grpc::ServerContext* context, const v1::ListAuditRecordsRequest* request,
    v1::ListAuditRecordsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->page_size() < 0) return Invalid("page_size: is negative");
  absl::StatusOr<int64_t> before = ParsePageToken(request->page_token());
  if (!before.ok()) return ToGrpcStatus(before.status());
  store::AuditQuery query;
  query.before_id = *before;
  query.page_size = request->page_size() == 0
                        ? kDefaultPageSize
                        : std::min(request->page_size(), kMaxPageSize);
  query.actor = request->actor();
  query.method = request->method();
  absl::StatusOr<store::AuditPage> page = store_.ListAuditRecords(query);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const store::AuditRecord& record : page->records) {
    v1::AuditRecord& out = *response->add_records();
    out.set_id(record.id);
    ToProto(record.time, *out.mutable_create_time());
    out.set_actor(record.actor);
    out.set_actor_role(record.actor_role);
    out.set_method(record.method);
    out.set_target(record.target);
    out.set_tenant(record.tenant);
    out.set_before(record.before);
    out.set_after(record.after);
    out.set_request_id(record.request_id);
  }
  if (page->has_more) {
    response->set_next_page_token(PageToken(page->records.back().id));
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ProbeCertificate(
    grpc::ServerContext* context, const v1::ProbeCertificateRequest* request,
    v1::ProbeCertificateResponse* response) {
  // A probe opens an outgoing connection: only full admins may ask.
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->host().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("host: is required"));
  }
  const int port = request->port() == 0 ? 443 : request->port();
  if (port < 1 || port > 65535) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("port: ", request->port(), " is outside [1, 65535]")));
  }
  absl::StatusOr<std::string> host = url::CanonicalizeHost(request->host());
  if (!host.ok()) return ToGrpcStatus(NameField("host", host.status()));
  if (absl::StartsWith(*host, "[") && absl::EndsWith(*host, "]")) {
    *host = host->substr(1, host->size() - 2);
  }
  if (cert_probes_ == nullptr) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "certificate probes are off (certs.disable_probes in the server "
        "config)"));
  }
  absl::StatusOr<certs::CertProbe> probe =
      cert_probes_->ProbeNow({*host, port});
  if (!probe.ok()) {
    // The guard's refusal is about the target, not the caller's key:
    // PERMISSION_DENIED would read as an authorization failure.
    if (absl::IsPermissionDenied(probe.status())) {
      return ToGrpcStatus(
          absl::FailedPreconditionError(probe.status().message()));
    }
    return ToGrpcStatus(probe.status());
  }
  ToProto(*probe, *response->mutable_certificate());
  std::shared_ptr<const verdict::EngineSnapshot> snapshot = engine_.snapshot();
  for (const verdict::Reason& reason : verdict::CertReasons(
           *probe, snapshot != nullptr ? snapshot->brands.get() : nullptr,
           who->tenant, clock_.Now())) {
    ToProto(reason, *response->add_reasons());
  }
  return grpc::Status::OK;
}

}  // namespace lureguard::service
