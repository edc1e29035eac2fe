// Fuzz target for the links engine: every input is rewritten as a whole
// message (GMime), as an HTML body (gumbo) and as a text body. Besides the
// sanitizers, it checks the promises of server/links/message_rewriter.h
// that hold for every input.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "server/links/message_rewriter.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using lureguard::links::FoundLink;
using lureguard::links::LinkHandler;
using lureguard::links::RewriteOptions;
using lureguard::links::RewriteStats;

constexpr size_t kMaxInput = 1 << 16;
constexpr int kMaxLinks = 64;
constexpr std::string_view kPrefix = "https://click.test/c/";

using lureguard::fuzz::Check;

// Wraps every link it has not wrapped itself, as the service will.
class WrapAll : public LinkHandler {
 public:
  std::optional<std::string> Replace(const FoundLink& link) override {
    ++calls;
    if (link.url.starts_with(kPrefix)) return std::nullopt;
    // An '&' and a '"' exercise the attribute escaping.
    return std::string(kPrefix) + std::to_string(calls) + "?a=1&b=\"";
  }
  int calls = 0;
};

// Leaves every link as it is.
class KeepAll : public LinkHandler {
 public:
  std::optional<std::string> Replace(const FoundLink& link) override {
    Check(link.url.starts_with("http://") || link.url.starts_with("https://"),
          "only http(s) links reach the handler", link.url);
    return std::nullopt;
  }
};

template <typename Rewrite>
void CheckRewriter(std::string_view input, Rewrite rewrite, bool idempotent) {
  const RewriteOptions options{.max_links = kMaxLinks};
  KeepAll keep;
  absl::StatusOr<std::string> same = rewrite(input, options, keep, nullptr);
  if (!same.ok()) return;
  Check(*same == input, "no replaced link means the same bytes", input);

  WrapAll wrap;
  RewriteStats stats;
  absl::StatusOr<std::string> once = rewrite(input, options, wrap, &stats);
  Check(once.ok(), "a body that parses once parses again", input);
  Check(wrap.calls <= kMaxLinks, "max_links bounds the handler calls", input);
  Check(stats.links_found == wrap.calls + stats.links_over_limit,
        "every found link is offered or counted over the limit", input);
  if (!idempotent) return;
  WrapAll again;
  absl::StatusOr<std::string> twice = rewrite(*once, options, again, nullptr);
  Check(twice.ok() && *twice == *once,
        "a second pass that skips our links changes nothing", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckRewriter(
      input,
      [](std::string_view in, const RewriteOptions& o, LinkHandler& h,
         RewriteStats* s) {
        return lureguard::links::RewriteMessage(in, o, h, s);
      },
      /*idempotent=*/true);
  CheckRewriter(
      input,
      [](std::string_view in, const RewriteOptions& o, LinkHandler& h,
         RewriteStats* s) {
        return lureguard::links::RewriteHtml(in, o, h, "", s);
      },
      /*idempotent=*/true);
  CheckRewriter(
      input,
      [](std::string_view in, const RewriteOptions& o, LinkHandler& h,
         RewriteStats* s) {
        return lureguard::links::RewriteText(in, o, h, "", s);
      },
      /*idempotent=*/true);
  return 0;
}
