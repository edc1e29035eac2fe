#include "server/service/batch_answer.h"

#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"

namespace lureguard::service {
namespace {

// Bytes `result` takes as one element of CheckUrlsResponse.results
// (field 1): a one-byte tag, the length, the message.
int64_t EntryBytes(const v1::CheckUrlResponse& result) {
  const size_t size = result.ByteSizeLong();
  return 1 + google::protobuf::io::CodedOutputStream::VarintSize64(size) +
         static_cast<int64_t>(size);
}

v1::CheckUrlResponse Refusal(int index, int64_t max_bytes) {
  v1::CheckUrlResponse refusal;
  refusal.mutable_error()->set_code(
      static_cast<int32_t>(absl::StatusCode::kResourceExhausted));
  refusal.mutable_error()->set_message(
      absl::StrCat("urls[", index,
                   "]: not checked: the answers to this batch would "
                   "exceed limits.max_message_bytes (",
                   max_bytes, " bytes); send this URL in a smaller batch"));
  return refusal;
}

}  // namespace

absl::StatusOr<int> FitBatchAnswer(int64_t max_bytes,
                                   v1::CheckUrlsResponse& response) {
  const int n = response.results_size();
  // refusal_bytes[i]: the bytes of refusals for URLs i..n-1.
  std::vector<int64_t> refusal_bytes(n + 1, 0);
  for (int i = n - 1; i >= 0; --i) {
    refusal_bytes[i] = refusal_bytes[i + 1] + EntryBytes(Refusal(i, max_bytes));
  }
  // The longest prefix of results that fits with refusals for the rest.
  // A refusal may be larger than a short result, so every split is tried.
  int kept = -1;
  int64_t used = 0;
  for (int k = 0; k <= n; ++k) {
    if (used + refusal_bytes[k] <= max_bytes) kept = k;
    if (k < n) used += EntryBytes(response.results(k));
  }
  if (kept == n) return 0;
  if (kept < 0) {
    return absl::ResourceExhaustedError(
        absl::StrCat("urls: the answers to ", n,
                     " URLs would exceed limits.max_message_bytes (", max_bytes,
                     " bytes) even as errors; send fewer URLs per batch"));
  }
  for (int i = kept; i < n; ++i) {
    *response.mutable_results(i) = Refusal(i, max_bytes);
  }
  return n - kept;
}

}  // namespace lureguard::service
