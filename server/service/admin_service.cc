#include "server/service/admin_service.h"

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "server/auth/audit_log.h"
#include "server/certs/probe_target.h"
#include "server/common/field_error.h"
#include "server/common/heap.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/lists/import_parser.h"
#include "server/lookalike/brand.h"
#include "server/service/authorize.h"
#include "server/service/call_deadline.h"
#include "server/service/convert.h"
#include "server/service/page_token.h"
#include "server/verdict/certificate_domains.h"
#include "server/verdict/certificate_probe.h"

namespace lureguard::service {
namespace {

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

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

absl::StatusOr<store::ListType> ListFromProto(v1::ListType list) {
  std::optional<store::ListType> parsed = FromProto(list);
  if (!parsed) {
    return absl::InvalidArgumentError("list: must be BLOCKLIST or ALLOWLIST");
  }
  return *parsed;
}

// Nullopt for ENTRY_KIND_UNSPECIFIED: the owner infers the kind.
absl::StatusOr<std::optional<store::EntryKind>> KindFromProto(
    v1::EntryKind kind) {
  std::optional<store::EntryKind> parsed = FromProto(kind);
  if (!parsed && kind != v1::ENTRY_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind: unknown kind ", kind));
  }
  return parsed;
}

absl::StatusOr<lists::NewListEntry> NewEntryFromProto(
    const v1::CreateListEntryRequest& request) {
  lists::NewListEntry entry;
  ASSIGN_OR_RETURN(entry.list, ListFromProto(request.list()));
  ASSIGN_OR_RETURN(entry.kind, KindFromProto(request.kind()));
  ASSIGN_OR_RETURN(entry.threat,
                   ThreatFromProto(request.threat_type(), "threat_type"));
  entry.tenant = request.tenant();
  entry.value = request.value();
  entry.reason = request.reason();
  entry.ttl = FromProto(request.ttl());
  return entry;
}

absl::StatusOr<lists::ListEntryKey> EntryKeyFromProto(
    const v1::DeleteListEntryRequest& request) {
  lists::ListEntryKey key;
  ASSIGN_OR_RETURN(key.list, ListFromProto(request.list()));
  ASSIGN_OR_RETURN(key.kind, KindFromProto(request.kind()));
  key.tenant = request.tenant();
  key.value = request.value();
  return key;
}

// What the first message of an import stream says of every entry.
absl::StatusOr<lists::ListImportOptions> ImportOptionsFromProto(
    const v1::ImportListEntriesRequest& first) {
  lists::ListImportOptions options;
  ASSIGN_OR_RETURN(options.list, ListFromProto(first.list()));
  ASSIGN_OR_RETURN(options.threat,
                   ThreatFromProto(first.threat_type(), "threat_type"));
  options.tenant = first.tenant();
  options.reason = first.reason();
  options.format = first.format();
  options.ttl = FromProto(first.ttl());
  return options;
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

void AuditRecordToProto(const store::AuditRecord& record,
                        v1::AuditRecord& out) {
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

}  // namespace

AdminServiceImpl::AdminServiceImpl(
    store::Store& store, verdict::SnapshotPublisher& publisher,
    const verdict::Engine& engine, lists::FeedManager& feeds,
    auth::KeyRing& keys, const Authorizer& authorizer, const Clock& clock,
    const v1::Limits& limits, std::string version, CtWiring ct,
    certs::ProbeCache* cert_probes)
    : store_(store),
      publisher_(publisher),
      engine_(engine),
      feed_admin_(feeds, clock),
      list_admin_(store, clock, limits.max_import_entries()),
      brands_(store, clock),
      key_admin_(keys, clock),
      authorizer_(authorizer),
      clock_(clock),
      limits_(limits),
      version_(std::move(version)),
      start_time_(clock.Now()),
      cert_probes_(cert_probes),
      ct_admin_(*ct.monitor, ct.notifier, store, clock, ct.default_interval),
      beacon_admin_(clock) {}

absl::Status AdminServiceImpl::AwaitPublished(
    const grpc::ServerContext& context) {
  ASSIGN_OR_RETURN(int64_t revision, store_.Revision());
  const absl::Time now = clock_.Now();
  const absl::Time deadline =
      EffectiveDeadline(context, FromProto(limits_.default_deadline()), now);
  absl::Status published = publisher_.WaitForRevision(
      revision, std::max(absl::ZeroDuration(), deadline - now));
  if (absl::IsDeadlineExceeded(published)) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the change is committed, but the new snapshot was not published "
        "before the call's deadline: ",
        published.message()));
  }
  return published;
}

