// Cost of rewriting the links of one mail message, with a handler that
// wraps every link (the handler's own work is not measured).
//
// Target (issue 9, DESIGN.md §6): RewriteMessage on a 100 kB HTML message
// with 200 links in <= 5 ms. Read the time per iteration of
// BM_RewriteMessage/qp (the usual encoding of HTML mail) and compare it
// with BM_GumboParseOnly, the HTML parse that every rewrite needs.

#include <benchmark/benchmark.h>
#include <gumbo.h>

#include <optional>
#include <string>

#include "absl/strings/escaping.h"
#include "server/links/message_rewriter.h"
#include "tests/bench/bench_support.h"

namespace {

using lureguard::links::FoundLink;
using lureguard::links::LinkHandler;
using lureguard::links::RewriteOptions;

class WrapAll : public LinkHandler {
 public:
  std::optional<std::string> Replace(const FoundLink& link) override {
    return "https://click.lureguard.test/c/" + std::to_string(link.url.size());
  }
};

// About 100 kB of newsletter-like HTML with 200 links (one in ten a
// relative link under <base href>), ending in CRLF lines.
std::string NewsletterHtml() {
  std::string html =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
      "<base href=\"https://news.example.com/2026/11/\">"
      "<style>td{font-family:Arial,sans-serif;color:#333}</style></head>"
      "<body><table width=\"600\" cellpadding=\"0\" cellspacing=\"0\">\r\n";
  for (int i = 0; i < 200; ++i) {
    html +=
        "<tr><td class=\"story\"><h2>Story " + std::to_string(i) +
        "</h2><p>Lorem ipsum dolor sit amet, consectetur adipiscing "
        "elit, sed do eiusmod tempor incididunt ut labore et dolore "
        "magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation "
        "ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis "
        "aute irure dolor in reprehenderit in voluptate velit esse.</p>\r\n";
    if (i % 10 == 0) {
      html += "<a href=\"story-" + std::to_string(i) + ".html\">Read more</a>";
    } else {
      html +=
          "<A HREF=\"https://shop.example.com/item?id=" + std::to_string(i) +
          "&amp;utm_source=newsletter&amp;utm_medium=email\" "
          "style=\"color:#0066cc;text-decoration:none\">Shop <b>now</b>"
          "</A>";
    }
    html += "</td></tr>\r\n";
  }
  html += "</table></body></html>\r\n";
  return html;
}

std::string QuotedPrintable(const std::string& text) {
  std::string out;
  size_t column = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      out += "\r\n";
      ++i;
      column = 0;
      continue;
    }
    std::string token(1, c);
    if (c == '=') token = "=3D";
    if (column + token.size() > 75) {
      out += "=\r\n";
      column = 0;
    }
    out += token;
    column += token.size();
  }
  return out;
}

std::string Base64Lines(const std::string& data) {
  const std::string encoded = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    out += encoded.substr(i, 76) + "\r\n";
  }
  return out;
}

std::string Message(bool base64) {
  const std::string html = NewsletterHtml();
  return std::string(
             "From: \"Example News\" <news@example.com>\r\n"
             "To: reader@corp.example\r\n"
             "Subject: This week\r\n"
             "MIME-Version: 1.0\r\n"
             "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
             "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
             "View online: https://news.example.com/2026/11/\r\n"
             "\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n"
             "Content-Transfer-Encoding: ") +
         (base64 ? "base64\r\n\r\n" + Base64Lines(html)
                 : "quoted-printable\r\n\r\n" + QuotedPrintable(html)) +
         "\r\n--b--\r\n";
}

void BM_RewriteMessage(benchmark::State& state, bool base64) {
  const std::string message = Message(base64);
  WrapAll handler;
  lureguard::bench::LatencySamples latency;
  for (auto _ : state) {
    absl::StatusOr<std::string> out = lureguard::bench::Timed(latency, [&] {
      return lureguard::links::RewriteMessage(message, RewriteOptions{},
                                              handler);
    });
    benchmark::DoNotOptimize(out);
  }
  latency.Report(state);
  state.SetBytesProcessed(state.iterations() * message.size());
  state.counters["message_bytes"] = static_cast<double>(message.size());
}
BENCHMARK_CAPTURE(BM_RewriteMessage, qp, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RewriteMessage, base64, true)
    ->Unit(benchmark::kMillisecond);

void BM_RewriteHtml(benchmark::State& state) {
  const std::string html = NewsletterHtml();
  WrapAll handler;
  for (auto _ : state) {
    absl::StatusOr<std::string> out =
        lureguard::links::RewriteHtml(html, handler);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * html.size());
}
BENCHMARK(BM_RewriteHtml)->Unit(benchmark::kMillisecond);

// The floor under BM_RewriteHtml: gumbo's parse of the same document,
// with the options the rewriter uses.
void BM_GumboParseOnly(benchmark::State& state) {
  const std::string html = NewsletterHtml();
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  for (auto _ : state) {
    GumboOutput* output =
        gumbo_parse_with_options(&options, html.data(), html.size());
    benchmark::DoNotOptimize(output);
    gumbo_destroy_output(&options, output);
  }
  state.SetBytesProcessed(state.iterations() * html.size());
}
BENCHMARK(BM_GumboParseOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
