#include "server/links/click_safety.h"

#include <string>

#include "gtest/gtest.h"

namespace lureguard::links {
namespace {

// Shapes of real one-time links, as the services named send them (tokens
// replaced by random strings of the same length and alphabet).
constexpr const char* kSingleUse[] = {
    // GitHub password reset.
    "https://github.com/password_reset/6c3e0f6c7a1d4e5f8a9b0c1d2e3f4a5b",
    // Django's PasswordResetConfirmView: uidb64/token.
    "https://www.example.com/reset/MQ/bq2q9b-1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a/",
    // django-allauth e-mail confirmation.
    "https://www.example.com/accounts/confirm-email/MTIz:1r2s3t:AbC/",
    // Laravel's signed e-mail verification URL.
    "https://app.example.com/email/verify/17/"
    "5f1d2c3b4a5e6f7a8b9c0d1e2f3a4b5c?expires=1700000000&signature=ab12",
    // Firebase Authentication e-mail action handler.
    "https://myapp.firebaseapp.com/__/auth/"
    "action?mode=resetPassword&oobCode=AbCdEfGh12&apiKey=AIzaSyA&lang=en",
    // Auth0 password-change ticket.
    "https://acme.eu.auth0.com/lo/reset?ticket=qwertyuiop1234567890#",
    // Medium's e-mailed sign-in link.
    "https://medium.com/m/callback/"
    "email?token=0f1e2d3c4b5a&operation=login&state=medium",
    // Slack magic sign-in link.
    "https://app.slack.com/t/acme/login/"
    "z-app-1234567890-1234567890123-abcdef0123456789abcdef",
    // Authelia reset, step 2 (authelia #2994).
    "https://auth.example.com/reset-password/step2?token=eyJhbGciOiJIUzI1NiJ9",
    // WordPress password reset.
    "https://blog.example.com/wp-login.php?action=rp&key=AbCdEf1234&login=al",
    // OAuth 2.0 authorization-code redirect (RFC 6749 §4.1.2).
    "https://app.example.com/oauth2/callback?code=4%2F0AX4XfWh&state=xyz",
    "https://app.example.com/login?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsl",
    // One-time secret (onetimesecret #359).
    "https://onetimesecret.com/secret/abc123def456ghi789jkl012mno",
    // GitLab confirmation, Notion magic link, Discourse e-mail login.
    "https://gitlab.com/users/confirmation?confirmation_token=AbCdEf123",
    "https://www.notion.so/loginwithemail?state=abc&token=xyz",
    "https://forum.example.org/session/email-login/0123456789abcdef0123456789",
    // A list's one-click unsubscribe.
    "https://lists.example.org/unsubscribe/alice/abc",
    // An invitation and an account activation.
    "https://app.example.com/invitations/accept?invite_token=abc",
    "https://shop.example.com/account/activate/9f8e7d6c",
    // A presigned S3 download.
    "https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-"
    "SHA256&X-Amz-Signature=ab12",
};

// Links read many times: they must still redirect at once.
constexpr const char* kMultiUse[] = {
    "https://www.example.org/news",
    "https://en.wikipedia.org/wiki/Phishing",
    "https://www.amazon.com/dp/B08N5WRWNW",
    "https://github.com/envoyproxy/envoy/issues/3023",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://shop.example.com/cart?id=7&utm_source=newsletter&utm_campaign="
    "spring2024",
    "https://news.ycombinator.com/item?id=38000000",
    "https://docs.python.org/3/library/hashlib.html",
    "https://www.example.com/blog/2024/05/how-we-reset-our-roadmap",
    "https://www.nytimes.com/2024/05/01/technology/ai-chips.html",
    "https://maps.google.com/?q=Eiffel+Tower",
    "https://www.example.com/",
    "https://www.example.com",
};

TEST(LooksSingleUse, RealOneTimeLinkShapes) {
  for (const char* url : kSingleUse) {
    EXPECT_TRUE(LooksSingleUse(url)) << url;
  }
}

TEST(LooksSingleUse, RealReusableLinkShapes) {
  for (const char* url : kMultiUse) {
    EXPECT_FALSE(LooksSingleUse(url)) << url;
  }
}

TEST(HasSingleUsePath, CompoundsAcrossSeparatorsWordsWithinSegments) {
  EXPECT_TRUE(HasSingleUsePath("/password/reset/abc"));
  EXPECT_TRUE(HasSingleUsePath("/Forgot-Password"));
  EXPECT_TRUE(HasSingleUsePath("/account/verify"));
  EXPECT_TRUE(HasSingleUsePath("/auth/magic-link"));
  EXPECT_FALSE(HasSingleUsePath("/blog/how-we-reset-our-roadmap"));
  EXPECT_FALSE(HasSingleUsePath("/verifying-facts"));
}

TEST(HasSingleUseQuery, OAuthCodeNeedsItsState) {
  EXPECT_TRUE(HasSingleUseQuery("code=abc&state=xyz"));
  // A promotion code alone is not an OAuth answer.
  EXPECT_FALSE(HasSingleUseQuery("code=SPRING24"));
  EXPECT_TRUE(HasSingleUseQuery("Token=abc"));
  EXPECT_FALSE(HasSingleUseQuery("token="));
}

TEST(HasLongRandomToken, NeedsLengthAndLettersAndDigits) {
  EXPECT_TRUE(HasLongRandomToken("/s/0123456789abcdef01234567", ""));
  EXPECT_TRUE(HasLongRandomToken("/", "k=AbCdEfGhIjKlMnOpQrStUvW1"));
  // Long but words: a slug, not a token.
  EXPECT_FALSE(HasLongRandomToken("/how-to-configure-your-router-at-home", ""));
  // Digits only: an order or item number.
  EXPECT_FALSE(HasLongRandomToken("/order/123456789012345678901234", ""));
  EXPECT_FALSE(HasLongRandomToken("/s/0123456789abcdef0123456", ""));  // 23
}

TEST(IsLinkPreviewAgent, KnowsPreviewBotsAndScannersNotBrowsers) {
  for (const char* agent : {
           "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
           "facebookexternalhit/1.1 "
           "(+http://www.facebook.com/externalhit_uatext.php)",
           "Twitterbot/1.0",
           "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient)",
           "WhatsApp/2.23.20.0",
           "TelegramBot (like TwitterBot)",
           "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
           "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
           "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0)",
           "python-requests/2.31.0",
       }) {
    EXPECT_TRUE(IsLinkPreviewAgent(agent)) << agent;
  }
  for (const char* agent : {
           "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 "
           "Firefox/115.0",
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
           "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 "
           "Mobile/15E148 Safari/604.1",
           "curl/7.88.1",
           "",
       }) {
    EXPECT_FALSE(IsLinkPreviewAgent(agent)) << agent;
  }
}

}  // namespace
}  // namespace lureguard::links
