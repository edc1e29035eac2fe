#include "server/url/internal/idna.h"

#include "gtest/gtest.h"

namespace lureguard::url::internal {
namespace {

std::string Ascii(std::string_view domain) {
  std::string out;
  return DomainToAscii(domain, &out) ? out : "<failure>";
}

TEST(Idna, AsciiWithoutPunycodeIsOnlyLowercased) {
  EXPECT_TRUE(IsPlainAsciiDomain("WWW.Example.com"));
  EXPECT_FALSE(IsPlainAsciiDomain("a.XN--pple-43d.com"));
  EXPECT_FALSE(IsPlainAsciiDomain("caf\xc3\xa9.fr"));
  EXPECT_EQ(Ascii("WWW.Example.com"), "www.example.com");
}

TEST(Idna, NontransitionalKeepsSharpS) {
  EXPECT_EQ(Ascii("fa\xc3\x9f.de"), "xn--fa-hia.de");
}

TEST(Idna, MapsWidthAndCase) {
  EXPECT_EQ(Ascii("\xef\xbc\xa1\xef\xbc\x8e\xef\xbd\x83\xef\xbd\x8f"), "a.co");
}

TEST(Idna, AsciiXnLabelsPassAsWrittenEvenWhenInvalid) {
  // whatwg/url PR 914: browsers contact these as written.
  EXPECT_EQ(Ascii("XN--a.com"), "xn--a.com");
  EXPECT_EQ(Ascii("xn--"), "xn--");
}

TEST(Idna, RejectsWhatUts46Flags) {
  EXPECT_EQ(Ascii("xn--a.\xc3\xa9"), "<failure>");        // bad punycode
  EXPECT_EQ(Ascii("\xe2\x98\x83\xff.com"), "<failure>");  // invalid UTF-8
  EXPECT_EQ(Ascii("\xd7\x90"
                  "1a.com"),
            "<failure>");                     // bidi rule
  EXPECT_EQ(Ascii("\xc2\xad"), "<failure>");  // maps to empty
}

TEST(Idna, ToUnicodeForDisplay) {
  std::string out;
  ASSERT_TRUE(DomainToUnicode("xn--pple-43d.com", &out));
  EXPECT_EQ(out, "\xd0\xb0pple.com");
}

}  // namespace
}  // namespace lureguard::url::internal
