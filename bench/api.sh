#!/usr/bin/env bash
# API benchmark: the requests the original API was measured with, on a seeded dataset of
# 1,000 users, 4,500 readings, 500 token transactions and 1,000 rewards (api/examples/seed_bench.rs).
#   wrk -t2 -c50 -d15s --latency, RUNS runs per endpoint (default 3), medians reported.
# Access logging stays on (JSON, as in production) and goes to /dev/null.
#
#   ./bench/api.sh          # RUNS=3 DURATION=15s
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/services.sh"
source "$(dirname "$0")/lib/setup.sh"
cd "$ROOT"

RUNS="${RUNS:-3}"
DURATION="${DURATION:-15s}"
PORT="${BENCH_PORT:-3998}"
http_bench_setup

say "release build"
cargo build --release --locked --bins --example seed_bench -q
# Loopback Postgres without TLS: server and database share this machine's two cores, and TLS
# to a local server would only measure encryption (about 15% on the history page).
export DATABASE_URL="${DATABASE_URL%/*}/neptu_bench_api?sslmode=disable"
export PORT HOST=127.0.0.1 CACHE_PREFIX="bench-api:" ENVIRONMENT=development LOG_FORMAT=json LOG_LEVEL="info,sqlx=warn" SHUTDOWN_DRAIN_MS=0
# One load generator from one address would hit the per-client limits in a second.
export RATE_LIMIT_AUTH_PER_MINUTE=0 RATE_LIMIT_REFRESH_PER_MINUTE=0 RATE_LIMIT_PUBLIC_PER_MINUTE=0 RATE_LIMIT_SIGNED_IN_PER_MINUTE=0
"$ROOT/target/release/neptu-api" migrate --create-database >/dev/null
export TOKENS="$OUT/tokens.txt"
say "seeding"
"$ROOT/target/release/examples/seed_bench" "$TOKENS"

"$ROOT/target/release/neptu-api" serve >/dev/null 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/ready"; do sleep 0.05; done

source "$ROOT/bench/lib/wrk.sh"

base="http://127.0.0.1:$PORT"
say "load: wrk -t2 -c50 -d$DURATION --latency, $RUNS runs each"
rows=()
rows+=("$(run pricing 'GET /api/pricing' 30000 10 "$base/api/pricing")")
rows+=("$(PATH_TEMPLATE='/api/users/%s' run user 'GET /api/users/{wallet}' 11000 10 -s bench/lua/wallets.lua "$base")")
rows+=("$(PATH_TEMPLATE='/api/users/%s/readings?limit=10' run readings 'GET /api/users/{wallet}/readings?limit=10' 4500 20 -s bench/lua/wallets.lua "$base")")
rows+=("$(PATH_TEMPLATE='/api/token/stats/%s' run token-stats 'GET /api/token/stats/{wallet}' 8000 10 -s bench/lua/wallets.lua "$base")")
rows+=("$(run potensi 'GET /api/reading/potensi?date=1995-06-15' 50000 10 "$base/api/reading/potensi?date=1995-06-15")")
rows+=("$(run compatibility 'POST /api/reading/compatibility' 40000 10 -s bench/lua/compatibility.lua "$base/api/reading/compatibility")")

report="$OUT/api-summary.md"
{
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "Tool: wrk -t2 -c50 -d$DURATION --latency, $RUNS runs, medians; load, server and Postgres share the cores; access log on (JSON to /dev/null); rate limits off (one client); Postgres on loopback without TLS"
    echo "Dataset: 1,000 users, 4,500 readings, 500 token transactions, 1,000 rewards; users cycled over 900 wallets with their tokens"
    echo
    echo "| request | req/s | p50 ms | p99 ms | errors | target | |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "RSS after load: $(awk '/VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status")"
} >"$report"
cat "$report"
