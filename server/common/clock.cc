#include "server/common/clock.h"

#include "absl/time/clock.h"

namespace lureguard {
namespace {

class WallClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

const Clock& SystemClock() {
  static const WallClock* const clock = new WallClock();
  return *clock;
}

}  // namespace lureguard
