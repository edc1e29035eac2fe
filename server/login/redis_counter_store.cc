#include "server/login/redis_counter_store.h"

#include <openssl/sha.h>

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"

namespace lureguard::login {
namespace {

using internal::RedisValue;

// One batch. KEYS[i] is the counter of operation i. ARGV[1] is now, in ms
// since the Unix epoch; then three per operation: "r" (read), "a" (add) or
// "d" (reset), the bucket length in ms, and the limit for below_limit_in.
// Returns, per operation, {count, ms until count < limit}. The arithmetic
// is SlidingWindowCounters::Add/Read/Count's, over hash fields instead of a
// ring of 16 cells (Lua numbers are doubles: exact for these integers).
constexpr char kBatchScript[] = R"lua(
local BUCKETS = 16
local now = tonumber(ARGV[1])
local result = {}
for i, key in ipairs(KEYS) do
  local op = ARGV[3 * i - 1]
  local slice = tonumber(ARGV[3 * i])
  local limit = tonumber(ARGV[3 * i + 1])
  if op == 'd' then
    redis.call('DEL', key)
    result[i] = {0, 0}
  else
    local bucket = math.floor(now / slice)
    local fields = redis.call('HGETALL', key)
    local counts = {}
    local head = nil
    for j = 1, #fields, 2 do
      local b = tonumber(fields[j])
      counts[b] = tonumber(fields[j + 1])
      if head == nil or b > head then head = b end
    end
    local at = bucket
    if op == 'a' then
      -- An event from before the newest bucket (a clock stepped back)
      -- counts in the newest bucket: never lost.
      if head == nil or bucket > head then head = bucket end
      counts[head] = (counts[head] or 0) + 1
      redis.call('HINCRBY', key, string.format('%d', head), 1)
      for b, _ in pairs(counts) do
        if b <= head - BUCKETS then
          redis.call('HDEL', key, string.format('%d', b))
          counts[b] = nil
        end
      end
      -- Kept until the newest bucket leaves the window, and a second.
      redis.call('PEXPIRE', key,
                 string.format('%d', (head + BUCKETS) * slice - now + 1000))
      at = head
    end
    local in_window = {}
    local total = 0
    for k = 0, BUCKETS - 1 do
      local b = at - (BUCKETS - 1) + k
      local c = 0
      if head ~= nil and b <= head and b > head - BUCKETS then
        c = counts[b] or 0
      end
      in_window[k + 1] = c
      total = total + c
    end
    local below = 0
    if head ~= nil and total >= limit then
      local remaining = total
      for k = 0, BUCKETS - 1 do
        remaining = remaining - in_window[k + 1]
        if remaining < limit then
          below = (at - (BUCKETS - 1) + k + BUCKETS) * slice - now
          break
        end
      end
    end
    result[i] = {total, below}
  end
end
return result
)lua";

std::string ScriptSha1() {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(kBatchScript),
       sizeof(kBatchScript) - 1, digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

absl::string_view OpName(CounterOp::Kind kind) {
  switch (kind) {
    case CounterOp::Kind::kRead:
      return "r";
    case CounterOp::Kind::kAdd:
      return "a";
    case CounterOp::Kind::kReset:
      return "d";
  }
  return "r";
}

absl::StatusOr<std::vector<WindowCount>> ParseCounts(const RedisValue& reply,
                                                     size_t expected) {
  if (reply.kind == RedisValue::Kind::kError) {
    return absl::UnavailableError(absl::StrCat("redis: ", reply.text));
  }
  if (reply.kind != RedisValue::Kind::kArray ||
      reply.elements.size() != expected) {
    return absl::InternalError(
        "redis: the counter script answered a shape "
        "it never returns");
  }
  std::vector<WindowCount> counts;
  counts.reserve(expected);
  for (const RedisValue& element : reply.elements) {
    if (element.kind != RedisValue::Kind::kArray ||
        element.elements.size() != 2 ||
        element.elements[0].kind != RedisValue::Kind::kInteger ||
        element.elements[1].kind != RedisValue::Kind::kInteger) {
      return absl::InternalError("redis: a counter is not {count, ms}");
    }
    WindowCount count;
    count.count = element.elements[0].integer;
    count.below_limit_in = absl::Milliseconds(element.elements[1].integer);
    counts.push_back(count);
  }
  return counts;
}

const std::string& BatchScriptSha1() {
  static const std::string* sha = new std::string(ScriptSha1());
  return *sha;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisCounterStore>> RedisCounterStore::Create(
    const Options& options, const Clock& clock) {
  ASSIGN_OR_RETURN(internal::RedisEndpoint endpoint,
                   internal::ParseRedisUrl("url", options.url));
  if (options.hash_key.size() < 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("hash_key: is ", options.hash_key.size(),
                     " bytes; at least 32 are needed"));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const HmacSha256> hmac,
                   HmacSha256::Create(options.hash_key));
  return std::unique_ptr<RedisCounterStore>(new RedisCounterStore(
      options, std::move(hmac), std::move(endpoint), clock));
}

RedisCounterStore::RedisCounterStore(const Options& options,
                                     std::shared_ptr<const HmacSha256> hmac,
                                     internal::RedisEndpoint endpoint,
                                     const Clock& clock)
    : key_prefix_(options.key_prefix),
      hmac_(std::move(hmac)),
      endpoint_name_(absl::StrCat(endpoint.host, ":", endpoint.port)),
      client_({.endpoint = std::move(endpoint),
               .connect_timeout = options.connect_timeout,
               .command_timeout = options.command_timeout,
               .pool_size = options.pool_size,
               .backoff_initial = options.backoff_initial,
               .backoff_max = options.backoff_max},
              clock) {}

std::string RedisCounterStore::RedisKey(absl::string_view key) const {
  const HmacSha256::Tag tag =
      hmac_->Sign(std::string_view(key.data(), key.size()));
  return absl::StrCat(
      key_prefix_,
      absl::BytesToHexString(absl::string_view(
          reinterpret_cast<const char*>(tag.data()), tag.size() / 2)));
}

absl::StatusOr<std::vector<WindowCount>> RedisCounterStore::Apply(
    absl::Span<const CounterOp> ops, absl::Time now) {
  if (ops.empty()) return std::vector<WindowCount>();
  absl::StatusOr<std::vector<WindowCount>> counts = Run(ops, now);
  NoteOutcome(counts.status());
  return counts;
}

absl::StatusOr<std::vector<WindowCount>> RedisCounterStore::Run(
    absl::Span<const CounterOp> ops, absl::Time now) {
  std::vector<std::string> command = {"EVALSHA", BatchScriptSha1(),
                                      absl::StrCat(ops.size())};
  command.reserve(4 + ops.size() * 4);
  for (const CounterOp& op : ops) command.push_back(RedisKey(op.key));
  command.push_back(absl::StrCat(absl::ToUnixMillis(now)));
  for (const CounterOp& op : ops) {
    command.push_back(std::string(OpName(op.kind)));
    // Reset ignores the slice; 1 keeps the script's division defined.
    command.push_back(absl::StrCat(
        std::max<int64_t>(1, absl::ToInt64Milliseconds(op.window / 16))));
    command.push_back(absl::StrCat(op.limit));
  }
  absl::StatusOr<std::vector<RedisValue>> replies = client_.Pipeline({command});
  if (!replies.ok()) return replies.status();
  if ((*replies)[0].kind == RedisValue::Kind::kError &&
      absl::StartsWith((*replies)[0].text, "NOSCRIPT")) {
    // A restarted (or flushed) Redis forgot the script: send it whole.
    command[0] = "EVAL";
    command[1] = kBatchScript;
    replies = client_.Pipeline({command});
    if (!replies.ok()) return replies.status();
  }
  return ParseCounts((*replies)[0], ops.size());
}

void RedisCounterStore::NoteOutcome(const absl::Status& status) {
  if (status.ok()) {
    if (!up_.exchange(true, std::memory_order_relaxed)) {
      LogInfo("login counter store reachable again",
              {{"redis", endpoint_name_}});
    }
    return;
  }
  errors_.fetch_add(1, std::memory_order_relaxed);
  if (up_.exchange(false, std::memory_order_relaxed)) {
    LogWarning("login counter store unreachable; verdicts are degraded",
               {{"redis", endpoint_name_}, {"error", status.message()}});
  }
}

}  // namespace lureguard::login
