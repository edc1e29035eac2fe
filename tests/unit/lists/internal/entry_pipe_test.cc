#include "server/lists/internal/entry_pipe.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lists::internal {
namespace {

// Every field of an entry, as one comparable line.
std::string Describe(const store::ListEntryView& e) {
  return absl::StrCat(e.id, "|", static_cast<int>(e.list), "|",
                      static_cast<int>(e.kind), "|", static_cast<int>(e.threat),
                      "|", std::string(e.value), "|", std::string(e.reason),
                      "|", std::string(e.source), "|", std::string(e.tenant),
                      "|", absl::ToUnixMicros(e.create_time), "|",
                      absl::FormatTime(e.expire_time));
}

// Entries with strings of varied lengths, empty ones included, and each
// field distinct from its neighbours'.
std::vector<std::string> Entries(int count,
                                 std::vector<store::ListEntryView>* views,
                                 std::vector<std::string>* storage) {
  storage->reserve(count * 4);
  std::vector<std::string> described;
  for (int i = 0; i < count; ++i) {
    store::ListEntryView& e = views->emplace_back();
    e.id = i + 1;
    e.list = i % 2 == 0 ? store::ListType::kBlock : store::ListType::kAllow;
    e.kind = static_cast<store::EntryKind>(1 + i % 5);
    e.threat = i % 3 == 0   ? store::ThreatType::kMalware
               : i % 3 == 1 ? store::ThreatType::kUnwanted
                            : store::ThreatType::kPhishing;
    e.value = storage->emplace_back(absl::StrCat("v", i, ".example"));
    e.reason = storage->emplace_back(std::string(i % 3, 'r'));
    e.source = storage->emplace_back(absl::StrCat("feed:", i % 4));
    e.tenant = storage->emplace_back(i % 5 == 0 ? "" : "acme");
    e.create_time = absl::FromUnixMicros(i);
    e.expire_time = i % 6 == 0 ? absl::InfiniteFuture()
                               : absl::FromUnixSeconds(1767225600 + i);
    described.push_back(Describe(e));
  }
  return described;
}

TEST(EntryPipe, DeliversEveryEntryIntactAndInOrderAcrossThreads) {
  std::vector<store::ListEntryView> views;
  std::vector<std::string> storage;
  const std::vector<std::string> expected = Entries(1000, &views, &storage);
  // Small batches and a short queue, so that the producer waits for room.
  EntryPipe pipe(/*batch_entries=*/7, /*max_batches=*/2);
  std::thread producer([&] {
    pipe.Expect(1234);
    for (const store::ListEntryView& e : views) pipe.Push(e);
    pipe.Close(absl::OkStatus());
  });
  std::vector<std::string> seen;
  int batches = 0;
  while (const EntryPipe::Batch* batch = pipe.Next()) {
    EXPECT_EQ(pipe.expected(), 1234);
    ++batches;
    for (size_t i = 0; i < batch->size(); ++i) {
      seen.push_back(Describe(batch->Get(i)));
    }
  }
  producer.join();
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(batches, 143);  // 142 full batches of 7, then the last 6
  EXPECT_TRUE(pipe.status().ok());
}

TEST(EntryPipe, TheScanErrorArrivesAfterTheLastBatch) {
  std::vector<store::ListEntryView> views;
  std::vector<std::string> storage;
  Entries(3, &views, &storage);
  EntryPipe pipe(/*batch_entries=*/2, /*max_batches=*/1);
  std::thread producer([&] {
    for (const store::ListEntryView& e : views) pipe.Push(e);
    pipe.Close(absl::DataLossError("db: list entry 4 has list 9"));
  });
  size_t entries = 0;
  while (const EntryPipe::Batch* batch = pipe.Next()) entries += batch->size();
  producer.join();
  EXPECT_EQ(entries, 3u);
  EXPECT_EQ(pipe.expected(), 0);  // no hint was given
  EXPECT_EQ(pipe.status(), absl::DataLossError("db: list entry 4 has list 9"));
}

TEST(EntryPipe, CancelReleasesAProducerWaitingForRoom) {
  std::vector<store::ListEntryView> views;
  std::vector<std::string> storage;
  Entries(500, &views, &storage);
  EntryPipe pipe(/*batch_entries=*/1, /*max_batches=*/1);
  std::thread producer([&] {
    for (const store::ListEntryView& e : views) pipe.Push(e);
    pipe.Close(absl::OkStatus());
  });
  const EntryPipe::Batch* first = pipe.Next();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->Get(0).value, "v0.example");
  pipe.Cancel();
  producer.join();  // would hang if the producer still waited for room
  EXPECT_TRUE(pipe.status().ok());
}

}  // namespace
}  // namespace lureguard::lists::internal
