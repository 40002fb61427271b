#!/usr/bin/env bash
# Runs the whole service locally: Postgres and Redis (found or started), the schema migrated,
# a small demo dataset, then the API and the worker until Ctrl-C.
#
#   ./scripts/run.sh            # API on :3000, worker on :8080 (API_PORT / WORKER_PORT change them)
#
# Without any Redis the services run on their in-memory cache and say so.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

# Production is the services' default (it refuses the fixed development secrets); this
# script runs them for development.
export ENVIRONMENT="${ENVIRONMENT:-development}"
API_PORT="${API_PORT:-3000}"
WORKER_PORT="${WORKER_PORT:-8080}"

ensure_rust
ensure_postgres
if ! ensure_redis; then
    warn "no Redis found or startable: running on the in-memory cache (not shared between processes)"
fi

# The application database lives next to the admin one the helpers found.
base="${DATABASE_URL%/*}"
export DATABASE_URL="${NEPTU_DATABASE_URL:-$base/neptu}"

say "building"
cargo build --locked --bins -q

bin="$ROOT/target/debug"
say "migrating $base/neptu"
"$bin/neptu-api" migrate --create-database
say "seeding demo data"
LOG_LEVEL=warn "$bin/neptu-api" seed-demo

pids=()
stop() {
    say "stopping"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT INT TERM

PORT="$API_PORT" RUN_MIGRATIONS=false "$bin/neptu-api" & pids+=($!)
PORT="$WORKER_PORT" "$bin/neptu-worker" & pids+=($!)

# The healthcheck subcommand GETs /health on 127.0.0.1:$PORT; both services answer it.
wait_healthy() {
    local i
    for i in $(seq 1 150); do
        PORT="$1" "$bin/neptu-api" healthcheck 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}
wait_healthy "$API_PORT" || die "the API did not start"
wait_healthy "$WORKER_PORT" || die "the worker did not start"

cat <<MSG

  Neptu is running.
    API      http://localhost:$API_PORT        (health: /health, readiness: /ready)
    Worker   http://localhost:$WORKER_PORT        (health: /health, readiness: /ready)
    Demo     wallet NeptuDemoWa11et1111111111111111111111111111
    Cache    ${REDIS_URL:-in-memory (no Redis)}

  Ctrl-C stops both.

MSG
wait -n "${pids[@]}"
