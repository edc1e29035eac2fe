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
  if (in_attached_message_) {
    // Judged by the handler; never written.
    FoundLink attached = link;
    attached.in_attached_message = true;
    handler_.Replace(attached);
    return std::nullopt;
  }
  std::optional<std::string> replacement = handler_.Replace(link);
  if (!replacement.has_value() || *replacement == link.url) {
    return std::nullopt;
  }
  // A URL has no blanks or control characters; written into a text part,
  // a line break could end the part early (a boundary line) or start a
  // header, so such a replacement is refused and the link left as it was.
  for (char c : *replacement) {
    const unsigned char b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F) return std::nullopt;
  }
  ++stats_->links_replaced;
  if (ascii_only_) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string ascii;
    for (char c : *replacement) {
      const unsigned char b = static_cast<unsigned char>(c);
      if (b < 0x80) {
        ascii += c;
      } else {
        ascii += '%';
        ascii += kHex[b >> 4];
        ascii += kHex[b & 0xF];
      }
    }
    return ascii;
  }
  return replacement;
}

}  // namespace lureguard::links::internal
