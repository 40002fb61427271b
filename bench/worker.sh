#!/usr/bin/env bash
# Job queue benchmark, release build, one worker replica at concurrency 5 on a fresh database:
#   - drain time of 1,000 queued no-op jobs;
#   - drain time of 1,000 market refreshes (each: a call to a local fake CoinGecko, then one
#     transaction upserting 13 coins, appending 13 history rows and pruning);
#   - scheduler tick lateness: a per-second schedule for TICK_SECS, p50/p99 of
#     (first attempt's start - slot).
# Repeated RUNS times; medians reported.
#
#   ./bench/worker.sh                 # RUNS=3 TICK_SECS=30 change the repetitions
#
# Uses the Postgres that scripts/lib/services.sh finds or starts (the benchmark creates and
# drops its own databases). Raw JSON lines and a summary go to bench/results/.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/services.sh"
cd "$ROOT"

export RUNS="${RUNS:-3}" TICK_SECS="${TICK_SECS:-30}"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"

ensure_rust
ensure_postgres

say "release build and run ($RUNS runs, $TICK_SECS s of ticks each)"
raw="$OUT/worker-raw.jsonl"
RUST_LOG=warn cargo bench --locked -q -p neptu-worker --bench queue | tee "$raw"

summary="$(tail -n 1 "$raw")"
# A median from the summary line, printed with the given format.
field() { printf "$2" "$(printf '%s' "$summary" | sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p")"; }
cat > "$OUT/worker-summary.md" <<MD
# Job queue benchmark

$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), release build,
one replica at concurrency 5, Postgres and the fake CoinGecko on this machine (2 cores shared
with the benchmark). Medians of $RUNS runs; raw lines in \`worker-raw.jsonl\`.

| measure | median |
|---|---|
| drain 1,000 no-op jobs | $(field noopDrainSecs %.2f) s ($(field noopJobsPerSec %.0f) jobs/s) |
| drain 1,000 market refreshes | $(field marketDrainSecs %.2f) s ($(field marketJobsPerSec %.0f) jobs/s) |
| tick lateness p50 | $(field tickLatenessP50Ms %.1f) ms |
| tick lateness p99 | $(field tickLatenessP99Ms %.1f) ms |
MD
cat "$OUT/worker-summary.md"
