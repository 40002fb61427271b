#!/usr/bin/env bash
# Postgres import benchmark: a scratch database in the original backend's schema
# (api/tests/fixtures/original_pg) holding about 100,000 rows (every table, with the quirks
# of the import tests), imported RUNS times (default 3) with `neptu-api import-pg --truncate`
# into a migrated database, release build. Prints rows per second (median), reading the
# source included. Both databases are dropped at the end.
#
#   ./bench/import-pg.sh    # ROWS=100000 RUNS=3
set -euo pipefail
# shellcheck source=scripts/lib/services.sh
source "$(dirname "$0")/../scripts/lib/services.sh"
source "$(dirname "$0")/lib/import.sh"
cd "$ROOT"

ROWS="${ROWS:-100000}"
RUNS="${RUNS:-3}"
OUT="$ROOT/bench/results"
FIXTURES="$ROOT/api/tests/fixtures/original_pg"
mkdir -p "$OUT"
ensure_rust
ensure_postgres
command -v psql >/dev/null || die "psql is needed to build the source database"

say "release build"
cargo build --release --locked --bin neptu-api -q
base="${DATABASE_URL%/*}"
source_url="$base/neptu_bench_import_pg_src"
target_url="$base/neptu_bench_import_pg"
admin_url="$DATABASE_URL"
cleanup() {
    for db in neptu_bench_import_pg_src neptu_bench_import_pg; do
        psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT
cleanup

say "building the source: $((ROWS / 8)) generated users, 8 rows each"
psql "$admin_url" -qAtc "CREATE DATABASE neptu_bench_import_pg_src" >/dev/null
psql "$source_url" -q -v ON_ERROR_STOP=1 -f "$FIXTURES/schema.sql" -f "$FIXTURES/sample.sql" \
    -f "$FIXTURES/bulk.sql" -c "SELECT fill_original($((ROWS / 8)))" >/dev/null
export DATABASE_URL="$target_url" LOG_LEVEL=warn ENVIRONMENT=development
import_runs "$ROOT/target/release/neptu-api" import-pg --from "$source_url" --truncate
size=$(psql "$admin_url" -qAtc "SELECT pg_size_pretty(pg_database_size('neptu_bench_import_pg_src'))")
{
    echo "Postgres import: $IMPORTED rows (a $size source database in the original's schema), $RUNS runs, release build, commit $(git rev-parse --short HEAD)"
    echo "median: $MEDIAN rows/s (the D1 import's bar: ≥ 20,000); runs: ${RATES[*]}"
} | tee "$OUT/import-pg-summary.md"
