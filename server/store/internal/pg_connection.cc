#include "server/store/internal/pg_connection.h"

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/common/status_macros.h"

namespace lureguard::store::internal {
namespace {

// The canonical code for a server error, by its SQLSTATE class: what a
// caller can act on (retry later, report to the user, page an operator).
absl::StatusCode CodeOf(std::string_view sqlstate) {
  const std::string_view error_class = sqlstate.substr(0, 2);
  if (error_class == "08") return absl::StatusCode::kUnavailable;  // connection
  // Shutting down, crashed, starting up: gone for now.
  if (sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03") {
    return absl::StatusCode::kUnavailable;
  }
  if (error_class == "40") return absl::StatusCode::kAborted;  // retry
  if (error_class == "53") return absl::StatusCode::kResourceExhausted;
  if (error_class == "22") return absl::StatusCode::kInvalidArgument;
  if (error_class == "23") return absl::StatusCode::kFailedPrecondition;
  if (error_class == "42") return absl::StatusCode::kFailedPrecondition;
  return absl::StatusCode::kInternal;
}

// libpq's messages end in a newline.
absl::string_view Trim(const char* message) {
  absl::string_view text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  return text;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

// ---- PgResult ---------------------------------------------------------------

int64_t PgResult::Int64(int row, int column) const {
  const std::string_view text = Text(row, column);
  if (text == "t") return 1;
  if (text == "f") return 0;
  int64_t value = 0;
  // Columns are declared bigint or integer; a failure here would be a bug
  // in a query, and reads as 0.
  (void)absl::SimpleAtoi(absl::string_view(text.data(), text.size()), &value);
  return value;
}

std::string PgResult::Bytes(int row, int column) const {
  const std::string_view text = Text(row, column);
  std::string bytes;
  // The hex format, "\x4142", PostgreSQL's default since 9.0.
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x') return bytes;
  bytes.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    bytes.push_back(
        static_cast<char>(HexValue(text[i]) * 16 + HexValue(text[i + 1])));
  }
  return bytes;
}

int64_t PgResult::Affected() const {
  int64_t value = 0;
  (void)absl::SimpleAtoi(PQcmdTuples(result_), &value);
  return value;
}

// ---- PgParams ---------------------------------------------------------------

PgParams& PgParams::Text(std::string_view value, const char* field) {
  if (error_.ok() && value.find('\0') != std::string_view::npos) {
    error_ = absl::InvalidArgumentError(
        absl::StrCat(field, ": contains a NUL byte, which cannot be stored"));
  }
  values_.push_back(value.data() == nullptr ? "" : value.data());
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);  // binary: the bytes as they are, no terminator
  return *this;
}

PgParams& PgParams::Int(int64_t value) {
  values_.push_back(numbers_.emplace_back(absl::StrCat(value)).c_str());
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Null() {
  values_.push_back(nullptr);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Bytes(std::string_view value) {
  values_.push_back(value.data() == nullptr ? "" : value.data());
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::OptionalInt(std::optional<int64_t> value) {
  return value.has_value() ? Int(*value) : Null();
}

// ---- PgConnection -----------------------------------------------------------

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Open(
    const std::string& conninfo, std::string description) {
  // Without these libpq waits as long as TCP does: a connection attempt to
  // a server that is partitioned away (or accepts and never answers) hangs
  // for minutes, and so would every admin write and the snapshot
  // publisher's look at the revision. Bounded, a store that is down is
  // reported down within seconds. The URL's own settings come later in
  // the array, so they win (expand_dbname).
  const char* const keywords[] = {"connect_timeout",
                                  "keepalives_idle",
                                  "keepalives_interval",
                                  "keepalives_count",
                                  "tcp_user_timeout",
                                  "dbname",
                                  nullptr};
  const char* const values[] = {
      "5",      // seconds for the whole connection attempt
      "30",     // an idle connection is probed after 30 s of silence,
      "10",     // every 10 s,
      "3",      // and given up after 3 unanswered probes;
      "30000",  // sent data unacknowledged for 30 s ends the connection
      conninfo.c_str(),
      nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return absl::ResourceExhaustedError(
        absl::StrCat(description, ": out of memory opening a connection"));
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    absl::Status status = absl::UnavailableError(absl::StrCat(
        description, ": cannot connect: ", Trim(PQerrorMessage(conn))));
    PQfinish(conn);
    return status;
  }
  std::unique_ptr<PgConnection> connection(
      new PgConnection(conn, std::move(description)));
  // Every text column is UTF-8 on our side; timestamps are integers, so no
  // other session setting matters.
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        connection->description_, ": cannot use UTF-8 client encoding"));
  }
  return connection;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

absl::Status PgConnection::Error(const PGresult* result,
                                 absl::string_view what) const {
  const char* sqlstate = result == nullptr
                             ? nullptr
                             : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  absl::string_view message =
      result != nullptr ? Trim(PQresultErrorMessage(result)) : "";
  if (message.empty()) message = Trim(PQerrorMessage(conn_));
  absl::StatusCode code =
      sqlstate != nullptr ? CodeOf(sqlstate) : absl::StatusCode::kInternal;
  // No SQLSTATE and a broken connection: the server went away mid-call.
  if (sqlstate == nullptr && PQstatus(conn_) != CONNECTION_OK) {
    code = absl::StatusCode::kUnavailable;
  }
  return absl::Status(code,
                      absl::StrCat(description_, ": ", what, ": ", message));
}

absl::StatusOr<PgResult> PgConnection::Exec(const char* sql,
                                            const PgParams& params) {
  if (!params.error().ok()) return params.error();
  PGresult* raw =
      params.size() == 0
          ? PQexec(conn_, sql)
          : PQexecParams(conn_, sql, params.size(), /*paramTypes=*/nullptr,
                         params.values(), params.lengths(), params.formats(),
                         /*resultFormat=*/0);
  PgResult result(raw);
  const ExecStatusType status =
      raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    // The first line of the statement says which one failed.
    std::string_view statement = sql;
    statement = statement.substr(0, statement.find('\n')).substr(0, 60);
    return Error(
        raw, absl::StrCat("\"",
                          absl::string_view(statement.data(), statement.size()),
                          "...\""));
  }
  return result;
}

absl::Status PgConnection::CopyIn(
    const char* copy_sql, absl::FunctionRef<bool(std::string&)> produce) {
  {
    PgResult start(PQexec(conn_, copy_sql));
    if (PQresultStatus(start.raw()) != PGRES_COPY_IN) {
      return Error(start.raw(), "COPY");
    }
  }
  std::string buffer;
  bool more = true;
  while (more) {
    buffer.clear();
    more = produce(buffer);
    if (!buffer.empty() &&
        PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) !=
            1) {
      return Error(nullptr, "COPY data");
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) return Error(nullptr, "COPY end");
  // The COPY's own result, then the end of results.
  absl::Status status = absl::OkStatus();
  while (PGresult* raw = PQgetResult(conn_)) {
    PgResult result(raw);
    if (status.ok() && PQresultStatus(raw) != PGRES_COMMAND_OK) {
      status = Error(raw, "COPY");
    }
  }
  return status;
}

// ---- PgTransaction ----------------------------------------------------------

PgTransaction::~PgTransaction() {
  if (active_ && connection_->ok()) {
    // A failed rollback leaves the connection in a transaction; its owner
    // sees InTransaction() and drops it.
    (void)connection_->Exec("ROLLBACK");
  }
}

absl::Status PgTransaction::Begin(const char* begin_sql) {
  ASSIGN_OR_RETURN(PgResult begun, connection_->Exec(begin_sql));
  active_ = true;
  return absl::OkStatus();
}

absl::Status PgTransaction::Commit() {
  active_ = false;
  ASSIGN_OR_RETURN(PgResult committed, connection_->Exec("COMMIT"));
  return absl::OkStatus();
}

// ---- URLs -------------------------------------------------------------------

absl::StatusOr<std::string> DescribePostgresUrl(std::string_view url) {
  const std::string text(url);
  if (!text.starts_with("postgresql://") && !text.starts_with("postgres://")) {
    return absl::InvalidArgumentError(
        "must be a postgresql:// URL (libpq connection URI)");
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(text.c_str(), &error);
  if (options == nullptr) {
    // libpq's message may quote part of the URL, password included.
    PQfreemem(error);
    return absl::InvalidArgumentError(
        "is not a valid PostgreSQL connection URI (see libpq's "
        "\"Connection URIs\")");
  }
  std::string user, host, port, dbname;
  for (PQconninfoOption* option = options; option->keyword != nullptr;
       ++option) {
    if (option->val == nullptr) continue;
    const std::string_view keyword = option->keyword;
    if (keyword == "user") user = option->val;
    if (keyword == "host") host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") dbname = option->val;
  }
  PQconninfoFree(options);
  std::string description = "postgresql://";
  if (!user.empty()) absl::StrAppend(&description, user, "@");
  absl::StrAppend(&description, host);
  if (!port.empty()) absl::StrAppend(&description, ":", port);
  absl::StrAppend(&description, "/", dbname);
  return description;
}

}  // namespace lureguard::store::internal
