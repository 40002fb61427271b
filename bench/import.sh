#!/usr/bin/env bash
# D1 import benchmark: a generated D1-style SQL dump of about 100,000 rows (every table of the
# schema, with the edge cases of the import tests), imported RUNS times (default 3) into an
# emptied database with the release build. Prints rows per second (median).
#
#   ./bench/import.sh       # ROWS=100000 RUNS=3
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/services.sh"
source "$(dirname "$0")/lib/import.sh"
cd "$ROOT"

ROWS="${ROWS:-100000}"
RUNS="${RUNS:-3}"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
ensure_rust
ensure_postgres

say "release build"
cargo build --release --locked --bin neptu-api --example d1_dump -q
dump="$OUT/d1-bench.sql.tmp"
"$ROOT/target/release/examples/d1_dump" $((ROWS / 6)) "$dump" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/neptu_bench_import" LOG_LEVEL=warn ENVIRONMENT=development
import_runs "$ROOT/target/release/neptu-api" import-d1 --from "$dump" --truncate
{
    echo "D1 import: $IMPORTED rows ($(du -h "$dump" | cut -f1) SQL dump), $RUNS runs, release build, commit $(git rev-parse --short HEAD)"
    echo "median: $MEDIAN rows/s (target ≥ 20,000); runs: ${RATES[*]}"
} | tee "$OUT/import-summary.md"
rm -f "$dump"
