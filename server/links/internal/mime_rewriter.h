// Link rewriting in an RFC 5322 message: GMime finds the structure and
// each leaf part's body bytes; rewritten bodies are spliced into the
// original bytes, so nothing GMime would re-serialise is ever written.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_MIME_REWRITER_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_MIME_REWRITER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "server/links/internal/link_session.h"
#include "server/links/message_rewriter.h"

namespace lureguard::links::internal {

// Rewrites the links of every text/html and text/plain part of `message`
// that `options` selects and that is not an attachment, inside
// multiparts, never inside message/rfc822, multipart/signed or
// multipart/encrypted. Each part is decoded (transfer encoding, charset),
// rewritten, and re-encoded with its transfer encoding and charset; when
// the charset cannot hold the new text, the part is written in UTF-8 and
// its charset parameter changed. Parts whose links all stay keep their
// bytes. InvalidArgument when GMime cannot parse the message.
absl::StatusOr<std::string> RewriteMimeMessage(std::string_view message,
                                               const RewriteOptions& options,
                                               LinkSession& session);

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_MIME_REWRITER_H_
