#include "server/store/internal/sqlite_connection.h"

#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard::store::internal {

absl::Status SqliteError(int rc, absl::string_view path, absl::string_view what,
                         int system_errno) {
  std::string message = absl::StrCat(path, ": ", what);
  const int primary = rc & 0xff;
  if (system_errno != 0 &&
      (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR ||
       primary == SQLITE_READONLY || primary == SQLITE_PERM ||
       primary == SQLITE_FULL)) {
    absl::StrAppend(&message, " (",
                    std::generic_category().message(system_errno), ")");
  }
  switch (primary) {
    case SQLITE_CORRUPT:
      return absl::DataLossError(message);
    // Not an SQLite file, or a directory or file we may not write: the
    // operator has to fix the data dir, retrying will not help.
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::FailedPreconditionError(message);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(message);
    // Another process holds the lock beyond the busy timeout: retryable.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_TOOBIG:
      return absl::InvalidArgumentError(message);
    case SQLITE_INTERRUPT:
    case SQLITE_ABORT:
      return absl::AbortedError(message);
    default:
      return absl::InternalError(message);
  }
}

void Statement::BindInt64(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindText(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies the text: callers' strings may not outlive the
  // statement's next step.
  const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindBlob(int index, std::string_view value) {
  // A non-null pointer even for empty data: a NULL pointer binds SQL NULL,
  // which the NOT NULL payload column refuses.
  const int rc =
      sqlite3_bind_blob64(stmt_, index, value.empty() ? "" : value.data(),
                          value.size(), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

absl::StatusOr<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return connection_->Error(bind_rc_);
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_->Error(rc);
}

std::string_view Statement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return std::string_view(static_cast<const char*>(data),
                          sqlite3_column_bytes(stmt_, column));
}

std::string_view Statement::ColumnText(int column) const {
  // sqlite3_column_text before sqlite3_column_bytes, as SQLite documents, so
  // the length is that of the UTF-8 form.
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          sqlite3_column_bytes(stmt_, column));
}

void Statement::Reset() {
  // sqlite3_reset repeats the last step's error, already reported by Step().
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, int flags, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = db == nullptr
                              ? SqliteError(rc, path, sqlite3_errstr(rc))
                              : SqliteError(rc, path, sqlite3_errmsg(db),
                                            sqlite3_system_errno(db));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(path, db));
}

Connection::~Connection() {
  // Statements first: sqlite3_close_v2 would otherwise keep the connection
  // alive as a zombie until they are finalized.
  statements_.clear();
  sqlite3_close_v2(db_);
}

absl::Status Connection::Error(int rc) const {
  return SqliteError(rc, path_, sqlite3_errmsg(db_), sqlite3_system_errno(db_));
}

absl::Status Connection::Exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Connection::QueryInt64(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  if (rc != SQLITE_OK) return Error(rc);
  Statement statement(this, raw);
  ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) {
    return absl::InternalError(
        absl::StrCat(path_, ": no result from \"", sql, "\""));
  }
  return statement.ColumnInt64(0);
}

absl::StatusOr<std::string> Connection::QueryText(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  if (rc != SQLITE_OK) return Error(rc);
  Statement statement(this, raw);
  ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) {
    return absl::InternalError(
        absl::StrCat(path_, ": no result from \"", sql, "\""));
  }
  return std::string(statement.ColumnText(0));
}

absl::StatusOr<ScopedStatement> Connection::Prepare(absl::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* raw = nullptr;
    // PERSISTENT: these live as long as the connection, so SQLite should not
    // take their memory from its short-lived lookaside pool.
    const int rc = sqlite3_prepare_v3(db_, sql.data(), sql.size(),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) return Error(rc);
    it = statements_
             .emplace(std::string(sql), std::make_unique<Statement>(this, raw))
             .first;
  }
  return ScopedStatement(it->second.get());
}

Transaction::~Transaction() {
  // After some errors (SQLITE_FULL, SQLITE_IOERR, ...) SQLite has already
  // rolled back on its own; a second ROLLBACK would only fail.
  if (active_ && connection_->InTransaction()) {
    // Nothing useful to do if this fails: the connection is then unusable
    // and the next statement reports why.
    connection_->Exec("ROLLBACK").IgnoreError();
  }
}

absl::Status Transaction::Begin(Mode mode) {
  absl::Status status =
      connection_->Exec(mode == kImmediate ? "BEGIN IMMEDIATE" : "BEGIN");
  active_ = status.ok();
  return status;
}

absl::Status Transaction::Commit() {
  absl::Status status = connection_->Exec("COMMIT");
  if (status.ok()) active_ = false;
  return status;
}

}  // namespace lureguard::store::internal
