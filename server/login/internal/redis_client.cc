#include "server/login/internal/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace lureguard::login::internal {
namespace {

// hiredis 0.14 hands back untyped replies; one owner frees each.
struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

RedisValue ToValue(const redisReply& reply) {
  RedisValue value;
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      value.kind = RedisValue::Kind::kInteger;
      value.integer = reply.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      value.kind = reply.type == REDIS_REPLY_STRING ? RedisValue::Kind::kString
                   : reply.type == REDIS_REPLY_STATUS
                       ? RedisValue::Kind::kStatus
                       : RedisValue::Kind::kError;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ARRAY:
      value.kind = RedisValue::Kind::kArray;
      for (size_t i = 0; i < reply.elements; ++i) {
        value.elements.push_back(ToValue(*reply.element[i]));
      }
      break;
    default:
      value.kind = RedisValue::Kind::kNil;
  }
  return value;
}

absl::Status Invalid(absl::string_view field, absl::string_view url,
                     absl::string_view why) {
  // The URL may carry a password: only its scheme and host part are shown.
  std::string shown(url.substr(0, url.find('@') == absl::string_view::npos
                                      ? std::min<size_t>(url.size(), 80)
                                      : 0));
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", shown.empty() ? "" : absl::StrCat("'", shown, "' "), why));
}

}  // namespace

absl::StatusOr<RedisEndpoint> ParseRedisUrl(absl::string_view field,
                                            absl::string_view url) {
  constexpr absl::string_view kScheme = "redis://";
  if (absl::StartsWithIgnoreCase(url, "rediss://")) {
    return Invalid(field, url,
                   "asks for TLS, which libhiredis 0.14 does not offer; "
                   "reach Redis over a private network or a TLS sidecar");
  }
  if (!absl::StartsWithIgnoreCase(url, kScheme)) {
    return Invalid(field, url,
                   "is not a redis://[[user]:password@]host[:port][/db] URL");
  }
  absl::string_view rest = url.substr(kScheme.size());
  RedisEndpoint endpoint;
  if (size_t at = rest.rfind('@'); at != absl::string_view::npos) {
    absl::string_view credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    size_t colon = credentials.find(':');
    if (colon == absl::string_view::npos) {
      return Invalid(field, url, "has credentials without a ':password'");
    }
    endpoint.username = std::string(credentials.substr(0, colon));
    endpoint.password = std::string(credentials.substr(colon + 1));
  }
  absl::string_view authority = rest.substr(0, rest.find('/'));
  absl::string_view path = rest.substr(authority.size());
  absl::string_view port_text;
  if (absl::StartsWith(authority, "[")) {
    size_t close = authority.find(']');
    if (close == absl::string_view::npos) {
      return Invalid(field, url, "has an unclosed '[' in its host");
    }
    endpoint.host = std::string(authority.substr(1, close - 1));
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Invalid(field, url, "has junk after ']'");
      port_text = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != absl::string_view::npos) {
      port_text = authority.substr(colon + 1);
    }
  }
  if (endpoint.host.empty()) return Invalid(field, url, "has no host");
  if (!port_text.empty() && (!absl::SimpleAtoi(port_text, &endpoint.port) ||
                             endpoint.port < 1 || endpoint.port > 65535)) {
    return Invalid(field, url, "has a port outside [1, 65535]");
  }
  if (!path.empty() && path != "/") {
    if (!absl::SimpleAtoi(path.substr(1), &endpoint.db) || endpoint.db < 0 ||
        endpoint.db > 15) {
      return Invalid(field, url, "has a database number outside [0, 15]");
    }
  }
  return endpoint;
}

