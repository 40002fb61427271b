#!/usr/bin/env bash
# Probe benchmark: release build of the API, then
#   - time from spawn to the first /ready 200 (schema already migrated), median of 5 starts;
#   - RSS idle, then after load;
#   - wrk -t2 -c50 -d15s --latency on /health and /ready, 3 runs each, medians reported.
#
#   ./bench/health.sh              # RUNS=3 DURATION=15s change the load runs
#
# Uses the Postgres/Redis that scripts/lib/services.sh finds or starts, and a database of its
# own (neptu_bench). Raw wrk output goes to bench/results/.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/services.sh"
source "$(dirname "$0")/lib/setup.sh"
cd "$ROOT"

RUNS="${RUNS:-3}"
DURATION="${DURATION:-15s}"
PORT="${BENCH_PORT:-3999}"
http_bench_setup

say "release build"
cargo build --release --locked --bins -q
bin="$ROOT/target/release/neptu-api"

export DATABASE_URL="${DATABASE_URL%/*}/neptu_bench"
# No load balancer to drain for: stop at once.
export PORT HOST=127.0.0.1 LOG_LEVEL=warn CACHE_PREFIX="bench:" ENVIRONMENT=development SHUTDOWN_DRAIN_MS=0
"$bin" migrate --create-database

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# The process's own memory, without the pages of its executable mapped from the page cache.
anon_mb() { awk '/RssAnon/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
now_ms() { date +%s%3N; }

start_api() {
    "$bin" serve >/dev/null 2>&1 &
    echo $!
}
wait_ready() {
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/ready"; do sleep 0.002; done
}
# The server was started in a subshell, so `wait` cannot reap it: poll until it is gone, or
# the next start would find the port still taken.
stop_api() {
    kill -TERM "$1"
    while kill -0 "$1" 2>/dev/null; do sleep 0.01; done
}

say "spawn to first /ready 200"
starts=()
for _ in 1 2 3 4 5; do
    t0=$(now_ms); pid=$(start_api); wait_ready; t1=$(now_ms)
    starts+=($((t1 - t0)))
    stop_api "$pid"
done
startup_ms=$(printf '%s\n' "${starts[@]}" | median)

pid=$(start_api)
wait_ready
sleep 2
rss_idle=$(rss_mb "$pid")
anon_idle=$(anon_mb "$pid")

# "Requests/sec: 91234.56" and the --latency distribution ("50%  401.00us").
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.3f\n", v }'; }
load() {
    local path="$1" name="$2" i file
    local rps=() p50=() p99=()
    for i in $(seq 1 "$RUNS"); do
        file="$OUT/wrk-$name-$i.txt"
        wrk -t2 -c50 -d"$DURATION" --latency "http://127.0.0.1:$PORT$path" >"$file"
        rps+=("$(awk '/^Requests\/sec/ { print $2 }' "$file")")
        p50+=("$(awk '$1 == "50%" { print $2 }' "$file" | to_ms)")
        p99+=("$(awk '$1 == "99%" { print $2 }' "$file" | to_ms)")
        if grep -q 'Non-2xx' "$file"; then warn "$name run $i had non-2xx answers: $(grep Non-2xx "$file")"; fi
    done
    printf '| `GET %s` | %s | %s | %s | %s |\n' "$path" \
        "$(printf '%s\n' "${rps[@]}" | median | awk '{ printf "%d", $1 }')" \
        "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)" \
        "$(printf '%s ' "${rps[@]}" | awk '{ for (i = 1; i <= NF; i++) printf "%d%s", $i, (i < NF ? ", " : "") }')"
}

say "load: wrk -t2 -c50 -d$DURATION --latency, $RUNS runs per endpoint"
health_row=$(load /health health)
ready_row=$(load /ready ready)
rss_loaded=$(rss_mb "$pid")
stop_api "$pid"

report="$OUT/health-summary.md"
{
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "Tool: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), wrk -t2 -c50 -d$DURATION --latency (load and server share the cores)"
    echo
    echo "| endpoint | req/s (median) | p50 ms | p99 ms | req/s per run |"
    echo "|---|---|---|---|---|"
    echo "$health_row"
    echo "$ready_row"
    echo
    echo "| measure | value |"
    echo "|---|---|"
    echo "| spawn to first /ready 200 (median of 5) | ${startup_ms} ms |"
    echo "| RSS idle | ${rss_idle} MB |"
    echo "| of which anonymous (heap, stacks; the rest is the executable's code) | ${anon_idle} MB |"
    echo "| RSS after load | ${rss_loaded} MB |"
} >"$report"
cat "$report"
