// One suite over every CounterStore: the in-memory one and Redis (a real
// redis-server this test starts on a free loopback port). Both must count,
// slide and report below_limit_in identically, through Apply batches.

#include "server/login/counter_store.h"

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/login/redis_counter_store.h"
#include "server/login/sliding_window_counters.h"
#include "tests/testing/redis_test_server.h"

namespace lureguard::login {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1767225600);  // 16 | 3600
constexpr absl::Duration kWindow = absl::Minutes(16);         // 1-minute slices

enum class Backend { kMemory, kRedis };

class CounterStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::RedisTestServer>> redis =
        testing::RedisTestServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = redis->release();
  }
  static void TearDownTestSuite() {
    delete redis_;
    redis_ = nullptr;
  }

  void SetUp() override {
    if (GetParam() == Backend::kMemory) {
      store_ = std::make_unique<SlidingWindowCounters>(
          SlidingWindowCounters::Options{.max_bytes = 1 << 20});
      return;
    }
    ASSERT_NE(redis_, nullptr);
    ASSERT_TRUE(redis_->Command({"FLUSHALL"}).ok());
    store_ = NewRedisStore();
  }

  static std::unique_ptr<RedisCounterStore> NewRedisStore() {
    RedisCounterStore::Options options;
    options.url = redis_->url();
    options.hash_key = std::string(32, 'k');
    absl::StatusOr<std::unique_ptr<RedisCounterStore>> store =
        RedisCounterStore::Create(options, SystemClock());
    EXPECT_TRUE(store.ok()) << store.status();
    return *std::move(store);
  }

  WindowCount One(CounterOp op, absl::Time now) {
    absl::StatusOr<std::vector<WindowCount>> counts = store_->Apply({op}, now);
    EXPECT_TRUE(counts.ok()) << counts.status();
    if (!counts.ok() || counts->size() != 1) return WindowCount{};
    return (*counts)[0];
  }
  int64_t Add(absl::string_view key, absl::Time now, int64_t limit = 10) {
    return One(CounterOp::Add(std::string(key), kWindow, limit), now).count;
  }
  WindowCount Read(absl::string_view key, absl::Time now, int64_t limit = 10) {
    return One(CounterOp::Read(std::string(key), kWindow, limit), now);
  }

  static testing::RedisTestServer* redis_;
  std::unique_ptr<CounterStore> store_;
};

testing::RedisTestServer* CounterStoreTest::redis_ = nullptr;

TEST_P(CounterStoreTest, CountsEventsWithinTheWindow) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Add("k", kStart + absl::Minutes(i)), i + 1);
  }
  EXPECT_EQ(Read("k", kStart + absl::Minutes(4)).count, 5);
  EXPECT_EQ(Read("other", kStart).count, 0);
}

TEST_P(CounterStoreTest, EventsLeaveTheWindowAsItSlides) {
  Add("k", kStart);                      // slice 0
  Add("k", kStart + absl::Minutes(5));   // slice 5
  Add("k", kStart + absl::Minutes(10));  // slice 10
  EXPECT_EQ(Read("k", kStart + absl::Minutes(15) + absl::Seconds(59)).count, 3);
  // At minute 16 slice 0 has left the window.
  EXPECT_EQ(Read("k", kStart + absl::Minutes(16)).count, 2);
  EXPECT_EQ(Read("k", kStart + absl::Minutes(21)).count, 1);
  EXPECT_EQ(Read("k", kStart + absl::Minutes(26)).count, 0);
  // Counting again after a long pause starts from the new event only.
  EXPECT_EQ(Add("k", kStart + absl::Hours(5)), 1);
}

