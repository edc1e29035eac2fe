// Display-text mismatch: the anchor text read as a host through the URL
// engine, compared with the link by registrable domain.

#include "server/links/display_text.h"

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "server/url/url.h"

namespace lureguard::links {
namespace {

// Anchor text longer than any URL we sign is not read.
constexpr size_t kMaxTextBytes = 8192;

// Punctuation that frames a host in prose: "(paypal.com)", "<paypal.com>",
// "paypal.com," — not part of what the text names. A trailing '.' stays: the
// URL engine drops it from a host ("paypal.com.") and keeps it in a path.
constexpr std::string_view kLeadingFrame = "<([{\"'";
constexpr std::string_view kTrailingFrame = ">)]}\"',;:!?";

std::string_view Trim(std::string_view text) {
  while (!text.empty() &&
         (static_cast<unsigned char>(text.front()) <= ' ' ||
          kLeadingFrame.find(text.front()) != std::string_view::npos)) {
    text.remove_prefix(1);
  }
  while (!text.empty() &&
         (static_cast<unsigned char>(text.back()) <= ' ' ||
          kTrailingFrame.find(text.back()) != std::string_view::npos)) {
    text.remove_suffix(1);
  }
  return text;
}

bool HasScheme(std::string_view text) {
  const absl::string_view t(text.data(), text.size());
  return absl::StartsWithIgnoreCase(t, "http://") ||
         absl::StartsWithIgnoreCase(t, "https://");
}

// The host the anchor text names, when it reads as a URL or a host name
// with a listed public suffix.
std::optional<url::UrlAnalysis> TextAsHost(std::string_view display_text) {
  const std::string_view text = Trim(display_text);
  if (text.empty() || text.size() > kMaxTextBytes) return std::nullopt;
  for (char c : text) {
    // Sentences ("Log in at paypal.com") are not host names.
    if (static_cast<unsigned char>(c) <= ' ') return std::nullopt;
  }
  // "support@paypal.com" is an address, not a site: without a scheme the
  // parser would take "support" for a user name.
  if (!HasScheme(text) && text.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  absl::StatusOr<url::UrlAnalysis> analysis = url::AnalyzeUrl(text);
  if (!analysis.ok() || !analysis->is_web ||
      analysis->host_kind != url::HostKind::kDomain ||
      analysis->host.find('.') == std::string::npos ||
      analysis->registrable_domain.empty() ||
      url::PublicSuffixSection(analysis->host) ==
          url::SuffixSection::kUnlisted) {
    return std::nullopt;
  }
  return *std::move(analysis);
}

}  // namespace

std::optional<DisplayTextMismatch> FindDisplayTextMismatch(
    std::string_view display_text, std::string_view href) {
  std::optional<url::UrlAnalysis> text = TextAsHost(display_text);
  if (!text.has_value()) return std::nullopt;
  absl::StatusOr<url::UrlAnalysis> link = url::AnalyzeUrl(href);
  if (!link.ok() || !link->is_web) return std::nullopt;
  std::string href_domain =
      link->registrable_domain.empty() ? link->host : link->registrable_domain;
  if (href_domain == text->registrable_domain) return std::nullopt;
  return DisplayTextMismatch{std::move(text->host),
                             std::move(text->registrable_domain),
                             std::move(href_domain)};
}

}  // namespace lureguard::links
