#include "server/links/display_text.h"

#include <string>

#include "gtest/gtest.h"

namespace lureguard::links {
namespace {

struct Mismatch {
  std::string text;
  std::string href;
  std::string text_host;
  std::string text_domain;
  std::string href_domain;
};

TEST(DisplayText, TextNamingAnotherRegistrableDomainIsAMismatch) {
  const Mismatch cases[] = {
      {"www.paypal.com", "https://evil.top", "www.paypal.com", "paypal.com",
       "evil.top"},
      {"https://paypal.com/login", "https://evil.top/paypal/login",
       "paypal.com", "paypal.com", "evil.top"},
      {"PayPal.com", "http://login.evil.co.uk/x", "paypal.com", "paypal.com",
       "evil.co.uk"},
      {"paypal.com.", "https://evil.top", "paypal.com", "paypal.com",
       "evil.top"},
      {"  (www.paypal.com/signin) ", "https://evil.top", "www.paypal.com",
       "paypal.com", "evil.top"},
      {"HTTPS://WWW.PAYPAL.COM", "https://www.paypal.com.evil.top/",
       "www.paypal.com", "paypal.com", "evil.top"},
      // The text's userinfo trick fools the reader, not the parser.
      {"https://paypal.com@evil.top/", "https://paypal.com/", "evil.top",
       "evil.top", "paypal.com"},
      // A host on a private-section suffix is its own registrable domain.
      {"paypal.github.io", "https://github.io.evil.top/", "paypal.github.io",
       "paypal.github.io", "evil.top"},
      // An IP address link has no registrable domain: the address stands in.
      {"www.paypal.com", "http://203.0.113.7/login", "www.paypal.com",
       "paypal.com", "203.0.113.7"},
      // IDN text: compared (and reported) in its ASCII form.
      {"p\xd0\xb0ypal.com", "https://paypal.com/", "xn--pypal-4ve.com",
       "xn--pypal-4ve.com", "paypal.com"},
  };
  for (const Mismatch& c : cases) {
    std::optional<DisplayTextMismatch> m =
        FindDisplayTextMismatch(c.text, c.href);
    ASSERT_TRUE(m.has_value()) << c.text << " -> " << c.href;
    EXPECT_EQ(m->text_host, c.text_host) << c.text;
    EXPECT_EQ(m->text_domain, c.text_domain) << c.text;
    EXPECT_EQ(m->href_domain, c.href_domain) << c.text;
  }
}

TEST(DisplayText, TextThatIsNotAHostOrNamesTheSameSiteIsNoMismatch) {
  const std::pair<const char*, const char*> cases[] = {
      {"Click here", "https://evil.top/"},
      {"paypal", "https://evil.top/"},
      {"PayPal", "https://evil.top/"},
      {"support@paypal.com", "https://evil.top/"},
      {"mailto:support@paypal.com", "https://evil.top/"},
      {"login.paypal.com", "https://www.paypal.com/signin"},
      {"https://paypal.com/", "https://www.paypal.com/"},
      {"Log in at paypal.com", "https://evil.top/"},
      {"www.paypal.com now", "https://evil.top/"},
      {"notes.txt", "https://evil.top/"},  // .txt is no public suffix
      {"server.local", "https://evil.top/"},
      {"1.5", "https://evil.top/"},  // a number, read as IPv4
      {"v2.0.1", "https://evil.top/"},
      {"co.uk", "https://evil.top/"},  // a public suffix itself
      {"", "https://evil.top/"},
      {"www.paypal.com", "mailto:x@evil.top"},  // not a web link
      {"www.paypal.com", "not a url"},
  };
  for (const auto& [text, href] : cases) {
    EXPECT_FALSE(FindDisplayTextMismatch(text, href).has_value())
        << "'" << text << "' -> " << href;
  }
}

}  // namespace
}  // namespace lureguard::links
