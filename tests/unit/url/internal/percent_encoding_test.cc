#include "server/url/internal/percent_encoding.h"

#include "gtest/gtest.h"
#include "server/url/url.h"

namespace lureguard::url::internal {
namespace {

std::string FullyUnescaped(std::string_view in) {
  std::string out;
  AppendFullyUnescaped(in, &out);
  return out;
}

// The reference definition: whole-string passes until nothing changes.
std::string UnescapedByRepeatedPasses(std::string s) {
  while (true) {
    std::string next;
    AppendPercentDecoded(s, &next);
    if (next == s) return s;
    s = next;
  }
}

TEST(PercentEncoding, FullUnescapeReachesTheFixedPoint) {
  EXPECT_EQ(FullyUnescaped("%2525252525252525"), "%");
  EXPECT_EQ(FullyUnescaped("%%%25%32%35asd%%"), "%%%asd%%");
  EXPECT_EQ(FullyUnescaped("%%32%35"), "%");
  EXPECT_EQ(FullyUnescaped("%4"), "%4");
  for (const char* s :
       {"%%341", "%25%34%31", "a%2%35b", "%%%%2525", "%g1%41"}) {
    EXPECT_EQ(FullyUnescaped(s), UnescapedByRepeatedPasses(s)) << s;
  }
}

TEST(PercentEncoding, DecodeOnceKeepsInvalidEscapes) {
  std::string out;
  AppendPercentDecoded("%41%4%zz%", &out);
  EXPECT_EQ(out, "A%4%zz%");
}

TEST(PercentEncoding, PublicPercentDecodeDecodesOnce) {
  EXPECT_EQ(PercentDecode("https%3A%2F%2Fa.example%2F%253F%zz%4"),
            "https://a.example/%3F%zz%4");
}

TEST(PercentEncoding, EncodeSetsFollowTheStandard) {
  std::string out;
  AppendPercentEncoded(" \"#<>?`{}^'\x7f\x80", EncodeSet::kPath, &out);
  EXPECT_EQ(out, "%20%22%23%3C%3E%3F%60%7B%7D%5E'%7F%80");
  out.clear();
  AppendPercentEncoded(" '", EncodeSet::kSpecialQuery, &out);
  EXPECT_EQ(out, "%20%27");
  out.clear();
  AppendPercentEncoded("a:b@c/d", EncodeSet::kUserinfo, &out);
  EXPECT_EQ(out, "a%3Ab%40c%2Fd");
  out.clear();
  AppendPercentEncoded("a b#c%d~", EncodeSet::kSafeBrowsing, &out);
  EXPECT_EQ(out, "a%20b%23c%25d~");
}

}  // namespace
}  // namespace lureguard::url::internal
