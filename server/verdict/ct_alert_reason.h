// The reason a certificate-transparency alert gives a host: a certificate
// was logged for a name imitating a protected brand, so the lookalike is
// live infrastructure (a site with TLS), not just a registered name.

#ifndef LUREGUARD_SERVER_VERDICT_CT_ALERT_REASON_H_
#define LUREGUARD_SERVER_VERDICT_CT_ALERT_REASON_H_

#include "server/store/store.h"
#include "server/verdict/verdict.h"

namespace lureguard::verdict {

// CERT_CT_LOOKALIKE with the brand, technique and matched certificate name
// of `alert`, and a detail naming the log, index, issuer and notBefore.
Reason CtAlertReason(const store::AlertRecord& alert);

}  // namespace lureguard::verdict

#endif  // LUREGUARD_SERVER_VERDICT_CT_ALERT_REASON_H_
