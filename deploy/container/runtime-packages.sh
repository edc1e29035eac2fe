#!/usr/bin/env bash
# Prints, one per line, the Debian packages that own the shared libraries
# the given binaries load. The container build uses it so the runtime image
# installs exactly what the build linked; tests run it on the local build.
#   deploy/container/runtime-packages.sh build/server/lureguard-server ...
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 BINARY..." >&2; exit 1; }
mapfile -t libs < <(ldd "$@" | awk '/=> \//{print $3}' | xargs -r realpath | sort -u)
# Debian 12 merges /lib into /usr/lib, but dpkg records each file under the
# one path its package shipped: ask for both spellings in one dpkg call
# (dpkg reads its whole database per call) and check that each library
# was found under one of them.
owners=$(dpkg -S "${libs[@]}" "${libs[@]#/usr}" 2>/dev/null || true)
owned=$(sed 's/^.*: //' <<<"$owners")
for lib in "${libs[@]}"; do
  if ! grep -qxF -e "$lib" -e "${lib#/usr}" <<<"$owned"; then
    echo "runtime-packages: no package owns $lib" >&2
    exit 1
  fi
done
cut -d: -f1 <<<"$owners" | tr -d ' ' | tr ',' '\n' | sort -u
