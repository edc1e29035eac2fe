// Fuzz target for the RFC 6962 entry parser and the certificate summary.
// Input: a 2-byte big-endian length N, then N bytes of leaf_input, then
// extra_data. Besides the sanitizers, it checks promises of ct_leaf.h.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "server/certs/ct_leaf.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using lureguard::certs::CertificateSummary;
  using lureguard::certs::CtEntry;
  using lureguard::certs::CtEntryType;
  if (size < 2) return 0;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t n = std::min<size_t>((size_t{data[0]} << 8) | data[1], size - 2);
  const absl::string_view leaf = input.substr(2, n);
  const absl::string_view extra = input.substr(2 + n);

  absl::StatusOr<CtEntry> entry =
      lureguard::certs::ParseRfc6962Entry(leaf, extra, 42);
  if (!entry.ok()) {
    Check(entry.status().code() == absl::StatusCode::kInvalidArgument,
          "parse errors are InvalidArgument");
    Check(!entry.status().message().empty(), "errors say why");
    return 0;
  }
  Check(entry->index == 42, "the index is the one given");
  Check(!entry->certificate.empty(), "an entry has a certificate");
  Check(entry->certificate.size() < leaf.size(), "it comes from the leaf");
  if (entry->type == CtEntryType::kPrecert) {
    Check(entry->issuer_key_hash.size() == 32, "a precert has a key hash");
  }
  absl::StatusOr<CertificateSummary> cert =
      lureguard::certs::SummarizeEntry(*entry);
  if (cert.ok()) {
    Check(cert->names.size() <= 1000, "names are bounded");
    for (const std::string& name : cert->names) {
      Check(!name.empty() && name.size() <= 253, "names are DNS-sized");
    }
    Check(cert->sha256.size() == 64, "the fingerprint is hex SHA-256");
  }
  return 0;
}
