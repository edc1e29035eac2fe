#include "tests/fakes/fake_ct_log.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace lureguard::testing {
namespace {

constexpr int64_t kTimestampMs = 1767225600000;  // 2026-01-01
constexpr char kPoisonOid[] = "1.3.6.1.4.1.11129.2.4.3";

void Check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "FakeCtLog: OpenSSL failed: %s\n", what);
    abort();
  }
}

std::string Der(X509* x) {
  unsigned char* out = nullptr;
  const int n = i2d_X509(x, &out);
  Check(n > 0, "i2d_X509");
  std::string der(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  return der;
}

X509* Parse(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  Check(x != nullptr, "d2i_X509");
  return x;
}

std::string Uint(uint64_t value, int bytes) {
  std::string out(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  return out;
}

std::string Vec(const std::string& data, int length_bytes) {
  return Uint(data.size(), length_bytes) + data;
}

// TimestampedEntry with the given extensions.
std::string TimestampedEntry(bool precert, const std::string& cert_or_tbs,
                             const std::string& issuer_key_hash,
                             int64_t timestamp_ms,
                             const std::string& extensions) {
  std::string out = Uint(timestamp_ms, 8) + Uint(precert ? 1 : 0, 2);
  if (precert) out += issuer_key_hash;
  out += Vec(cert_or_tbs, 3);
  out += Vec(extensions, 2);
  return out;
}

HttpTestResponse Status(int status) {
  HttpTestResponse response;
  response.status = status;
  response.body = absl::StrCat("status ", status, "\n");
  return response;
}

}  // namespace

namespace ct_encoding {

std::string Sha256(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof(digest));
}

std::string X509Leaf(const std::string& cert_der, int64_t timestamp_ms) {
  return std::string("\x00\x00", 2) +
         TimestampedEntry(false, cert_der, "", timestamp_ms, "");
}

std::string PrecertLeaf(const std::string& issuer_key_hash,
                        const std::string& tbs_der, int64_t timestamp_ms) {
  return std::string("\x00\x00", 2) +
         TimestampedEntry(true, tbs_der, issuer_key_hash, timestamp_ms, "");
}

std::string X509ExtraData(const std::vector<std::string>& chain) {
  std::string list;
  for (const std::string& cert : chain) list += Vec(cert, 3);
  return Vec(list, 3);
}

std::string PrecertExtraData(const std::string& precert_der,
                             const std::vector<std::string>& chain) {
  return Vec(precert_der, 3) + X509ExtraData(chain);
}

std::string TileLeaf(int64_t index, bool precert,
                     const std::string& cert_or_tbs,
                     const std::string& issuer_key_hash,
                     const std::string& precert_der,
                     const std::vector<std::string>& fingerprints,
                     int64_t timestamp_ms) {
  const std::string leaf_index = std::string(1, '\0') + Vec(Uint(index, 5), 2);
  std::string out = TimestampedEntry(precert, cert_or_tbs, issuer_key_hash,
                                     timestamp_ms, leaf_index);
  if (precert) out += Vec(precert_der, 3);
  out += Vec(absl::StrJoin(fingerprints, ""), 2);
  return out;
}

}  // namespace ct_encoding

struct CtTestCa::Keys {
  EVP_PKEY* ca = nullptr;
  EVP_PKEY* leaf = nullptr;
  X509_NAME* name = nullptr;
  ~Keys() {
    EVP_PKEY_free(ca);
    EVP_PKEY_free(leaf);
    X509_NAME_free(name);
  }
};

