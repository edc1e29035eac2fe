// Helpers for methods served with raw grpc::ByteBuffer messages (CheckUrl
// and CheckUrls, url_service.h), and for the request log, which reads
// CheckUrl's answer as sent (rpc_observer.cc).
//
// Example:
//   grpc::Slice slice;
//   if (!SingleSlice(*request, slice)) return InvalidArgument(...);
//   ReadCheckUrlRequest(SliceBytes(slice), parsed);

#ifndef LUREGUARD_SERVER_SERVICE_RAW_MESSAGES_H_
#define LUREGUARD_SERVER_SERVICE_RAW_MESSAGES_H_

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"

namespace lureguard::service {

// The whole of a raw message as one slice: the slice it lies in, or a
// copy joining its pieces. False when neither can be had.
bool SingleSlice(const grpc::ByteBuffer& buffer, grpc::Slice& slice);

// The bytes of `slice`, which must outlive the view.
inline absl::string_view SliceBytes(const grpc::Slice& slice) {
  return absl::string_view(reinterpret_cast<const char*>(slice.begin()),
                           slice.size());
}

// Parses a raw message into `message`; false when the bytes are not that
// message at all.
bool ParseRaw(const grpc::ByteBuffer& buffer,
              google::protobuf::Message& message);

// Makes `slice` the whole of `buffer`. Swapped in, not assigned: a
// ByteBuffer's assignment copies (a new buffer, more references).
void TakeSlice(grpc::Slice& slice, grpc::ByteBuffer& buffer);

// Serializes `message` straight into the slice gRPC sends (one copy fewer
// than through a std::string).
void SerializeRaw(const google::protobuf::Message& message,
                  grpc::ByteBuffer& buffer);

}  // namespace lureguard::service

#endif  // LUREGUARD_SERVER_SERVICE_RAW_MESSAGES_H_
