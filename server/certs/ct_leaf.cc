#include "server/certs/ct_leaf.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lureguard::certs {
namespace {

#define LG_RETURN_IF_ERROR(expr)             \
  do {                                       \
    absl::Status lg_status_ = (expr);        \
    if (!lg_status_.ok()) return lg_status_; \
  } while (0)

// More names than any CA puts in one certificate (Let's Encrypt allows
// 100): bounds the lookalike work one hostile entry can cause.
constexpr size_t kMaxNames = 1000;
// RFC 6962 ASN.1Cert is opaque<1..2^24-1>.
constexpr uint64_t kMaxCert = (uint64_t{1} << 24) - 1;
constexpr size_t kSha256Bytes = 32;

// Reads the big-endian integers and length-prefixed vectors of the TLS
// presentation language (RFC 5246 §4) used by RFC 6962 and Static CT,
// never past the end.
class TlsReader {
 public:
  TlsReader(absl::string_view data, absl::string_view what)
      : data_(data), what_(what) {}

  size_t remaining() const { return data_.size() - offset_; }
  size_t offset() const { return offset_; }

  absl::Status Error(absl::string_view field, absl::string_view message) const {
    return ErrorAt(offset_, field, message);
  }
  absl::Status ErrorAt(size_t offset, absl::string_view field,
                       absl::string_view message) const {
    return absl::InvalidArgumentError(
        absl::StrCat(what_, ": offset ", offset, ": ", field, ": ", message));
  }

  absl::Status Uint(absl::string_view field, int bytes, uint64_t* out) {
    if (remaining() < static_cast<size_t>(bytes)) {
      return Error(field, absl::StrCat("needs ", bytes, " bytes, ", remaining(),
                                       " left"));
    }
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) {
      value = (value << 8) | static_cast<unsigned char>(data_[offset_ + i]);
    }
    offset_ += bytes;
    *out = value;
    return absl::OkStatus();
  }

  absl::Status Fixed(absl::string_view field, size_t n,
                     absl::string_view* out) {
    if (remaining() < n) {
      return Error(field,
                   absl::StrCat("needs ", n, " bytes, ", remaining(), " left"));
    }
    *out = data_.substr(offset_, n);
    offset_ += n;
    return absl::OkStatus();
  }

  // opaque field<min..max> with a `length_bytes`-byte length prefix.
  absl::Status Vector(absl::string_view field, int length_bytes, uint64_t min,
                      uint64_t max, absl::string_view* out) {
    const size_t start = offset_;  // errors point at the length prefix
    uint64_t length = 0;
    LG_RETURN_IF_ERROR(Uint(field, length_bytes, &length));
    if (length < min || length > max) {
      return ErrorAt(start, field,
                     absl::StrCat("length ", length, " is outside [", min, ", ",
                                  max, "]"));
    }
    if (length > remaining()) {
      return ErrorAt(start, field,
                     absl::StrCat("length ", length, " runs past the end (",
                                  remaining(), " bytes left)"));
    }
    *out = data_.substr(offset_, length);
    offset_ += length;
    return absl::OkStatus();
  }

  absl::Status ExpectEnd() const {
    if (remaining() == 0) return absl::OkStatus();
    return Error("end", absl::StrCat(remaining(), " trailing bytes"));
  }

 private:
  absl::string_view data_;
  absl::string_view what_;
  size_t offset_ = 0;
};

// A list of ASN.1Cert<1..2^24-1> filling `list`.
absl::Status ReadCertList(absl::string_view list, absl::string_view what,
                          std::vector<std::string>* out) {
  TlsReader reader(list, what);
  while (reader.remaining() > 0) {
    absl::string_view cert;
    LG_RETURN_IF_ERROR(reader.Vector("ASN.1Cert", 3, 1, kMaxCert, &cert));
    out->emplace_back(cert);
  }
  return absl::OkStatus();
}

// RFC 6962 §3.4 TimestampedEntry; the extensions are returned raw.
absl::Status ReadTimestampedEntry(TlsReader& reader, CtEntry* entry,
                                  absl::string_view* extensions) {
  uint64_t timestamp = 0;
  LG_RETURN_IF_ERROR(reader.Uint("timestamp", 8, &timestamp));
  if (timestamp > uint64_t{INT64_MAX} / 1000) {
    return reader.ErrorAt(reader.offset() - 8, "timestamp",
                          absl::StrCat(timestamp, " is too large"));
  }
  entry->timestamp = absl::FromUnixMillis(static_cast<int64_t>(timestamp));
  uint64_t type = 0;
  LG_RETURN_IF_ERROR(reader.Uint("entry_type", 2, &type));
  absl::string_view cert;
  if (type == 0) {
    entry->type = CtEntryType::kX509;
    LG_RETURN_IF_ERROR(
        reader.Vector("signed_entry.x509", 3, 1, kMaxCert, &cert));
  } else if (type == 1) {
    entry->type = CtEntryType::kPrecert;
    absl::string_view key_hash;
    LG_RETURN_IF_ERROR(
        reader.Fixed("signed_entry.issuer_key_hash", kSha256Bytes, &key_hash));
    entry->issuer_key_hash = std::string(key_hash);
    LG_RETURN_IF_ERROR(
        reader.Vector("signed_entry.tbs_certificate", 3, 1, kMaxCert, &cert));
  } else {
    return reader.Error(
        "entry_type",
        absl::StrCat(type, " is neither x509 (0) nor precert (1)"));
  }
  entry->certificate = std::string(cert);
  return reader.Vector("extensions", 2, 0, 0xFFFF, extensions);
}

