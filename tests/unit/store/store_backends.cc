#include "tests/unit/store/store_backends.h"

#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"

namespace lureguard::store {
namespace {

// Owns the shared cluster, so that it stops after the last test.
class PostgresEnvironment : public ::testing::Environment {
 public:
  lureguard::testing::PostgresTestServer* Get() {
    if (!server_.has_value()) {
      server_ = lureguard::testing::PostgresTestServer::Start();
    }
    EXPECT_TRUE(server_->ok()) << server_->status();
    return server_->ok() ? server_->value().get() : nullptr;
  }
  void TearDown() override { server_.reset(); }

 private:
  std::optional<
      absl::StatusOr<std::unique_ptr<lureguard::testing::PostgresTestServer>>>
      server_;
};

PostgresEnvironment* const postgres_environment =
    static_cast<PostgresEnvironment*>(
        ::testing::AddGlobalTestEnvironment(new PostgresEnvironment));

}  // namespace

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::kSqlite:
      return "Sqlite";
    case Backend::kPostgres:
      return "Postgres";
    case Backend::kInMemory:
      return "InMemory";
  }
  return "Unknown";
}

lureguard::testing::PostgresTestServer* SharedPostgres() {
  return postgres_environment->Get();
}

absl::StatusOr<std::string> NewStoreLocation(Backend backend,
                                             const std::string& dir) {
  if (backend == Backend::kSqlite) {
    return absl::StrCat("sqlite:", dir, "/lureguard.db");
  }
  lureguard::testing::PostgresTestServer* postgres = SharedPostgres();
  if (postgres == nullptr) {
    return absl::UnavailableError("the test PostgreSQL cluster did not start");
  }
  static int databases = 0;
  const std::string database = absl::StrCat("store_", ++databases);
  if (absl::Status s = postgres->CreateDatabase(database); !s.ok()) return s;
  return postgres->Url(database);
}

void StorePartsTest::SetUp() {
  if (GetParam() == Backend::kInMemory) return;
  absl::StatusOr<std::string> location =
      NewStoreLocation(GetParam(), dir_.path());
  ASSERT_TRUE(location.ok()) << location.status();
  location_ = *location;
  store_ = OpenAnother();
  ASSERT_NE(store_, nullptr);
}

RecordStore& StorePartsTest::records() {
  if (store_ != nullptr) return *store_;
  return fake_records_;
}

AuditLog& StorePartsTest::audit() {
  if (store_ != nullptr) return *store_;
  return fake_audit_;
}

std::unique_ptr<Store> StorePartsTest::OpenAnother() {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(location_);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

int64_t StorePartsTest::Revision() {
  absl::StatusOr<int64_t> revision = records().Revision();
  EXPECT_TRUE(revision.ok()) << revision.status();
  return revision.value_or(-1);
}

}  // namespace lureguard::store
