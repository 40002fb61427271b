#!/usr/bin/env bash
# The API against a yardstick built here (api/examples/reference_server.rs: bare axum + sqlx,
# the same query and body), in one run on the same machine with the same wrk command, runs
# alternating between the two servers so that a machine that slows down slows both:
#   - GET /health, and GET /api/users/{wallet} on the seeded dataset (bench/api.sh's);
#   - the ratio of the medians (API / reference) for each;
#   - the API's idle RSS (2 s after its first /ready 200) beside the reference's.
#
#   ./bench/reference.sh        # RUNS=5 DURATION=10s
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/services.sh"
source "$(dirname "$0")/lib/setup.sh"
cd "$ROOT"

RUNS="${RUNS:-5}"
DURATION="${DURATION:-10s}"
API_PORT="${BENCH_PORT:-3996}"
REF_PORT=$((API_PORT - 1))
http_bench_setup

say "release build"
cargo build --release --locked --bin neptu-api --example seed_bench --example reference_server -q
release="$ROOT/target/release"
# As bench/api.sh: loopback Postgres without TLS, production-style JSON access log to /dev/null,
# rate limits off (one load generator from one address).
export DATABASE_URL="${DATABASE_URL%/*}/neptu_bench_ref?sslmode=disable"
export HOST=127.0.0.1 CACHE_PREFIX="bench-ref:" ENVIRONMENT=development LOG_FORMAT=json \
    LOG_LEVEL="info,sqlx=warn" SHUTDOWN_DRAIN_MS=0 RATE_LIMIT_AUTH_PER_MINUTE=0 \
    RATE_LIMIT_REFRESH_PER_MINUTE=0 RATE_LIMIT_PUBLIC_PER_MINUTE=0 RATE_LIMIT_SIGNED_IN_PER_MINUTE=0
"$release/neptu-api" migrate --create-database >/dev/null
export TOKENS="$OUT/tokens.txt"
say "seeding"
"$release/examples/seed_bench" "$TOKENS" >/dev/null

PORT=$API_PORT "$release/neptu-api" serve >/dev/null 2>&1 &
api_pid=$!
PORT=$REF_PORT "$release/examples/reference_server" >/dev/null 2>&1 &
ref_pid=$!
trap 'kill -TERM $api_pid $ref_pid 2>/dev/null; wait $api_pid $ref_pid 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$API_PORT/ready"; do sleep 0.01; done
until curl -sf -o /dev/null "http://127.0.0.1:$REF_PORT/health"; do sleep 0.01; done
sleep 2
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
anon_mb() { awk '/RssAnon/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
api_rss=$(rss_mb $api_pid); api_anon=$(anon_mb $api_pid)
ref_rss=$(rss_mb $ref_pid); ref_anon=$(anon_mb $ref_pid)

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
rps_of() { awk '/^Requests\/sec/ { printf "%d", $2 }' "$1"; }
bad_of() { awk '/Non-2xx|Socket errors/' "$1"; }

# label, path (or template with %s), then extra wrk arguments: one markdown row.
compare() {
    local slug="$1" label="$2" path="$3"; shift 3
    local api=() ref=() i file port
    for i in $(seq 1 "$RUNS"); do
        for side in api ref; do
            port=$API_PORT; [ "$side" = ref ] && port=$REF_PORT
            file="$OUT/wrk-ref-$slug-$side-$i.txt"
            PATH_TEMPLATE="$path" wrk -t2 -c50 -d"$DURATION" --latency "$@" "http://127.0.0.1:$port${path//%s/}" >"$file"
            [ -z "$(bad_of "$file")" ] || warn "$slug $side run $i: $(bad_of "$file")"
            if [ "$side" = api ]; then api+=("$(rps_of "$file")"); else ref+=("$(rps_of "$file")"); fi
        done
    done
    local a r
    a=$(printf '%s\n' "${api[@]}" | median | awk '{ printf "%d", $1 }')
    r=$(printf '%s\n' "${ref[@]}" | median | awk '{ printf "%d", $1 }')
    printf '| `%s` | %s | %s | %s | %s / %s |\n' "$label" "$a" "$r" \
        "$(awk -v a="$a" -v r="$r" 'BEGIN { printf "%.2f", a / r }')" "${api[*]}" "${ref[*]}"
}

say "load: wrk -t2 -c50 -d$DURATION --latency, $RUNS alternating runs per server"
health_row=$(compare health 'GET /health' /health)
# The wallet script builds each request's path from PATH_TEMPLATE, so the URL is the base.
user_row=$(compare user 'GET /api/users/{wallet}' '/api/users/%s' -s bench/lua/wallets.lua)

report="$OUT/reference-summary.md"
{
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "Tool: wrk -t2 -c50 -d$DURATION --latency, $RUNS runs per server, alternating; medians"
    echo
    echo "| request | API req/s | reference req/s | ratio | runs (API / reference) |"
    echo "|---|---|---|---|---|"
    echo "$health_row"
    echo "$user_row"
    echo
    echo "| idle (2 s after ready) | RSS | of which anonymous |"
    echo "|---|---|---|"
    echo "| API | $api_rss MB | $api_anon MB |"
    echo "| reference | $ref_rss MB | $ref_anon MB |"
} >"$report"
cat "$report"
