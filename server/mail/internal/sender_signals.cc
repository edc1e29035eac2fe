#include "server/mail/internal/sender_signals.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/mail/authentication_results.h"
#include "server/mail/known_services.h"
#include "server/url/url.h"
#include "server/verdict/url_reasons.h"

namespace lureguard::mail::internal {
namespace {

using verdict::Reason;
using verdict::ReasonCode;

// Weights: each is this source's confidence that the message is a lure
// when the signal is all there is (DESIGN.md §7); see README "Mail
// verdicts" for how they were set.
//
// A display name naming a brand from another domain is how most brand
// impersonation mail looks, and alone it warns. Naming a brand's domain
// or its full multi-word name is more deliberate than one word.
constexpr double kDisplayNameWordWeight = 0.5;
constexpr double kDisplayNameStrongWeight = 0.6;
// ... from a free-mail address, stronger: brands do not write from Gmail.
constexpr double kDisplayNameFreeMailBonus = 0.15;
// Reply-To elsewhere: mailing lists and newsletters do it honestly.
constexpr double kReplyToOtherWeight = 0.15;
// Reply-To at a free-mail provider while From is not: the BEC shape.
constexpr double kReplyToFreeMailWeight = 0.45;
// DMARC fail on a protected brand's own domain: the From is forged.
constexpr double kDmarcFailBrandWeight = 0.9;
constexpr double kDmarcFailWeight = 0.35;

// Words that, beside a one-word brand name, make a display name read as
// the brand's ("Apple Support") rather than a person's ("Chase Smith").
constexpr absl::string_view kServiceWords[] = {
    "account",       "accounts",  "admin",
    "alert",         "alerts",    "bank",
    "banking",       "billing",   "care",
    "center",        "centre",    "client",
    "customer",      "customers", "delivery",
    "desk",          "do",        "express",
    "help",          "helpdesk",  "id",
    "inc",           "info",      "it",
    "llc",           "ltd",       "mail",
    "member",        "noreply",   "no",
    "not",           "notice",    "notification",
    "notifications", "office",    "online",
    "payments",      "reply",     "reset",
    "sales",         "secure",    "security",
    "service",       "services",  "shipping",
    "sign",          "signin",    "support",
    "team",          "the",       "update",
    "verification",  "verify",    "via",
    "wallet"};

bool IsServiceWord(absl::string_view word) {
  return std::find(std::begin(kServiceWords), std::end(kServiceWords), word) !=
         std::end(kServiceWords);
}

std::string RegistrableOf(absl::string_view domain) {
  absl::StatusOr<std::string> host = url::CanonicalizeHost(std::string(domain));
  if (!host.ok()) return std::string(domain);
  std::string registrable = url::RegistrableDomain(*host);
  return registrable.empty() ? *host : registrable;
}

// True when every word of `name` other than the words of `mentioned` is a
// service word: "Apple Support", not "Chase Smith".
bool OnlyServiceWordsBeside(absl::string_view name,
                            absl::string_view mentioned) {
  std::string rest;
  const size_t at =
      absl::AsciiStrToLower(name).find(absl::AsciiStrToLower(mentioned));
  if (at == std::string::npos) return false;
  rest =
      absl::StrCat(name.substr(0, at), " ", name.substr(at + mentioned.size()));
  std::string word;
  auto word_ok = [&]() {
    if (word.empty()) return true;
    const bool ok = IsServiceWord(word);
    word.clear();
    return ok;
  };
  for (char c : rest) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      word.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (!word_ok()) {
      return false;
    }
  }
  return word_ok();
}

// One sender address to look at, and the header it came from.
struct SenderAddress {
  absl::string_view header;
  std::string domain;
};

void AddLookalikeReasons(const std::vector<SenderAddress>& addresses,
                         const SenderContext& context,
                         std::vector<Reason>* out) {
  std::vector<std::string> seen;
  for (const SenderAddress& address : addresses) {
    if (address.domain.empty() ||
        std::find(seen.begin(), seen.end(), address.domain) != seen.end()) {
      continue;
    }
    seen.push_back(address.domain);
    absl::StatusOr<url::UrlAnalysis> site =
        url::AnalyzeUrl(absl::StrCat("https://", address.domain, "/"));
    if (!site.ok() || !site->is_web) continue;
    if (context.lists != nullptr) {
      std::vector<lists::ListMatch> listed =
          context.lists->Match(*site, context.tenant, context.now);
      // Allow-list matches come first: the admin vouched for the domain.
      if (!listed.empty() && listed.front().list == store::ListType::kAllow) {
        continue;
      }
      if (!listed.empty()) {
        Reason reason = verdict::ListMatchReason(listed.front());
        reason.part = std::string(address.header);
        out->push_back(std::move(reason));
        continue;
      }
    }
    std::vector<lookalike::LookalikeMatch> matches;
    for (const lookalike::BrandIndex* index :
         {context.brands, context.policies->own_domains()}) {
      if (index == nullptr) continue;
      std::vector<lookalike::LookalikeMatch> found =
          index->Match(*site, context.tenant);
      matches.insert(matches.end(), std::make_move_iterator(found.begin()),
                     std::make_move_iterator(found.end()));
    }
    if (matches.empty()) continue;
    const auto best = std::max_element(
        matches.begin(), matches.end(),
        [](const auto& a, const auto& b) { return a.weight < b.weight; });
    Reason& reason = out->emplace_back();
    reason.code = ReasonCode::kMailSenderLookalike;
    reason.technique = best->technique_name;
    reason.brand = best->brand;
    reason.matched = best->official_domain;
    reason.weight = best->weight;
    reason.part = std::string(address.header);
    reason.detail =
        absl::StrCat("The ", address.header, " address's domain ",
                     address.domain, " imitates ", best->official_domain, " (",
                     best->brand, "): ", best->evidence, ".");
  }
}

void AddDisplayNameReasons(const ReadMessage& message,
                           const SenderContext& context,
                           std::vector<Reason>* out) {
  if (message.from.empty()) return;
  const Mailbox& from = message.from.front();
  if (from.display_name.empty()) return;
  const bool free_mail = IsFreeMailDomain(RegistrableOf(from.domain));
  for (const lookalike::BrandIndex* index :
       {context.brands, context.policies->own_domains()}) {
    if (index == nullptr) continue;
    for (const lookalike::BrandIndex::Mention& mention :
         index->MentionedBrands(from.display_name, context.tenant,
                                /*confusables=*/true)) {
      // The brand writing from its own domain is no spoof, unless that
      // domain is the brand's free-mail service: anyone can write from
      // outlook.com or gmail.com, and brands do not.
      if (!from.domain.empty() && !free_mail) {
        absl::StatusOr<std::string> host = url::CanonicalizeHost(from.domain);
        if (host.ok() &&
            index->OfficialBrand(*host, context.tenant) == mention.brand) {
          continue;
        }
      }
      const bool strong = mention.by_domain || mention.words > 1;
      if (!strong && mention.mentioned.size() < 6 &&
          !OnlyServiceWordsBeside(from.display_name, mention.mentioned)) {
        continue;  // "Chase Smith" is a person
      }
      Reason& reason = out->emplace_back();
      reason.code = ReasonCode::kMailDisplayNameSpoof;
      reason.technique = mention.by_domain ? "brand-domain" : "brand-name";
      if (free_mail) reason.technique += ",free-mail";
      reason.brand = mention.brand;
      reason.matched = mention.mentioned;
      reason.weight =
          (strong ? kDisplayNameStrongWeight : kDisplayNameWordWeight) +
          (free_mail ? kDisplayNameFreeMailBonus : 0);
      reason.part = "From";
      reason.detail = absl::StrCat(
          "The sender's name \"", from.display_name, "\" names ", mention.brand,
          ", but the address ", from.address, " is not ", mention.brand, "'s",
          free_mail ? " (a free-mail account)" : "", ".");
    }
  }
}

void AddReplyToReason(const ReadMessage& message, std::vector<Reason>* out) {
  if (message.from.empty() || message.reply_to.empty()) return;
  const Mailbox& from = message.from.front();
  if (from.domain.empty()) return;
  const std::string from_site = RegistrableOf(from.domain);
  const bool from_free = IsFreeMailDomain(from_site);
  for (const Mailbox& reply : message.reply_to) {
    if (reply.domain.empty()) continue;
    const std::string reply_site = RegistrableOf(reply.domain);
    if (reply_site == from_site) continue;
    const bool reply_free = IsFreeMailDomain(reply_site);
    Reason& reason = out->emplace_back();
    reason.code = ReasonCode::kMailReplyToDiverges;
    reason.technique = reply_free && !from_free ? "free-mail" : "other-domain";
    reason.matched = reply_site;
    reason.weight =
        reply_free && !from_free ? kReplyToFreeMailWeight : kReplyToOtherWeight;
    reason.part = "Reply-To";
    reason.detail =
        absl::StrCat("Replies go to ", reply.address,
                     reply_free ? " (a free-mail account)" : "",
                     ", not to the sender's domain ", from_site, ".");
    return;  // one is enough
  }
}

void AddAuthReasons(const ReadMessage& message, const SenderContext& context,
                    SenderFindings* out) {
  for (const std::string& value : message.authentication_results) {
    absl::StatusOr<AuthenticationResults> results =
        ParseAuthenticationResults(value);
    if (!results.ok() ||
        !context.policies->TrustsAuthservId(results->authserv_id)) {
      continue;  // anyone can write this header; only ours count
    }
    for (const AuthResult& result : results->results) {
      if (result.method != "dmarc") continue;
      out->dmarc = result.result;
      if (result.result != "fail") return;
      std::string domain(result.Property("header.from"));
      if (domain.empty() && !message.from.empty()) {
        domain = message.from.front().domain;
      }
      absl::AsciiStrToLower(&domain);
      std::string brand;
      absl::StatusOr<std::string> host =
          url::CanonicalizeHost(std::string(domain));
      if (host.ok()) {
        for (const lookalike::BrandIndex* index :
             {context.brands, context.policies->own_domains()}) {
          if (index != nullptr && brand.empty()) {
            brand = index->OfficialBrand(*host, context.tenant);
          }
        }
      }
      Reason& reason = out->reasons.emplace_back();
      reason.code = ReasonCode::kMailAuthFailed;
      reason.technique = "dmarc-fail";
      reason.brand = brand;
      reason.matched = domain;
      reason.weight = brand.empty() ? kDmarcFailWeight : kDmarcFailBrandWeight;
      reason.part = "Authentication-Results";
      reason.detail = absl::StrCat(
          results->authserv_id, " found that DMARC fails for ", domain,
          brand.empty() ? "" : absl::StrCat(" (", brand, ")"),
          ": the From address is not the domain's own.");
      return;
    }
  }
}

}  // namespace

