#!/usr/bin/env bash
# Profiles our server under redis-benchmark: node --cpu-prof while one test runs, then the summary.
#   bench/perf/profile.sh [test=get] [pipeline=16] [requests=1000000]
# test `mixed` runs bench/mixed-workload.ts's realistic mix (mixed-load.ts) instead of redis-benchmark;
# test `zrange` runs ZRANGE 0 9 WITHSCORES over a 1,000-member sorted set, as bench/run.ts does.
# PERF_CLI picks the built CLI (default dist/bin/cdk-valkey-server.js); PERF_NODE_ARGS adds node flags.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
test="${1:-get}"
pipeline="${2:-16}"
requests="${3:-1000000}"
cli="$(realpath "${PERF_CLI:-$here/../../dist/bin/cdk-valkey-server.js}")"
port="${PERF_PORT:-$((20000 + RANDOM % 20000))}"
dir="$(mktemp -d /tmp/cpu-prof.XXXXXX)"
# shellcheck disable=SC2086
(cd "$dir" && exec node --cpu-prof --cpu-prof-dir="$dir" --min-semi-space-size=8 ${PERF_NODE_ARGS:-} "$cli" --port "$port" --bind 127.0.0.1 --save '' >/dev/null) &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-benchmark -p "$port" -c 50 -n 200000 -P 16 -r 100000 -t set -q >/dev/null
if [ "$test" = mixed ]; then
  npx --prefix "$here/../.." ts-node --transpile-only "$here/mixed-load.ts" "$port" "$pipeline" "$requests"
elif [ "$test" = zrange ]; then
  # As bench/run.ts: ZRANGE 0 9 WITHSCORES over a 1,000-member sorted set.
  for i in $(seq 0 999); do echo "ZADD bench:zrange $i member:$i"; done | redis-cli -p "$port" >/dev/null
  redis-benchmark -p "$port" -c 50 -n "$requests" -P "$pipeline" -r 100000 -q ZRANGE bench:zrange 0 9 WITHSCORES
else
  redis-benchmark -p "$port" -c 50 -n "$requests" -P "$pipeline" -r 100000 -t "$test" -q
fi
kill -TERM $pid
wait $pid || true
trap - EXIT
npx --prefix "$here/../.." ts-node --transpile-only "$here/profile-summary.ts" "$dir"/*.cpuprofile 40
echo "profile: $(ls "$dir"/*.cpuprofile)"
