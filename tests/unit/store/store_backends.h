// The implementations a store test runs against, and the one throwaway
// PostgreSQL cluster a test binary shares, for the typed tests that hold
// every backend of a part of the store (records, audit log, clicks) to the
// same assertions.
//
// Example:
//   INSTANTIATE_TEST_SUITE_P(Backends, RecordStoreTest,
//                            ::testing::Values(Backend::kSqlite,
//                                              Backend::kPostgres,
//                                              Backend::kInMemory),
//                            BackendName);
//   absl::StatusOr<std::string> location = NewStoreLocation(backend, dir);
//   absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(*location);

#ifndef LUREGUARD_TESTS_UNIT_STORE_STORE_BACKENDS_H_
#define LUREGUARD_TESTS_UNIT_STORE_STORE_BACKENDS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "server/store/store.h"
#include "tests/fakes/in_memory_audit_log.h"
#include "tests/fakes/in_memory_record_store.h"
#include "tests/testing/postgres_test_server.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::store {

// Which implementation a test runs against.
enum class Backend { kSqlite, kPostgres, kInMemory };

// "Sqlite", "Postgres" or "InMemory": the suffix of a typed test's name.
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// The binary's PostgreSQL cluster, started by the first test that needs it
// and stopped (its directory removed) when the tests are done; null, with
// a test failure, when it cannot start. A missing PostgreSQL fails those
// tests (scripts/setup installs it).
lureguard::testing::PostgresTestServer* SharedPostgres();

// Where OpenStore finds a new, empty store of `backend`: "sqlite:" a file
// in `dir`, or a new database on the shared cluster.
// REQUIRES: backend is kSqlite or kPostgres.
absl::StatusOr<std::string> NewStoreLocation(Backend backend,
                                             const std::string& dir);

// A fresh store of the test's backend, seen through its parts: a SQLite
// file in a test directory, a database of its own on the shared cluster,
// or the in-memory fakes (records writing the audit log).
class StorePartsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;

  RecordStore& records();
  AuditLog& audit();

  // Another store on the same database, as a second replica has; null
  // (with a failure) when it cannot be opened. REQUIRES: not kInMemory.
  std::unique_ptr<Store> OpenAnother();

  // records().Revision(), or -1 with a failure.
  int64_t Revision();

 private:
  lureguard::testing::TempDir dir_;
  std::string location_;
  std::unique_ptr<Store> store_;  // SQLite, PostgreSQL
  InMemoryAuditLog fake_audit_;
  InMemoryRecordStore fake_records_{&fake_audit_};
};

}  // namespace lureguard::store

#endif  // LUREGUARD_TESTS_UNIT_STORE_STORE_BACKENDS_H_
