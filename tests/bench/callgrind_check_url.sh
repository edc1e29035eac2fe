#!/bin/sh
# Runs lureguard-server under callgrind, counting only the instructions of
# the CheckUrl handler (and what it calls), for grpc_ratio_load --server:
#
#   SERVER_BIN=build/server/lureguard-server \
#     build/tests/bench/grpc_ratio_load --rounds 1 --seconds 15 \
#     --order cycle --server tests/bench/callgrind_check_url.sh
#   callgrind_annotate --inclusive=yes callgrind.check_url.<pid>
#
# Divide by the CheckUrl calls the load program reports (its "cache hit
# rates" line counts the URL lookups). Valgrind serves ~700 calls/s.
exec valgrind --tool=callgrind \
  --callgrind-out-file="${CALLGRIND_OUT:-$PWD/callgrind.check_url}.%p" \
  --toggle-collect='lureguard::service::UrlServiceImpl::CheckUrl(*' \
  "${SERVER_BIN:?set SERVER_BIN to the lureguard-server binary}" "$@"
