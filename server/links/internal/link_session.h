// One rewrite's conversation with the LinkHandler: asks it about each found
// link up to max_links and keeps the counts that RewriteStats reports. A
// message's parts share one session, so the limit holds per message.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_LINK_SESSION_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_LINK_SESSION_H_

#include <optional>
#include <string>

#include "server/links/link_handler.h"
#include "server/links/message_rewriter.h"

namespace lureguard::links::internal {

// Not thread-safe: one session per rewrite call.
class LinkSession {
 public:
  // `handler` and `stats` must outlive the session; `stats` may be null.
  LinkSession(LinkHandler& handler, int max_links, RewriteStats* stats);

  LinkSession(const LinkSession&) = delete;
  LinkSession& operator=(const LinkSession&) = delete;

  // The URL to write instead of link.url, or nullopt when the link stays:
  // the handler declined or returned the same URL, or max_links links were
  // already offered (the handler is then not called).
  std::optional<std::string> Offer(const FoundLink& link);

  // While set, non-ASCII bytes of replacements are percent-encoded, which
  // the WHATWG parser reads as the same URL (hosts are percent-decoded,
  // then IDNA-mapped): for parts whose charset cannot be switched to UTF-8.
  void set_ascii_only(bool ascii_only) { ascii_only_ = ascii_only; }

  // While set, links are offered as FoundLink::in_attached_message.
  void set_in_attached_message(bool in_attached_message) {
    in_attached_message_ = in_attached_message;
  }

  // A MIME part's bytes changed.
  void CountPartRewritten() { ++stats_->parts_rewritten; }

  const RewriteStats& stats() const { return *stats_; }

 private:
  LinkHandler& handler_;
  const int max_links_;
  int offered_ = 0;
  bool ascii_only_ = false;
  bool in_attached_message_ = false;
  RewriteStats own_stats_;
  RewriteStats* stats_;
};

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_LINK_SESSION_H_
