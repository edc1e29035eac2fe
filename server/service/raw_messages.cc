#include "server/service/raw_messages.h"

#include <cstdint>

namespace lureguard::service {

bool SingleSlice(const grpc::ByteBuffer& buffer, grpc::Slice& slice) {
  return buffer.TrySingleSlice(&slice).ok() ||
         buffer.DumpToSingleSlice(&slice).ok();
}

bool ParseRaw(const grpc::ByteBuffer& buffer,
              google::protobuf::Message& message) {
  grpc::Slice slice;
  return SingleSlice(buffer, slice) &&
         message.ParseFromArray(slice.begin(), static_cast<int>(slice.size()));
}

void TakeSlice(grpc::Slice& slice, grpc::ByteBuffer& buffer) {
  grpc::ByteBuffer made(&slice, 1);
  buffer.Swap(&made);
}

void SerializeRaw(const google::protobuf::Message& message,
                  grpc::ByteBuffer& buffer) {
  grpc::Slice slice(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(const_cast<uint8_t*>(slice.begin()));
  TakeSlice(slice, buffer);
}

}  // namespace lureguard::service