CtTestCa::CtTestCa(const std::string& common_name) : keys_(new Keys) {
  keys_->ca = EVP_EC_gen("P-256");
  keys_->leaf = EVP_EC_gen("P-256");
  Check(keys_->ca != nullptr && keys_->leaf != nullptr, "EVP_EC_gen");
  keys_->name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(keys_->name, "C", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("US"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(
      keys_->name, "O", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("Lureguard Tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(
      keys_->name, "CN", MBSTRING_UTF8,
      reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set_int64(X509_get_serialNumber(x), 1);
  X509_set_subject_name(x, keys_->name);
  X509_set_issuer_name(x, keys_->name);
  ASN1_TIME_set(X509_getm_notBefore(x), 1735689600);
  ASN1_TIME_set(X509_getm_notAfter(x), 1893456000);
  X509_set_pubkey(x, keys_->ca);
  Check(X509_sign(x, keys_->ca, EVP_sha256()) > 0, "X509_sign CA");
  der_ = Der(x);
  X509_free(x);
}

CtTestCa::~CtTestCa() = default;

std::string CtTestCa::subject() const {
  return absl::StrCat(
      "CN=",
      std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(
          X509_NAME_ENTRY_get_data(X509_NAME_get_entry(keys_->name, 2))))),
      ", O=Lureguard Tests, C=US");
}

std::string CtTestCa::key_hash() const {
  unsigned char* out = nullptr;
  const int n = i2d_PUBKEY(keys_->ca, &out);
  Check(n > 0, "i2d_PUBKEY");
  std::string spki(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  return ct_encoding::Sha256(spki);
}

std::string CtTestCa::Issue(const std::vector<std::string>& names,
                            int64_t serial, bool precert,
                            absl::Time not_before) const {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set_int64(X509_get_serialNumber(x), serial);
  X509_NAME* subject = X509_NAME_new();
  if (!names.empty()) {
    X509_NAME_add_entry_by_txt(
        subject, "CN", MBSTRING_UTF8,
        reinterpret_cast<const unsigned char*>(names[0].c_str()), -1, -1, 0);
  }
  X509_set_subject_name(x, subject);
  X509_NAME_free(subject);
  X509_set_issuer_name(x, keys_->name);
  ASN1_TIME_set(X509_getm_notBefore(x), absl::ToTimeT(not_before));
  ASN1_TIME_set(X509_getm_notAfter(x),
                absl::ToTimeT(not_before + absl::Hours(24 * 90)));
  X509_set_pubkey(x, keys_->leaf);
  if (!names.empty()) {
    std::vector<std::string> dns;
    for (const std::string& name : names) dns.push_back("DNS:" + name);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name,
                            absl::StrJoin(dns, ",").c_str());
    Check(san != nullptr, "subjectAltName");
    X509_add_ext(x, san, -1);
    X509_EXTENSION_free(san);
  }
  if (precert) {
    ASN1_OBJECT* oid = OBJ_txt2obj(kPoisonOid, 1);
    ASN1_OCTET_STRING* null = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(
        null, reinterpret_cast<const unsigned char*>("\x05\x00"), 2);
    X509_EXTENSION* poison =
        X509_EXTENSION_create_by_OBJ(nullptr, oid, /*crit=*/1, null);
    Check(poison != nullptr, "poison extension");
    X509_add_ext(x, poison, -1);
    X509_EXTENSION_free(poison);
    ASN1_OCTET_STRING_free(null);
    ASN1_OBJECT_free(oid);
  }
  Check(X509_sign(x, keys_->ca, EVP_sha256()) > 0, "X509_sign");
  std::string der = Der(x);
  X509_free(x);
  return der;
}

std::string CtTestCa::TbsWithoutPoison(const std::string& precert_der) {
  X509* x = Parse(precert_der);
  ASN1_OBJECT* oid = OBJ_txt2obj(kPoisonOid, 1);
  const int at = X509_get_ext_by_OBJ(x, oid, -1);
  ASN1_OBJECT_free(oid);
  Check(at >= 0, "poison extension present");
  X509_EXTENSION_free(X509_delete_ext(x, at));
  unsigned char* out = nullptr;
  const int n = i2d_re_X509_tbs(x, &out);
  Check(n > 0, "i2d_re_X509_tbs");
  std::string tbs(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  X509_free(x);
  return tbs;
}

FakeCtLog::FakeCtLog(HttpTestServer& server, std::string prefix,
                     const CtTestCa& ca)
    : server_(server), prefix_(std::move(prefix)), ca_(ca) {
  server_.SetHandler(prefix_ + "ct/v1/get-sth",
                     [this](const HttpTestRequest&) { return GetSth(); });
  server_.SetHandler(
      prefix_ + "ct/v1/get-entries",
      [this](const HttpTestRequest& r) { return GetEntries(r); });
  server_.SetHandler(prefix_ + "checkpoint",
                     [this](const HttpTestRequest&) { return Checkpoint(); });
  server_.SetHandler(prefix_ + "tile/data/",
                     [this](const HttpTestRequest& r) { return Tile(r); });
  server_.SetHandler(prefix_ + "issuer/",
                     [this](const HttpTestRequest& r) { return Issuer(r); });
}

std::string FakeCtLog::url() const { return server_.Url(prefix_); }

int64_t FakeCtLog::Append(Entry entry) {
  absl::MutexLock lock(&mu_);
  entries_.push_back(std::move(entry));
  return static_cast<int64_t>(entries_.size()) - 1;
}

int64_t FakeCtLog::AddCertificate(const std::vector<std::string>& names,
                                  int64_t serial) {
  const std::string der = ca_.Issue(names, serial, /*precert=*/false);
  int64_t index;
  {
    absl::MutexLock lock(&mu_);
    index = static_cast<int64_t>(entries_.size());
  }
  return Append(
      {ct_encoding::X509Leaf(der, kTimestampMs),
       ct_encoding::X509ExtraData({ca_.der()}),
       ct_encoding::TileLeaf(index, false, der, "", "",
                             {ct_encoding::Sha256(ca_.der())}, kTimestampMs)});
}

int64_t FakeCtLog::AddPrecertificate(const std::vector<std::string>& names,
                                     int64_t serial) {
  const std::string pre = ca_.Issue(names, serial, /*precert=*/true);
  const std::string tbs = CtTestCa::TbsWithoutPoison(pre);
  int64_t index;
  {
    absl::MutexLock lock(&mu_);
    index = static_cast<int64_t>(entries_.size());
  }
  return Append(
      {ct_encoding::PrecertLeaf(ca_.key_hash(), tbs, kTimestampMs),
       ct_encoding::PrecertExtraData(pre, {ca_.der()}),
       ct_encoding::TileLeaf(index, true, tbs, ca_.key_hash(), pre,
                             {ct_encoding::Sha256(ca_.der())}, kTimestampMs)});
}

int64_t FakeCtLog::AddRaw(std::string leaf_input, std::string extra_data,
                          std::string tile_leaf) {
  return Append(
      {std::move(leaf_input), std::move(extra_data), std::move(tile_leaf)});
}

void FakeCtLog::SetMaxBatch(int n) {
  absl::MutexLock lock(&mu_);
  max_batch_ = n;
}

void FakeCtLog::SetReportedSize(std::optional<int64_t> size) {
  absl::MutexLock lock(&mu_);
  reported_size_ = size;
}

void FakeCtLog::SetFailureStatus(int status) {
  absl::MutexLock lock(&mu_);
  failure_status_ = status;
}

int FakeCtLog::get_entries_calls() const {
  absl::MutexLock lock(&mu_);
  return get_entries_calls_;
}

int FakeCtLog::tile_calls() const {
  absl::MutexLock lock(&mu_);
  return tile_calls_;
}

int FakeCtLog::issuer_calls() const {
  absl::MutexLock lock(&mu_);
  return issuer_calls_;
}

int64_t FakeCtLog::TreeSize() const {
  return reported_size_.value_or(static_cast<int64_t>(entries_.size()));
}

HttpTestResponse FakeCtLog::GetSth() {
  absl::MutexLock lock(&mu_);
  if (failure_status_ != 0) return Status(failure_status_);
  HttpTestResponse response;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = absl::StrCat(
      R"({"tree_size":)", TreeSize(), R"(,"timestamp":)", kTimestampMs,
      R"(,"sha256_root_hash":")",
      absl::Base64Escape(ct_encoding::Sha256(absl::StrCat(TreeSize()))),
      R"(","tree_head_signature":"BAMARzBFAiEA"})");
  return response;
}

HttpTestResponse FakeCtLog::GetEntries(const HttpTestRequest& request) {
  absl::MutexLock lock(&mu_);
  ++get_entries_calls_;
  if (failure_status_ != 0) return Status(failure_status_);
  int64_t start = -1, end = -1;
  const size_t q = request.target.find('?');
  if (q != std::string::npos) {
    for (absl::string_view pair :
         absl::StrSplit(request.target.substr(q + 1), '&')) {
      if (absl::ConsumePrefix(&pair, "start="))
        (void)absl::SimpleAtoi(pair, &start);
      if (absl::ConsumePrefix(&pair, "end="))
        (void)absl::SimpleAtoi(pair, &end);
    }
  }
  const int64_t size = std::min<int64_t>(TreeSize(), entries_.size());
  if (start < 0 || end < start || start >= size) return Status(400);
  end = std::min({end, size - 1, start + max_batch_ - 1});
  std::vector<std::string> items;
  for (int64_t i = start; i <= end; ++i) {
    items.push_back(absl::StrCat(
        R"({"leaf_input":")", absl::Base64Escape(entries_[i].leaf_input),
        R"(","extra_data":")", absl::Base64Escape(entries_[i].extra_data),
        R"("})"));
  }
  HttpTestResponse response;
  response.headers = {{"Content-Type", "application/json"}};
  response.body =
      absl::StrCat(R"({"entries":[)", absl::StrJoin(items, ","), "]}");
  return response;
}

