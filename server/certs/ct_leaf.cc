#include "server/certs/ct_leaf.h"

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/bn.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/certs/cert_features.h"
#include "server/common/status_macros.h"

// The parts of a certificate a CT entry is read for, as an OpenSSL ASN.1
// template: d2i_X509 also decodes the public key through OpenSSL 3's
// provider decoders, which took 3/4 of the ingest time (measured with
// ct_ingest_bench), and CT ingest never needs the key. The key stays an
// undecoded ASN1_ANY here. RFC 5280 §4.1.
extern "C" {
typedef struct lureguard_tbs_st {
  ASN1_INTEGER* version;
  ASN1_INTEGER* serial;
  X509_ALGOR* signature;
  X509_NAME* issuer;
  X509_VAL* validity;
  X509_NAME* subject;
  ASN1_TYPE* subject_public_key_info;
  ASN1_BIT_STRING* issuer_unique_id;
  ASN1_BIT_STRING* subject_unique_id;
  STACK_OF(X509_EXTENSION) * extensions;
} LUREGUARD_TBS;

typedef struct lureguard_cert_st {
  LUREGUARD_TBS* tbs;
  X509_ALGOR* signature_algorithm;
  ASN1_BIT_STRING* signature;
} LUREGUARD_CERT;

DECLARE_ASN1_FUNCTIONS(LUREGUARD_TBS)
DECLARE_ASN1_FUNCTIONS(LUREGUARD_CERT)

// The template macros read as a table.
// clang-format off
ASN1_SEQUENCE(LUREGUARD_TBS) = {
    ASN1_EXP_OPT(LUREGUARD_TBS, version, ASN1_INTEGER, 0),
    ASN1_SIMPLE(LUREGUARD_TBS, serial, ASN1_INTEGER),
    ASN1_SIMPLE(LUREGUARD_TBS, signature, X509_ALGOR),
    ASN1_SIMPLE(LUREGUARD_TBS, issuer, X509_NAME),
    ASN1_SIMPLE(LUREGUARD_TBS, validity, X509_VAL),
    ASN1_SIMPLE(LUREGUARD_TBS, subject, X509_NAME),
    ASN1_SIMPLE(LUREGUARD_TBS, subject_public_key_info, ASN1_ANY),
    ASN1_IMP_OPT(LUREGUARD_TBS, issuer_unique_id, ASN1_BIT_STRING, 1),
    ASN1_IMP_OPT(LUREGUARD_TBS, subject_unique_id, ASN1_BIT_STRING, 2),
    ASN1_EXP_SEQUENCE_OF_OPT(LUREGUARD_TBS, extensions, X509_EXTENSION, 3),
} ASN1_SEQUENCE_END(LUREGUARD_TBS)

IMPLEMENT_ASN1_FUNCTIONS(LUREGUARD_TBS)

ASN1_SEQUENCE(LUREGUARD_CERT) = {
    ASN1_SIMPLE(LUREGUARD_CERT, tbs, LUREGUARD_TBS),
    ASN1_SIMPLE(LUREGUARD_CERT, signature_algorithm, X509_ALGOR),
    ASN1_SIMPLE(LUREGUARD_CERT, signature, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(LUREGUARD_CERT)

IMPLEMENT_ASN1_FUNCTIONS(LUREGUARD_CERT)
// clang-format on
}  // extern "C"

namespace lureguard::certs {
namespace {

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
    RETURN_IF_ERROR(Uint(field, length_bytes, &length));
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
    RETURN_IF_ERROR(reader.Vector("ASN.1Cert", 3, 1, kMaxCert, &cert));
    out->emplace_back(cert);
  }
  return absl::OkStatus();
}

// RFC 6962 §3.4 TimestampedEntry; the extensions are returned raw.
absl::Status ReadTimestampedEntry(TlsReader& reader, CtEntry* entry,
                                  absl::string_view* extensions) {
  uint64_t timestamp = 0;
  RETURN_IF_ERROR(reader.Uint("timestamp", 8, &timestamp));
  if (timestamp > uint64_t{INT64_MAX} / 1000) {
    return reader.ErrorAt(reader.offset() - 8, "timestamp",
                          absl::StrCat(timestamp, " is too large"));
  }
  entry->timestamp = absl::FromUnixMillis(static_cast<int64_t>(timestamp));
  uint64_t type = 0;
  RETURN_IF_ERROR(reader.Uint("entry_type", 2, &type));
  absl::string_view cert;
  if (type == 0) {
    entry->type = CtEntryType::kX509;
    RETURN_IF_ERROR(reader.Vector("signed_entry.x509", 3, 1, kMaxCert, &cert));
  } else if (type == 1) {
    entry->type = CtEntryType::kPrecert;
    absl::string_view key_hash;
    RETURN_IF_ERROR(
        reader.Fixed("signed_entry.issuer_key_hash", kSha256Bytes, &key_hash));
    entry->issuer_key_hash = std::string(key_hash);
    RETURN_IF_ERROR(
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
    RETURN_IF_ERROR(reader.Uint("extension_type", 1, &type));
    RETURN_IF_ERROR(reader.Vector("extension_data", 2, 0, 0xFFFF, &data));
    if (type != 0) continue;
    TlsReader value(data, "leaf_index");
    uint64_t leaf_index = 0;
    RETURN_IF_ERROR(value.Uint("leaf_index", 5, &leaf_index));
    RETURN_IF_ERROR(value.ExpectEnd());
    if (leaf_index != static_cast<uint64_t>(index)) {
      return absl::InvalidArgumentError(
          absl::StrCat("leaf_index: the leaf says ", leaf_index,
                       " but sits at index ", index));
    }
  }
  return absl::OkStatus();
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
  RETURN_IF_ERROR(reader.Uint("version", 1, &version));
  if (version != 0) {
    return reader.Error("version", absl::StrCat(version, " is not v1 (0)"));
  }
  RETURN_IF_ERROR(reader.Uint("leaf_type", 1, &leaf_type));
  if (leaf_type != 0) {
    return reader.Error(
        "leaf_type", absl::StrCat(leaf_type, " is not timestamped_entry (0)"));
  }
  absl::string_view extensions;
  RETURN_IF_ERROR(ReadTimestampedEntry(reader, &entry, &extensions));
  RETURN_IF_ERROR(reader.ExpectEnd());

  // Logs always send extra_data; an empty one is read as "no chain" rather
  // than losing the entry, since the names are all in leaf_input.
  if (extra_data.empty()) return entry;
  TlsReader extra(extra_data, "extra_data");
  absl::string_view chain;
  if (entry.type == CtEntryType::kPrecert) {
    absl::string_view pre;
    RETURN_IF_ERROR(extra.Vector("pre_certificate", 3, 1, kMaxCert, &pre));
    entry.pre_certificate = std::string(pre);
    RETURN_IF_ERROR(
        extra.Vector("precertificate_chain", 3, 0, kMaxCert, &chain));
  } else {
    RETURN_IF_ERROR(extra.Vector("certificate_chain", 3, 0, kMaxCert, &chain));
  }
  RETURN_IF_ERROR(extra.ExpectEnd());
  RETURN_IF_ERROR(ReadCertList(chain, "extra_data chain", &entry.chain));
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
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* const end = p + der.size();
  LUREGUARD_CERT* cert = nullptr;
  LUREGUARD_TBS* tbs = nullptr;
  if (is_tbs) {
    tbs = d2i_LUREGUARD_TBS(nullptr, &p, static_cast<long>(der.size()));
  } else {
    cert = d2i_LUREGUARD_CERT(nullptr, &p, static_cast<long>(der.size()));
    if (cert != nullptr) tbs = cert->tbs;
  }
  std::unique_ptr<LUREGUARD_CERT, decltype(&LUREGUARD_CERT_free)> cert_owner(
      cert, LUREGUARD_CERT_free);
  std::unique_ptr<LUREGUARD_TBS, decltype(&LUREGUARD_TBS_free)> tbs_owner(
      is_tbs ? tbs : nullptr, LUREGUARD_TBS_free);
  if (tbs == nullptr || p != end) {
    return absl::InvalidArgumentError(absl::StrCat(
        is_tbs ? "tbs_certificate" : "certificate", ": not a DER X.509 ",
        is_tbs ? "TBSCertificate" : "certificate", " (", der.size(),
        " bytes)"));
  }
  CertificateSummary summary;
  summary.sha256 = Sha256Hex(der);
  summary.subject = NameString(tbs->subject);
  summary.issuer = NameString(tbs->issuer);
  summary.not_before = AsnTime(tbs->validity->notBefore);
  summary.not_after = AsnTime(tbs->validity->notAfter);
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(tbs->serial, nullptr)) {
    char* hex = BN_bn2hex(bn);
    summary.serial = absl::AsciiStrToLower(hex);
    // BN_bn2hex writes whole bytes ("09"); the serial reads as a number.
    const size_t digit = summary.serial.find_first_not_of('0');
    summary.serial.erase(
        0, digit == std::string::npos ? summary.serial.size() - 1 : digit);
    OPENSSL_free(hex);
    BN_free(bn);
  }

  GENERAL_NAMES* sans = nullptr;
  for (int e = 0; e < sk_X509_EXTENSION_num(tbs->extensions); ++e) {
    X509_EXTENSION* ext = sk_X509_EXTENSION_value(tbs->extensions, e);
    if (OBJ_obj2nid(X509_EXTENSION_get_object(ext)) == NID_subject_alt_name) {
      sans = static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(ext));
      break;
    }
  }
  summary.names = CertDnsNames(sans, tbs->subject);
  GENERAL_NAMES_free(sans);
  return summary;
}

absl::StatusOr<CertificateSummary> SummarizeEntry(const CtEntry& entry) {
  return SummarizeCertificate(entry.certificate,
                              entry.type == CtEntryType::kPrecert);
}

}  // namespace lureguard::certs
