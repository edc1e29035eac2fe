#include "server/common/text_proto.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace lureguard {
namespace {

// Keeps the first parse error with its position.
class FirstError final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ",
                            message);
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

}  // namespace

absl::Status ParseTextProto(absl::string_view text,
                            google::protobuf::Message* message) {
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), message)) {
    return absl::InvalidArgumentError(errors.first());
  }
  return absl::OkStatus();
}

absl::Status LoadTextProtoFile(const std::string& path,
                               google::protobuf::Message* message) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat("config file '", path, "' cannot be read"));
  }
  std::stringstream text;
  text << file.rdbuf();
  if (absl::Status s = ParseTextProto(text.str(), message); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config file '", path, "': ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace lureguard
