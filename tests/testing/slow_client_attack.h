// Slow-header and idle HTTP clients, kept connected by one thread, for
// tests and benchmarks of the HTTP front under attack: a slow client sends
// a byte of a never-ending header every `trickle`, an idle one sends
// nothing; whichever the server closes (a deadline, shedding, an answer)
// connects again at once, as an attacker's script would.
//
// Example:
//   SlowClientAttack attack(port, {{"127.0.0.2", 32, /*slow=*/true},
//                                  {"127.0.0.3", 50, /*slow=*/false}},
//                           absl::Milliseconds(500));
//   ... measure ...
//   // the destructor stops the thread and closes every connection

#ifndef LUREGUARD_TESTS_TESTING_SLOW_CLIENT_ATTACK_H_
#define LUREGUARD_TESTS_TESTING_SLOW_CLIENT_ATTACK_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "tests/testing/raw_http_connection.h"

namespace lureguard::testing {

class SlowClientAttack {
 public:
  struct Group {
    std::string source;  // 127.0.0.N
    int connections = 0;
    bool slow = true;  // false: connect and send nothing
  };

  // Connects every client, then starts the thread.
  SlowClientAttack(int port, std::vector<Group> groups, absl::Duration trickle);
  ~SlowClientAttack();

  SlowClientAttack(const SlowClientAttack&) = delete;
  SlowClientAttack& operator=(const SlowClientAttack&) = delete;

  // Connections the server closed and the attack opened again.
  int64_t reconnects() const { return reconnects_.load(); }

 private:
  struct Attacker {
    std::string source;
    bool slow;
    std::unique_ptr<RawConnection> connection;
  };

  void Connect(Attacker& attacker);
  void Run();

  const int port_;
  const absl::Duration trickle_;
  std::vector<Attacker> attackers_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> reconnects_{0};
  std::thread thread_;
};

}  // namespace lureguard::testing

#endif  // LUREGUARD_TESTS_TESTING_SLOW_CLIENT_ATTACK_H_
