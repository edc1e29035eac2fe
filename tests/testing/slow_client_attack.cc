#include "tests/testing/slow_client_attack.h"

#include <poll.h>

#include <algorithm>

#include "absl/time/clock.h"

namespace lureguard::testing {

SlowClientAttack::SlowClientAttack(int port, std::vector<Group> groups,
                                   absl::Duration trickle)
    : port_(port), trickle_(trickle) {
  for (const Group& group : groups) {
    for (int i = 0; i < group.connections; ++i) {
      attackers_.push_back({group.source, group.slow, nullptr});
      Connect(attackers_.back());
    }
  }
  thread_ = std::thread([this] { Run(); });
}

SlowClientAttack::~SlowClientAttack() {
  stop_ = true;
  thread_.join();
}

void SlowClientAttack::Connect(Attacker& attacker) {
  attacker.connection = std::make_unique<RawConnection>(attacker.source, port_);
  if (!attacker.connection->connected()) {
    attacker.connection.reset();
    return;
  }
  if (attacker.slow) {
    attacker.connection->Send("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ");
  }
}

void SlowClientAttack::Run() {
  while (!stop_) {
    const absl::Time next = absl::Now() + trickle_;
    for (Attacker& attacker : attackers_) {
      if (stop_) return;
      bool gone = attacker.connection == nullptr;
      if (!gone) {
        pollfd p{attacker.connection->fd(), POLLIN, 0};
        gone = poll(&p, 1, 0) > 0;  // the server answered or closed
        if (!gone && attacker.slow) gone = !attacker.connection->Send("a");
      }
      if (gone) {
        ++reconnects_;
        Connect(attacker);
      }
    }
    absl::SleepFor(std::max(absl::ZeroDuration(), next - absl::Now()));
  }
}

}  // namespace lureguard::testing