TEST_P(CounterStoreTest, BelowLimitInSaysWhenTheCountDropsUnderTheLimit) {
  for (int i = 0; i < 3; ++i) Add("k", kStart, 3);
  for (int i = 0; i < 2; ++i) Add("k", kStart + absl::Minutes(4), 3);
  // 5 events; under 3 once the 3 of slice 0 leave, at minute 16.
  WindowCount count = Read("k", kStart + absl::Minutes(6), 3);
  EXPECT_EQ(count.count, 5);
  EXPECT_EQ(count.below_limit_in, absl::Minutes(10));
  // Under 1 only once slice 4 leaves too, at minute 20.
  EXPECT_EQ(Read("k", kStart + absl::Minutes(6), 1).below_limit_in,
            absl::Minutes(14));
  EXPECT_EQ(Read("k", kStart + absl::Minutes(6), 6).below_limit_in,
            absl::ZeroDuration());
}

TEST_P(CounterStoreTest, AnEventFromASteppedBackClockCountsInTheNewestSlice) {
  Add("k", kStart + absl::Minutes(5));
  EXPECT_EQ(Add("k", kStart + absl::Minutes(2)), 2);
  // Both leave with slice 5, at minute 21.
  EXPECT_EQ(Read("k", kStart + absl::Minutes(20)).count, 2);
  EXPECT_EQ(Read("k", kStart + absl::Minutes(21)).count, 0);
}

TEST_P(CounterStoreTest, ResetForgetsTheKey) {
  Add("a", kStart);
  Add("b", kStart);
  One(CounterOp::Reset("a"), kStart);
  EXPECT_EQ(Read("a", kStart).count, 0);
  EXPECT_FALSE(Read("a", kStart).evicted);
  EXPECT_EQ(Read("b", kStart).count, 1);
}

TEST_P(CounterStoreTest, ABatchAppliesItsOperationsInOrder) {
  Add("a", kStart);
  absl::StatusOr<std::vector<WindowCount>> counts = store_->Apply(
      {CounterOp::Add("a", kWindow, 10), CounterOp::Read("a", kWindow, 10),
       CounterOp::Reset("a"), CounterOp::Read("a", kWindow, 10),
       CounterOp::Add("b", kWindow, 1)},
      kStart + absl::Minutes(1));
  ASSERT_TRUE(counts.ok()) << counts.status();
  ASSERT_EQ(counts->size(), 5u);
  EXPECT_EQ((*counts)[0].count, 2);
  EXPECT_EQ((*counts)[1].count, 2);
  EXPECT_EQ((*counts)[2].count, 0);
  EXPECT_EQ((*counts)[3].count, 0);
  EXPECT_EQ((*counts)[4].count, 1);
  EXPECT_EQ((*counts)[4].below_limit_in, absl::Minutes(16));
}

INSTANTIATE_TEST_SUITE_P(
    Backends, CounterStoreTest,
    ::testing::Values(Backend::kMemory, Backend::kRedis),
    [](const ::testing::TestParamInfo<Backend>& param_info) {
      return param_info.param == Backend::kMemory ? "Memory" : "Redis";
    });

// What only the Redis store has to show: what Redis holds, sharing between
// processes, outages.
class RedisCounterStoreTest : public CounterStoreTest {};

TEST_P(RedisCounterStoreTest, KeysHoldOnlyKeyedHashesAndExpireWithTheWindow) {
  auto store = NewRedisStore();
  const absl::Time now = absl::Now();
  ASSERT_TRUE(store
                  ->Apply({CounterOp::Add("ui\x1f"
                                          "acme\x1f"
                                          "alice\x1f"
                                          "203.0.113.9",
                                          kWindow, 10)},
                          now)
                  .ok());
  absl::StatusOr<std::string> keys = redis_->Command({"KEYS", "*"});
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(*keys, store->RedisKey("ui\x1f"
                                   "acme\x1f"
                                   "alice\x1f"
                                   "203.0.113.9"));
  EXPECT_TRUE(::testing::Value(
      *keys, ::testing::MatchesRegex("lureguard:login:[0-9a-f]{32}")));
  // Kept until its newest slice leaves the window (at most 16 minutes),
  // plus a second.
  absl::StatusOr<std::string> ttl = redis_->Command({"PTTL", *keys});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(std::stoll(*ttl), absl::ToInt64Milliseconds(kWindow * 15 / 16));
  EXPECT_LE(std::stoll(*ttl), absl::ToInt64Milliseconds(kWindow) + 1000);
}

