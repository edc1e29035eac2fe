#include "server/service/batch_answer.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::service {
namespace {

// An answer of `n` ALLOW results echoing URLs of `url_bytes` bytes.
v1::CheckUrlsResponse Answer(int n, size_t url_bytes) {
  v1::CheckUrlsResponse response;
  for (int i = 0; i < n; ++i) {
    v1::CheckUrlResponse* result = response.add_results();
    result->set_url(absl::StrCat("https://x.test/", i, "/") +
                    std::string(url_bytes, 'a'));
    result->mutable_verdict()->set_action(v1::ALLOW);
  }
  return response;
}

TEST(FitBatchAnswer, AnAnswerThatFitsIsUnchanged) {
  v1::CheckUrlsResponse response = Answer(3, 100);
  const std::string before = response.SerializeAsString();
  absl::StatusOr<int> refused =
      FitBatchAnswer(static_cast<int64_t>(before.size()), response);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(*refused, 0);
  EXPECT_EQ(response.SerializeAsString(), before);
}

TEST(FitBatchAnswer, ResultsPastTheCapBecomePerUrlErrorsNamingIt) {
  v1::CheckUrlsResponse response = Answer(10, 1000);
  const v1::CheckUrlsResponse original = response;
  absl::StatusOr<int> refused = FitBatchAnswer(4000, response);
  ASSERT_TRUE(refused.ok()) << refused.status();
  // Two results of ~1020 bytes and eight errors of ~140 bytes fit; a
  // third result would not.
  EXPECT_EQ(*refused, 8);
  ASSERT_EQ(response.results_size(), 10);
  EXPECT_LE(response.ByteSizeLong(), 4000u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(response.results(i).SerializeAsString(),
              original.results(i).SerializeAsString());
  }
  for (int i = 2; i < 10; ++i) {
    const v1::CheckUrlResponse& result = response.results(i);
    EXPECT_FALSE(result.has_verdict());
    EXPECT_EQ(result.url(), "");
    EXPECT_EQ(result.error().code(), 8);  // RESOURCE_EXHAUSTED
    EXPECT_EQ(result.error().message(),
              absl::StrCat("urls[", i,
                           "]: not checked: the answers to this batch would "
                           "exceed limits.max_message_bytes (4000 bytes); "
                           "send this URL in a smaller batch"));
  }
}

TEST(FitBatchAnswer, AFirstResultTooBigStillAnswersEveryUrlWithAnError) {
  v1::CheckUrlsResponse response = Answer(2, 5000);
  absl::StatusOr<int> refused = FitBatchAnswer(4000, response);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(*refused, 2);
  EXPECT_EQ(response.results(0).error().code(), 8);
}

TEST(FitBatchAnswer, ErrorsThatCannotFitFailTheWholeAnswerUnchanged) {
  v1::CheckUrlsResponse response = Answer(100, 10);
  const std::string before = response.SerializeAsString();
  absl::StatusOr<int> refused = FitBatchAnswer(1000, response);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.status().message(),
            "urls: the answers to 100 URLs would exceed "
            "limits.max_message_bytes (1000 bytes) even as errors; send "
            "fewer URLs per batch");
  EXPECT_EQ(response.SerializeAsString(), before);
}

}  // namespace
}  // namespace lureguard::service