absl::StatusOr<auth::Caller> AdminServiceImpl::AuthorizeCaller(
    grpc::ServerContext& context, Permission permission) const {
  ASSIGN_OR_RETURN(auth::Principal who,
                   authorizer_.Authorize(context, permission));
  return auth::Caller{std::move(who), RequestId(context)};
}

grpc::Status AdminServiceImpl::CreateListEntry(
    grpc::ServerContext* context, const v1::CreateListEntryRequest* request,
    v1::ListEntry* response) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<lists::NewListEntry> entry = NewEntryFromProto(*request);
  if (!entry.ok()) return ToGrpcStatus(entry.status());
  absl::StatusOr<store::ListEntryRecord> stored =
      list_admin_.Add(*caller, *entry);
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  ToProto(*stored, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteListEntry(
    grpc::ServerContext* context, const v1::DeleteListEntryRequest* request,
    v1::DeleteListEntryResponse* response) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<lists::ListEntryKey> key = EntryKeyFromProto(*request);
  if (!key.ok()) return ToGrpcStatus(key.status());
  absl::StatusOr<int64_t> deleted = list_admin_.Remove(*caller, *key);
  if (!deleted.ok()) return ToGrpcStatus(deleted.status());
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
  absl::StatusOr<store::ListType> list = ListFromProto(request->list());
  if (!list.ok()) return ToGrpcStatus(list.status());
  absl::StatusOr<int64_t> after = ParsePageToken(request->page_token());
  if (!after.ok()) return ToGrpcStatus(after.status());
  absl::StatusOr<store::ListEntryPage> page =
      list_admin_.List(*list, request->tenant(), *after, request->page_size());
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
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  v1::ImportListEntriesRequest first;
  if (!reader->Read(&first)) {
    if (context->IsCancelled()) {
      LogInfo("list import abandoned", {{"why", "the call was cancelled"}});
      return grpc::Status(grpc::StatusCode::CANCELLED,
                          "the import was cancelled; nothing was written");
    }
    return Invalid("the import stream carried no message");
  }
  absl::StatusOr<lists::ListImportOptions> options =
      ImportOptionsFromProto(first);
  if (!options.ok()) return ToGrpcStatus(options.status());
  absl::StatusOr<lists::PreparedImport> import =
      list_admin_.PrepareImport(*options);
  if (!import.ok()) return ToGrpcStatus(import.status());

  absl::StatusOr<lists::ImportResult> parsed = ParseImportStream(
      *context, *reader, std::move(first),
      EffectiveDeadline(*context, FromProto(limits_.default_deadline()),
                        clock_.Now()));
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  absl::StatusOr<int64_t> written = list_admin_.Import(
      *caller, *import, *parsed, [context] { return !context->IsCancelled(); });
  if (!written.ok()) return ToGrpcStatus(written.status());
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  // The publisher trims after its rebuild, but this thread may free the
  // import's buffers only after that: trim again, they are freed now.
  ReleaseFreeHeapMemory();

  ImportToProto(*written, *parsed, *response);
  LogInfo(
      "list import done",
      {{"list", options->list == store::ListType::kBlock ? "block" : "allow"},
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
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<lists::FeedConfig> config = FromProto(request->feed());
  if (!config.ok()) return ToGrpcStatus(config.status());
  absl::StatusOr<lists::FeedState> state = feed_admin_.Put(*caller, *config);
  if (!state.ok()) return ToGrpcStatus(state.status());
  // An enabled feed was refreshed: a check right after sees its entries.
  if (config->enabled) {
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
  absl::StatusOr<std::vector<lists::FeedState>> feeds = feed_admin_.List();
  if (!feeds.ok()) return ToGrpcStatus(feeds.status());
  for (const lists::FeedState& feed : *feeds) {
    ToProto(feed, *response->add_feeds());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteFeed(grpc::ServerContext* context,
                                          const v1::DeleteFeedRequest* request,
                                          v1::DeleteFeedResponse* response) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<int64_t> deleted =
      feed_admin_.Remove(*caller, request->name(), request->tenant());
  if (!deleted.ok()) return ToGrpcStatus(deleted.status());
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  response->set_deleted_entry_count(*deleted);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RefreshFeed(
    grpc::ServerContext* context, const v1::RefreshFeedRequest* request,
    v1::Feed* response) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<lists::FeedState> state =
      feed_admin_.Refresh(*caller, request->name(), request->tenant());
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
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  lookalike::Brand brand = BrandFromProto(request->brand());
  if (request->has_domains_from_certificate()) {
    // A brand that Put would refuse is refused before the probe.
    if (absl::Status s = verdict::BrandRegistry::Validate(brand); !s.ok()) {
      return ToGrpcStatus(s);
    }
    const v1::ProbeCertificateRequest& source =
        request->domains_from_certificate();
    absl::StatusOr<certs::ProbeTarget> target =
        certs::ParseProbeTarget(source.host(), source.port());
    if (!target.ok()) {
      return ToGrpcStatus(InField("domains_from_certificate", target.status()));
    }
    if (absl::Status s = verdict::AddDomainsFromCertificate(
            cert_probes_, *target, clock_, brand);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  absl::StatusOr<lookalike::Brand> stored = brands_.Put(*caller, brand);
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  BrandToProto(*stored, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteBrand(
    grpc::ServerContext* context, const v1::DeleteBrandRequest* request,
    v1::DeleteBrandResponse*) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s =
          brands_.Remove(*caller, request->name(), request->tenant());
      !s.ok()) {
    return ToGrpcStatus(s);
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
  absl::StatusOr<std::vector<lookalike::Brand>> brands = brands_.List();
  if (!brands.ok()) return ToGrpcStatus(brands.status());
  for (const lookalike::Brand& brand : *brands) {
    BrandToProto(brand, *response->add_brands());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ImportBrands(
    grpc::ServerContext* context, const v1::ImportBrandsRequest* request,
    v1::ImportBrandsResponse* response) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<int64_t> imported = brands_.Import(
      *caller, request->content(), request->format(), request->top_n());
  if (!imported.ok()) return ToGrpcStatus(imported.status());
  if (absl::Status s = AwaitPublished(*context); !s.ok()) {
    return ToGrpcStatus(s);
  }
  response->set_imported_count(*imported);
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
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->role() != v1::VERDICT && request->role() != v1::ADMIN &&
      request->role() != v1::READONLY_ADMIN) {
    return Invalid("role: must be VERDICT, ADMIN or READONLY_ADMIN");
  }
  absl::StatusOr<auth::CreatedKey> created = key_admin_.Create(
      *caller, {.name = request->name(),
                .role = static_cast<auth::Role>(request->role()),
                .tenant = request->tenant(),
                .client_subject = request->client_subject()});
  if (!created.ok()) return ToGrpcStatus(created.status());
  if (created->info) ApiKeyToProto(*created->info, *response->mutable_key());
  response->set_token(created->token);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListApiKeys(grpc::ServerContext* context,
                                           const v1::ListApiKeysRequest*,
                                           v1::ListApiKeysResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  for (const auth::ApiKeyInfo& key : key_admin_.List()) {
    ApiKeyToProto(key, *response->add_keys());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RevokeApiKey(
    grpc::ServerContext* context, const v1::RevokeApiKeyRequest* request,
    v1::RevokeApiKeyResponse*) {
  absl::StatusOr<auth::Caller> caller =
      AuthorizeCaller(*context, Permission::kAdminWrite);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = key_admin_.Revoke(*caller, request->name()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListAuditRecords(
    grpc::ServerContext* context, const v1::ListAuditRecordsRequest* request,
    v1::ListAuditRecordsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      authorizer_.Authorize(*context, Permission::kAdminRead);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<int64_t> before = ParsePageToken(request->page_token());
  if (!before.ok()) return ToGrpcStatus(before.status());
  absl::StatusOr<auth::AuditLogPage> page =
      auth::ListAuditLog(store_, {.before_id = *before,
                                  .page_size = request->page_size(),
                                  .actor = request->actor(),
                                  .method = request->method()});
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const store::AuditRecord& record : page->records) {
    AuditRecordToProto(record, *response->add_records());
  }
  if (page->next_before_id) {
    response->set_next_page_token(PageToken(*page->next_before_id));
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
  absl::StatusOr<certs::ProbeTarget> target =
      certs::ParseProbeTarget(request->host(), request->port());
  if (!target.ok()) return ToGrpcStatus(target.status());
  std::shared_ptr<const verdict::EngineSnapshot> snapshot = engine_.snapshot();
  absl::StatusOr<verdict::ProbedCertificate> probed =
      verdict::ProbeCertificateNow(
          cert_probes_, *target,
          snapshot != nullptr ? snapshot->brands.get() : nullptr, who->tenant,
          clock_);
  if (!probed.ok()) return ToGrpcStatus(probed.status());
  ToProto(probed->probe, *response->mutable_certificate());
  for (const verdict::Reason& reason : probed->reasons) {
    ToProto(reason, *response->add_reasons());
  }
  return grpc::Status::OK;
}

}  // namespace lureguard::service
