// The hand-written call fields are byte for byte what the generated
// serialiser writes for the same message, and parse back to the values.

#include "server/service/verdict_call_fields.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lureguard/v1/url_service.pb.h"
#include "server/service/convert.h"

namespace lureguard::service {
namespace {

std::string Generated(absl::Duration ttl, const std::string& id) {
  v1::CheckUrlResponse own;
  ToProto(ttl, *own.mutable_verdict()->mutable_cache_ttl());
  own.mutable_verdict()->set_verdict_id(id);
  return own.SerializeAsString();
}

std::string Written(absl::Duration ttl, const std::string& id) {
  std::string bytes(VerdictCallFieldsSize(ttl, id), '\0');
  uint8_t* begin = reinterpret_cast<uint8_t*>(bytes.data());
  const uint8_t* end = WriteVerdictCallFields(ttl, id, begin);
  EXPECT_EQ(static_cast<size_t>(end - begin), bytes.size());
  return bytes;
}

TEST(VerdictCallFields, AreTheGeneratedSerialisersBytes) {
  const std::vector<absl::Duration> ttls = {
      absl::ZeroDuration(),
      absl::Nanoseconds(1),
      absl::Milliseconds(1500),
      absl::Seconds(10),
      absl::Seconds(299) + absl::Nanoseconds(999'999'999),
      absl::Hours(24 * 365 * 100),
      absl::Seconds(-3),
      -absl::Milliseconds(250),
      absl::Seconds(127),
      absl::Seconds(128)};
  const std::vector<std::string> ids = {"", "0123456789abcdef0123456789abcdef",
                                        std::string(200, 'v')};
  for (absl::Duration ttl : ttls) {
    for (const std::string& id : ids) {
      EXPECT_EQ(Written(ttl, id), Generated(ttl, id))
          << absl::FormatDuration(ttl) << " / " << id.size();
    }
  }
}

TEST(VerdictCallFields, MergeIntoAnEarlierVerdict) {
  v1::CheckUrlResponse shared;
  shared.set_url("https://x.test/");
  shared.mutable_verdict()->set_score(0.9);
  std::string bytes = shared.SerializeAsString();
  bytes += Written(absl::Milliseconds(7250), "feedc0de");
  v1::CheckUrlResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.url(), "https://x.test/");
  EXPECT_EQ(parsed.verdict().score(), 0.9);
  EXPECT_EQ(parsed.verdict().verdict_id(), "feedc0de");
  EXPECT_EQ(parsed.verdict().cache_ttl().seconds(), 7);
  EXPECT_EQ(parsed.verdict().cache_ttl().nanos(), 250'000'000);
}

}  // namespace
}  // namespace lureguard::service
