// Fuzz target for confirmed clicks: LinkProtector::ResolveClick with
// confirmed = true (the click page's POST, unauthenticated) on an
// arbitrary token and client IP, and on a validly signed token with
// arbitrary tenant, recipient and URL. Besides the sanitizers, it checks
// the promises of issue #16: a repeat within the window is the same row
// with a count one higher, and errors are the documented codes.
//
// Input: "token\nclient_ip\ntenant\nrecipient\nurl".

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_split.h"
#include "server/common/keyed_hasher.h"
#include "server/links/click_token.h"
#include "server/links/link_protector.h"
#include "server/lists/list_snapshot.h"
#include "server/lookalike/brand.h"
#include "server/lookalike/brand_index.h"
#include "server/store/store.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/fuzz_temp_dir.h"

namespace {

using lureguard::fuzz::Check;
namespace links = lureguard::links;
namespace verdict = lureguard::verdict;
namespace store = lureguard::store;

bool Documented(absl::StatusCode code) {
  return code == absl::StatusCode::kInvalidArgument ||
         code == absl::StatusCode::kFailedPrecondition ||
         code == absl::StatusCode::kPermissionDenied ||
         code == absl::StatusCode::kResourceExhausted;
}

struct World {
  lureguard::FakeClock clock;
  verdict::Engine verdicts{clock};
  std::unique_ptr<store::Store> db;
  std::unique_ptr<links::ClickTokenCodec> codec;
  std::unique_ptr<links::LinkProtector> protector;
  std::string directory;

  World() {
    clock.Set(absl::FromUnixSeconds(1767225600));
    auto snapshot = std::make_shared<verdict::EngineSnapshot>();
    snapshot->lists = lureguard::lists::ListSnapshot::Build({});
    snapshot->brands = std::make_shared<const lureguard::lookalike::BrandIndex>(
        *lureguard::lookalike::BrandIndex::Build(
            lureguard::lookalike::DefaultBrands()));
    verdicts.Publish(std::move(snapshot));
    directory = lureguard::fuzz::TempDirRemovedAtExit("click_record_fuzzer");
    db = *store::OpenSqliteStore(directory + "/lureguard.db");
    auto make_codec = [] {
      return *links::ClickTokenCodec::Create(
          {{.id = "k1", .secret = std::string(32, 's')}}, "k1",
          absl::Hours(24 * 90));
    };
    codec = std::make_unique<links::ClickTokenCodec>(make_codec());
    links::LinkPolicy global;
    global.click_base_url = "https://click.example";
    global.allow_continue_on_block = true;
    links::LinkProtectorOptions options;
    // One click at once per address: the second of each input's two raw
    // clicks is refused.
    options.clicks.per_client_ip = {.rate = 1, .burst = 1};
    protector = std::make_unique<links::LinkProtector>(
        make_codec(), links::LinkPolicies(global, {}),
        [this](absl::string_view, absl::string_view url,
               absl::string_view tenant) {
          return verdicts.CheckUrl(url, tenant);
        },
        verdicts, *lureguard::KeyedHasher::Create(std::string(32, 'r')), *db,
        clock, options);
  }
  ~World() {
    protector.reset();
    db.reset();
    std::filesystem::remove_all(directory);
  }
};

// Each input moves the clock two hours on, so a million inputs reach the
// year 2262, where FakeClock's nanoseconds overflow and time would run
// backwards into rows "from the future". Before that, a fresh world (new
// store, new buckets) starts over at 2026.
constexpr absl::Time kWorldEnd = absl::FromUnixSeconds(int64_t{7} << 30);

World& TheWorld() {
  static World* world = nullptr;
  if (world == nullptr || world->clock.Now() >= kWorldEnd) {
    delete world;
    world = new World();
  }
  return *world;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  World& world = TheWorld();
  std::vector<std::string> fields = absl::StrSplit(
      absl::string_view(input.data(), input.size()), absl::MaxSplits('\n', 4));
  fields.resize(5);
  const std::string& client_ip = fields[1];
  // Past every earlier input's click window and bucket refill: each input
  // starts its own rows, so "the newest row" below is this input's.
  world.clock.Advance(absl::Hours(2));

  absl::StatusOr<links::ClickDecision> raw =
      world.protector->ResolveClick(fields[0], std::nullopt, true, client_ip);
  if (!raw.ok()) {
    Check(Documented(raw.status().code()), "only the documented codes", input);
  } else {
    Check(raw->recorded, "a confirmed click is recorded", input);
  }
  if (!client_ip.empty()) {
    // The address's one token is taken, whatever the token was.
    absl::StatusOr<links::ClickDecision> again =
        world.protector->ResolveClick(fields[0], std::nullopt, true, client_ip);
    Check(again.status().code() == absl::StatusCode::kResourceExhausted,
          "a second click at once from one address is refused", input);
  }

  links::ClickToken token{.issued = world.clock.Now(),
                          .tenant = fields[2],
                          .recipient_id = fields[3],
                          .url = fields[4]};
  if (!links::ClickTokenCodec::CheckEncodable(token).ok()) return 0;
  const std::string signed_token = world.codec->Encode(token);
  absl::StatusOr<links::ClickDecision> once =
      world.protector->ResolveClick(signed_token, std::nullopt, true, "");
  if (!once.ok()) {
    Check(Documented(once.status().code()), "only the documented codes", input);
    return 0;
  }
  absl::StatusOr<store::ClickPage> before = world.db->ListClicks(
      {.page_size = 1, .tenant = std::optional<std::string>(token.tenant)});
  Check(before.ok() && !before->clicks.empty(), "the click is listed", input);
  absl::StatusOr<links::ClickDecision> twice =
      world.protector->ResolveClick(signed_token, std::nullopt, true, "");
  Check(twice.ok(), "a repeat is recorded like the first", input);
  absl::StatusOr<store::ClickPage> after = world.db->ListClicks(
      {.page_size = 1, .tenant = std::optional<std::string>(token.tenant)});
  Check(after.ok() && !after->clicks.empty(), "the repeat is listed", input);
  Check(after->clicks[0].id == before->clicks[0].id &&
            after->clicks[0].count == before->clicks[0].count + 1,
        "a repeat within the window is the same row, counted", input);
  return 0;
}