std::string AddressDomain(absl::string_view address) {
  const size_t close = address.rfind('>');
  if (close != absl::string_view::npos) address = address.substr(0, close);
  const size_t at = address.rfind('@');
  if (at == absl::string_view::npos) return "";
  std::string domain(absl::StripAsciiWhitespace(address.substr(at + 1)));
  absl::AsciiStrToLower(&domain);
  while (!domain.empty() && domain.back() == '.') domain.pop_back();
  return domain;
}

SenderFindings JudgeSender(const ReadMessage& message,
                           const SenderContext& context) {
  SenderFindings findings;
  std::vector<SenderAddress> addresses;
  for (const Mailbox& m : message.from) addresses.push_back({"From", m.domain});
  for (const Mailbox& m : message.sender) {
    addresses.push_back({"Sender", m.domain});
  }
  for (const Mailbox& m : message.reply_to) {
    addresses.push_back({"Reply-To", m.domain});
  }
  if (!context.envelope_sender.empty()) {
    addresses.push_back(
        {"Envelope-From", AddressDomain(context.envelope_sender)});
  }
  AddLookalikeReasons(addresses, context, &findings.reasons);
  AddDisplayNameReasons(message, context, &findings.reasons);
  AddReplyToReason(message, &findings.reasons);
  AddAuthReasons(message, context, &findings);
  return findings;
}

}  // namespace lureguard::mail::internal
