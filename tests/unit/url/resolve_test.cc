#include <optional>
#include <string>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "server/url/url.h"
#include "tests/unit/url/conformance_data.h"

namespace lureguard::url {
namespace {

std::string Resolve(const std::string& reference, const std::string& base) {
  absl::StatusOr<ParsedUrl> parsed_base = ParseUrl(base);
  if (!parsed_base.ok()) return "bad base";
  absl::StatusOr<ParsedUrl> resolved = ResolveUrl(reference, *parsed_base);
  return resolved.ok() ? resolved->Href() : "failure";
}

TEST(ResolveUrl, RelativeFormsFollowTheBase) {
  const std::string base = "https://mail.example.com/a/b/c.html?x=1#top";
  EXPECT_EQ(Resolve("d.html", base), "https://mail.example.com/a/b/d.html");
  EXPECT_EQ(Resolve("../d", base), "https://mail.example.com/a/d");
  EXPECT_EQ(Resolve("/root", base), "https://mail.example.com/root");
  EXPECT_EQ(Resolve("\\root", base), "https://mail.example.com/root");
  EXPECT_EQ(Resolve("//cdn.example.net/x", base), "https://cdn.example.net/x");
  EXPECT_EQ(Resolve("?y=2", base), "https://mail.example.com/a/b/c.html?y=2");
  EXPECT_EQ(Resolve("#f", base), "https://mail.example.com/a/b/c.html?x=1#f");
  EXPECT_EQ(Resolve("", base), "https://mail.example.com/a/b/c.html?x=1");
  EXPECT_EQ(Resolve("  d\n.html ", base),
            "https://mail.example.com/a/b/d.html");
}

TEST(ResolveUrl, SameSchemeWithoutTwoSlashesIsRelative) {
  const std::string base = "http://example.org/foo/bar";
  EXPECT_EQ(Resolve("http:x", base), "http://example.org/foo/x");
  EXPECT_EQ(Resolve("http:/example.com/", base),
            "http://example.org/example.com/");
  EXPECT_EQ(Resolve("http://example.com/", base), "http://example.com/");
  EXPECT_EQ(Resolve("https:x", base), "https://x/");
}

TEST(ResolveUrl, OtherSchemesAreNotWebUrls) {
  const std::string base = "https://example.com/";
  EXPECT_EQ(Resolve("mailto:a@example.com", base), "failure");
  EXPECT_EQ(Resolve("javascript:alert(1)", base), "failure");
  EXPECT_EQ(Resolve("//", base), "failure");
}

std::string StringField(const google::protobuf::Struct& s,
                        const std::string& name) {
  auto it = s.fields().find(name);
  if (it == s.fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

// Every web-platform-tests case whose base and result are http(s) URLs.
TEST(ResolveUrlConformance, WebPlatformTestsWithHttpBase) {
  const std::string path = testing::DataPath("url/urltestdata.json");
  std::optional<std::string> json = testing::ReadFile(path);
  if (!json.has_value()) GTEST_SKIP() << "conformance data absent: " << path;
  google::protobuf::ListValue cases;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &cases).ok());
  int applicable = 0;
  for (const google::protobuf::Value& value : cases.values()) {
    if (!value.has_struct_value()) continue;
    const google::protobuf::Struct& c = value.struct_value();
    const std::string base = StringField(c, "base");
    absl::StatusOr<ParsedUrl> parsed_base = ParseUrl(base);
    if (base.empty() || !parsed_base.ok() || parsed_base->Href() != base) {
      continue;
    }
    const std::string input = StringField(c, "input");
    const bool must_fail = c.fields().count("failure") > 0;
    const std::string href = StringField(c, "href");
    if (!must_fail && !href.starts_with("http:") &&
        !href.starts_with("https:")) {
      continue;
    }
    ++applicable;
    absl::StatusOr<ParsedUrl> resolved = ResolveUrl(input, *parsed_base);
    if (must_fail) {
      EXPECT_FALSE(resolved.ok() && resolved->Href().starts_with("http"))
          << "input '" << input << "' base '" << base << "'";
    } else {
      ASSERT_TRUE(resolved.ok()) << "input '" << input << "' base '" << base
                                 << "': " << resolved.status();
      EXPECT_EQ(resolved->Href(), href)
          << "input '" << input << "' base '" << base << "'";
    }
  }
  EXPECT_GT(applicable, 100);
}

}  // namespace
}  // namespace lureguard::url
