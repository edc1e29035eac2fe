// A small Redis client on hiredis (Debian's libhiredis 0.14) for the login
// counter store: a pool of blocking connections with connect and command
// timeouts, pipelined commands (all written, then all replies read: one
// round trip), and reconnection with exponential backoff so that a Redis
// restart heals without restarting the server.
//
// While Redis is unreachable, calls fail at once with Unavailable until the
// backoff has passed, instead of each waiting for a connect timeout; the
// first call after it tries a fresh connection.
//
// Thread safety: safe for concurrent use; each call holds one pooled
// connection for its round trip.
//
// Example:
//   absl::StatusOr<RedisEndpoint> endpoint =
//       ParseRedisUrl("counter_store.url", "redis://127.0.0.1:6379/0");
//   RedisClient client({.endpoint = *endpoint}, SystemClock());
//   absl::StatusOr<std::vector<RedisValue>> replies =
//       client.Pipeline({{"PING"}, {"GET", "k"}});

#ifndef LUREGUARD_SERVER_LOGIN_INTERNAL_REDIS_CLIENT_H_
#define LUREGUARD_SERVER_LOGIN_INTERNAL_REDIS_CLIENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"

struct redisContext;

namespace lureguard::login::internal {

// Where a Redis server is and how to log in to it.
struct RedisEndpoint {
  std::string host;
  int port = 6379;
  std::string username;  // Redis 6 ACL user; empty: the default user
  std::string password;  // empty: no AUTH
  int db = 0;
};

// Parses "redis://[[user]:password@]host[:port][/db]" (host may be an IPv6
// literal in brackets). InvalidArgument naming `field` for anything else,
// and for "rediss://" (libhiredis 0.14 has no TLS).
absl::StatusOr<RedisEndpoint> ParseRedisUrl(absl::string_view field,
                                            absl::string_view url);

// One reply. Errors Redis answers (`-NOSCRIPT ...`) are values of kind
// kError, not a failed call: the connection is fine.
struct RedisValue {
  enum class Kind { kNil, kInteger, kString, kStatus, kError, kArray };
  Kind kind = Kind::kNil;
  int64_t integer = 0;
  std::string text;  // kString, kStatus, kError
  std::vector<RedisValue> elements;
};

class RedisClient {
 public:
  struct Options {
    RedisEndpoint endpoint;
    absl::Duration connect_timeout = absl::Milliseconds(200);
    absl::Duration command_timeout = absl::Milliseconds(200);
    // Connections kept open; calls beyond it wait for a free one.
    int pool_size = 4;
    // The wait after the first failure, doubled on each further one.
    absl::Duration backoff_initial = absl::Milliseconds(100);
    absl::Duration backoff_max = absl::Seconds(5);
  };

  // Connects lazily: the first call opens the first connection. `clock`
  // times the backoff and must outlive the client.
  RedisClient(Options options, const Clock& clock);
  ~RedisClient();

  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends every command, then reads every reply: one round trip. Each
  // command is its argument vector ("EVALSHA", sha, "2", ...), sent
  // binary-safe. Unavailable when Redis cannot be reached, a reply does not
  // arrive within the command timeout, or the client is backing off; the
  // message says which.
  absl::StatusOr<std::vector<RedisValue>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

 private:
  // A connection from the pool, a new one, or Unavailable.
  absl::StatusOr<redisContext*> Acquire();
  // Returns a healthy connection to the pool, or closes a broken one and
  // starts (or lengthens) the backoff.
  void Release(redisContext* context, bool healthy);
  absl::StatusOr<redisContext*> Connect();
  void NoteFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const Clock& clock_;
  absl::Mutex mu_;
  std::vector<redisContext*> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Duration backoff_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  absl::Time retry_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace lureguard::login::internal

#endif  // LUREGUARD_SERVER_LOGIN_INTERNAL_REDIS_CLIENT_H_
