// CheckUrl's answer (v1::CheckUrlResponse) written in the protobuf wire
// format straight from the engine's check, for the method's hot path
// (url_service.cc).
//
// Building the answer as a message cost about a sixth of the instructions
// of a CheckUrl whose URL the engine had not cached: every string was
// copied into the message (onto the heap, even on an arena), then sized
// and copied again by the generated serialiser, through code that misses
// the instruction cache on a server busy with gRPC. Here each string is
// copied once, into the buffer gRPC sends. The bytes are those of
// convert.h's ToProto and the generated serialiser, which
// check_url_answer_test.cc compares for every field of the three
// messages; it also fails when the proto gains a field this file does not
// write.
//
// The answer leaves out the two fields that differ from call to call,
// verdict.cache_ttl and verdict.verdict_id: WriteVerdictCallFields
// (verdict_call_fields.h) appends them, so that a kept encoding serves
// every later call for the same check.
//
// Thread safety: a CheckUrlAnswer reads the check it was made from, which
// must outlive it and not change meanwhile.
//
// Example:
//   const CheckUrlAnswer answer(url, check);
//   grpc::Slice slice(answer.size() + VerdictCallFieldsSize(ttl, id));
//   uint8_t* end = answer.Write(begin);
//   WriteVerdictCallFields(ttl, id, end);

#ifndef LUREGUARD_SERVER_SERVICE_CHECK_URL_ANSWER_H_
#define LUREGUARD_SERVER_SERVICE_CHECK_URL_ANSWER_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "server/verdict/engine.h"

namespace lureguard::service {

// `CheckUrlResponse{url, verdict (without cache_ttl and verdict_id),
// canonical_url, host, registrable_domain, unicode_host, public_suffix}`
// for one check, sized on construction, then written.
class CheckUrlAnswer {
 public:
  // `url` is the URL as asked (the response's echo), `check` its verdict.
  CheckUrlAnswer(absl::string_view url, const verdict::UrlCheck& check);

  CheckUrlAnswer(const CheckUrlAnswer&) = delete;
  CheckUrlAnswer& operator=(const CheckUrlAnswer&) = delete;

  // The bytes Write writes.
  size_t size() const { return size_; }

  // Writes the answer to `out`, which has room for size() bytes; returns
  // the end of what was written.
  uint8_t* Write(uint8_t* out) const;

 private:
  absl::string_view url_;
  const verdict::UrlCheck& check_;
  // Each reason's message size, the packed threat types', the verdict's.
  absl::InlinedVector<size_t, 4> reason_sizes_;
  size_t threat_types_size_ = 0;
  size_t verdict_size_ = 0;
  size_t size_ = 0;
};

// The action of an answer CheckUrlAnswer wrote, read where it writes it
// (the first field of the leading verdict; the call fields after it carry
// none), or nullopt for bytes laid out otherwise. For the request log,
// which sees only the bytes sent (rpc_observer.cc): a full parse cost it
// 1.3 k instructions a call.
std::optional<verdict::Action> WrittenAction(absl::string_view answer);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_CHECK_URL_ANSWER_H_
