// A certificate-transparency log inside the test: real certificates made
// with OpenSSL, really encoded entries, served over real HTTP on loopback
// (HttpTestServer) in both APIs at once: RFC 6962 (ct/v1/get-sth,
// ct/v1/get-entries) and Static CT (checkpoint, tile/data/..., issuer/...).
// Tests script its faults: short batches, HTTP errors, a shrinking tree,
// malformed leaves.
//
// Thread safety: safe for concurrent use (the server thread reads while
// the test adds entries).
//
// Example:
//   auto server = *HttpTestServer::Start();
//   CtTestCa ca("Fake Issuing CA");
//   FakeCtLog log(*server, "/log/", ca);
//   log.AddCertificate({"paypa1-login.com"}, /*serial=*/7);
//   // RFC 6962 at server->Url("/log/"), Static CT at the same prefix.

#ifndef LUREGUARD_TESTS_FAKES_FAKE_CT_LOG_H_
#define LUREGUARD_TESTS_FAKES_FAKE_CT_LOG_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/testing/http_test_server.h"

namespace lureguard::testing {

// A certificate authority for CT entries: an EC P-256 key and a
// self-signed certificate, issuing certificates and precertificates (with
// the CT poison extension). testing/test_certs.h has the TLS probe's CA;
// the two could share one class once it issues precertificates.
class CtTestCa {
 public:
  explicit CtTestCa(const std::string& common_name);
  ~CtTestCa();
  CtTestCa(const CtTestCa&) = delete;
  CtTestCa& operator=(const CtTestCa&) = delete;

  // The CA certificate, DER.
  const std::string& der() const { return der_; }
  // The CA's subject as certs::SummarizeCertificate writes names.
  std::string subject() const;
  // SHA-256 of the CA's SubjectPublicKeyInfo (RFC 6962 issuer_key_hash).
  std::string key_hash() const;

  // A certificate for `names` (CN = names[0], every name a DNS SAN), DER.
  // With `precert`, the precertificate: with the critical CT poison
  // extension (RFC 6962 §3.1).
  std::string Issue(
      const std::vector<std::string>& names, int64_t serial, bool precert,
      absl::Time not_before = absl::FromUnixSeconds(1767225600)) const;

  // The TBSCertificate of a precertificate with the poison extension
  // removed: what an RFC 6962 precert entry logs.
  static std::string TbsWithoutPoison(const std::string& precert_der);

 private:
  struct Keys;
  std::unique_ptr<Keys> keys_;
  std::string der_;
};

// Encoders of the wire structures, for tests, fuzz seeds and benchmarks.
namespace ct_encoding {
// RFC 6962 MerkleTreeLeaf of an x509 entry / a precert entry.
std::string X509Leaf(const std::string& cert_der, int64_t timestamp_ms);
std::string PrecertLeaf(const std::string& issuer_key_hash,
                        const std::string& tbs_der, int64_t timestamp_ms);
// RFC 6962 extra_data: the chain / a PrecertChainEntry.
std::string X509ExtraData(const std::vector<std::string>& chain);
std::string PrecertExtraData(const std::string& precert_der,
                             const std::vector<std::string>& chain);
// A Static CT TileLeaf (leaf_index extension included). `precert_der` is
// empty for x509 entries; `fingerprints` are raw SHA-256 digests.
std::string TileLeaf(int64_t index, bool precert,
                     const std::string& cert_or_tbs,
                     const std::string& issuer_key_hash,
                     const std::string& precert_der,
                     const std::vector<std::string>& fingerprints,
                     int64_t timestamp_ms);
// Raw SHA-256.
std::string Sha256(const std::string& data);
}  // namespace ct_encoding

class FakeCtLog {
 public:
  // Serves below `prefix` ("/log/") of `server`; both must outlive it.
  FakeCtLog(HttpTestServer& server, std::string prefix, const CtTestCa& ca);

  // The log's URL prefix.
  std::string url() const;

  // Appends an entry; returns its index.
  int64_t AddCertificate(const std::vector<std::string>& names, int64_t serial);
  int64_t AddPrecertificate(const std::vector<std::string>& names,
                            int64_t serial);
  // Appends an entry with these exact bytes: `leaf_input` and `extra_data`
  // for RFC 6962, `tile_leaf` inside tiles.
  int64_t AddRaw(std::string leaf_input, std::string extra_data,
                 std::string tile_leaf);

  // get-entries answers at most `n` entries (a short batch).
  void SetMaxBatch(int n);
  // The tree size get-sth and checkpoint report (default: every entry).
  void SetReportedSize(std::optional<int64_t> size);
  // Every request gets this HTTP status (0: answer normally).
  void SetFailureStatus(int status);
  // How many requests of each kind were answered.
  int get_entries_calls() const;
  int tile_calls() const;
  int issuer_calls() const;

 private:
  struct Entry {
    std::string leaf_input;
    std::string extra_data;
    std::string tile_leaf;
  };
  HttpTestResponse GetSth();
  HttpTestResponse GetEntries(const HttpTestRequest& request);
  HttpTestResponse Checkpoint();
  HttpTestResponse Tile(const HttpTestRequest& request);
  HttpTestResponse Issuer(const HttpTestRequest& request);
  int64_t Append(Entry entry);
  int64_t TreeSize() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  HttpTestServer& server_;
  const std::string prefix_;
  const CtTestCa& ca_;
  mutable absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
  int max_batch_ ABSL_GUARDED_BY(mu_) = 1000;
  std::optional<int64_t> reported_size_ ABSL_GUARDED_BY(mu_);
  int failure_status_ ABSL_GUARDED_BY(mu_) = 0;
  int get_entries_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int tile_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int issuer_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_FAKES_FAKE_CT_LOG_H_
