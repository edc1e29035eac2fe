// The single-body entry points: limits first, then the HTML or text
// rewriter. RewriteMessage lives in internal/mime_rewriter.cc.

#include "server/links/message_rewriter.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/links/internal/html_link_rewriter.h"
#include "server/links/internal/input_limit.h"
#include "server/links/internal/link_session.h"
#include "server/links/internal/text_link_finder.h"

namespace lureguard::links {

absl::StatusOr<std::string> RewriteHtml(std::string_view html,
                                        LinkHandler& handler,
                                        std::string_view part) {
  return RewriteHtml(html, RewriteOptions{}, handler, part, nullptr);
}

absl::StatusOr<std::string> RewriteHtml(std::string_view html,
                                        const RewriteOptions& options,
                                        LinkHandler& handler,
                                        std::string_view part,
                                        RewriteStats* stats) {
  if (absl::Status s = internal::CheckInputSize(html.size(), options);
      !s.ok()) {
    return s;
  }
  internal::LinkSession session(handler, options.max_links, stats);
  return internal::RewriteHtmlLinks(html, part, session);
}

absl::StatusOr<std::string> RewriteText(std::string_view text,
                                        LinkHandler& handler,
                                        std::string_view part) {
  return RewriteText(text, RewriteOptions{}, handler, part, nullptr);
}

absl::StatusOr<std::string> RewriteText(std::string_view text,
                                        const RewriteOptions& options,
                                        LinkHandler& handler,
                                        std::string_view part,
                                        RewriteStats* stats) {
  if (absl::Status s = internal::CheckInputSize(text.size(), options);
      !s.ok()) {
    return s;
  }
  internal::LinkSession session(handler, options.max_links, stats);
  return internal::RewriteTextLinks(text, part, session);
}

}  // namespace lureguard::links
