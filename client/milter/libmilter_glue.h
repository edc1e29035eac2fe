// libmilter's callbacks around a MessageFilter: collect each message of
// each SMTP session, judge it at end of data and apply the decision
// (headers, Subject, body, quarantine, SMTP reply).
//
// libmilter keeps one global filter description, so a process runs one
// milter. It starts a thread per MTA connection; callbacks of a session
// run one at a time.

#ifndef LUREGUARD_CLIENT_MILTER_LIBMILTER_GLUE_H_
#define LUREGUARD_CLIENT_MILTER_LIBMILTER_GLUE_H_

#include <string>

#include "absl/status/status.h"
#include "client/milter/filter.h"

namespace lureguard::milter {

// Registers the callbacks and opens `socket_spec` (removing a stale unix
// socket). InvalidArgument / Unavailable naming milter_socket on failure.
// REQUIRES: `filter` outlives RunMilter.
absl::Status OpenMilter(const MessageFilter* filter,
                        const std::string& socket_spec);

// Serves MTA connections until StopMilter; returns when every session has
// ended. REQUIRES: OpenMilter succeeded.
absl::Status RunMilter();

// Asks RunMilter to return (smfi_stop). Safe from any thread.
void StopMilter();

}  // namespace lureguard::milter

#endif  // LUREGUARD_CLIENT_MILTER_LIBMILTER_GLUE_H_
