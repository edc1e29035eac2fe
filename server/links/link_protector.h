// The links engine as the service sees it: one object that rewrites a
// message's links to signed click URLs, resolves a click at click time,
// unwraps a URL, and reads the recorded clicks. It joins the pieces of
// server/links/ (rewriter, unwrapper, token codec, display text, policy)
// with the verdict path every front door shares and the store.
//
// Each link is unwrapped first (vendor wrappers and our own click URLs);
// the verdict is taken on the innermost URL through `UrlVerdicts` (the
// same path as CheckUrl); what the link itself shows adds LINK_* reasons
// (anchor text naming another domain, wrappers), and the verdict policy
// combines them again. Then the link is wrapped, unless the tenant's
// policy exempts its host or it is already one of ours.
//
// At click time the token is verified, its URL unwrapped and judged again
// (a valid tag proves only that we wrapped it), and the action follows
// from the verdict and the tenant's click-through policy. Only a confirmed
// click (the page's POST) is recorded; a first look (GET) never is, since
// mail scanners prefetch links.
//
// Thread safety: safe for concurrent use by multiple threads without
// external synchronization.
//
// Example:
//   LinkProtector links(*std::move(codec), policies, verdicts, engine,
//                       *KeyedHasher::Create(key), store, SystemClock());
//   absl::StatusOr<RewriteOutput> out = links.Rewrite(
//       {.kind = ContentKind::kMessage, .content = raw, .tenant = "acme",
//        .recipient = "alice@acme.example"});
//   absl::StatusOr<ClickDecision> click =
//       links.ResolveClick(token, std::nullopt, /*confirmed=*/false);

#ifndef LUREGUARD_SERVER_LINKS_LINK_PROTECTOR_H_
#define LUREGUARD_SERVER_LINKS_LINK_PROTECTOR_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/common/clock.h"
#include "server/common/keyed_hasher.h"
#include "server/links/click_recorder.h"
#include "server/links/click_token.h"
#include "server/links/link_handler.h"
#include "server/links/link_policy.h"
#include "server/redirects/unwrap.h"
#include "server/store/store.h"
#include "server/verdict/engine.h"

namespace lureguard::links {

// Judges one URL as every front door does: `field` names the URL in
// errors. In the server this is service::UrlChecker::Check (limits,
// metrics, debug log); tests may call verdict::Engine::CheckUrl.
using UrlVerdicts = std::function<absl::StatusOr<verdict::UrlCheck>(
    absl::string_view field, absl::string_view url, absl::string_view tenant)>;

// Bounds on one request.
struct LinkProtectorOptions {
  // Largest message or body accepted (the common mail size limit).
  size_t max_message_bytes = 25u << 20;
  // Links after this many are left as they are.
  int max_links = 5000;
  // Wrappers peeled off one URL at most.
  int max_unwrap_depth = 5;
  // Click records: window, rate limit per client IP, retention.
  ClickRecorderOptions clicks;
};

// What RewriteInput::content is.
enum class ContentKind { kMessage, kHtml, kText };

struct RewriteInput {
  ContentKind kind = ContentKind::kMessage;
  std::string_view content;
  std::string tenant;
  std::string recipient;  // hashed here; "" when unknown
};

// One link found, and what became of it.
struct LinkReport {
  FoundLink link;
  redirects::Unwrapped unwrapped;
  std::string rewritten_url;  // "" when left as it was
  verdict::Verdict verdict;
  std::string not_rewritten;  // why it was left, when it was
};

struct RewriteOutput {
  std::string content;
  std::vector<LinkReport> links;  // document order
  std::string recipient_id;
  // Links past max_links: neither judged nor rewritten.
  int links_over_limit = 0;
};

// What the click endpoint does. Values are those of lureguard.v1.ClickAction
// (stored with each click): never renumber.
enum class ClickAction { kRedirect = 1, kWarningPage = 2, kBlockPage = 3 };

struct ClickDecision {
  ClickAction action = ClickAction::kRedirect;
  verdict::Verdict verdict;
  ClickToken token;
  redirects::Unwrapped
      unwrapped;     // token.url unwrapped; the verdict is about it
  std::string host;  // canonical host of unwrapped.url
  bool continue_allowed = false;
  bool recorded = false;
  // An ALLOW whose destination looks single-use (LooksSingleUse), or any
  // ALLOW under the tenant's confirm_every_click: a first look (GET) gets
  // the one-click "Continue to <host>" page instead of a redirect, so that
  // a mail scanner's fetch cannot use the link up.
  bool confirm_first = false;
};

struct UnwrapOutput {
  redirects::Unwrapped unwrapped;
  verdict::Verdict verdict;
};

class LinkProtector {
 public:
  // `engine` (for the verdict policy and brand index of its snapshot),
  // `store` and `clock` must outlive the protector. Every tenant's click
  // base URL is recognised as ours when unwrapping.
  LinkProtector(ClickTokenCodec codec, LinkPolicies policies,
                UrlVerdicts verdicts, const verdict::Engine& engine,
                KeyedHasher recipients, store::ClickStore& store,
                const Clock& clock, LinkProtectorOptions options = {});

