#include "server/common/bounded_executor.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
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
  absl::BlockingCounter queued_ran(2);
  auto queued_task = [&] {
    ++ran;
    queued_ran.DecrementCount();
  };
  EXPECT_TRUE(executor.TrySubmit(queued_task));
  EXPECT_TRUE(executor.TrySubmit(queued_task));
  EXPECT_FALSE(executor.TrySubmit(queued_task));  // queue of 2 is full
  EXPECT_EQ(executor.queued(), 2u);
  release.Notify();
  queued_ran.Wait();
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
  ASSERT_EQ(executor.queued(), 1u);
  std::thread stopper([&] { executor.Stop(); });
  // The only worker is held, so the queue empties only by Stop dropping
  // it: once it is empty, releasing the worker cannot run the task.
  while (executor.queued() != 0) absl::SleepFor(absl::Milliseconds(1));
  release.Notify();
  stopper.join();
  EXPECT_EQ(ran.load(), 0);
  EXPECT_FALSE(executor.TrySubmit([&] { ++ran; }));
}

}  // namespace
}  // namespace lureguard
