#include "server/common/bounded_executor.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace lureguard {
namespace {

TEST(BoundedExecutor, RunsTasksAndRefusesBeyondTheQueueBound) {
  BoundedExecutor executor(1, 2);
  absl::Notification started, release;
  std::atomic<int> ran{0};
  ASSERT_TRUE(executor.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
    ++ran;
  }));
  started.WaitForNotification();
  EXPECT_TRUE(executor.TrySubmit([&] { ++ran; }));
  EXPECT_TRUE(executor.TrySubmit([&] { ++ran; }));
  EXPECT_FALSE(executor.TrySubmit([&] { ++ran; }));  // queue of 2 is full
  EXPECT_EQ(executor.queued(), 2u);
  release.Notify();
  while (executor.queued() > 0) absl::SleepFor(absl::Milliseconds(1));
  executor.Stop();
  EXPECT_EQ(ran.load(), 3);
}

TEST(BoundedExecutor, StopDropsQueuedTasksAndRefusesNewOnes) {
  BoundedExecutor executor(1, 8);
  absl::Notification started, release;
  std::atomic<int> ran{0};
  executor.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  });
  started.WaitForNotification();
  executor.TrySubmit([&] { ++ran; });
  std::thread stopper([&] { executor.Stop(); });
  absl::SleepFor(absl::Milliseconds(20));
  release.Notify();
  stopper.join();
  EXPECT_EQ(ran.load(), 0);
  EXPECT_FALSE(executor.TrySubmit([&] { ++ran; }));
}

}  // namespace
}  // namespace lureguard