HttpTestResponse FakeCtLog::Checkpoint() {
  absl::MutexLock lock(&mu_);
  if (failure_status_ != 0) return Status(failure_status_);
  HttpTestResponse response;
  response.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  response.body = absl::StrCat(
      "fake.lureguard.test/log\n", TreeSize(), "\n",
      absl::Base64Escape(ct_encoding::Sha256(absl::StrCat(TreeSize()))),
      "\n\n\xE2\x80\x94 fake.lureguard.test/log AAAAAQ==\n");
  return response;
}

HttpTestResponse FakeCtLog::Tile(const HttpTestRequest& request) {
  absl::MutexLock lock(&mu_);
  ++tile_calls_;
  if (failure_status_ != 0) return Status(failure_status_);
  absl::string_view path = request.target;
  path = path.substr(path.find("tile/data/") + 10);
  int width = 256;
  const size_t partial = path.find(".p/");
  if (partial != absl::string_view::npos) {
    if (!absl::SimpleAtoi(path.substr(partial + 3), &width) || width < 1 ||
        width > 255) {
      return Status(400);
    }
    path = path.substr(0, partial);
  }
  int64_t n = 0;
  for (absl::string_view group : absl::StrSplit(path, '/')) {
    absl::ConsumePrefix(&group, "x");
    int part = 0;
    if (group.size() != 3 || !absl::SimpleAtoi(group, &part)) {
      return Status(400);
    }
    n = n * 1000 + part;
  }
  const int64_t first = n * 256;
  if (first + width > std::min<int64_t>(TreeSize(), entries_.size())) {
    return Status(404);
  }
  HttpTestResponse response;
  for (int64_t i = first; i < first + width; ++i) {
    response.body += entries_[i].tile_leaf;
  }
  return response;
}

HttpTestResponse FakeCtLog::Issuer(const HttpTestRequest& request) {
  absl::MutexLock lock(&mu_);
  ++issuer_calls_;
  if (failure_status_ != 0) return Status(failure_status_);
  const std::string hex =
      request.target.substr(request.target.find("issuer/") + 7);
  if (hex != absl::BytesToHexString(ct_encoding::Sha256(ca_.der()))) {
    return Status(404);
  }
  HttpTestResponse response;
  response.headers = {{"Content-Type", "application/pkix-cert"}};
  response.body = ca_.der();
  return response;
}

}  // namespace lureguard::testing