// Static CT extensions: a list of (uint8 type, opaque data<0..2^16-1>);
// type 0 is leaf_index, a uint40.
absl::Status CheckLeafIndex(absl::string_view extensions, int64_t index) {
  TlsReader reader(extensions, "extensions");
  while (reader.remaining() > 0) {
    uint64_t type = 0;
    absl::string_view data;
    LG_RETURN_IF_ERROR(reader.Uint("extension_type", 1, &type));
    LG_RETURN_IF_ERROR(reader.Vector("extension_data", 2, 0, 0xFFFF, &data));
    if (type != 0) continue;
    TlsReader value(data, "leaf_index");
    uint64_t leaf_index = 0;
    LG_RETURN_IF_ERROR(value.Uint("leaf_index", 5, &leaf_index));
    LG_RETURN_IF_ERROR(value.ExpectEnd());
    if (leaf_index != static_cast<uint64_t>(index)) {
      return absl::InvalidArgumentError(
          absl::StrCat("leaf_index: the leaf says ", leaf_index,
                       " but sits at index ", index));
    }
  }
  return absl::OkStatus();
}

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

// DER length octets.
std::string DerLength(size_t n) {
  if (n < 0x80) return std::string(1, static_cast<char>(n));
  std::string bytes;
  while (n > 0) {
    bytes.insert(bytes.begin(), static_cast<char>(n & 0xFF));
    n >>= 8;
  }
  return absl::StrCat(std::string(1, static_cast<char>(0x80 | bytes.size())),
                      bytes);
}

// Wraps a TBSCertificate into a Certificate with an empty signature, so
// OpenSSL's parser reads its fields (nothing here checks signatures).
std::string WrapTbs(absl::string_view tbs) {
  // AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2) and an
  // empty BIT STRING.
  static constexpr char kAlgorithm[] =
      "\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02";
  static constexpr char kSignature[] = "\x03\x01\x00";
  const std::string body = absl::StrCat(tbs, absl::string_view(kAlgorithm, 12),
                                        absl::string_view(kSignature, 3));
  return absl::StrCat("\x30", DerLength(body.size()), body);
}

std::string Utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  const int n = ASN1_STRING_to_UTF8(&out, s);
  if (n < 0) return "";
  std::string result(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  return result;
}

// "CN=R3, O=Let's Encrypt, C=US": most specific first, as people read it.
std::string NameString(const X509_NAME* name) {
  std::vector<std::string> parts;
  for (int i = X509_NAME_entry_count(name) - 1; i >= 0; --i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    const char* sn = nid == NID_undef ? "?" : OBJ_nid2sn(nid);
    parts.push_back(absl::StrCat(sn, "=", Utf8(X509_NAME_ENTRY_get_data(e))));
  }
  return absl::StrJoin(parts, ", ");
}

absl::Time AsnTime(const ASN1_TIME* t) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return absl::UnixEpoch();
  return absl::FromTimeT(timegm(&tm));
}

// A DNS name as the lookalike index wants it, or "" to drop it.
std::string NormalizeName(std::string name) {
  absl::AsciiStrToLower(&name);
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || name.size() > 253) return "";
  for (const char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '/' || c == '@') return "";
  }
  return name;
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

absl::StatusOr<CtEntry> ParseRfc6962Entry(absl::string_view leaf_input,
                                          absl::string_view extra_data,
                                          int64_t index) {
  CtEntry entry;
  entry.index = index;
  TlsReader reader(leaf_input, "leaf_input");
  uint64_t version = 0, leaf_type = 0;
  LG_RETURN_IF_ERROR(reader.Uint("version", 1, &version));
  if (version != 0) {
    return reader.Error("version", absl::StrCat(version, " is not v1 (0)"));
  }
  LG_RETURN_IF_ERROR(reader.Uint("leaf_type", 1, &leaf_type));
  if (leaf_type != 0) {
    return reader.Error(
        "leaf_type", absl::StrCat(leaf_type, " is not timestamped_entry (0)"));
  }
  absl::string_view extensions;
  LG_RETURN_IF_ERROR(ReadTimestampedEntry(reader, &entry, &extensions));
  LG_RETURN_IF_ERROR(reader.ExpectEnd());

  // Logs always send extra_data; an empty one is read as "no chain" rather
  // than losing the entry, since the names are all in leaf_input.
  if (extra_data.empty()) return entry;
  TlsReader extra(extra_data, "extra_data");
  absl::string_view chain;
  if (entry.type == CtEntryType::kPrecert) {
    absl::string_view pre;
    LG_RETURN_IF_ERROR(extra.Vector("pre_certificate", 3, 1, kMaxCert, &pre));
    entry.pre_certificate = std::string(pre);
    LG_RETURN_IF_ERROR(
        extra.Vector("precertificate_chain", 3, 0, kMaxCert, &chain));
  } else {
    LG_RETURN_IF_ERROR(
        extra.Vector("certificate_chain", 3, 0, kMaxCert, &chain));
  }
  LG_RETURN_IF_ERROR(extra.ExpectEnd());
  LG_RETURN_IF_ERROR(ReadCertList(chain, "extra_data chain", &entry.chain));
  return entry;
}

