#include "server/common/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace lureguard {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("paypal.com"));
  EXPECT_TRUE(IsValidUtf8("\xD0\xB0pple.com"));            // Cyrillic а
  EXPECT_TRUE(IsValidUtf8("\xE2\x80\xAE"));                // U+202E
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));            // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));            // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(absl::string_view("a\0b", 3)));  // NUL is valid
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xD0"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // stray continuation
  EXPECT_FALSE(IsValidUtf8("ok\xFF"));
}

// ASCII is read eight bytes at a time: a bad or good sequence at every
// offset of a long ASCII run, including across and at the end of a word.
TEST(Utf8, JudgesSequencesAtEveryOffsetOfAsciiRuns) {
  for (size_t at = 0; at <= 40; ++at) {
    std::string text(40, 'a');
    text.insert(at, "\xD0\xB0");  // Cyrillic а
    EXPECT_TRUE(IsValidUtf8(text)) << at;
    text = std::string(40, 'a');
    text.insert(at, "\xFF");
    EXPECT_FALSE(IsValidUtf8(text)) << at;
    text = std::string(40, 'a');
    text.insert(at, "\xE2\x80");  // truncated by ASCII
    EXPECT_FALSE(IsValidUtf8(text)) << at;
  }
}

}  // namespace
}  // namespace lureguard
