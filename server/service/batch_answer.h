// Keeps a CheckUrls answer within the gRPC send limit
// (`limits.max_message_bytes`).
//
// A batch of long non-ASCII URLs answers with more bytes than it asked
// with (each result echoes the URL and adds its percent-encoded canonical
// form), so a request that fits the limit can have an answer that does
// not; gRPC would then fail the whole call. Instead the answer keeps the
// longest run of results from the start that fits, and every URL after it
// gets a short per-URL RESOURCE_EXHAUSTED error saying to send it in a
// smaller batch. Nothing is dropped and the answer stays one result per URL,
// in order, so a client resends from the first refused URL.
//
// Thread safety: a pure function of its arguments.
//
// Example:
//   absl::StatusOr<int> refused = FitBatchAnswer(limits.max_message_bytes(),
//                                                response);
//   if (!refused.ok()) return ToGrpcStatus(refused.status());

#ifndef LUREGUARD_SERVER_SERVICE_BATCH_ANSWER_H_
#define LUREGUARD_SERVER_SERVICE_BATCH_ANSWER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "lureguard/v1/url_service.pb.h"

namespace lureguard::service {

// Fits `response` into `max_bytes` serialized bytes: results past the
// longest fitting prefix become RESOURCE_EXHAUSTED errors naming their
// `urls[i]` and the limit. Returns how many results were refused (0 when
// it all fits). ResourceExhausted, with `response` unchanged, when even an
// answer of errors alone would not fit (a batch far too large for the cap).
absl::StatusOr<int> FitBatchAnswer(int64_t max_bytes,
                                   v1::CheckUrlsResponse& response);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_BATCH_ANSWER_H_
