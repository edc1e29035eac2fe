// The message checker wired as the server wires it — a verdict engine, a
// SQLite store in a temporary directory, the links engine and the mail
// policies — for the mail tests, the benchmark and the fuzzer, which each
// need the whole stack and differ only in the snapshot, the policies and
// the clock.

#ifndef LUREGUARD_TESTS_TESTING_MAIL_CHECKER_STACK_H_
#define LUREGUARD_TESTS_TESTING_MAIL_CHECKER_STACK_H_

#include <memory>

#include "server/common/clock.h"
#include "server/links/link_protector.h"
#include "server/mail/mail_policy.h"
#include "server/mail/message_checker.h"
#include "server/store/store.h"
#include "server/verdict/engine.h"
#include "tests/testing/temp_dir.h"

namespace lureguard::testing {

// Not thread-safe to build or Reset; the checker it holds is.
class MailCheckerStack {
 public:
  // Publishes `snapshot`; links are rewritten to https://click.example.
  // `clock` must outlive the stack.
  MailCheckerStack(std::shared_ptr<const verdict::EngineSnapshot> snapshot,
                   mail::MailPolicies policies,
                   const Clock& clock = SystemClock());

  // A new checker over `policies`, reading `clock` (the stack's own when
  // null): for tests of limits and deadlines.
  void Reset(mail::MailPolicies policies, const Clock* clock = nullptr);

  mail::MessageChecker& checker() { return *checker_; }
  verdict::Engine& engine() { return engine_; }
  store::Store& store() { return *store_; }

 private:
  const Clock& clock_;
  TempDir dir_;
  verdict::Engine engine_;
  std::unique_ptr<store::Store> store_;
  links::UrlVerdicts verdicts_;
  std::unique_ptr<links::LinkProtector> links_;
  std::unique_ptr<mail::MailPolicies> policies_;
  std::unique_ptr<mail::MessageChecker> checker_;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_MAIL_CHECKER_STACK_H_
