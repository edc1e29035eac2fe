#include "server/service/admin_service.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/common/log.h"
#include "server/common/utf8.h"
#include "server/lists/entry_value.h"
#include "server/lists/import_parser.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_codec.h"
#include "server/lookalike/brand_index.h"
#include "server/service/authorize.h"
#include "server/service/convert.h"
#include "server/service/page_token.h"
#include "server/service/request_limits.h"
#include "server/verdict/brand_records.h"

namespace lureguard::service {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
// Generous: a snapshot of ten million entries rebuilds in seconds.
constexpr absl::Duration kPublishTimeout = absl::Seconds(60);
// Tenant names end up in logs and keys; keep them short and printable.
constexpr size_t kMaxTenantLength = 128;
constexpr size_t kMaxReasonLength = 1024;

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

}  // namespace

AdminServiceImpl::AdminServiceImpl(store::Store& store,
                                   verdict::SnapshotPublisher& publisher,
                                   const verdict::Engine& engine,
                                   lists::FeedManager& feeds,
                                   auth::KeyRing& keys, const Clock& clock,
                                   const v1::Limits& limits,
                                   std::string version, CtAdmin ct)
    : store_(store),
      publisher_(publisher),
      engine_(engine),
      feeds_(feeds),
      keys_(keys),
      clock_(clock),
      limits_(limits),
      version_(std::move(version)),
      start_time_(clock.Now()),
      ct_(ct) {}

absl::Status AdminServiceImpl::AwaitPublished() {
  absl::StatusOr<int64_t> revision = store_.Revision();
  if (!revision.ok()) return revision.status();
  return publisher_.WaitForRevision(*revision, kPublishTimeout);
}

