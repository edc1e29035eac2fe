// Sender impersonation: the reasons a message's sender headers give.
//  - BLOCKLIST_MATCH: a sender domain is on the block list;
//  - MAIL_SENDER_LOOKALIKE: the domain of From, Sender, Reply-To or the
//    envelope sender is a lookalike of a protected brand's domain or of
//    the tenant's own (the brand index's match, as for URLs);
//  - MAIL_DISPLAY_NAME_SPOOF: the From display name names a brand (or the
//    tenant) while the address is outside its domains;
//  - MAIL_REPLY_TO_DIVERGES: replies go to another registrable domain;
//  - MAIL_AUTH_FAILED: DMARC failed, as recorded by a trusted server.

#ifndef LUREGUARD_SERVER_MAIL_INTERNAL_SENDER_SIGNALS_H_
#define LUREGUARD_SERVER_MAIL_INTERNAL_SENDER_SIGNALS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand_index.h"
#include "server/mail/internal/message_reader.h"
#include "server/mail/mail_policy.h"
#include "server/verdict/verdict.h"

namespace lureguard::mail::internal {

// What sender checks read besides the message.
struct SenderContext {
  const lookalike::BrandIndex* brands = nullptr;  // the snapshot's; may be null
  // The snapshot's block and allow lists: an allow-listed sender domain is
  // no lookalike; a block-listed one is BLOCKLIST_MATCH. May be null.
  const lists::ListSnapshot* lists = nullptr;
  absl::Time now;
  const MailPolicies* policies = nullptr;
  absl::string_view tenant;
  absl::string_view envelope_sender;  // "" when unknown
};

// What the sender checks found.
struct SenderFindings {
  std::vector<verdict::Reason> reasons;
  std::string dmarc;  // a trusted server's DMARC result, "" when none
};

SenderFindings JudgeSender(const ReadMessage& message,
                           const SenderContext& context);

// The domain of an address ("Bob <bob@Acme.example>" or "bob@acme.example"),
// lowercase; "" when it has none.
std::string AddressDomain(absl::string_view address);

}  // namespace lureguard::mail::internal

#endif  // LUREGUARD_SERVER_MAIL_INTERNAL_SENDER_SIGNALS_H_
