#include "server/links/internal/gmime_init.h"

#include <gmime/gmime.h>

#include <mutex>

namespace lureguard::links::internal {

void EnsureGMimeInitialized() {
  // g_mime_init itself is not thread-safe; never shut down, as other
  // threads may be inside GMime when the process exits.
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

void GObjectUnref::operator()(void* object) const { g_object_unref(object); }

}  // namespace lureguard::links::internal
