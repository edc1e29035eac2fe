#include "server/verdict/snapshot_publisher.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/heap.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/verdict/brand_records.h"

namespace lureguard::verdict {
namespace {

// A rebuild this long handled enough entries (about 100 k) to have freed
// memory worth returning; a 1 M-entry rebuild takes 0.5-1.5 s here.
constexpr absl::Duration kTrimAfterBuildsOf = absl::Milliseconds(100);

}  // namespace

SnapshotPublisher::SnapshotPublisher(store::Store& store, Engine& engine,
                                     const Clock& clock, Policy policy,
                                     absl::Duration poll_interval,
                                     absl::Duration ct_alert_window)
    : store_(store),
      engine_(engine),
      clock_(clock),
      policy_(policy),
      poll_interval_(poll_interval),
      ct_alert_window_(ct_alert_window) {}

SnapshotPublisher::~SnapshotPublisher() { Stop(); }

absl::Status SnapshotPublisher::LoadInitial() { return Rebuild(); }

absl::Status SnapshotPublisher::Rebuild() {
  // The revision is read first: writes that land during the scan make the
  // snapshot newer than its label, never older, so the next poll catches up.
  absl::StatusOr<int64_t> revision = store_.Revision();
  if (!revision.ok()) return revision.status();
  const absl::Time start = clock_.Now();
  absl::StatusOr<lists::ListSnapshot> lists =
      lists::BuildListSnapshot(store_, start);
  if (!lists.ok()) return lists.status();

  absl::StatusOr<std::shared_ptr<const lookalike::BrandIndex>> brands =
      CurrentBrandIndex();
  if (!brands.ok()) return brands.status();

  std::vector<store::AlertRecord> alerts;
  if (absl::Status s =
          store_.ForEachAlert(start - ct_alert_window_,
                              [&alerts](const store::AlertRecord& alert) {
                                alerts.push_back(alert);
                              });
      !s.ok()) {
    return s;
  }

  auto snapshot = std::make_shared<EngineSnapshot>();
  snapshot->lists = *std::move(lists);
  snapshot->brands = *std::move(brands);
  if (!alerts.empty()) {
    snapshot->ct_alerts = std::make_shared<const certs::AlertedHosts>(
        certs::AlertedHosts::Build(std::move(alerts)));
  }
  snapshot->policy = policy_;
  snapshot->revision = *revision;
  snapshot->build_time = clock_.Now();
  const lists::ListCounts counts = snapshot->lists.counts();
  engine_.Publish(std::move(snapshot));
  // The previous snapshot is gone now (or soon, with its last check), and
  // so are the build's buffers. Small rebuilds (single admin writes) free
  // little and skip the walk over every arena.
  if (clock_.Now() - start >= kTrimAfterBuildsOf) ReleaseFreeHeapMemory();
  {
    absl::MutexLock lock(&mu_);
    published_revision_ = std::max(published_revision_, *revision);
    last_error_ = absl::OkStatus();
  }
  LogInfo("snapshot published",
          {{"revision", absl::StrCat(*revision)},
           {"blocklist_entries", absl::StrCat(counts.block)},
           {"allowlist_entries", absl::StrCat(counts.allow)},
           {"build_ms",
            absl::StrCat(absl::ToInt64Milliseconds(clock_.Now() - start))}});
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const lookalike::BrandIndex>>
SnapshotPublisher::CurrentBrandIndex() {
  std::string fingerprint;
  ASSIGN_OR_RETURN(std::vector<lookalike::Brand> brands,
                   LoadBrands(store_, &fingerprint));
  if (brands_ != nullptr && fingerprint == brands_fingerprint_) return brands_;
  if (brands.empty()) {
    brands_ = nullptr;
  } else {
    ASSIGN_OR_RETURN(lookalike::BrandIndex index,
                     lookalike::BrandIndex::Build(std::move(brands)));
    brands_ = std::make_shared<const lookalike::BrandIndex>(std::move(index));
  }
  brands_fingerprint_ = std::move(fingerprint);
  return brands_;
}

void SnapshotPublisher::AddReloader(std::function<absl::Status()> reload) {
  reloaders_.push_back(std::move(reload));
}

void SnapshotPublisher::Start() {
  store_.SetChangeListener([this] {
    absl::MutexLock lock(&mu_);
    noticed_ = true;
  });
  thread_ = std::thread([this] { Run(); });
}

void SnapshotPublisher::Stop() {
  store_.SetChangeListener(nullptr);
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void SnapshotPublisher::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || noticed_ || wanted_revision_ > published_revision_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&wake), poll_interval_);
      if (stopping_) return;
      noticed_ = false;
    }
    for (const std::function<absl::Status()>& reload : reloaders_) {
      if (absl::Status s = reload(); !s.ok()) {
        LogError("reloading from the store failed; the previous state stays",
                 {{"error", s.ToString()}});
      }
    }
    absl::StatusOr<int64_t> revision = store_.Revision();
    bool stale;
    {
      absl::MutexLock lock(&mu_);
      stale = !revision.ok() || *revision > published_revision_ ||
              wanted_revision_ > published_revision_;
    }
    if (!stale) continue;
    absl::Status status = revision.ok() ? Rebuild() : revision.status();
    if (!status.ok()) {
      LogError("snapshot rebuild failed; the previous snapshot keeps serving",
               {{"error", status.ToString()}});
      absl::MutexLock lock(&mu_);
      last_error_ = status;
      // Stop waiters from hanging on a rebuild that cannot succeed now.
      wanted_revision_ = published_revision_;
    }
  }
}

absl::Status SnapshotPublisher::WaitForRevision(int64_t revision,
                                                absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  if (published_revision_ >= revision) return absl::OkStatus();
  wanted_revision_ = std::max(wanted_revision_, revision);
  auto done = [this, revision]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return published_revision_ >= revision || !last_error_.ok() || stopping_;
  };
  last_error_ = absl::OkStatus();
  if (!mu_.AwaitWithTimeout(absl::Condition(&done), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("the verdict snapshot did not reach store revision ",
                     revision, " within ", absl::FormatDuration(timeout)));
  }
  if (published_revision_ >= revision) return absl::OkStatus();
  if (!last_error_.ok()) return last_error_;
  return absl::UnavailableError("the server is shutting down");
}

int64_t SnapshotPublisher::published_revision() const {
  absl::MutexLock lock(&mu_);
  return published_revision_;
}

}  // namespace lureguard::verdict
