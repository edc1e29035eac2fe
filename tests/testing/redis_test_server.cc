#include "tests/testing/redis_test_server.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

namespace lureguard::testing {
namespace {

constexpr char kRedisServer[] = "/usr/bin/redis-server";

// A loopback port free at the time of asking; redis-server binds it a
// moment later (another process taking it in between fails loudly).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::string ReplyText(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      return absl::StrCat(reply.integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<std::string> lines;
      for (size_t i = 0; i < reply.elements; ++i) {
        lines.push_back(ReplyText(*reply.element[i]));
      }
      return absl::StrJoin(lines, "\n");
    }
    case REDIS_REPLY_NIL:
      return "";
    default:
      return std::string(reply.str, reply.len);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisTestServer>> RedisTestServer::Start() {
  if (access(kRedisServer, X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        kRedisServer, " is missing: run scripts/setup (redis-server)"));
  }
  std::unique_ptr<RedisTestServer> server(new RedisTestServer());
  server->port_ = FreePort();
  if (server->port_ == 0) {
    return absl::InternalError("no free loopback port");
  }
  if (absl::Status s = server->Launch(); !s.ok()) return s;
  return server;
}

RedisTestServer::~RedisTestServer() { (void)Stop(); }

std::string RedisTestServer::url() const {
  return absl::StrCat("redis://127.0.0.1:", port_);
}

absl::Status RedisTestServer::Launch() {
  process_ = std::make_unique<Subprocess>(std::vector<std::string>{
      kRedisServer, "--port", absl::StrCat(port_), "--bind", "127.0.0.1",
      "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
      dir_.path(), "--logfile", dir_.path() + "/redis.log"});
  // Polls PING until the server answers: it has no "ready" line on stderr.
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    absl::StatusOr<std::string> pong = Command({"PING"});
    if (pong.ok() && *pong == "PONG") return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "redis-server on port ", port_,
      " did not answer PING within 20s; stderr: ", process_->stderr_text()));
}

absl::Status RedisTestServer::Stop() {
  if (process_ == nullptr) return absl::OkStatus();
  process_->Signal(SIGTERM);
  const int code = process_->Wait();
  process_.reset();
  if (code != 0) {
    return absl::InternalError(absl::StrCat("redis-server exited with ", code));
  }
  return absl::OkStatus();
}

absl::Status RedisTestServer::Restart() {
  if (absl::Status s = Stop(); !s.ok()) return s;
  return Launch();
}

absl::StatusOr<std::string> RedisTestServer::Command(
    const std::vector<std::string>& args) {
  timeval timeout = {2, 0};
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, timeout);
  if (context == nullptr || context->err != 0) {
    std::string why = context == nullptr ? "out of memory" : context->errstr;
    if (context != nullptr) redisFree(context);
    return absl::UnavailableError(why);
  }
  redisSetTimeout(context, timeout);
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(
      context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (reply == nullptr) {
    std::string why = context->errstr;
    redisFree(context);
    return absl::UnavailableError(why);
  }
  std::string text = ReplyText(*reply);
  const bool error = reply->type == REDIS_REPLY_ERROR;
  freeReplyObject(reply);
  redisFree(context);
  if (error) return absl::InternalError(text);
  return text;
}

}  // namespace lureguard::testing
