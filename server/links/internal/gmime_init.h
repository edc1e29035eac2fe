// GMime's one-time global initialisation, safe from any thread.

#ifndef LUREGUARD_SERVER_LINKS_INTERNAL_GMIME_INIT_H_
#define LUREGUARD_SERVER_LINKS_INTERNAL_GMIME_INIT_H_

namespace lureguard::links::internal {

// Calls g_mime_init() exactly once per process; later calls return at once.
void EnsureGMimeInitialized();

}  // namespace lureguard::links::internal

#endif  // LUREGUARD_SERVER_LINKS_INTERNAL_GMIME_INIT_H_