  LinkProtector(const LinkProtector&) = delete;
  LinkProtector& operator=(const LinkProtector&) = delete;

  // Rewrites every http(s) link of `input`. InvalidArgument naming the
  // field ("message: ...", "recipient: ...") for input over the limits or
  // that cannot be parsed; Unavailable while the verdict snapshot loads.
  // A link whose URL cannot be judged is left as it was and reported.
  absl::StatusOr<RewriteOutput> Rewrite(const RewriteInput& input) const;

  // The links of `input` found and judged exactly as Rewrite does, with
  // no side effect: nothing is wrapped (`rewritten_url` stays empty), no
  // token is made, and the tenant's rewrite_html/rewrite_text settings do
  // not hide any part. The message verdict's view of the links; `content`
  // is the input as it was.
  absl::StatusOr<RewriteOutput> Inspect(const RewriteInput& input) const;

  // The click-time decision for `token`. `tenant`, when set, must be the
  // token's. When `confirmed`, the click is recorded (ClickRecorder: one
  // row per recipient, link and window, with a count) and a WARN or BLOCK
  // the policy lets through becomes a redirect. `client_ip` ("" when
  // unknown) is held to the per-IP limit of confirmed clicks. Errors:
  // ResourceExhausted "client_ip: ..." over that limit (checked first:
  // nothing is judged nor recorded); InvalidArgument "token: ..."
  // (malformed, or a tag that does not verify); FailedPrecondition
  // "token: expired ..."; PermissionDenied for another tenant's token;
  // Unavailable while the snapshot loads.
  absl::StatusOr<ClickDecision> ResolveClick(
      std::string_view token, std::optional<std::string_view> tenant,
      bool confirmed, std::string_view client_ip = {}) const;

  // Unwraps `url` and judges the innermost URL. InvalidArgument "url: ..."
  // for an empty or oversized URL or a malformed wrapper.
  absl::StatusOr<UnwrapOutput> Unwrap(std::string_view url,
                                      std::string_view tenant) const;

  static constexpr int kDefaultClicksPage = 100;
  static constexpr int kMaxClicksPage = 1000;

  // Recorded clicks, newest first: `query.page_size` of them,
  // kDefaultClicksPage for 0. InvalidArgument "page_size: N is outside
  // [0, 1000]" for any other size.
  absl::StatusOr<store::ClickPage> ListClicks(store::ClickQuery query) const;

  const LinkPolicies& policies() const { return policies_; }

 private:
  struct Judged {
    redirects::Unwrapped unwrapped;
    verdict::UrlCheck check;
    // The host the link's text showed, when LINK_TEXT_MISMATCH was found.
    std::string shown_host;
  };
  class Handler;

  // Rewrite and Inspect: `wrap` false judges without wrapping.
  absl::StatusOr<RewriteOutput> Process(const RewriteInput& input,
                                        bool wrap) const;

  // Unwraps and judges `url`; `display_text` adds LINK_TEXT_MISMATCH.
  absl::StatusOr<Judged> Judge(absl::string_view field, std::string_view url,
                               std::string_view display_text,
                               absl::string_view tenant) const;

  const ClickTokenCodec codec_;
  const LinkPolicies policies_;
  const UrlVerdicts verdicts_;
  const verdict::Engine& engine_;
  const KeyedHasher recipients_;
  store::ClickStore& store_;
  const Clock& clock_;
  const LinkProtectorOptions options_;
  const redirects::Unwrapper
      unwrapper_;  // after codec_: its decoder points to it
  // Mutable: recording is a side effect of the const click resolution.
  mutable ClickRecorder clicks_;
};

}  // namespace lureguard::links

#endif  // LUREGUARD_SERVER_LINKS_LINK_PROTECTOR_H_
