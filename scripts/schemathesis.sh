#!/usr/bin/env bash
# The API and the worker, each against its own OpenAPI document: schemathesis (PyPI) generates
# requests for every operation, on a freshly migrated and seeded database, signed in as the
# demo wallet (an admin here, so admin routes are covered too). Outside services are local
# fakes: an empty Solana chain for the API; CoinGecko, Azure OpenAI and the Colosseum project
# page for the worker. Any 5xx, or any response that does not match the documented schema,
# fails the run.
#
#   ./scripts/schemathesis.sh                  # both, MAX_EXAMPLES=25 per operation, SEED=1
#   SERVICES=worker ./scripts/schemathesis.sh  # one of them
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

services="${SERVICES:-api worker}"
ensure_postgres
ensure_redis || die "no Redis for the schemathesis run"

venv="$ROOT/target/tools/schemathesis"
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
    say "installing schemathesis into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis==4.32.5"
fi

# The API binary migrates and seeds the database the worker serves from, so it is always built.
cargo build --locked --quiet -p neptu-api --bin neptu-api -p neptu-worker --bin neptu-worker
api_bin="$ROOT/target/debug/neptu-api"
worker_bin="$ROOT/target/debug/neptu-worker"

demo_wallet=NeptuDemoWa11et1111111111111111111111111111
admin_url="$DATABASE_URL"
database="neptu_schemathesis_$$"
db_url=$(python3 -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$DATABASE_URL" "$database")
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pids=()
cleanup() {
    # `wait` returns the killed process's status: never let it become the script's.
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

export ENVIRONMENT=development DATABASE_URL="$db_url" HOST=127.0.0.1 CACHE_PREFIX="schemathesis-$$:" \
    LOG_LEVEL=warn SHUTDOWN_DRAIN_MS=0 ADMIN_WALLET_ADDRESS="$demo_wallet" \
    AUTH_LEGACY_WALLET_HEADER=true RATE_LIMIT_AUTH_PER_MINUTE=0 RATE_LIMIT_REFRESH_PER_MINUTE=0 \
    RATE_LIMIT_PUBLIC_PER_MINUTE=0 RATE_LIMIT_SIGNED_IN_PER_MINUTE=0
"$api_bin" migrate --create-database
"$api_bin" seed-demo >/dev/null

# The outside services, as each binary is configured for them.
rpc_port=$(free_port)
python3 "$ROOT/scripts/lib/fake_solana_rpc.py" "$rpc_port" &
pids+=($!)
upstream_port=$(free_port)
python3 "$ROOT/scripts/lib/fake_worker_upstreams.py" "$upstream_port" &
pids+=($!)
upstream="http://127.0.0.1:$upstream_port"
api_env=(
    SOLANA_RPC_URL="http://127.0.0.1:$rpc_port"
    NEPTU_ECOSYSTEM_POOL=So11111111111111111111111111111111111111112
    SUDIGITAL_TREASURY=TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA
)
# No job is scheduled: the run is about the routes. The per-caller quotas are off and the
# budget for untracked chart ids is as large as it goes, so examples reach the handlers
# rather than a 429 or the chart proxy's 503.
worker_env=(
    COINGECKO_API_URL="$upstream/gecko/api/v3"
    AZURE_OPENAI_API_KEY=fake-key AZURE_OPENAI_ENDPOINT="$upstream/azure" AZURE_OPENAI_DEPLOYMENT=fake-model
    COLOSSEUM_API_URL="$upstream/colosseum/api"
    ORACLE_RATE_LIMIT_PER_HOUR=0 ORACLE_RATE_LIMIT_PER_ADDRESS_PER_HOUR=0 CHART_RATE_LIMIT_PER_MINUTE=0
    CHART_UNTRACKED_PER_HOUR=100000
    SCHEDULE_FORUM_REPLIES=off SCHEDULE_FORUM_COMMENTS=off SCHEDULE_FORUM_POSTS=off
    SCHEDULE_MARKET_REFRESH=off SCHEDULE_DAILY_TASKS=off SCHEDULE_DEVELOPER_MAINTENANCE=off
)

# fuzz NAME BIN ENV...: serves BIN on a free port with ENV added, waits until it is ready,
# then runs schemathesis over its /openapi.json.
fuzz() {
    local name="$1" bin="$2" port log
    shift 2
    port=$(free_port)
    log="$ROOT/target/schemathesis-$name.log"
    env "$@" PORT="$port" "$bin" serve >"$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
        sleep 0.1
    done
    curl -fsS "http://127.0.0.1:$port/ready" >/dev/null || die "the $name did not become ready (target/schemathesis-$name.log)"

    say "schemathesis against the $name: http://127.0.0.1:$port/openapi.json"
    "$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" \
        --checks not_a_server_error,response_schema_conformance \
        --max-examples "${MAX_EXAMPLES:-25}" --seed "${SEED:-1}" --workers 2 \
        --header "X-Wallet-Address: $demo_wallet" \
        --request-timeout 10 --warnings off \
        || die "schemathesis found 5xx answers or schema violations in the $name (server log: target/schemathesis-$name.log)"
}

for service in $services; do
    case "$service" in
        api) fuzz api "$api_bin" "${api_env[@]}" ;;
        worker) fuzz worker "$worker_bin" "${worker_env[@]}" ;;
        *) die "unknown service $service (SERVICES is a list of: api worker)" ;;
    esac
done
