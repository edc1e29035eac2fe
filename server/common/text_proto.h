// Protobuf text format (textproto) files, as the server and the milter
// read their configuration: one parser, one error form.
//
// Example:
//   v1::ServerConfig config;
//   if (absl::Status s = LoadTextProtoFile(path, &config); !s.ok()) return s;

#ifndef LUREGUARD_SERVER_COMMON_TEXT_PROTO_H_
#define LUREGUARD_SERVER_COMMON_TEXT_PROTO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace lureguard {

// Parses `text` into `*message` (cleared first). InvalidArgument naming the
// first error's place: "line 3, column 7: Message type ... has no field
// named \"listn\".".
absl::Status ParseTextProto(absl::string_view text,
                            google::protobuf::Message* message);

// Reads and parses the file at `path`. NotFound "config file 'P' cannot be
// read"; InvalidArgument "config file 'P': line 3, column 7: ...".
absl::Status LoadTextProtoFile(const std::string& path,
                               google::protobuf::Message* message);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_TEXT_PROTO_H_
