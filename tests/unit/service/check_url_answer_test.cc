// CheckUrl's hand-written answer is byte for byte what convert.h's ToProto
// and the generated serialiser make of the same check: for the checks a
// real engine makes of real URLs, for checks with every field set to
// awkward values, and for random ones. A field the proto gains and the
// writer does not know fails FieldsTheWriterKnows.

#include "server/service/check_url_answer.h"

#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "lureguard/v1/url_service.pb.h"
#include "server/common/clock.h"
#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/service/convert.h"
#include "server/service/verdict_call_fields.h"
#include "server/url/url.h"
#include "server/verdict/engine.h"

namespace lureguard::service {
namespace {

// What the answer holds: ToProto's message without this call's fields.
std::string Generated(const std::string& url, const verdict::UrlCheck& check) {
  v1::CheckUrlResponse response;
  response.set_url(url);
  ToProto(check, response);
  response.mutable_verdict()->clear_cache_ttl();
  response.mutable_verdict()->clear_verdict_id();
  return response.SerializeAsString();
}

std::string Written(const std::string& url, const verdict::UrlCheck& check) {
  const CheckUrlAnswer answer(url, check);
  std::string bytes(answer.size(), '\0');
  uint8_t* begin = reinterpret_cast<uint8_t*>(bytes.data());
  const uint8_t* end = answer.Write(begin);
  EXPECT_EQ(static_cast<size_t>(end - begin), bytes.size());
  return bytes;
}

TEST(CheckUrlAnswer, IsWhatTheGeneratedSerialiserWritesForARealEnginesChecks) {
  std::vector<store::ListEntryRecord> entries(2);
  entries[0].kind = store::EntryKind::kDomain;
  entries[0].value = "known-phish.example";
  entries[1].list = store::ListType::kAllow;
  entries[1].kind = store::EntryKind::kDomain;
  entries[1].value = "partner.example";
  auto snapshot = std::make_shared<verdict::EngineSnapshot>();
  snapshot->lists = lists::ListSnapshot::Build(entries);
  absl::StatusOr<lookalike::BrandIndex> index =
      lookalike::BrandIndex::Build(lookalike::DefaultBrands());
  ASSERT_TRUE(index.ok()) << index.status();
  snapshot->brands =
      std::make_shared<const lookalike::BrandIndex>(*std::move(index));
  verdict::Engine engine(SystemClock());
  engine.Publish(std::move(snapshot));

  const std::vector<std::string> urls = {
      "https://www.example.com/",
      "http://known-phish.example/login?next=%2Fhome",
      "https://partner.example/invoice.html",
      "https://paypa1.com/signin",
      "https://xn--pple-43d.com/",
      "https://paypal.com.secure-login.info/webscr?cmd=_login",
      "http://192.168.0.1:8080/admin",
      "https://user:pass@login.microsoftonline.com.evil.example/",
      "https://münchen.example/straße",
      "mailto:someone@example.com",
      "https://bit.ly/3xYz",
      "https://" + std::string(300, 'a') + ".example/" +
          std::string(20000, 'p'),
  };
  int with_reasons = 0;
  for (const std::string& url : urls) {
    absl::StatusOr<verdict::UrlCheck> check = engine.CheckUrl(url, "");
    ASSERT_TRUE(check.ok()) << url << ": " << check.status();
    if (!check->verdict.reasons.empty()) ++with_reasons;
    EXPECT_EQ(Written(url, *check), Generated(url, *check)) << url;
  }
  // The set exercises reasons, not only empty verdicts.
  EXPECT_GE(with_reasons, 5);
}

// Every field of every message set, with values at the edges of their
// encodings: empty and long strings, a length that needs three bytes, the
// largest enum numbers, -0.0 (written, its bits are not zero), several
// threat types.
verdict::UrlCheck EveryFieldSet() {
  verdict::UrlCheck check;
  auto names = std::make_shared<url::UrlNames>();
  names->canonical_url = "https://xn--mnchen-3ya.example/stra%C3%9Fe";
  names->host = "xn--mnchen-3ya.example";
  names->unicode_host = "münchen.example";
  names->registrable_domain = "xn--mnchen-3ya.example";
  names->public_suffix = "example";
  check.url = std::move(names);
  verdict::Verdict& verdict = check.verdict;
  verdict.action = verdict::Action::kBlock;
  verdict.threat_types = {verdict::ThreatType::kPhishing,
                          verdict::ThreatType::kUnwanted,
                          verdict::ThreatType::kMalware};
  verdict.score = -0.0;
  verdict.degraded = true;
  verdict::Reason full;
  full.code = verdict::ReasonCode::kBlocklistMatch;
  full.technique = "combosquat";
  full.brand = "PayPal";
  full.matched = "paypal";
  full.weight = 0.95;
  full.detail = std::string(20000, 'd');  // a three-byte length
  full.source = "feed:urlhaus";
  full.threat = verdict::ThreatType::kUnwanted;
  full.part = "attachment 2";
  full.filename = "Invoice – March.html";
  full.url = "https://paypal.com.secure-login.info/";
  verdict.reasons.push_back(full);
  verdict.reasons.emplace_back();  // only its default code
  verdict::Reason second = full;
  second.code = static_cast<verdict::ReasonCode>(200);
  second.weight = 1e-300;
  second.detail = std::string(127, 'x');  // the last one-byte length
  verdict.reasons.push_back(second);
  return check;
}

TEST(CheckUrlAnswer, IsWhatTheGeneratedSerialiserWritesWithEveryFieldSet) {
  const verdict::UrlCheck check = EveryFieldSet();
  for (const std::string& url :
       {std::string(), std::string("https://münchen.example/straße"),
        std::string(128, 'u')}) {
    EXPECT_EQ(Written(url, check), Generated(url, check)) << url.size();
  }
  verdict::UrlCheck empty;
  empty.url = std::make_shared<url::UrlNames>();
  EXPECT_EQ(Written("", empty), Generated("", empty));
}

TEST(CheckUrlAnswer, IsWhatTheGeneratedSerialiserWritesForRandomChecks) {
  std::mt19937 random(7);
  auto text = [&random](size_t max_size) {
    std::string s(random() % (max_size + 1), '\0');
    for (char& c : s) c = static_cast<char>('a' + random() % 26);
    return s;
  };
  for (int i = 0; i < 500; ++i) {
    verdict::UrlCheck check;
    auto names = std::make_shared<url::UrlNames>();
    names->canonical_url = text(300);
    names->host = text(40);
    names->unicode_host = text(40);
    names->registrable_domain = text(20);
    names->public_suffix = text(6);
    check.url = std::move(names);
    verdict::Verdict& verdict = check.verdict;
    verdict.action = static_cast<verdict::Action>(random() % 4);
    for (int t = random() % 4; t > 0; --t) {
      verdict.threat_types.push_back(
          static_cast<verdict::ThreatType>(random() % 5));
    }
    verdict.score = (random() % 3 == 0) ? 0 : (random() % 1000) / 1000.0;
    verdict.degraded = random() % 2 == 0;
    for (int r = random() % 5; r > 0; --r) {
      verdict::Reason reason;
      reason.code = static_cast<verdict::ReasonCode>(random() % 90);
      reason.technique = text(12);
      reason.brand = text(10);
      reason.matched = text(10);
      reason.weight = (random() % 2 == 0) ? 0 : (random() % 100) / 100.0;
      reason.detail = text(200);
      reason.source = text(8);
      reason.threat = static_cast<verdict::ThreatType>(random() % 5);
      reason.part = text(3);
      reason.filename = text(3);
      reason.url = text(60);
      verdict.reasons.push_back(std::move(reason));
    }
    const std::string url = text(300);
    ASSERT_EQ(Written(url, check), Generated(url, check)) << "case " << i;
  }
}

TEST(CheckUrlAnswer, WithTheCallFieldsParsesToToProtosWholeAnswer) {
  const verdict::UrlCheck check = EveryFieldSet();
  const std::string url = "https://paypal.com.secure-login.info/";
  const absl::Duration ttl = absl::Milliseconds(9250);
  const std::string id = "0123456789abcdef0123456789abcdef";
  std::string bytes = Written(url, check);
  const size_t answer_size = bytes.size();
  bytes.resize(answer_size + VerdictCallFieldsSize(ttl, id));
  WriteVerdictCallFields(
      ttl, id, reinterpret_cast<uint8_t*>(bytes.data()) + answer_size);

  v1::CheckUrlResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  v1::CheckUrlResponse expected;
  expected.set_url(url);
  verdict::UrlCheck with_call_fields = check;
  with_call_fields.verdict.cache_ttl = ttl;
  with_call_fields.verdict.verdict_id = id;
  ToProto(with_call_fields, expected);
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(parsed, expected))
      << parsed.DebugString();
}

// The request log reads the action from the answer as sent, call fields
// and all.
TEST(WrittenAction, IsTheActionOfTheAnswerAsSent) {
  verdict::UrlCheck check = EveryFieldSet();
  const absl::Duration ttl = absl::Seconds(30);
  const std::string id = "0123456789abcdef0123456789abcdef";
  for (verdict::Action action :
       {verdict::Action::kAllow, verdict::Action::kWarn,
        verdict::Action::kChallenge, verdict::Action::kBlock}) {
    check.verdict.action = action;
    std::string bytes = Written("https://example.com/", check);
    const size_t answer_size = bytes.size();
    bytes.resize(answer_size + VerdictCallFieldsSize(ttl, id));
    WriteVerdictCallFields(
        ttl, id, reinterpret_cast<uint8_t*>(bytes.data()) + answer_size);
    EXPECT_EQ(WrittenAction(bytes), action);
  }
  // A verdict of more than 127 bytes has a two-byte length.
  check.verdict.reasons.resize(4, check.verdict.reasons.front());
  const std::string long_verdict = Written("https://example.com/", check);
  ASSERT_GT(static_cast<uint8_t>(long_verdict[1]), 0x7f);
  EXPECT_EQ(WrittenAction(long_verdict), verdict::Action::kBlock);
}

TEST(WrittenAction, RefusesBytesLaidOutOtherwise) {
  v1::CheckUrlResponse blocked;
  blocked.mutable_verdict()->set_action(v1::BLOCK);
  const std::string verdict_first = blocked.SerializeAsString();
  EXPECT_EQ(WrittenAction(verdict_first), verdict::Action::kBlock);
  // A url field before the verdict: not how CheckUrlAnswer lays it out.
  EXPECT_EQ(WrittenAction(std::string("\x2a\x01x", 3) + verdict_first),
            std::nullopt);
  v1::CheckUrlResponse unknown;
  unknown.mutable_verdict()->set_action(static_cast<v1::Action>(9));
  EXPECT_EQ(WrittenAction(unknown.SerializeAsString()), std::nullopt);
  v1::CheckUrlResponse no_action;
  no_action.mutable_verdict()->set_score(0.5);
  EXPECT_EQ(WrittenAction(no_action.SerializeAsString()), std::nullopt);
  EXPECT_EQ(WrittenAction(std::string("\x0a\x02\x08", 3)), std::nullopt);
  EXPECT_EQ(WrittenAction(std::string("\x0a\xff\xff\xff\xff\xff", 6)),
            std::nullopt);
  EXPECT_EQ(WrittenAction(""), std::nullopt);
}

// The fields check_url_answer.cc writes (and, for cache_ttl and verdict_id,
// verdict_call_fields.cc), by message. A field added to the proto must be
// added to the writer and to ToProto, then here.
std::set<int> FieldNumbers(const google::protobuf::Descriptor& message) {
  std::set<int> numbers;
  for (int i = 0; i < message.field_count(); ++i) {
    numbers.insert(message.field(i)->number());
  }
  return numbers;
}

TEST(CheckUrlAnswer, FieldsTheWriterKnows) {
  // error = 8 is the batch methods' (CheckUrls); CheckUrl answers with a
  // status instead.
  EXPECT_EQ(FieldNumbers(*v1::CheckUrlResponse::descriptor()),
            (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(FieldNumbers(*v1::Verdict::descriptor()),
            (std::set<int>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(FieldNumbers(*v1::Reason::descriptor()),
            (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
}

}  // namespace
}  // namespace lureguard::service