grpc::Status AdminServiceImpl::CreateListEntry(
    grpc::ServerContext* context, const v1::CreateListEntryRequest* request,
    v1::ListEntry* response) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = CheckReason(request->reason()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<EntryTarget> target = ParseEntryTarget(
      request->list(), request->tenant(), request->value(), request->kind());
  if (!target.ok()) return ToGrpcStatus(target.status());
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
  record.create_time = now;
  record.expire_time = *expiry;
  absl::StatusOr<store::ListEntryRecord> stored = store_.UpsertEntry(record);
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);
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
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
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
  if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);
  response->set_deleted_count(*deleted);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListListEntries(
    grpc::ServerContext* context, const v1::ListListEntriesRequest* request,
    v1::ListListEntriesResponse* response) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminRead);
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
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  v1::ImportListEntriesRequest first;
  if (!reader->Read(&first)) {
    return Invalid("the import stream carried no message");
  }
  std::optional<store::ListType> list = FromProto(first.list());
  if (!list) return Invalid("list: must be BLOCKLIST or ALLOWLIST");
  if (absl::Status s = CheckTenant(first.tenant()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = CheckReason(first.reason()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (!first.format().empty() &&
      !lists::ImportParser::IsKnownFormat(first.format())) {
    return Invalid(
        absl::StrCat("format: unknown format '", first.format(),
                     "' (known: auto, entries, domains, hosts, urls)"));
  }
  const absl::Time now = clock_.Now();
  absl::StatusOr<absl::Time> expiry = ExpiryFrom(first.ttl(), now);
  if (!expiry.ok()) return ToGrpcStatus(expiry.status());

  lists::ImportParser parser(first.format(), first.skip_invalid());
  v1::ImportListEntriesRequest chunk = std::move(first);
  do {
    if (absl::Status s = parser.AddChunk(chunk.content()); !s.ok()) {
      return ToGrpcStatus(s);
    }
  } while (reader->Read(&chunk));
  absl::StatusOr<lists::ImportResult> parsed = std::move(parser).Finish();
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  if (static_cast<int64_t>(parsed->entries.size()) >
      limits_.max_import_entries()) {
    return Invalid(absl::StrCat("content: ", parsed->entries.size(),
                                " entries exceed the import limit of ",
                                limits_.max_import_entries()));
  }

  std::vector<store::ListEntryRecord> records;
  records.reserve(parsed->entries.size());
  for (lists::EntryValue& value : parsed->entries) {
    store::ListEntryRecord& record = records.emplace_back();
    record.list = *list;
    record.kind = value.kind;
    record.value = std::move(value.value);
    record.reason = first.reason();
    record.source = "admin";
    record.tenant = first.tenant();
    record.create_time = now;
    record.expire_time = *expiry;
  }
  absl::StatusOr<int64_t> written = store_.ImportEntries(records, std::nullopt);
  if (!written.ok()) return ToGrpcStatus(written.status());
  if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);

  response->set_accepted_count(*written);
  response->set_duplicate_count(parsed->duplicate_count);
  response->set_skipped_count(parsed->skipped_count);
  for (const std::string& example : parsed->skipped_examples) {
    response->add_skipped_examples(example);
  }
  response->set_format(parsed->format);
  LogInfo("list import done",
          {{"list", *list == store::ListType::kBlock ? "block" : "allow"},
           {"format", parsed->format},
           {"accepted", absl::StrCat(*written)},
           {"skipped", absl::StrCat(parsed->skipped_count)}});
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::GetStatus(grpc::ServerContext* context,
                                         const v1::GetStatusRequest*,
                                         v1::GetStatusResponse* response) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminRead);
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
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  absl::StatusOr<lists::FeedConfig> config = FromProto(request->feed());
  if (!config.ok()) return ToGrpcStatus(config.status());
  if (absl::Status s = CheckTenant(config->tenant); !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<lists::FeedState> state = feeds_.Upsert(*config);
  if (!state.ok()) return ToGrpcStatus(NameField("feed", state.status()));
  // The first refresh runs now, so the caller learns at once whether the
  // URL and format work and a check right after sees the entries.
  if (config->enabled) {
    state = feeds_.RefreshNow(config->name, config->tenant);
    if (!state.ok()) return ToGrpcStatus(state.status());
    if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);
  }
  ToProto(*state, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListFeeds(grpc::ServerContext* context,
                                         const v1::ListFeedsRequest*,
                                         v1::ListFeedsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminRead);
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
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->name().empty()) return Invalid("name: is empty");
  absl::StatusOr<std::vector<lists::FeedState>> feeds = feeds_.List();
  if (!feeds.ok()) return ToGrpcStatus(feeds.status());
  for (const lists::FeedState& feed : *feeds) {
    if (feed.config.name == request->name() &&
        feed.config.tenant == request->tenant()) {
      response->set_deleted_entry_count(feed.entry_count);
    }
  }
  if (absl::Status s = feeds_.Remove(request->name(), request->tenant());
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RefreshFeed(
    grpc::ServerContext* context, const v1::RefreshFeedRequest* request,
    v1::Feed* response) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->name().empty()) return Invalid("name: is empty");
  absl::StatusOr<lists::FeedState> state =
      feeds_.RefreshNow(request->name(), request->tenant());
  if (!state.ok()) return ToGrpcStatus(state.status());
  if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);
  ToProto(*state, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::CreateBrand(
    grpc::ServerContext* context, const v1::CreateBrandRequest* request,
    v1::Brand* response) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  lookalike::Brand brand = BrandFromProto(request->brand());
  if (absl::Status s = ValidateBrands({brand}); !s.ok()) {
    return ToGrpcStatus(NameField("brand", s));
  }
  if (absl::Status s = store_.PutRecord(
          verdict::BrandRecord(brand, clock_.Now()), /*affects_snapshot=*/true);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);
  BrandToProto(brand, *response);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::DeleteBrand(
    grpc::ServerContext* context, const v1::DeleteBrandRequest* request,
    v1::DeleteBrandResponse*) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (request->name().empty()) return Invalid("name: is empty");
  if (absl::Status s = CheckTenant(request->tenant()); !s.ok()) {
    return ToGrpcStatus(s);
  }
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
  if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListBrands(grpc::ServerContext* context,
                                          const v1::ListBrandsRequest*,
                                          v1::ListBrandsResponse* response) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminRead);
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
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
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
  // One record write per brand; the store has no multi-record transaction,
  // but every brand was validated above, so only an I/O failure can stop
  // this half way, and a retry writes the same records again.
  const absl::Time now = clock_.Now();
  for (const lookalike::Brand& brand : *brands) {
    if (absl::Status s = store_.PutRecord(verdict::BrandRecord(brand, now),
                                          /*affects_snapshot=*/true);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  if (absl::Status s = AwaitPublished(); !s.ok()) return ToGrpcStatus(s);
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
}

}  // namespace

grpc::Status AdminServiceImpl::CreateApiKey(
    grpc::ServerContext* context, const v1::CreateApiKeyRequest* request,
    v1::CreateApiKeyResponse* response) {
  absl::StatusOr<auth::Principal> who =
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
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
  absl::StatusOr<std::string> token =
      keys_.Create(request->name(), role, request->tenant());
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
      Authorize(keys_, context->client_metadata(), Permission::kAdminRead);
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
      Authorize(keys_, context->client_metadata(), Permission::kAdminWrite);
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = keys_.Revoke(request->name()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  LogInfo("API key revoked",
          {{"name", request->name()}, {"by", who->key_name}});
  return grpc::Status::OK;
}

}  // namespace lureguard::service
