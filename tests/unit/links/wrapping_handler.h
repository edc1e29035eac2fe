// LinkHandlers for the rewriter tests. WrappingHandler records every link
// it is offered and wraps each one as https://click.test/c/<n>, except
// links it already wrapped (the idempotence rule real handlers follow).
// Substitute builds their expected outputs.

#ifndef LUREGUARD_TESTS_UNIT_LINKS_WRAPPING_HANDLER_H_
#define LUREGUARD_TESTS_UNIT_LINKS_WRAPPING_HANDLER_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "server/links/link_handler.h"

namespace lureguard::links::testing {

class WrappingHandler : public LinkHandler {
 public:
  static constexpr char kPrefix[] = "https://click.test/c/";

  std::optional<std::string> Replace(const FoundLink& link) override {
    seen.push_back(link);
    if (link.url.starts_with(kPrefix)) return std::nullopt;
    return std::string(kPrefix) + std::to_string(seen.size());
  }

  std::vector<FoundLink> seen;
};

// Replaces every link with the same URL: for what the rewriters do with a
// given replacement (escaping, charsets, refusals).
class FixedHandler : public LinkHandler {
 public:
  explicit FixedHandler(std::string url) : url_(std::move(url)) {}
  std::optional<std::string> Replace(const FoundLink&) override { return url_; }

 private:
  std::string url_;
};

// `text` with the first occurrence of each `from` replaced by its `to`:
// the expected output, built independently of the rewriter.
inline std::string Substitute(
    std::string text,
    const std::vector<std::pair<std::string, std::string>>& edits) {
  for (const auto& [from, to] : edits) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace lureguard::links::testing

#endif  // LUREGUARD_TESTS_UNIT_LINKS_WRAPPING_HANDLER_H_
