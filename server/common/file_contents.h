// Small files a flag or config field names (PEM certificates and keys):
// read whole, with an error that names the flag or field.

#ifndef LUREGUARD_SERVER_COMMON_FILE_CONTENTS_H_
#define LUREGUARD_SERVER_COMMON_FILE_CONTENTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard {

// The bytes of the file at `path`. InvalidArgument "FIELD: cannot read
// 'PATH'" when it cannot be read or is empty (`field` is the flag or config
// field that named it: "--ca", "tls.ca_file").
absl::StatusOr<std::string> ReadNonEmptyFile(absl::string_view field,
                                             const std::string& path);

}  // namespace lureguard

#endif  // LUREGUARD_SERVER_COMMON_FILE_CONTENTS_H_