TEST_P(RedisCounterStoreTest, TwoStoresOnOneRedisCountEveryEventOnce) {
  // Two "replicas", four threads each, adding at once: the script is
  // atomic, so no event is lost and each count is seen exactly once.
  auto a = NewRedisStore();
  auto b = NewRedisStore();
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::vector<int64_t>> seen(2 * kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreads; ++t) {
    threads.emplace_back([&, t] {
      RedisCounterStore& store = t % 2 == 0 ? *a : *b;
      for (int i = 0; i < kEach; ++i) {
        auto counts =
            store.Apply({CounterOp::Add("shared", kWindow, 1000)}, kStart);
        seen[t].push_back(counts.ok() ? (*counts)[0].count : -1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<int64_t> all;
  for (const auto& s : seen) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  for (int i = 0; i < 2 * kThreads * kEach; ++i) EXPECT_EQ(all[i], i + 1);
}

TEST_P(RedisCounterStoreTest, AnOutageFailsBatchesAndARestartHealsThem) {
  RedisCounterStore::Options options;
  options.url = redis_->url();
  options.hash_key = std::string(32, 'k');
  options.backoff_max = absl::Milliseconds(200);
  auto store = *RedisCounterStore::Create(options, SystemClock());
  ASSERT_TRUE(store->Apply({CounterOp::Add("k", kWindow, 10)}, kStart).ok());
  EXPECT_TRUE(store->up());

  ASSERT_TRUE(redis_->Stop().ok());
  absl::StatusOr<std::vector<WindowCount>> down =
      store->Apply({CounterOp::Read("k", kWindow, 10)}, kStart);
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable)
      << down.status();
  EXPECT_FALSE(store->up());
  EXPECT_GE(store->errors(), 1);
  // Backing off: the next call fails at once, without connecting.
  EXPECT_EQ(
      store->Apply({CounterOp::Read("k", kWindow, 10)}, kStart).status().code(),
      absl::StatusCode::kUnavailable);

  // Back, empty, with no script cached: the store reconnects after its
  // backoff and loads the script again (EVAL after NOSCRIPT).
  ASSERT_TRUE(redis_->Restart().ok());
  absl::StatusOr<std::vector<WindowCount>> back;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  do {
    back = store->Apply({CounterOp::Add("k", kWindow, 10)}, kStart);
  } while (!back.ok() && absl::Now() < deadline);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)[0].count, 1);
  EXPECT_TRUE(store->up());
}

INSTANTIATE_TEST_SUITE_P(Redis, RedisCounterStoreTest,
                         ::testing::Values(Backend::kRedis));

TEST(RedisCounterStore, RefusesUrlsItCannotServe) {
  RedisCounterStore::Options options;
  options.hash_key = std::string(32, 'k');
  for (const char* url :
       {"http://127.0.0.1:6379", "rediss://127.0.0.1:6379", "redis://",
        "redis://127.0.0.1:0", "redis://127.0.0.1:6379/16",
        "redis://user@127.0.0.1"}) {
    options.url = url;
    absl::StatusOr<std::unique_ptr<RedisCounterStore>> store =
        RedisCounterStore::Create(options, SystemClock());
    EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_TRUE(absl::StartsWith(store.status().message(), "url: ")) << url;
  }
  options.url = "redis://:s3cret@[::1]:6380/2";
  EXPECT_TRUE(RedisCounterStore::Create(options, SystemClock()).ok());
  options.url = "redis://:s3cret@@127.0.0.1:x";
  EXPECT_EQ(RedisCounterStore::Create(options, SystemClock())
                .status()
                .message()
                .find("s3cret"),
            absl::string_view::npos);
  options.url = "redis://127.0.0.1";
  options.hash_key = "short";
  EXPECT_EQ(RedisCounterStore::Create(options, SystemClock()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lureguard::login
