// Fuzz target for the HTML inspector: every input is inspected as a mail
// attachment with small limits, so the limits themselves are exercised.
// Besides the sanitizers, it checks the bounds server/mail/html_inspector.h
// promises for every input.

#include <cstdint>
#include <string>
#include <string_view>

#include "server/mail/html_inspector.h"
#include "server/mail/internal/script_decoder.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::fuzz::Check;
using lureguard::mail::HtmlFindings;
using lureguard::mail::HtmlInspectOptions;
using lureguard::mail::HtmlSink;

constexpr size_t kMaxInput = 1 << 16;

void CheckFindings(std::string_view input, const HtmlInspectOptions& options) {
  const HtmlFindings f = lureguard::mail::InspectHtml(input, options);
  Check(f.sinks.size() <= options.max_items, "sinks <= max_items", input);
  Check(f.addresses.size() <= options.max_items, "addresses <= max_items",
        input);
  Check(f.script_urls.size() <= options.max_items, "script_urls <= max_items",
        input);
  Check(f.text.size() <= options.max_text_bytes, "text <= max_text_bytes",
        input);
  Check(f.max_depth >= 0 && f.max_depth <= options.max_decode_depth,
        "max_depth within max_decode_depth", input);
  for (const HtmlSink& sink : f.sinks) {
    Check(sink.depth >= 0 && sink.depth <= f.max_depth,
          "a sink's depth is a layer that was inspected", input);
  }
  if (f.password_field.has_value()) {
    Check(!f.password_field->evidence.empty(), "password evidence is said",
          input);
    Check(f.password_field->depth <= f.max_depth,
          "password depth is a layer that was inspected", input);
  }
  for (const std::string& a : f.addresses) {
    Check(a.find('@') != std::string::npos, "an address has an '@'", input);
  }
  for (const std::string& u : f.script_urls) {
    std::string scheme = u.substr(0, 8);
    for (char& c : scheme) c = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    Check(scheme.starts_with("http://") || scheme.starts_with("https://"),
          "script URLs are http(s)", input);
  }
  Check(f.decoders.size() <= 6, "decoders are the six names", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckFindings(input, HtmlInspectOptions{});
  CheckFindings(input, HtmlInspectOptions{.max_decoded_bytes = 256,
                                          .max_decode_depth = 2,
                                          .max_text_bytes = 16,
                                          .max_items = 2});
  // The script reader on its own, as if the whole input were a script.
  const lureguard::mail::internal::ScriptScan scan =
      lureguard::mail::internal::ScanScript(
          input, lureguard::mail::internal::ScriptScanLimits{.max_bytes = 512,
                                                             .max_items = 4});
  Check(scan.sinks.size() <= 4, "script sinks <= max_items", input);
  size_t blob_bytes = 0;
  for (const auto& b : scan.blobs) blob_bytes += b.text.size();
  Check(blob_bytes <= 512, "blob bytes <= max_bytes", input);
  return 0;
}
