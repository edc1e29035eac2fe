#include "tests/testing/mail_checker_stack.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>

#include "server/common/keyed_hasher.h"

namespace lureguard::testing {

MailCheckerStack::MailCheckerStack(
    std::shared_ptr<const verdict::EngineSnapshot> snapshot,
    mail::MailPolicies policies, const Clock& clock)
    : clock_(clock), engine_(clock) {
  engine_.Publish(std::move(snapshot));
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(dir_.path() + "/lureguard.db");
  if (!store.ok()) {
    std::cerr << "MailCheckerStack: " << store.status() << "\n";
    std::abort();
  }
  store_ = *std::move(store);
  links::LinkPolicy policy;
  policy.click_base_url = "https://click.example";
  verdicts_ = [this](absl::string_view, absl::string_view url,
                     absl::string_view tenant) {
    return engine_.CheckUrl(url, tenant);
  };
  links_ = std::make_unique<links::LinkProtector>(
      *links::ClickTokenCodec::Create(
          {{.id = "k1", .secret = std::string(32, 's')}}, "k1",
          policy.token_lifetime),
      links::LinkPolicies(policy, {}), verdicts_, engine_,
      *KeyedHasher::Create(std::string(32, 'k')), *store_, clock_);
  Reset(std::move(policies));
}

void MailCheckerStack::Reset(mail::MailPolicies policies, const Clock* clock) {
  checker_.reset();
  policies_ = std::make_unique<mail::MailPolicies>(std::move(policies));
  checker_ = std::make_unique<mail::MessageChecker>(
      *links_, verdicts_, engine_, *policies_,
      clock != nullptr ? *clock : clock_);
}

}  // namespace lureguard::testing
