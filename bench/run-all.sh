#!/usr/bin/env bash
# Runs every benchmark of bench/ one after the other and writes bench/RESULTS.md: the machine,
# the tools, each benchmark's table (medians of repeated runs) and every target with its
# measured value. Run it on a quiet machine: the load generator, the server and Postgres
# share the cores, so anything else running shows up in the numbers.
#
#   ./bench/run-all.sh              # RUNS=3 DURATION=15s, passed on to the HTTP benchmarks
#   REPORT_ONLY=1 ./bench/run-all.sh   # only rewrite RESULTS.md from bench/results/
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/services.sh"
cd "$ROOT"

OUT="$ROOT/bench/results"
mkdir -p "$OUT"
started=$(date -u +%Y-%m-%dT%H:%MZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# REPORT_ONLY=1 rewrites RESULTS.md from the summaries already in bench/results/.
if [ -z "${REPORT_ONLY:-}" ]; then
    say "wariga (divan)"
    cargo bench --locked -q -p neptu-wariga --bench wariga 2>/dev/null | tee "$OUT/wariga.txt"
    ./bench/health.sh
    ./bench/reference.sh
    ./bench/api.sh
    ./bench/metered.sh
    ./bench/worker.sh
    ./bench/import.sh
    ./bench/import-pg.sh
fi

# The median column of a divan row.
divan_median() { grep -E "[├╰]─ $1 " "$OUT/wariga.txt" | awk -F'│' '{ gsub(/^ +| +$/, "", $3); print $3 }'; }
# A cell of the markdown row whose first cell contains $2, in file $1.
cell() { grep -F "$2" "$1" | head -1 | awk -F'|' -v n="$3" '{ gsub(/^ +| +$/, "", $n); print $n }'; }
value_of() { grep -F "$2" "$1" | head -1 | grep -oE '[0-9]+(\.[0-9]+)?' | head -1; }
verdict() { if awk -v v="$1" -v t="$3" "BEGIN { exit !(v $2 t) }"; then echo met; else echo "**not met**"; fi; }
# Durations as divan prints them (ns, µs, ms) in nanoseconds.
to_ns() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /µs/) n *= 1000; else if (d ~ /ms/) n *= 1000000; print n }'; }

health="$OUT/health-summary.md"; api="$OUT/api-summary.md"; reference="$OUT/reference-summary.md"
worker="$OUT/worker-summary.md"; import="$OUT/import-summary.md"; metered="$OUT/metered-summary.md"
health_rps=$(cell "$health" '`GET /health`' 3)
health_p99=$(cell "$health" '`GET /health`' 5)
rss_idle=$(cell "$reference" '| API |' 3 | grep -oE '[0-9.]+')
health_ratio=$(cell "$reference" '`GET /health`' 5)
user_ratio=$(cell "$reference" '`GET /api/users/{wallet}`' 5)
spawn_ms=$(cell "$health" 'spawn to first /ready' 3 | grep -oE '[0-9]+')
full=$(divan_median full_reading)
batch=$(divan_median compatibility_batch_of_5)
lateness=$(cell "$worker" 'tick lateness p99' 3 | grep -oE '[0-9.]+')
import_rate=$(grep -oE 'median: [0-9]+' "$import" | grep -oE '[0-9]+')
import_pg="$OUT/import-pg-summary.md"
import_pg_rate=$(grep -oE 'median: [0-9]+' "$import_pg" | grep -oE '[0-9]+')
api_missed=$(grep -c '| MISSED |' "$api" || true)
metered_rps=$(cell "$metered" '/api/v1/reading/potensi' 3)
metered_p99=$(cell "$metered" '/api/v1/reading/potensi' 5)
metered_plain=$(cell "$metered" '(no key)' 3)
metered_answers=$(cell "$metered" '200 answers to the key' 3)
metered_usage=$(cell "$metered" 'api_usage' 3)
metered_spent=$(cell "$metered" 'credits spent' 3)

