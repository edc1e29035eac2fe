// Fuzz target for message verdicts: every input is a whole message judged
// by MessageChecker::Check against a real engine (default brands) and a
// real links engine. Besides the sanitizers it checks the promises of
// server/mail/message_checker.h that hold for every input: a verdict (never
// an error) for any non-empty message within the limit, a score in [0, 1],
// every mail reason naming where it came from, and no part listed twice.

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/mail/message_checker.h"
#include "server/verdict/engine.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/testing/mail_checker_stack.h"

namespace {

using lureguard::fuzz::Check;
namespace mail = lureguard::mail;
namespace verdict = lureguard::verdict;

constexpr size_t kMaxInput = 1 << 18;

// The whole stack once per process, as the server wires it. Destroyed at
// exit, so that its store's temporary directory goes with it.
lureguard::testing::MailCheckerStack& Stack() {
  static lureguard::testing::MailCheckerStack stack = [] {
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    snapshot->brands = std::make_shared<const lureguard::lookalike::BrandIndex>(
        *lureguard::lookalike::BrandIndex::Build(
            lureguard::lookalike::DefaultBrands()));
    return lureguard::testing::MailCheckerStack(
        std::move(snapshot),
        *mail::MailPolicies::Create(
            {.own_domains = {"acme.example"}, .own_name = "Acme"}, {},
            {"mx.acme.example"}, {.max_part_bytes = 1 << 16, .max_parts = 64}));
  }();
  return stack;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > kMaxInput) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<mail::MessageCheck> check = Stack().checker().Check(
      {.message = absl::string_view(input.data(), input.size()),
       .recipients = {"bob@acme.example"}});
  Check(check.ok(), "a non-empty message gets a verdict, not an error", input);
  Check(check->verdict.score >= 0 && check->verdict.score <= 1,
        "the score is in [0, 1]", input);
  std::set<std::string> parts;
  for (const mail::PartReport& part : check->parts) {
    Check(parts.insert(part.part).second, "no part is listed twice", input);
  }
  for (const verdict::Reason& reason : check->verdict.reasons) {
    if (static_cast<int>(reason.code) >= 80) {
      Check(!reason.part.empty(), "every mail reason names its part", input);
    }
  }
  return 0;
}