RedisClient::RedisClient(Options options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

RedisClient::~RedisClient() {
  absl::MutexLock lock(&mu_);
  for (redisContext* context : idle_) redisFree(context);
}

void RedisClient::NoteFailure() {
  backoff_ = backoff_ == absl::ZeroDuration()
                 ? options_.backoff_initial
                 : std::min(backoff_ * 2, options_.backoff_max);
  retry_at_ = clock_.Now() + backoff_;
  // The other idle connections went to the same server: drop them too.
  for (redisContext* context : idle_) redisFree(context);
  open_ -= static_cast<int>(idle_.size());
  idle_.clear();
}

absl::StatusOr<redisContext*> RedisClient::Connect() {
  const RedisEndpoint& endpoint = options_.endpoint;
  redisContext* context =
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port,
                              absl::ToTimeval(options_.connect_timeout));
  if (context == nullptr || context->err != 0) {
    std::string why = context == nullptr ? "out of memory" : context->errstr;
    if (context != nullptr) redisFree(context);
    return absl::UnavailableError(absl::StrCat(
        "redis ", endpoint.host, ":", endpoint.port, ": connect: ", why));
  }
  redisSetTimeout(context, absl::ToTimeval(options_.command_timeout));
  redisEnableKeepAlive(context);
  // AUTH and SELECT in one round trip.
  std::vector<std::vector<std::string>> setup;
  if (!endpoint.password.empty()) {
    setup.push_back(endpoint.username.empty()
                        ? std::vector<std::string>{"AUTH", endpoint.password}
                        : std::vector<std::string>{"AUTH", endpoint.username,
                                                   endpoint.password});
  }
  if (endpoint.db != 0) {
    setup.push_back({"SELECT", absl::StrCat(endpoint.db)});
  }
  for (const std::vector<std::string>& command : setup) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    redisAppendCommandArgv(context, static_cast<int>(argv.size()), argv.data(),
                           lengths.data());
  }
  for (size_t i = 0; i < setup.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context, &raw) != REDIS_OK) {
      std::string why = context->errstr;
      redisFree(context);
      return absl::UnavailableError(absl::StrCat("redis ", endpoint.host, ":",
                                                 endpoint.port, ": ",
                                                 setup[i][0], ": ", why));
    }
    ReplyPtr reply(static_cast<redisReply*>(raw));
    if (reply->type == REDIS_REPLY_ERROR) {
      std::string why(reply->str, reply->len);
      redisFree(context);
      return absl::UnavailableError(absl::StrCat("redis ", endpoint.host, ":",
                                                 endpoint.port, ": ",
                                                 setup[i][0], ": ", why));
    }
  }
  return context;
}

absl::StatusOr<redisContext*> RedisClient::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto can_proceed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.pool_size;
    };
    mu_.Await(absl::Condition(&can_proceed));
    if (!idle_.empty()) {
      redisContext* context = idle_.back();
      idle_.pop_back();
      return context;
    }
    const absl::Time now = clock_.Now();
    if (now < retry_at_) {
      return absl::UnavailableError(absl::StrCat(
          "redis ", options_.endpoint.host, ":", options_.endpoint.port,
          ": unreachable; next attempt in ",
          absl::FormatDuration(retry_at_ - now)));
    }
    ++open_;  // reserved while connecting outside the lock
  }
  absl::StatusOr<redisContext*> context = Connect();
  absl::MutexLock lock(&mu_);
  if (!context.ok()) {
    --open_;
    NoteFailure();
    return context.status();
  }
  backoff_ = absl::ZeroDuration();
  return *context;
}

void RedisClient::Release(redisContext* context, bool healthy) {
  absl::MutexLock lock(&mu_);
  if (healthy) {
    idle_.push_back(context);
    return;
  }
  redisFree(context);
  --open_;
  NoteFailure();
}

absl::StatusOr<std::vector<RedisValue>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  ASSIGN_OR_RETURN(redisContext * acquired, Acquire());
  redisContext* context = acquired;
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::vector<std::string>& command : commands) {
    argv.clear();
    lengths.clear();
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    redisAppendCommandArgv(context, static_cast<int>(argv.size()), argv.data(),
                           lengths.data());
  }
  std::vector<RedisValue> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context, &raw) != REDIS_OK || raw == nullptr) {
      absl::Status status = absl::UnavailableError(
          absl::StrCat("redis ", options_.endpoint.host, ":",
                       options_.endpoint.port, ": ", context->errstr));
      // Unread replies would answer the next caller's commands: the
      // connection cannot be reused.
      Release(context, /*healthy=*/false);
      return status;
    }
    ReplyPtr reply(static_cast<redisReply*>(raw));
    replies.push_back(ToValue(*reply));
  }
  Release(context, /*healthy=*/true);
  return replies;
}

}  // namespace lureguard::login::internal
