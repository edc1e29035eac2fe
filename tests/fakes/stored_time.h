// Times as the SQLite and PostgreSQL stores keep them, for the in-memory
// stores: whole microseconds, so that a fake reads back what a real store
// would.

#ifndef LUREGUARD_TESTS_FAKES_STORED_TIME_H_
#define LUREGUARD_TESTS_FAKES_STORED_TIME_H_

#include "absl/time/time.h"

namespace lureguard {

// `time` cut to the microsecond, as a store reads it back.
inline absl::Time AsStored(absl::Time time) {
  return absl::FromUnixMicros(absl::ToUnixMicros(time));
}

}  // namespace lureguard

#endif  // LUREGUARD_TESTS_FAKES_STORED_TIME_H_