commit=$(git rev-parse --short HEAD)
if [ -n "${REPORT_ONLY:-}" ]; then
    written_by="Rewritten by \`REPORT_ONLY=1 bench/run-all.sh\` ($started, commit $commit) from the summaries in bench/results/; each section names the commit it was measured on."
else
    written_by="Written by \`bench/run-all.sh\` (started $started, commit $commit)."
fi

{
    cat <<MD
# Benchmark results

$written_by
Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),
$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r); load average before
the run: $load_before. Tools: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), divan, $(cargo --version | cut -d' ' -f1-2).
Load generator, servers and Postgres share the same cores; medians of repeated runs.

## Targets

| target | measured | |
|---|---|---|
| \`GET /health\` ≥ 80,000 req/s (wrk -t2 -c50) | $health_rps req/s, p99 $health_p99 ms | $(verdict "$health_rps" '>=' 80000) |
| \`GET /health\` ≥ 0.9 × a bare axum server (\`bench/reference.sh\`, same run, alternating) | $health_ratio × | $(verdict "$health_ratio" '>=' 0.9) |
| \`GET /api/users/{wallet}\` ≥ 0.9 × a bare axum + sqlx handler with the same query | $user_ratio × | $(verdict "$user_ratio" '>=' 0.9) |
| API idle RSS < 15 MB (same run) | $rss_idle MB | $(verdict "$rss_idle" '<' 15) |
| spawn to \`/ready\` 200 < 1 s (schema current) | $spawn_ms ms | $(verdict "$spawn_ms" '<' 1000) |
| a FullReading < 5 µs | $full | $(verdict "$(to_ns "$full")" '<' 5000) |
| compatibility batch of 5 < 50 µs | $batch | $(verdict "$(to_ns "$batch")" '<' 50000) |
| user-facing API: each request's req/s and p99 target, zero errors | see the API table | $([ "$api_missed" -eq 0 ] && echo met || echo "**$api_missed not met**") |
| \`GET /api/v1/reading/potensi\` with a key ≥ 15,000 req/s, p99 < 10 ms (wrk -t2 -c50) | $metered_rps req/s, p99 $metered_p99 ms ($metered_plain req/s without a key, same run) | $(if [ "$(verdict "$metered_rps" '>=' 15000)" = met ] && [ "$(verdict "$metered_p99" '<' 10)" = met ]; then echo met; else echo "**not met**"; fi) |
| after that run: usage rows = credits spent = 200 answers | $metered_usage rows, $metered_spent credits, $metered_answers answers | $([ "$metered_usage" = "$metered_answers" ] && [ "$metered_spent" = "$metered_answers" ] && echo met || echo "**not met**") |
| scheduler tick lateness p99 < 1 s | $lateness ms | $(verdict "$lateness" '<' 1000) |
| D1 import ≥ 20,000 rows/s (100,000-row dump) | $import_rate rows/s | $(verdict "$import_rate" '>=' 20000) |
| Postgres import, the D1 bar ≥ 20,000 rows/s (100,000 rows in the original's schema) | $import_pg_rate rows/s | $(verdict "$import_pg_rate" '>=' 20000) |

Image sizes (< 40 MB each) are measured from their contents, not here: see the README.

$(cat "$ROOT/bench/notes.md")

## Probes (\`bench/health.sh\`)

$(cat "$health")

## Against a bare axum server (\`bench/reference.sh\`)

$(cat "$reference")

## User-facing API (\`bench/api.sh\`)

$(cat "$api")

## Metered public API (\`bench/metered.sh\`)

$(cat "$metered")

## Job queue (\`bench/worker.sh\`)

$(sed '1{/^#/d}' "$worker")

## D1 import (\`bench/import.sh\`)

$(cat "$import")

## Postgres import (\`bench/import-pg.sh\`)

$(cat "$import_pg")

## Wariga engine (\`cargo bench -p neptu-wariga --bench wariga\`)

\`\`\`
$(cat "$OUT/wariga.txt")
\`\`\`
MD
} >"$ROOT/bench/RESULTS.md"
say "wrote bench/RESULTS.md"
