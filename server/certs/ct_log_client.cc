#include "server/certs/ct_log_client.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "server/certs/ct_tiles.h"
#include "server/common/status_macros.h"

namespace lureguard::certs {
namespace {

// A tree head or a get-entries answer is small; a tile of 256 leaves with
// large certificates stays under a few MiB.
constexpr int64_t kMaxBodyBytes = int64_t{32} << 20;
// Issuer certificates are few per log; bound the cache anyway.
constexpr size_t kMaxCachedIssuers = 1024;
// JSON numbers are doubles: sizes beyond 2^53 would lose precision.
constexpr double kMaxJsonInteger = 9007199254740992.0;

std::string Prefix(const std::string& url) {
  return absl::EndsWith(url, "/") ? url : url + "/";
}

absl::StatusOr<lists::HttpResponse> Get(lists::HttpFetcher& fetcher,
                                        const std::string& url) {
  lists::HttpRequest request;
  request.url = url;
  request.max_body_bytes = kMaxBodyBytes;
  request.total_timeout = absl::Seconds(30);
  ASSIGN_OR_RETURN(lists::HttpResponse response, fetcher.Fetch(request));
  if (response.status_code != 200) {
    return absl::UnavailableError(
        absl::StrCat(url, ": HTTP ", response.status_code));
  }
  return response;
}

absl::StatusOr<google::protobuf::Struct> ParseJson(absl::string_view body,
                                                   absl::string_view url) {
  google::protobuf::Struct json;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(std::string(body),
                                                            &json, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(url, ": the body is not a JSON object"));
  }
  return json;
}

absl::StatusOr<int64_t> JsonInteger(const google::protobuf::Struct& json,
                                    const std::string& field,
                                    absl::string_view url) {
  auto it = json.fields().find(field);
  if (it == json.fields().end() ||
      it->second.kind_case() != google::protobuf::Value::kNumberValue) {
    return absl::InvalidArgumentError(
        absl::StrCat(url, ": ", field, ": missing or not a number"));
  }
  const double value = it->second.number_value();
  if (!(value >= 0) || value > kMaxJsonInteger || std::floor(value) != value) {
    return absl::InvalidArgumentError(absl::StrCat(
        url, ": ", field, ": ", value, " is not a non-negative integer"));
  }
  return static_cast<int64_t>(value);
}

absl::StatusOr<std::string> JsonBase64(const google::protobuf::Struct& json,
                                       const std::string& field,
                                       absl::string_view what) {
  auto it = json.fields().find(field);
  std::string decoded;
  if (it == json.fields().end() ||
      it->second.kind_case() != google::protobuf::Value::kStringValue ||
      !absl::Base64Unescape(it->second.string_value(), &decoded)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", field, ": missing or not base64"));
  }
  return decoded;
}

// RFC 6962 §4.3 get-sth and §4.6 get-entries.
class Rfc6962Client final : public CtLogClient {
 public:
  Rfc6962Client(const CtLogConfig& config, lists::HttpFetcher& fetcher,
                int batch_size)
      : prefix_(Prefix(config.url)),
        fetcher_(fetcher),
        batch_size_(std::max(1, batch_size)) {}

  absl::StatusOr<CtTreeHead> GetTreeHead() override {
    const std::string url = prefix_ + "ct/v1/get-sth";
    ASSIGN_OR_RETURN(lists::HttpResponse response, Get(fetcher_, url));
    ASSIGN_OR_RETURN(google::protobuf::Struct json,
                     ParseJson(response.body, url));
    CtTreeHead head;
    ASSIGN_OR_RETURN(int64_t size, JsonInteger(json, "tree_size", url));
    head.tree_size = size;
    ASSIGN_OR_RETURN(std::string root,
                     JsonBase64(json, "sha256_root_hash", url));
    if (root.size() != 32) {
      return absl::InvalidArgumentError(
          absl::StrCat(url, ": sha256_root_hash: not 32 bytes"));
    }
    head.root_hash = std::move(root);
    return head;
  }

  absl::StatusOr<CtBatch> GetEntries(int64_t start, int64_t end,
                                     int64_t) override {
    const int64_t last = std::min(end, start + batch_size_) - 1;
    const std::string url =
        absl::StrCat(prefix_, "ct/v1/get-entries?start=", start, "&end=", last);
    ASSIGN_OR_RETURN(lists::HttpResponse response, Get(fetcher_, url));
    ASSIGN_OR_RETURN(google::protobuf::Struct json,
                     ParseJson(response.body, url));
    auto it = json.fields().find("entries");
    if (it == json.fields().end() ||
        it->second.kind_case() != google::protobuf::Value::kListValue) {
      return absl::InvalidArgumentError(
          absl::StrCat(url, ": entries: missing or not an array"));
    }
    const auto& items = it->second.list_value().values();
    if (items.empty()) {
      return absl::UnavailableError(absl::StrCat(
          url, ": the log returned no entries below its tree size"));
    }
    if (items.size() > last - start + 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(url, ": the log returned ", items.size(), " entries; ",
                       last - start + 1, " were asked for"));
    }
    CtBatch batch;
    batch.next_index = start + items.size();
    for (int i = 0; i < items.size(); ++i) {
      const int64_t index = start + i;
      const std::string what = absl::StrCat("entry ", index);
      absl::StatusOr<CtEntry> entry = ParseItem(items[i], what, index);
      if (entry.ok()) {
        batch.entries.push_back(*std::move(entry));
      } else {
        batch.malformed.push_back(std::string(entry.status().message()));
      }
    }
    return batch;
  }

