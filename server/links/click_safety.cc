#include "server/links/click_safety.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace lureguard::links {
namespace {

// Path words (after lower-casing and dropping '-', '_', '.', '/' and '%20')
// that name a one-time action. Compounds, not single words, for resets: a
// blog post "how-we-reset-our-roadmap" is not a password reset.
constexpr absl::string_view kPathCompounds[] = {
    "passwordreset",   "resetpassword",    "pwreset",         "resetpw",
    "forgotpassword",  "passwordrecovery", "recoverpassword", "magiclink",
    "magiclogin",      "loginlink",        "emaillogin",      "loginemail",
    "signinemail",     "emailsignin",      "verifyemail",     "emailverif",
    "confirmemail",    "emailconfirm",     "confirmaccount",  "accountconfirm",
    "activateaccount", "accountactivat",   "onetimelogin",    "onetimelink",
    "acceptinvite",    "invitationaccept", "unsubscribe",     "passwordless",
    "oauth2callback",  "oauthcallback",    "authcallback",    "ssocallback",
};

// Whole path segments, or words of them split at '-', '_' and '.', that
// name a one-time action.
constexpr absl::string_view kPathWords[] = {
    "verify",     "verification", "confirm", "confirmation",
    "activate",   "activation",   "magic",   "otp",
    "invitation", "callback",     "recover", "recovery",
};

// Query parameter names (lower-cased) that carry a one-time credential.
constexpr absl::string_view kTokenParameters[] = {
    "token",
    "reset_token",
    "resettoken",
    "confirmation_token",
    "verification_token",
    "verify_token",
    "invite_token",
    "invitation_token",
    "login_token",
    "magic_token",
    "magic",
    "otp",
    "ticket",
    "oobcode",
    "auth_token",
    "one_time_token",
    "signature",
    "sig",
    "x-amz-signature",
    "id_token",
    "access_token",
    "nonce",
    "activation_key",
    "confirm_token",
};

// The shortest random-looking token: 24 characters of base64url carry 144
// bits, more than any identifier a person types, and fewer than the
// 32-64 characters of the reset tokens in the tests.
constexpr size_t kMinRandomTokenLength = 24;

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '=' || c == '.' || c == '~';
}

bool LooksRandom(absl::string_view value) {
  if (value.size() < kMinRandomTokenLength) return false;
  bool letter = false;
  bool digit = false;
  for (char c : value) {
    if (!IsTokenChar(c)) return false;
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) digit = true;
    if (absl::ascii_isalpha(static_cast<unsigned char>(c))) letter = true;
  }
  return letter && digit;
}

std::string WithoutSeparators(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '-' || c == '_' || c == '.' || c == '/' || c == '+') continue;
    if (c == '%' && text.substr(i, 3) == "%20") {
      i += 2;
      continue;
    }
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

bool HasSingleUsePath(absl::string_view path) {
  const std::string joined = WithoutSeparators(path);
  for (absl::string_view compound : kPathCompounds) {
    if (absl::StrContains(joined, compound)) return true;
  }
  for (absl::string_view segment : absl::StrSplit(path, '/')) {
    for (absl::string_view word :
         absl::StrSplit(segment, absl::ByAnyChar("-_."))) {
      for (absl::string_view one_time : kPathWords) {
        if (absl::EqualsIgnoreCase(word, one_time)) return true;
      }
    }
  }
  return false;
}

bool HasSingleUseQuery(absl::string_view query) {
  bool code = false;
  bool state = false;
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    std::vector<absl::string_view> parts =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    const std::string name = absl::AsciiStrToLower(parts[0]);
    const absl::string_view value = parts.size() > 1 ? parts[1] : "";
    if (value.empty()) continue;
    for (absl::string_view token : kTokenParameters) {
      if (name == token) return true;
    }
    // Firebase: mode=resetPassword / verifyEmail / signIn.
    if (name == "mode" && (absl::EqualsIgnoreCase(value, "resetPassword") ||
                           absl::EqualsIgnoreCase(value, "verifyEmail") ||
                           absl::EqualsIgnoreCase(value, "signIn"))) {
      return true;
    }
    // WordPress: wp-login.php?action=rp&key=...
    if (name == "action" && (value == "rp" || value == "resetpass")) {
      return true;
    }
    if (name == "code") code = true;
    if (name == "state") state = true;
  }
  // An OAuth authorization code comes back with the client's state.
  return code && state;
}

bool HasLongRandomToken(absl::string_view path, absl::string_view query) {
  for (absl::string_view segment : absl::StrSplit(path, '/')) {
    if (LooksRandom(segment)) return true;
  }
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    const size_t equals = pair.find('=');
    if (equals != absl::string_view::npos &&
        LooksRandom(pair.substr(equals + 1))) {
      return true;
    }
  }
  return false;
}

bool LooksSingleUse(absl::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos) return false;
  absl::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t path_start = rest.find_first_of("/?");
  if (path_start == absl::string_view::npos) return false;
  rest.remove_prefix(path_start);
  const size_t question = rest.find('?');
  const absl::string_view path = rest.substr(0, question);
  const absl::string_view query = question == absl::string_view::npos
                                      ? absl::string_view()
                                      : rest.substr(question + 1);
  return HasSingleUsePath(path) || HasSingleUseQuery(query) ||
         HasLongRandomToken(path, query);
}

bool IsLinkPreviewAgent(absl::string_view user_agent) {
  // Substrings of the user agents these clients send (from their own
  // documentation where there is one: Slack's "Slackbot-LinkExpanding",
  // Facebook's "facebookexternalhit", Microsoft's "SkypeUriPreview" used
  // by Teams, Outlook's "Microsoft Office" and "ms-office" fetchers).
  constexpr absl::string_view kAgents[] = {
      "slackbot",         "facebookexternalhit",
      "facebookcatalog",  "twitterbot",
      "linkedinbot",      "whatsapp",
      "telegrambot",      "discordbot",
      "skypeuripreview",  "microsoft office",
      "ms-office",        "microsoftpreview",
      "bingpreview",      "bingbot",
      "googlebot",        "google-pageRenderer",
      "googleimageproxy", "applebot",
      "proofpoint",       "mimecast",
      "barracuda",        "urldefense",
      "safelinks",        "yahoo! slurp",
      "embedly",          "iframely",
      "pinterestbot",     "redditbot",
      "mattermost",       "python-requests",
      "go-http-client",
  };
  const std::string lower = absl::AsciiStrToLower(user_agent);
  for (absl::string_view agent : kAgents) {
    if (absl::StrContains(lower, absl::AsciiStrToLower(agent))) return true;
  }
  return false;
}

}  // namespace lureguard::links
