#include "server/lists/entry_value.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lureguard::lists {
namespace {

struct Case {
  std::string input;
  std::optional<EntryKind> kind;
  EntryKind want_kind;
  std::string want_value;
};

TEST(EntryValue, NormalizesAndInfersKinds) {
  const Case cases[] = {
      {"Evil.COM.", std::nullopt, EntryKind::kDomain, "evil.com"},
      {"http://evil.com/", std::nullopt, EntryKind::kDomain, "evil.com"},
      {"evil.com/login/", std::nullopt, EntryKind::kUrlPrefix,
       "evil.com/login/"},
      {"HTTPS://Evil.com/a/../login.php", std::nullopt, EntryKind::kUrlPrefix,
       "evil.com/login.php"},
      {"http://evil.com/x?id=1#frag", std::nullopt, EntryKind::kExactUrl,
       "evil.com/x?id=1"},
      {"203.0.113.0/24", std::nullopt, EntryKind::kIpRange, "203.0.113.0/24"},
      {"198.51.100.4", std::nullopt, EntryKind::kIpRange, "198.51.100.4/32"},
      {"www.evil.com", EntryKind::kHost, EntryKind::kHost, "www.evil.com"},
      {"xn--pple-43d.com", EntryKind::kDomain, EntryKind::kDomain,
       "xn--pple-43d.com"},
      // An IP given as a host is stored as the single-address range it is.
      {"198.51.100.4", EntryKind::kHost, EntryKind::kIpRange,
       "198.51.100.4/32"},
      {"evil.com", EntryKind::kUrlPrefix, EntryKind::kUrlPrefix, "evil.com/"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<EntryValue> got = NormalizeEntryValue(c.input, c.kind);
    ASSERT_TRUE(got.ok()) << c.input << ": " << got.status();
    EXPECT_EQ(got->kind, c.want_kind) << c.input;
    EXPECT_EQ(got->value, c.want_value) << c.input;
  }
}

TEST(EntryValue, UnicodeHostsAreStoredInPunycode) {
  absl::StatusOr<EntryValue> got = NormalizeEntryValue(
      "\xD0\xB0pple.com", EntryKind::kDomain);  // Cyrillic а
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->value, "xn--pple-43d.com");
}

TEST(EntryValue, RejectsValuesThatCannotBeEntries) {
  EXPECT_EQ(NormalizeEntryValue("", std::nullopt).status().message(),
            "value is empty");
  EXPECT_EQ(NormalizeEntryValue("   ", std::nullopt).status().message(),
            "value is empty");
  EXPECT_EQ(NormalizeEntryValue("evil.com/login", EntryKind::kHost)
                .status()
                .message(),
            "'evil.com/login': a host or domain entry has no path; use --kind "
            "url-prefix or url");
  EXPECT_EQ(NormalizeEntryValue("evil.com/a?b=c", EntryKind::kUrlPrefix)
                .status()
                .message(),
            "'evil.com/a?b=c': a URL prefix has no query; use --kind url for "
            "an exact URL");
  EXPECT_EQ(
      NormalizeEntryValue("10.0.0.1/8", EntryKind::kIpRange).status().message(),
      "'10.0.0.1/8': host bits are set; the network is 10.0.0.0/8");
  EXPECT_EQ(
      NormalizeEntryValue("mailto:a@evil.com", std::nullopt).status().message(),
      "'mailto:a@evil.com': scheme 'mailto' is not http or https");
  EXPECT_FALSE(NormalizeEntryValue("exa mple.com", EntryKind::kHost).ok());
  EXPECT_FALSE(NormalizeEntryValue("evil<.com", EntryKind::kDomain).ok());
  EXPECT_FALSE(NormalizeEntryValue(std::string(9000, 'a'), std::nullopt).ok());
}

// Found by import_parser_fuzzer: empty labels collapse after the browser's
// "ends in a number" check, so "a..1..." would be stored as "a.1", which
// that check refuses when the entry is read again.
TEST(EntryValue, EveryStoredValueNormalizesToItself) {
  for (const std::string input :
       {"a..1...", "http://a..1.../", "a..1.../login", "x..0x1f.",
        "www.example.com..", "sub..example.com", "10.0.0..1"}) {
    for (std::optional<EntryKind> kind :
         {std::optional<EntryKind>(), std::optional(EntryKind::kHost),
          std::optional(EntryKind::kUrlPrefix)}) {
      absl::StatusOr<EntryValue> got = NormalizeEntryValue(input, kind);
      if (!got.ok()) {
        EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
        continue;
      }
      absl::StatusOr<EntryValue> again =
          NormalizeEntryValue(got->value, got->kind);
      ASSERT_TRUE(again.ok())
          << input << " stored as " << got->value << ": " << again.status();
      EXPECT_EQ(again->value, got->value) << input;
    }
  }
  EXPECT_THAT(
      NormalizeEntryValue("a..1...", EntryKind::kHost).status().message(),
      ::testing::HasSubstr("host 'a.1', its empty labels removed, "));
  // Empty labels before a word still collapse as they always did.
  absl::StatusOr<EntryValue> word =
      NormalizeEntryValue("sub..example.com", EntryKind::kHost);
  ASSERT_TRUE(word.ok()) << word.status();
  EXPECT_EQ(word->value, "sub.example.com");
}

TEST(EntryValue, KindNamesRoundTrip) {
  for (EntryKind kind :
       {EntryKind::kHost, EntryKind::kDomain, EntryKind::kUrlPrefix,
        EntryKind::kExactUrl, EntryKind::kIpRange}) {
    EXPECT_EQ(ParseEntryKindName(EntryKindName(kind)), kind);
  }
  EXPECT_EQ(ParseEntryKindName("url-prefix"), EntryKind::kUrlPrefix);
  EXPECT_EQ(ParseEntryKindName("subnet"), std::nullopt);
}

}  // namespace
}  // namespace lureguard::lists
