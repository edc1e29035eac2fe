// The entry points: limits first, then the MIME, HTML or text rewriter.

#include "server/links/message_rewriter.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/links/internal/html_link_rewriter.h"
#include "server/links/internal/input_limit.h"
#include "server/links/internal/link_session.h"
#include "server/links/internal/mime_rewriter.h"
#include "server/links/internal/text_link_finder.h"

namespace lureguard::links {
namespace {

using BodyRewriter = std::string (*)(std::string_view, std::string_view,
                                     internal::LinkSession&);

absl::StatusOr<std::string> RewriteBody(
    std::string_view body, const RewriteOptions& options, LinkHandler& handler,
    std::string_view part, RewriteStats* stats, BodyRewriter rewrite) {
  RETURN_IF_ERROR(internal::CheckInputSize(body.size(), options));
  internal::LinkSession session(handler, options.max_links, stats);
  return rewrite(body, part, session);
}

}  // namespace

absl::StatusOr<std::string> RewriteMessage(std::string_view message,
                                           const RewriteOptions& options,
                                           LinkHandler& handler) {
  return RewriteMessage(message, options, handler, nullptr);
}

absl::StatusOr<std::string> RewriteMessage(std::string_view message,
                                           const RewriteOptions& options,
                                           LinkHandler& handler,
                                           RewriteStats* stats) {
  RETURN_IF_ERROR(internal::CheckInputSize(message.size(), options));
  internal::LinkSession session(handler, options.max_links, stats);
  return internal::RewriteMimeMessage(message, options, session);
}

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
  return RewriteBody(html, options, handler, part, stats,
                     internal::RewriteHtmlLinks);
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
  return RewriteBody(text, options, handler, part, stats,
                     internal::RewriteTextLinks);
}

}  // namespace lureguard::links
