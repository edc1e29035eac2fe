#include "server/links/internal/link_session.h"

namespace lureguard::links::internal {

LinkSession::LinkSession(LinkHandler& handler, int max_links,
                         RewriteStats* stats)
    : handler_(handler),
      max_links_(max_links),
      stats_(stats != nullptr ? stats : &own_stats_) {}

std::optional<std::string> LinkSession::Offer(const FoundLink& link) {
  ++stats_->links_found;
  if (offered_ >= max_links_) {
    ++stats_->links_over_limit;
    return std::nullopt;
  }
  ++offered_;
  std::optional<std::string> replacement = handler_.Replace(link);
  if (!replacement.has_value() || *replacement == link.url) {
    return std::nullopt;
  }
  ++stats_->links_replaced;
  return replacement;
}

}  // namespace lureguard::links::internal
