// Message verdicts without gRPC (MessageChecker::Check, DESIGN.md §6:
// CheckMessage of a 50 kB message with a 30 kB HTML attachment, p50 <= 2 ms
// on one core), and a 10 MB message of 200 parts.
//
//   scripts/bench CheckMessage
//
// Percentiles come from timing each call; Google Benchmark's own time
// column is the mean.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "server/mail/message_checker.h"
#include "tests/bench/bench_engine.h"
#include "tests/bench/bench_support.h"
#include "tests/testing/mail_checker_stack.h"

namespace lureguard {
namespace {

std::string Base64Lines(const std::string& data) {
  const std::string encoded = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&out, encoded.substr(i, 76), "\r\n");
  }
  return out;
}

// A kit-shaped sign-in page padded with the CSS and markup real kits carry,
// to `bytes`, of which about `css_share` is CSS.
std::string CredentialPage(size_t bytes, double css_share = 0.5) {
  std::string page =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
      "<title>Haier Biomedical - Secure Document</title><style>";
  while (page.size() < bytes * css_share) {
    absl::StrAppend(&page, ".c", page.size(),
                    "{margin:0 auto;padding:4px 8px;font:13px Arial;"
                    "color:#333;background:#f4f6f8;border:1px solid #ddd}\n");
  }
  absl::StrAppend(&page, "</style></head><body><div class=\"box\">");
  while (page.size() < bytes - 1200) {
    absl::StrAppend(&page,
                    "<div class=\"row\"><span class=\"c1\">Secure document "
                    "portal</span> <a href=\"#\">Help</a></div>\n");
  }
  absl::StrAppend(
      &page,
      "<form method=\"POST\" action=\"https://procurement-cceop.com/next.php\">"
      "<input type=\"email\" name=\"login\" value=\"bob@acme.example\">"
      "<input type=\"password\" name=\"passwd\"><button>View</button></form>"
      "<script>var s=document.createElement('div');s.className='c2';"
      "document.body.appendChild(s);</script></div></body></html>\n");
  return page;
}

std::string Newsletter(size_t bytes, int links) {
  std::string html = "<html><body><h1>Weekly</h1>";
  for (int i = 0; i < links; ++i) {
    absl::StrAppend(&html, "<p><a href=\"https://news", i % 7,
                    ".example.org/a/", i, "?utm_source=mail\">Article ", i,
                    "</a> - a paragraph of text about the article.</p>\n");
  }
  while (html.size() < bytes) {
    absl::StrAppend(&html,
                    "<p>Lorem ipsum dolor sit amet, consectetur "
                    "adipiscing elit, sed do eiusmod tempor.</p>\n");
  }
  return absl::StrCat(html, "</body></html>\n");
}

std::string Headers(const std::string& boundary) {
  return absl::StrCat(
      "From: \"Haier Biomedical Sales\" <sales@haier-biomedical.com>\r\n"
      "Reply-To: haier.quotation@gmail.com\r\n"
      "To: bob@acme.example\r\nSubject: Request for Quotation\r\n"
      "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"",
      boundary, "\"\r\n\r\n");
}

std::string Part(const std::string& boundary, const std::string& type,
                 const std::string& filename, const std::string& body) {
  return absl::StrCat(
      "--", boundary, "\r\nContent-Type: ", type, "\r\n",
      filename.empty()
          ? ""
          : absl::StrCat("Content-Disposition: attachment; filename=\"",
                         filename, "\"\r\n"),
      "Content-Transfer-Encoding: base64\r\n\r\n", Base64Lines(body));
}

// About 50 kB: a text body, an HTML body with 20 links, a 30 kB page
// (half of it CSS, or none).
std::string CampaignMessage(double css_share) {
  const std::string b = "b1";
  std::string text =
      "Dear Sir/Madam,\r\nPlease see https://haiermedical.com/"
      "rfq and the attached document.\r\n";
  return absl::StrCat(
      Headers(b), Part(b, "text/plain; charset=utf-8", "", text),
      Part(b, "text/html; charset=utf-8", "", Newsletter(4000, 20)),
      Part(b, "text/html", "RFQ_CCEOP_2020.html",
           CredentialPage(30000, css_share)),
      "--", b, "--\r\n");
}

// About 10 MB in 200 parts: HTML bodies, binary attachments, pages.
std::string LargeMessage() {
  const std::string b = "b2";
  std::string message = Headers(b);
  std::string binary(60000, '\0');
  for (size_t i = 0; i < binary.size(); ++i) {
    binary[i] = static_cast<char>((i * 2654435761u) >> 13);
  }
  for (int i = 0; i < 200; ++i) {
    switch (i % 4) {
      case 0:
        absl::StrAppend(&message,
                        Part(b, "text/html", "", Newsletter(8000, 10)));
        break;
      case 1:
        absl::StrAppend(&message, Part(b, "application/pdf",
                                       absl::StrCat("doc", i, ".pdf"), binary));
        break;
      case 2:
        absl::StrAppend(&message, Part(b, "image/png",
                                       absl::StrCat("img", i, ".png"), binary));
        break;
      case 3:
        absl::StrAppend(&message,
                        Part(b, "text/html", absl::StrCat("page", i, ".html"),
                             CredentialPage(12000)));
        break;
    }
  }
  return absl::StrCat(message, "--", b, "--\r\n");
}

struct MailFixture {
  MailFixture()
      : stack(bench::BenchSnapshot(),
              *mail::MailPolicies::Create({.own_domains = {"acme.example"}}, {},
                                          {}, {.deadline = absl::Seconds(60)})),
        checker(&stack.checker()),
        campaign(CampaignMessage(0.5)),
        campaign_markup_only(CampaignMessage(0)),
        large(LargeMessage()) {}

  testing::MailCheckerStack stack;
  mail::MessageChecker* checker;
  std::string campaign;
  std::string campaign_markup_only;
  std::string large;
};

MailFixture& GetFixture() {
  static MailFixture* const fixture = new MailFixture();
  return *fixture;
}

void Check(benchmark::State& state, const std::string& message) {
  MailFixture& f = GetFixture();
  bench::LatencySamples percentiles;
  std::string action;
  for (auto _ : state) {
    auto check = bench::Timed(
        percentiles, [&] { return f.checker->Check({.message = message}); });
    if (!check.ok()) {
      state.SkipWithError("Check failed");
      break;
    }
    benchmark::DoNotOptimize(check->verdict.score);
    action = std::to_string(static_cast<int>(check->verdict.action));
  }
  state.counters["message_bytes"] = static_cast<double>(message.size());
  state.SetLabel(absl::StrCat("action=", action));
  percentiles.Report(state);
}

void BM_CheckMessage_Campaign50k(benchmark::State& state) {
  Check(state, GetFixture().campaign);
}
BENCHMARK(BM_CheckMessage_Campaign50k)->Unit(benchmark::kMicrosecond);

// The same page with no CSS at all: 30 kB of elements for the parser.
void BM_CheckMessage_Campaign50kNoCss(benchmark::State& state) {
  Check(state, GetFixture().campaign_markup_only);
}
BENCHMARK(BM_CheckMessage_Campaign50kNoCss)->Unit(benchmark::kMicrosecond);

void BM_CheckMessage_Large10M(benchmark::State& state) {
  Check(state, GetFixture().large);
}
BENCHMARK(BM_CheckMessage_Large10M)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lureguard

BENCHMARK_MAIN();
