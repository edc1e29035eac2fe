#!/bin/bash
# Whole-server instructions per Health.Check and per CheckUrl call: the
# grpc_ratio_load run (one round) against the server under callgrind, its
# counters zeroed when the load starts and dumped when each method's phase
# ends, so each dump holds one method's calls with everything the server
# did for them (gRPC, the request log, the handler). Unlike the timed
# ratio, the figure does not move with the machine's noise; unlike
# callgrind_check_url.sh, it counts what is outside the handler too.
#
#   tests/bench/callgrind_ratio.sh [SERVER_BINARY] [grpc_ratio_load flags]
#
# Run from the repository root after building build/; needs valgrind
# (`apt-get install valgrind`: a profiling tool, not something the build or
# the tests need, so scripts/setup leaves it out). Valgrind serves
# ~1,000 calls/s, so the cache of checks answers ~49 % of calls (75 % at
# full speed): compare binaries with each other, not with the timed run.
set -euo pipefail

server=${1:-build/server/lureguard-server}
[ $# -gt 0 ] && shift
server=$(realpath "$server")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cat >"$out/server.sh" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file=$out/callgrind.%p \
  "$server" "\$@"
EOF
chmod +x "$out/server.sh"

# grpc_ratio_load prints a line when it starts and one when each phase
# ends; the server under callgrind is the one valgrind process writing to
# $out.
stdbuf -oL build/tests/bench/grpc_ratio_load --rounds 1 --seconds 15 \
  --server "$out/server.sh" "$@" 2>&1 |
  while IFS= read -r line; do
    pid=$(pgrep -f "callgrind-out-file=$out/" | head -1 || true)
    case "$line" in
      "server on core"*) callgrind_control -z "$pid" >/dev/null ;;
      *"round 1  Health"* | *"round 1  CheckUrl"*)
        callgrind_control -d "$pid" >/dev/null ;;
      *"cache hit rates"*) echo "$line" ;;
    esac
  done

total() {
  callgrind_annotate "$1" 2>/dev/null |
    awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}
# Calls observed: the request log's interceptor runs once per call's
# status (its second, nested Intercept frame).
calls() {
  callgrind_annotate --tree=calling --inclusive=yes "$1" 2>/dev/null |
    grep -E ">   .*RpcObserver::Intercept\(.*\)'2 \(" | head -1 |
    grep -oE '\([0-9,]+x\)' | tr -d '(),x'
}
health=$(ls "$out"/callgrind.*.1)
check=$(ls "$out"/callgrind.*.2)
python3 - "$(calls "$health")" "$(total "$health")" \
  "$(calls "$check")" "$(total "$check")" <<'EOF'
import sys
hn, ht, cn, ct = (int(x) for x in sys.argv[1:])
print("Health.Check %d calls, %.0f instructions per call; CheckUrl %d calls, "
      "%.0f per call; instruction ratio %.3f"
      % (hn, ht / hn, cn, ct / cn, (ht / hn) / (ct / cn)))
EOF
