// Fuzz target for the login-page beacon: LoginEngine::RecordBeacon with an
// arbitrary tenant, Referer and client IP (all three arrive unauthenticated
// from `GET /b/{tenant}/{id}.gif`), then a login check through the same
// host. Besides the sanitizers, it checks the promises of issue #16: the
// allow list and the brand's own domains are never flagged nor penalised,
// a flag weighs 0.5 alone and 1 only when corroborated, and the cap holds.
//
// Input: "tenant\nreferer\nclient_ip" ("" tenant: the configured "acme").

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "server/common/keyed_hasher.h"
#include "server/lists/list_snapshot.h"
#include "server/login/login_engine.h"
#include "server/login/sliding_window_counters.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/store/store.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/fuzz_temp_dir.h"

namespace {

using lureguard::fuzz::Check;
namespace login = lureguard::login;
namespace verdict = lureguard::verdict;
namespace store = lureguard::store;

constexpr int64_t kMaxFlags = 64;
constexpr char kAllowed[] = "partner-sso.example";

struct World {
  lureguard::FakeClock clock;
  verdict::Engine verdicts{clock};
  login::SlidingWindowCounters counters{{.max_bytes = 1 << 20}};
  std::unique_ptr<store::Store> db;
  std::unique_ptr<login::LoginEngine> engine;

  World() {
    clock.Set(absl::FromUnixSeconds(1767225600));
    store::ListEntryRecord allowed;
    allowed.list = store::ListType::kAllow;
    allowed.kind = store::EntryKind::kHost;
    allowed.value = kAllowed;
    store::ListEntryRecord listed;
    listed.kind = store::EntryKind::kDomain;
    listed.value = "evil-login.test";
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    snapshot->lists = lureguard::lists::ListSnapshot::Build({allowed, listed});
    snapshot->brands = std::make_shared<const lureguard::lookalike::BrandIndex>(
        *lureguard::lookalike::BrandIndex::Build(
            lureguard::lookalike::DefaultBrands()));
    verdicts.Publish(std::move(snapshot));
    db = *store::OpenSqliteStore(
        lureguard::fuzz::TempDirRemovedAtExit("beacon_fuzzer") +
        "/lureguard.db");
    login::LoginOptions options;
    login::LoginTenant& acme = options.tenants["acme"];
    acme.brand = "PayPal";
    acme.login_hosts = {"www.paypal.com"};
    // No rate limit: the fuzzer is one client sending everything; the
    // cap is small so that it is reached.
    options.beacon.per_client_ip = {};
    options.beacon.per_tenant = {};
    options.beacon.max_flags = kMaxFlags;
    engine = std::make_unique<login::LoginEngine>(
        verdicts, counters,
        *lureguard::KeyedHasher::Create(std::string(32, 'k')),
        std::move(options), db.get(), clock);
    Check(engine->Load().ok(), "the engine loads", "");
  }
};

World& TheWorld() {
  static World* const world = new World();
  return *world;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  World& world = TheWorld();
  const size_t first = input.find('\n');
  const size_t second =
      first == std::string_view::npos ? first : input.find('\n', first + 1);
  std::string tenant(input.substr(0, first));
  if (tenant.empty()) tenant = "acme";
  const std::string referer(
      first == std::string_view::npos
          ? std::string_view()
          : input.substr(first + 1, second == std::string_view::npos
                                        ? std::string_view::npos
                                        : second - first - 1));
  const std::string client_ip(second == std::string_view::npos
                                  ? std::string_view()
                                  : input.substr(second + 1));
  world.clock.Advance(absl::Minutes(1));

  absl::StatusOr<std::optional<login::BeaconAlert>> alert =
      world.engine->RecordBeacon(tenant, referer, client_ip);
  if (!alert.ok()) {
    const absl::StatusCode code = alert.status().code();
    // The cap, and the store refusing a host or tenant it cannot keep.
    Check(code == absl::StatusCode::kResourceExhausted ||
              code == absl::StatusCode::kInvalidArgument,
          "only the documented codes", input);
  } else if (alert->has_value()) {
    const std::string& host = (*alert)->host;
    Check(!host.empty(), "a flag names a host", input);
    Check(referer != "null", "an opaque origin names no host", input);
    Check(host != "www.paypal.com", "the login origin is never flagged", input);
    Check(host != kAllowed, "an allow-listed host is never flagged", input);
    Check(world.verdicts.snapshot()->brands->OfficialBrand(host, tenant) !=
              "PayPal",
          "the brand's own domains are never flagged", input);
  }
  Check(world.engine->beacon_flags().size() <= kMaxFlags, "the cap holds",
        input);

  absl::StatusOr<login::LoginCheck> check =
      world.engine->Check({.tenant = tenant,
                           .username = "alice",
                           .client_ip = "198.51.100.7",
                           .referer = referer});
  if (check.ok()) {
    for (const verdict::Reason& reason : check->verdict.reasons) {
      if (reason.code != verdict::ReasonCode::kLoginOriginBeacon) continue;
      Check(reason.weight == 0.5 || reason.weight == 1.0,
            "a flag weighs 0.5 alone, 1 corroborated", input);
      Check(reason.matched != kAllowed && reason.matched != "www.paypal.com",
            "trusted hosts are never penalised", input);
    }
  }
  return 0;
}