absl::StatusOr<std::vector<CtEntry>> ParseDataTile(absl::string_view tile,
                                                   int64_t first_index,
                                                   int count) {
  if (count < 1 || count > kTileWidth) {
    return absl::InvalidArgumentError(
        absl::StrCat("tile width ", count, " is outside [1, 256]"));
  }
  std::vector<CtEntry> entries;
  entries.reserve(count);
  TlsReader reader(tile, "tile");
  for (int i = 0; i < count; ++i) {
    CtEntry& entry = entries.emplace_back();
    entry.index = first_index + i;
    absl::string_view extensions;
    if (absl::Status s = ReadTimestampedEntry(reader, &entry, &extensions);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("leaf ", i, " of ", count, ": ", s.message()));
    }
    if (entry.type == CtEntryType::kPrecert) {
      absl::string_view pre;
      if (absl::Status s =
              reader.Vector("pre_certificate", 3, 1, kMaxCert, &pre);
          !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("leaf ", i, " of ", count, ": ", s.message()));
      }
      entry.pre_certificate = std::string(pre);
    }
    absl::string_view chain;
    if (absl::Status s =
            reader.Vector("certificate_chain", 2, 0, 0xFFFF, &chain);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("leaf ", i, " of ", count, ": ", s.message()));
    }
    if (chain.size() % kSha256Bytes != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "leaf ", i, " of ", count, ": certificate_chain: ", chain.size(),
          " bytes is not a whole number of SHA-256 fingerprints"));
    }
    for (size_t at = 0; at < chain.size(); at += kSha256Bytes) {
      entry.chain_fingerprints.emplace_back(chain.substr(at, kSha256Bytes));
    }
    if (absl::Status s = CheckLeafIndex(extensions, entry.index); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("leaf ", i, " of ", count, ": ", s.message()));
    }
  }
  if (absl::Status s = reader.ExpectEnd(); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(s.message(), " after ", count, " leaves"));
  }
  return entries;
}

absl::StatusOr<CertificateSummary> SummarizeCertificate(absl::string_view der,
                                                        bool is_tbs) {
  const std::string wrapped = is_tbs ? WrapTbs(der) : std::string();
  const absl::string_view input = is_tbs ? absl::string_view(wrapped) : der;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(input.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(input.size())),
               X509_free);
  if (cert == nullptr ||
      p !=
          reinterpret_cast<const unsigned char*>(input.data()) + input.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        is_tbs ? "tbs_certificate" : "certificate", ": not a DER X.509 ",
        is_tbs ? "TBSCertificate" : "certificate", " (", der.size(),
        " bytes)"));
  }
  CertificateSummary summary;
  summary.sha256 = Sha256Hex(der);
  summary.subject = NameString(X509_get_subject_name(cert.get()));
  summary.issuer = NameString(X509_get_issuer_name(cert.get()));
  summary.not_before = AsnTime(X509_get0_notBefore(cert.get()));
  summary.not_after = AsnTime(X509_get0_notAfter(cert.get()));
  if (const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get())) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
    if (bn != nullptr) {
      char* hex = BN_bn2hex(bn);
      summary.serial = absl::AsciiStrToLower(hex);
      // BN_bn2hex writes whole bytes ("09"); the serial reads as a number.
      const size_t digit = summary.serial.find_first_not_of('0');
      summary.serial.erase(
          0, digit == std::string::npos ? summary.serial.size() - 1 : digit);
      OPENSSL_free(hex);
      BN_free(bn);
    }
  }

  absl::flat_hash_set<std::string> seen;
  auto add = [&](std::string name) {
    name = NormalizeName(std::move(name));
    if (name.empty() || summary.names.size() >= kMaxNames) return;
    if (seen.insert(name).second) summary.names.push_back(std::move(name));
  };
  GENERAL_NAMES* sans = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
      if (name->type != GEN_DNS) continue;
      const ASN1_IA5STRING* dns = name->d.dNSName;
      add(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                      ASN1_STRING_length(dns)));
    }
    GENERAL_NAMES_free(sans);
  }
  const X509_NAME* subject = X509_get_subject_name(cert.get());
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
    add(Utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))));
  }
  return summary;
}

absl::StatusOr<CertificateSummary> SummarizeEntry(const CtEntry& entry) {
  return SummarizeCertificate(entry.certificate,
                              entry.type == CtEntryType::kPrecert);
}

}  // namespace lureguard::certs
