#!/usr/bin/env bash
# Metered public API benchmark: `GET /api/v1/reading/potensi` with a developer key (key
# check, per-key rate limit in Redis, a credit spent, a usage row) beside
# `GET /api/reading/potensi` without a key, on the same server in the same run.
#   wrk -t2 -c50 -d15s --latency, RUNS runs per request (default 3), medians reported.
# The developer's plan allows more calls a minute than wrk can send and the subscription holds
# a billion credits (api/examples/seed_metered.rs), so every call is answered 200. Metrics are
# on (an internal listener, as in production) for both requests: after the load, the server's
# own count of 200 answers to the key is read from `http_requests_total`, the server is stopped
# with SIGTERM (leases returned, usage flushed in the drain), and the usage rows and the credits
# spent must both equal it.
#
#   ./bench/metered.sh          # RUNS=3 DURATION=15s
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/services.sh"
source "$(dirname "$0")/lib/setup.sh"
cd "$ROOT"

RUNS="${RUNS:-3}"
DURATION="${DURATION:-15s}"
PORT="${BENCH_PORT:-3997}"
METRICS_PORT="${BENCH_METRICS_PORT:-3996}"
http_bench_setup
command -v psql >/dev/null || apt_install postgresql-client || die "psql is needed"

say "release build"
cargo build --release --locked --bins --example seed_metered -q
export DATABASE_URL="${DATABASE_URL%/*}/neptu_bench_metered?sslmode=disable"
export PORT HOST=127.0.0.1 CACHE_PREFIX="bench-metered:" ENVIRONMENT=development LOG_FORMAT=json LOG_LEVEL="info,sqlx=warn" SHUTDOWN_DRAIN_MS=0
export METRICS_LISTEN="127.0.0.1:$METRICS_PORT"
export API_KEY_SECRET="bench-metered-key-secret-0123456789abcdef"
# One load generator from one address would hit the per-address limits in a second; the key's
# own limit is its plan's.
export RATE_LIMIT_AUTH_PER_MINUTE=0 RATE_LIMIT_PUBLIC_PER_MINUTE=0 RATE_LIMIT_SIGNED_IN_PER_MINUTE=0
"$ROOT/target/release/neptu-api" migrate --create-database >/dev/null
say "seeding a developer"
read -r KEY SUBSCRIPTION KEY_ID < <("$ROOT/target/release/examples/seed_metered")
CREDITS_BEFORE=$(psql "$DATABASE_URL" -Atc "SELECT credits_remaining FROM api_subscriptions WHERE id = '$SUBSCRIPTION'")

"$ROOT/target/release/neptu-api" serve >/dev/null 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/ready"; do sleep 0.05; done

source "$ROOT/bench/lib/wrk.sh"

base="http://127.0.0.1:$PORT"
say "load: wrk -t2 -c50 -d$DURATION --latency, $RUNS runs each"
rows=()
rows+=("$(run metered-plain 'GET /api/reading/potensi?date=1995-06-15 (no key)' 15000 10 "$base/api/reading/potensi?date=1995-06-15")")
rows+=("$(run metered-key 'GET /api/v1/reading/potensi?date=1995-06-15 (key)' 15000 10 -H "Authorization: Bearer $KEY" "$base/api/v1/reading/potensi?date=1995-06-15")")
rss=$(awk '/VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status")

# The server's count of 200 answers to the key (wrk does not count the requests still in
# flight when it stops; the server answered them).
sleep 1
answered=$(curl -sf "http://$METRICS_LISTEN/metrics" | awk -F' ' '/^http_requests_total\{/ && /route="\/api\/v1\/reading\/potensi"/ && /status="200"/ { n += $NF } END { printf "%d", n }')
say "stopping the server (SIGTERM: leases returned, usage flushed)"
kill -TERM "$pid"
wait "$pid" || true
trap - EXIT
usage=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM api_usage WHERE api_key_id = '$KEY_ID' AND response_status = 200")
all_usage=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM api_usage WHERE api_key_id = '$KEY_ID'")
credits_after=$(psql "$DATABASE_URL" -Atc "SELECT credits_remaining FROM api_subscriptions WHERE id = '$SUBSCRIPTION'")
spent=$((CREDITS_BEFORE - credits_after))
exact="ok"
if [ "$usage" -ne "$answered" ] || [ "$all_usage" -ne "$answered" ] || [ "$spent" -ne "$answered" ] || [ "$answered" -eq 0 ]; then exact="MISSED"; fi
say "200 answers to the key: $answered; usage rows: $all_usage ($usage with 200); credits spent: $spent — $exact"

report="$OUT/metered-summary.md"
{
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "Tool: wrk -t2 -c50 -d$DURATION --latency, $RUNS runs, medians; load, server, Postgres and Redis share the cores; access log on (JSON to /dev/null); metrics on (internal listener); per-address limits off; the key's plan limit above what wrk reaches; API_CREDIT_LEASE=${API_CREDIT_LEASE:-25} (default 25)"
    echo
    echo "| request | req/s | p50 ms | p99 ms | errors | target | |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "| after the runs (server stopped with SIGTERM) | count | |"
    echo "|---|---|---|"
    echo "| 200 answers to the key (server's \`http_requests_total\`) | $answered | |"
    echo "| \`api_usage\` rows of the key | $all_usage | $exact |"
    echo "| credits spent | $spent | $exact |"
    echo
    echo "RSS after load: $rss"
} >"$report"
cat "$report"
[ "$exact" = ok ] || die "usage rows or credits spent differ from the answers"
