// The two fields of a CheckUrl answer that differ from call to call
// (verdict.verdict_id, verdict.cache_ttl), written straight in the protobuf
// wire format, for an answer whose other bytes are reused (url_service.cc).
//
// A CheckUrlResponse that holds only these two fields, appended after a
// reused encoding, is a second `verdict` field, which parsers merge into
// the first. Building that message with the generated code cost ~1,300 of
// the ~13,000 instructions of a cached CheckUrl (constructing, sizing,
// serialising and destroying it); the bytes are the same (tested against
// the generated serialiser).
//
// Thread safety: pure functions.
//
// Example:
//   uint8_t* end = WriteVerdictCallFields(ttl, id, bytes + shared.size());

#ifndef LUREGUARD_SERVER_SERVICE_VERDICT_CALL_FIELDS_H_
#define LUREGUARD_SERVER_SERVICE_VERDICT_CALL_FIELDS_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lureguard::service {

// The bytes WriteVerdictCallFields writes for these values.
size_t VerdictCallFieldsSize(absl::Duration cache_ttl,
                             absl::string_view verdict_id);

// Writes `CheckUrlResponse{verdict: {cache_ttl, verdict_id}}` as the
// generated serialiser would (an empty cache_ttl message is present; an
// empty verdict_id is left out) to `out`, which has room for
// VerdictCallFieldsSize bytes; returns the end of what was written.
uint8_t* WriteVerdictCallFields(absl::Duration cache_ttl,
                                absl::string_view verdict_id, uint8_t* out);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_VERDICT_CALL_FIELDS_H_
