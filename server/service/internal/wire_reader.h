// Reads a protobuf message's top-level fields where its bytes lie, for
// the request of the hottest call (CheckUrl: a URL and a tenant): no
// message, no arena, no copy of the URL. It accepts and refuses exactly
// what protobuf's own parser (3.21, Debian 12's) does for a message whose
// fields are all scalars or bytes: unknown fields of every wire type are
// skipped (groups nested up to 100 deep, its recursion limit), a known
// number with another wire type is an unknown field, and input that runs
// past the end, a field number 0, wire types 6 and 7, a stray end-group or
// a zero tag fail the whole parse (check_url_request_test holds this
// against the generated parser on random and mutated messages).
//
// Example:
//   WireReader reader(bytes);
//   WireReader::Field field;
//   while (reader.Next(field)) {
//     if (field.number == 1 && field.wire_type == kLengthDelimited) {
//       url = field.payload;  // the last one wins, as in protobuf
//     }
//   }
//   if (!reader.ok()) return InvalidArgument(...);
//
// Thread safety: a reader is used by one thread; it views `bytes`, which
// must outlive it.

#ifndef LUREGUARD_SERVER_SERVICE_INTERNAL_WIRE_READER_H_
#define LUREGUARD_SERVER_SERVICE_INTERNAL_WIRE_READER_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace lureguard::service::internal {

class WireReader {
 public:
  // One top-level field: its number and wire type, and for a
  // length-delimited field its payload (a view into the bytes read).
  struct Field {
    uint32_t number = 0;
    uint8_t wire_type = 0;
    absl::string_view payload;
  };

  explicit WireReader(absl::string_view bytes)
      : next_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  // Reads the next field into `field`, its contents skipped unless it is
  // length-delimited. False at the end of the bytes or at the first fault;
  // ok() then says which.
  bool Next(Field& field);

  // Whether every byte so far was well-formed (false after a fault).
  bool ok() const { return next_ != nullptr; }

 private:
  // Each returns the position after what it read, or null on a fault.
  const char* ReadTag(const char* p, uint32_t& tag) const;
  const char* ReadSize(const char* p, uint32_t& size) const;
  const char* SkipVarint(const char* p) const;
  // The value of an unknown field of `tag` (not an end-group tag).
  const char* SkipValue(const char* p, uint32_t tag, int depth) const;

  const char* next_;  // null after a fault
  const char* const end_;
};

}  // namespace lureguard::service::internal

#endif  // LUREGUARD_SERVER_SERVICE_INTERNAL_WIRE_READER_H_
