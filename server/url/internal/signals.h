// Structural URL signals. Implemented in signals.cc.

#ifndef LUREGUARD_SERVER_URL_INTERNAL_SIGNALS_H_
#define LUREGUARD_SERVER_URL_INTERNAL_SIGNALS_H_

#include <string_view>
#include <vector>

#include "server/url/internal/url_split.h"
#include "server/url/url.h"

namespace lureguard::url::internal {

// URLs longer than this are kLong. Mohammad, Thabtah and McCluskey ("An
// assessment of features related to phishing websites", 2012) found URLs
// of 75+ characters mostly phishing, 54 and under mostly legitimate.
inline constexpr size_t kLongUrlLength = 75;

// kManySubdomains fires at this many labels below the registrable domain,
// a leading "www" not counted. Same study: more than two dots in the part
// before the suffix marks phishing ("paypal.com.login.evil.com").
inline constexpr int kManySubdomainLabels = 3;

// kManyAt fires above this many '@' in the whole URL: one is userinfo,
// more only serves to confuse readers and naive parsers.
inline constexpr int kMaxOrdinaryAtSigns = 1;

struct SignalInputs {
  std::string_view input;  // preprocessed URL
  const UrlSplit* split = nullptr;
  const UrlAnalysis* analysis = nullptr;  // host, kinds, domains filled in
  std::string_view canonical_query;       // of analysis->canonical_url
  bool parser_differential = false;
};

// Replaces `*signals` with those that hold, in enum order.
void ComputeSignals(const SignalInputs& in, std::vector<UrlSignal>* signals);

// True if `text` (UTF-8; other bytes skipped) holds a code point that
// renders as nothing or reorders text: zero-width, bidi controls, fillers.
bool HasInvisibleCharacters(std::string_view text);

}  // namespace lureguard::url::internal

#endif  // LUREGUARD_SERVER_URL_INTERNAL_SIGNALS_H_
