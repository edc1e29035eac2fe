#include "server/store/store.h"

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/internal/pg_connection.h"

namespace lureguard::store {

namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

bool IsPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") ||
         location.starts_with("postgres://");
}

}  // namespace

absl::Status ValidateStoreLocation(std::string_view location) {
  if (location.starts_with(kSqlitePrefix)) {
    if (location.size() == kSqlitePrefix.size()) {
      return absl::InvalidArgumentError(
          "store: \"sqlite:\" needs a file path after the colon");
    }
    return absl::OkStatus();
  }
  if (IsPostgresUrl(location)) {
    absl::StatusOr<std::string> described =
        internal::DescribePostgresUrl(location);
    if (!described.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("store: ", described.status().message()));
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "store: must be sqlite:PATH or a postgresql:// URL");
}

std::string DescribeStoreLocation(std::string_view location) {
  if (IsPostgresUrl(location)) {
    absl::StatusOr<std::string> described =
        internal::DescribePostgresUrl(location);
    if (described.ok()) return *described;
    return "postgresql://(unparsable URL)";
  }
  return std::string(location);
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& location) {
  RETURN_IF_ERROR(ValidateStoreLocation(location));
  if (IsPostgresUrl(location)) return OpenPostgresStore(location);
  return OpenSqliteStore(location.substr(kSqlitePrefix.size()));
}

}  // namespace lureguard::store
