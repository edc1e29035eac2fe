// Thin RAII wrappers over libpq, private to the PostgreSQL store: results
// freed by their destructor, parameters kept alive until the statement
// runs, errors turned into absl::Status with a code callers can act on, and
// COPY FROM STDIN for bulk imports.
//
// libpq rather than libpqxx: the store needs parameters, COPY and
// LISTEN/NOTIFY, which the C API offers directly and without exceptions;
// libpqxx 6.4 reports every failure by throwing, which would have to be
// caught around each call to keep exceptions from crossing the Store API,
// and it adds a second runtime library (libpqxx-6.4) to every image.
//
// Thread safety: none. A PgConnection and its results must be used by one
// thread at a time; PostgresStore guards each connection with a mutex or
// hands it to one caller at a time.

#ifndef LUREGUARD_SERVER_STORE_INTERNAL_PG_CONNECTION_H_
#define LUREGUARD_SERVER_STORE_INTERNAL_PG_CONNECTION_H_

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lureguard::store::internal {

// The result of one statement. Text-format columns, read as views valid
// while the result lives.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.result_) {
    other.result_ = nullptr;
  }
  PgResult& operator=(PgResult&&) = delete;
  ~PgResult() { PQclear(result_); }

  int rows() const { return PQntuples(result_); }
  bool IsNull(int row, int column) const {
    return PQgetisnull(result_, row, column) != 0;
  }
  std::string_view Text(int row, int column) const {
    return {PQgetvalue(result_, row, column),
            static_cast<size_t>(PQgetlength(result_, row, column))};
  }
  // A column of a bigint, integer or boolean ('t' is 1) type.
  int64_t Int64(int row, int column) const;
  // A bytea column, decoded from PostgreSQL's hex output format.
  std::string Bytes(int row, int column) const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t Affected() const;
  const PGresult* raw() const { return result_; }

 private:
  PGresult* result_;
};

// Statement parameters ($1, $2, ...), in order. Numbers are sent as text,
// blobs in binary format. Text containing a NUL byte, which PostgreSQL
// cannot store, is remembered and refused by PgConnection::Exec as
// InvalidArgument naming the parameter's `field`. Text and bytes are kept
// as views, not copies: what they view must outlive the statement's run.
class PgParams {
 public:
  PgParams& Text(std::string_view value, const char* field = "text");
  PgParams& Int(int64_t value);
  PgParams& Null();
  PgParams& Bytes(std::string_view value);
  // NULL when unset.
  PgParams& OptionalInt(std::optional<int64_t> value);

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }
  const absl::Status& error() const { return error_; }

 private:
  std::deque<std::string> numbers_;  // stable addresses for values_
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  absl::Status error_;
};

// One connection to the server. Every error message starts with the
// store's description (the URL without its password).
class PgConnection {
 public:
  // Connects with `conninfo` (a postgresql:// URL). Unavailable when the
  // server cannot be reached or refuses the login.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Open(
      const std::string& conninfo, std::string description);
  ~PgConnection();

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement (or, without parameters, several separated by ';').
  absl::StatusOr<PgResult> Exec(const char* sql, const PgParams& params);
  absl::StatusOr<PgResult> Exec(const char* sql) {
    return Exec(sql, PgParams());
  }

  // Runs `copy_sql` (a COPY ... FROM STDIN) and streams what `produce`
  // appends to its buffer; `produce` returns false when it has no more.
  absl::Status CopyIn(const char* copy_sql,
                      absl::FunctionRef<bool(std::string&)> produce);

  // False once the connection is lost (server restart, network): the
  // owner then drops it and connects again.
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  // True inside an open or failed transaction block.
  bool InTransaction() const {
    return PQtransactionStatus(conn_) != PQTRANS_IDLE;
  }
  PGconn* raw() const { return conn_; }
  const std::string& description() const { return description_; }

 private:
  PgConnection(PGconn* conn, std::string description)
      : conn_(conn), description_(std::move(description)) {}

  absl::Status Error(const PGresult* result, absl::string_view what) const;

  PGconn* conn_;
  std::string description_;
};

// A transaction that rolls back unless committed.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection* connection) : connection_(connection) {}
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction();

  // `begin_sql` starts the transaction: "BEGIN", or with an isolation level.
  absl::Status Begin(const char* begin_sql = "BEGIN");
  absl::Status Commit();

 private:
  PgConnection* const connection_;
  bool active_ = false;
};

// A postgresql:// (or postgres://) URL as an operator may show it: the
// password removed. "postgresql://lureguard@db:5432/lureguard".
// InvalidArgument when libpq cannot parse it; the message never contains
// the URL.
absl::StatusOr<std::string> DescribePostgresUrl(std::string_view url);

}  // namespace lureguard::store::internal

#endif  // LUREGUARD_SERVER_STORE_INTERNAL_PG_CONNECTION_H_
