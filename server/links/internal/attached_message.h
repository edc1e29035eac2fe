// The message a message/rfc822 part holds (a forwarded mail), for the two
// walks of a MIME tree that read into it: the link rewriter's and the
// message verdict's reader (server/mail/internal/message_reader.cc).

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_ATTACHED_MESSAGE_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_ATTACHED_MESSAGE_H_

#include <gmime/gmime.h>

#include <string>

namespace lureguard::links::internal {

// The root of the MIME tree of the message `object` holds, or null when
// `object` is no message/rfc822 part or GMime found no message in it.
inline GMimeObject* AttachedMessageRoot(GMimeObject* object) {
  if (!GMIME_IS_MESSAGE_PART(object)) return nullptr;
  GMimeMessage* inner =
      g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
  return inner != nullptr ? g_mime_message_get_mime_part(inner) : nullptr;
}

// IMAP numbering of that root under part `path`: a multipart's children
// are PATH.1, PATH.2 (the root itself takes `path`); a single part is
// PATH.1.
inline std::string AttachedMessagePath(GMimeObject* root,
                                       const std::string& path) {
  return GMIME_IS_MULTIPART(root) ? path : path + ".1";
}

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_ATTACHED_MESSAGE_H_
