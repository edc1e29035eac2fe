// GMime's one-time global initialisation, safe from any thread, and the
// owning pointer GMime objects live in.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_GMIME_INIT_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_GMIME_INIT_H_

#include <memory>

namespace lureguard::links::internal {

// Calls g_mime_init() exactly once per process; later calls return at once.
void EnsureGMimeInitialized();

// Owns a GObject (a GMime stream, parser or message): g_object_unref on
// destruction.
struct GObjectUnref {
  void operator()(void* object) const;
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_GMIME_INIT_H_
