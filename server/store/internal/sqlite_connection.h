// Thin RAII wrappers over the SQLite C API, private to the SQLite store: a
// connection that names its file in every error, prepared statements cached
// per connection, and scoped transactions that roll back unless committed.
//
// Thread safety: none. A Connection and everything obtained from it must be
// used by one thread at a time; SqliteStore guards each connection with a
// mutex (connections are opened with SQLITE_OPEN_NOMUTEX).

#ifndef LUREGUARD_SERVER_STORE_INTERNAL_SQLITE_CONNECTION_H_
#define LUREGUARD_SERVER_STORE_INTERNAL_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::store::internal {

class Connection;

// Maps an SQLite result code to the canonical code callers can act on and a
// message that says where and what: "<path>: <what>". `system_errno` (from
// sqlite3_system_errno, 0 if none) is appended for open and I/O failures,
// where SQLite's own text ("unable to open database file") does not say why.
absl::Status SqliteError(int rc, absl::string_view path, absl::string_view what,
                         int system_errno = 0);

// One prepared statement. Binding failures are remembered and reported by
// the next Step(), so call sites bind without checking each call.
class Statement {
 public:
  Statement(const Connection* connection, sqlite3_stmt* stmt)
      : connection_(connection), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Parameters are 1-based, as in SQLite.
  void BindInt64(int index, int64_t value);
  void BindText(int index, std::string_view value);
  void BindNull(int index);
  // Binary data (a record payload); copied, like text.
  void BindBlob(int index, std::string_view value);

  // Returns true when a row is available, false when the statement is done.
  absl::StatusOr<bool> Step();

  // Columns are 0-based. A text view is valid until the next Step or Reset.
  int64_t ColumnInt64(int column) const {
    return sqlite3_column_int64(stmt_, column);
  }
  bool ColumnIsNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  std::string_view ColumnText(int column) const;
  std::string_view ColumnBlob(int column) const;

  // Makes the statement ready for its next use: rewinds it, which also ends
  // any read it holds open, and clears its bindings.
  void Reset();

 private:
  const Connection* connection_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

// A cached statement lent to one caller; resets it when the caller is done
// so that an idle statement never pins a WAL snapshot or holds a lock.
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement* statement) : statement_(statement) {}
  ScopedStatement(ScopedStatement&& other) noexcept
      : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  ScopedStatement& operator=(ScopedStatement&&) = delete;
  ~ScopedStatement() {
    if (statement_ != nullptr) statement_->Reset();
  }

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

// One SQLite connection to one database file.
class Connection {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*; NOMUTEX and extended result
  // codes are added), and sets a busy timeout.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, int flags, int busy_timeout_ms);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements that return no rows.
  absl::Status Exec(const char* sql);

  // Runs `sql` and returns the first column of its first row. For pragmas
  // and one-off queries; the statement is not cached.
  absl::StatusOr<int64_t> QueryInt64(const char* sql);
  absl::StatusOr<std::string> QueryText(const char* sql);

  // Returns the statement for `sql`, prepared on first use and cached for
  // the life of the connection.
  // REQUIRES: the same `sql` is not in use by an enclosing caller.
  absl::StatusOr<ScopedStatement> Prepare(absl::string_view sql);

  // Rows changed by the most recent INSERT, UPDATE or DELETE (not counting
  // changes made by triggers).
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // The rowid of the most recent successful INSERT; an upsert that updates
  // instead leaves it unchanged. It also survives a rollback, so clear it
  // before a statement to learn whether that statement inserted.
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  void ClearLastInsertRowid() { sqlite3_set_last_insert_rowid(db_, 0); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  bool ReadOnly() const { return sqlite3_db_readonly(db_, "main") == 1; }
  // Hands the page cache's unused pages (all of them outside a statement)
  // back to the allocator; later statements read them again as needed.
  void ReleaseCachedPages() { sqlite3_db_release_memory(db_); }
  // Bytes the page cache holds now (SQLITE_DBSTATUS_CACHE_USED).
  int64_t CachedBytes() const {
    int current = 0;
    int highwater = 0;
    sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_USED, &current, &highwater,
                      /*resetFlg=*/0);
    return current;
  }

  // The status for a failed call on this connection, with SQLite's message.
  absl::Status Error(int rc) const;

  const std::string& path() const { return path_; }

 private:
  Connection(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  const std::string path_;
  sqlite3* const db_;
  absl::flat_hash_map<std::string, std::unique_ptr<Statement>> statements_;
};

// A transaction that rolls back on destruction unless committed, so that
// every early error return leaves the database as it was.
//
// Example:
//   Transaction txn(connection);
//   if (absl::Status s = txn.Begin(Transaction::kImmediate); !s.ok()) ...
//   ... writes ...
//   return txn.Commit();
class Transaction {
 public:
  enum Mode {
    // Takes no lock until the first read: for read transactions.
    kDeferred,
    // Takes the write lock at once, so waiting for another writer happens
    // (within the busy timeout) before any work rather than failing at the
    // first write.
    kImmediate,
  };

  explicit Transaction(Connection* connection) : connection_(connection) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  absl::Status Begin(Mode mode);
  absl::Status Commit();

 private:
  Connection* const connection_;
  bool active_ = false;
};

}  // namespace lureguard::store::internal

#endif  // LUREGUARD_SERVER_STORE_INTERNAL_SQLITE_CONNECTION_H_
