// Certificate-transparency log entries: the binary structures of RFC 6962
// (MerkleTreeLeaf in `leaf_input`, the chain in `extra_data`) and of the
// Static CT API (TileLeaf in data tiles, c2sp.org/static-ct-api), parsed
// into one CtEntry, plus what a logged certificate says about itself.
//
// Every parser is strict and bounded: lengths are checked against the input
// before anything is read, trailing bytes are an error, and a malformed
// input is InvalidArgument naming the structure, field and byte offset
// ("leaf_input: offset 12: signed_entry: length 70000 runs past the end
// (60 bytes left)"). Pure functions; safe for concurrent use.
//
// Example:
//   absl::StatusOr<CtEntry> entry = ParseRfc6962Entry(leaf, extra, 42);
//   absl::StatusOr<CertificateSummary> cert = SummarizeEntry(*entry);
//   // cert->names == {"paypa1-login.com", "www.paypa1-login.com"}

#ifndef LUREGUARD_SERVER_CERTS_CT_LEAF_H_
#define LUREGUARD_SERVER_CERTS_CT_LEAF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::certs {

// RFC 6962 §3.1 LogEntryType.
enum class CtEntryType { kX509 = 0, kPrecert = 1 };

// One log entry.
struct CtEntry {
  int64_t index = 0;  // position in the log
  absl::Time timestamp = absl::UnixEpoch();
  CtEntryType type = CtEntryType::kX509;
  // DER of the logged certificate (x509 entries) or of the TBSCertificate
  // with the poison extension removed (precert entries, RFC 6962 §3.2).
  std::string certificate;
  // Precert entries: SHA-256 of the issuer's public key.
  std::string issuer_key_hash;
  // Precert entries: the precertificate as submitted, when the entry
  // carries it (RFC 6962 extra_data, Static CT TileLeaf).
  std::string pre_certificate;
  // RFC 6962: the chain from extra_data, issuer first (DER each).
  std::vector<std::string> chain;
  // Static CT: SHA-256 fingerprints of the chain, issuer first; the
  // certificates are served at issuer/<hex fingerprint>.
  std::vector<std::string> chain_fingerprints;
};

// Entries per full data tile (Static CT API).
inline constexpr int kTileWidth = 256;

// Parses one get-entries item (RFC 6962 §4.6): `leaf_input` is a
// MerkleTreeLeaf (v1, timestamped_entry) and `extra_data` the chain (x509)
// or a PrecertChainEntry (precert), both already base64-decoded.
absl::StatusOr<CtEntry> ParseRfc6962Entry(absl::string_view leaf_input,
                                          absl::string_view extra_data,
                                          int64_t index);

// Parses a data tile: exactly `count` TileLeaf structures back to back, the
// first at log index `first_index`. A leaf_index extension, when present,
// must agree with the position.
absl::StatusOr<std::vector<CtEntry>> ParseDataTile(absl::string_view tile,
                                                   int64_t first_index,
                                                   int count);

// What a logged certificate says about itself.
struct CertificateSummary {
  // The DNS names it covers, as CertDnsNames (cert_features.h) reads them:
  // SANs, then a host-like subject CN; lowercased, without a trailing dot,
  // each once. Wildcards stay ("*.example.com").
  std::vector<std::string> names;
  std::string subject;  // "CN=..., O=..., C=..." (most specific first)
  std::string issuer;   // the issuer's name in the same form
  std::string serial;   // hex, lowercase, without leading zeros
  absl::Time not_before = absl::UnixEpoch();
  absl::Time not_after = absl::UnixEpoch();
  std::string sha256;  // hex SHA-256 of the DER summarized
};

// Summarizes a DER certificate, or a DER TBSCertificate when `is_tbs`.
// InvalidArgument when the DER does not parse.
absl::StatusOr<CertificateSummary> SummarizeCertificate(absl::string_view der,
                                                        bool is_tbs);

// Summarizes an entry's certificate (the TBSCertificate of a precert).
absl::StatusOr<CertificateSummary> SummarizeEntry(const CtEntry& entry);

// Lowercase hex of SHA-256(`data`).
std::string Sha256Hex(absl::string_view data);

}  // namespace lureguard::certs

#endif  // LUREGUARD_SERVER_CERTS_CT_LEAF_H_
