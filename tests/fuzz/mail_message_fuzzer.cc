// Fuzz target for message verdicts: every input is a whole message judged
// by MessageChecker::Check against a real engine (default brands) and a
// real links engine. Besides the sanitizers it checks the promises of
// server/mail/message_checker.h that hold for every input: a verdict (never
// an error) for any non-empty message within the limit, a score in [0, 1],
// every mail reason naming where it came from, and no part listed twice.

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "server/common/clock.h"
#include "server/common/keyed_hasher.h"
#include "server/links/link_protector.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/mail/message_checker.h"
#include "server/store/store.h"
#include "server/verdict/engine.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using lureguard::fuzz::Check;
namespace mail = lureguard::mail;
namespace links = lureguard::links;
namespace verdict = lureguard::verdict;

constexpr size_t kMaxInput = 1 << 18;

struct Fixture {
  Fixture() : engine(lureguard::SystemClock()) {
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    snapshot->brands = std::make_shared<const lureguard::lookalike::BrandIndex>(
        *lureguard::lookalike::BrandIndex::Build(
            lureguard::lookalike::DefaultBrands()));
    engine.Publish(std::move(snapshot));
    const std::string dir =
        (std::filesystem::temp_directory_path() /
         ("lureguard-mail-fuzz-" + std::to_string(getpid())))
            .string();
    std::filesystem::create_directories(dir);
    store = *lureguard::store::OpenSqliteStore(dir + "/lureguard.db");
    links::LinkPolicy policy;
    policy.click_base_url = "https://click.example";
    verdicts = [this](absl::string_view, absl::string_view url,
                      absl::string_view tenant) {
      return engine.CheckUrl(url, tenant);
    };
    protector = std::make_unique<links::LinkProtector>(
        *links::ClickTokenCodec::Create(
            {{.id = "k1", .secret = std::string(32, 's')}}, "k1",
            policy.token_lifetime),
        links::LinkPolicies(policy, {}), verdicts, engine,
        *lureguard::KeyedHasher::Create(std::string(32, 'k')), *store,
        lureguard::SystemClock());
    policies = std::make_unique<mail::MailPolicies>(*mail::MailPolicies::Create(
        {.own_domains = {"acme.example"}, .own_name = "Acme"}, {},
        {"mx.acme.example"}, {.max_part_bytes = 1 << 16, .max_parts = 64}));
    checker = std::make_unique<mail::MessageChecker>(
        *protector, verdicts, engine, *policies, lureguard::SystemClock());
  }

  verdict::Engine engine;
  std::unique_ptr<lureguard::store::Store> store;
  links::UrlVerdicts verdicts;
  std::unique_ptr<links::LinkProtector> protector;
  std::unique_ptr<mail::MailPolicies> policies;
  std::unique_ptr<mail::MessageChecker> checker;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > kMaxInput) return 0;
  static Fixture* const fixture = new Fixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<mail::MessageCheck> check = fixture->checker->Check(
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