  absl::StatusOr<std::string> GetIssuer(const CtEntry& entry) override {
    if (entry.chain.empty()) {
      return absl::NotFoundError(
          absl::StrCat("entry ", entry.index, " carries no chain"));
    }
    return entry.chain.front();
  }

 private:
  static absl::StatusOr<CtEntry> ParseItem(const google::protobuf::Value& item,
                                           const std::string& what,
                                           int64_t index) {
    if (item.kind_case() != google::protobuf::Value::kStructValue) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": not a JSON object"));
    }
    ASSIGN_OR_RETURN(std::string leaf,
                     JsonBase64(item.struct_value(), "leaf_input", what));
    ASSIGN_OR_RETURN(std::string extra,
                     JsonBase64(item.struct_value(), "extra_data", what));
    absl::StatusOr<CtEntry> entry = ParseRfc6962Entry(leaf, extra, index);
    if (!entry.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": ", entry.status().message()));
    }
    return entry;
  }

  const std::string prefix_;
  lists::HttpFetcher& fetcher_;
  const int64_t batch_size_;
};

// c2sp.org/static-ct-api: checkpoint, tile/data/..., issuer/...
class StaticCtClient final : public CtLogClient {
 public:
  StaticCtClient(const CtLogConfig& config, lists::HttpFetcher& fetcher)
      : prefix_(Prefix(config.url)), fetcher_(fetcher) {}

  absl::StatusOr<CtTreeHead> GetTreeHead() override {
    const std::string url = prefix_ + "checkpoint";
    ASSIGN_OR_RETURN(lists::HttpResponse response, Get(fetcher_, url));
    absl::StatusOr<Checkpoint> checkpoint = ParseCheckpoint(response.body);
    if (!checkpoint.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(url, ": ", checkpoint.status().message()));
    }
    return CtTreeHead{checkpoint->tree_size, checkpoint->root_hash};
  }

  absl::StatusOr<CtBatch> GetEntries(int64_t start, int64_t end,
                                     int64_t tree_size) override {
    const int64_t tile = start / kTileWidth;
    const int64_t first = tile * kTileWidth;
    // A tile is full once the tree has grown past it; until then only the
    // partial tile of the current width exists.
    const int width =
        static_cast<int>(std::min<int64_t>(kTileWidth, tree_size - first));
    const std::string url = prefix_ + DataTilePath(tile, width);
    ASSIGN_OR_RETURN(lists::HttpResponse response, Get(fetcher_, url));
    absl::StatusOr<std::vector<CtEntry>> leaves =
        ParseDataTile(response.body, first, width);
    if (!leaves.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(url, ": ", leaves.status().message()));
    }
    CtBatch batch;
    const int64_t stop = std::min(end, first + width);
    for (CtEntry& entry : *leaves) {
      if (entry.index >= start && entry.index < stop) {
        batch.entries.push_back(std::move(entry));
      }
    }
    batch.next_index = stop;
    return batch;
  }

  absl::StatusOr<std::string> GetIssuer(const CtEntry& entry) override {
    if (entry.chain_fingerprints.empty()) {
      return absl::NotFoundError(
          absl::StrCat("entry ", entry.index, " names no issuer"));
    }
    const std::string& fingerprint = entry.chain_fingerprints.front();
    {
      absl::MutexLock lock(&mu_);
      auto it = issuers_.find(fingerprint);
      if (it != issuers_.end()) return it->second;
    }
    const std::string url = prefix_ + IssuerPath(fingerprint);
    ASSIGN_OR_RETURN(lists::HttpResponse response, Get(fetcher_, url));
    if (Sha256Hex(response.body) != absl::BytesToHexString(fingerprint)) {
      return absl::InvalidArgumentError(
          absl::StrCat(url,
                       ": the certificate served does not have the "
                       "SHA-256 fingerprint it is named by"));
    }
    absl::MutexLock lock(&mu_);
    if (issuers_.size() >= kMaxCachedIssuers) issuers_.clear();
    issuers_[fingerprint] = response.body;
    return response.body;
  }

 private:
  const std::string prefix_;
  lists::HttpFetcher& fetcher_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::string> issuers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

absl::string_view CtApiName(CtApi api) {
  return api == CtApi::kStatic ? "static" : "rfc6962";
}

std::unique_ptr<CtLogClient> NewCtLogClient(const CtLogConfig& config,
                                            lists::HttpFetcher& fetcher,
                                            int batch_size) {
  if (config.api == CtApi::kStatic) {
    return std::make_unique<StaticCtClient>(config, fetcher);
  }
  return std::make_unique<Rfc6962Client>(config, fetcher, batch_size);
}

}  // namespace lureguard::certs
