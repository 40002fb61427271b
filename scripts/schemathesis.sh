#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis (PyPI) generates requests for every
# operation, on a freshly migrated and seeded database, signed in as the demo wallet (an
# admin here, so admin routes are covered too), with an empty fake Solana chain. Any 5xx, or any response that does not match
# the documented schema, fails the run.
#
#   ./scripts/schemathesis.sh          # MAX_EXAMPLES=25 per operation, SEED=1
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

ensure_postgres
ensure_redis || die "no Redis for the schemathesis run"

venv="$ROOT/target/tools/schemathesis"
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
    say "installing schemathesis into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis==4.32.5"
fi

cargo build --locked --quiet -p neptu-api --bin neptu-api
bin="$ROOT/target/debug/neptu-api"

demo_wallet=NeptuDemoWa11et1111111111111111111111111111
admin_url="$DATABASE_URL"
database="neptu_schemathesis_$$"
db_url=$(python3 -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$DATABASE_URL" "$database")
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
rpc_port=$(free_port)

server_pid=""
rpc_pid=""
cleanup() {
    # `wait` returns the killed process's status: never let it become the script's.
    for pid in $server_pid $rpc_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# An empty chain, so the payment routes answer as against a real RPC rather than 503.
python3 "$ROOT/scripts/lib/fake_solana_rpc.py" "$rpc_port" &
rpc_pid=$!
export SOLANA_RPC_URL="http://127.0.0.1:$rpc_port" \
    NEPTU_ECOSYSTEM_POOL=So11111111111111111111111111111111111111112 \
    SUDIGITAL_TREASURY=TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA
export ENVIRONMENT=development DATABASE_URL="$db_url" PORT="$port" HOST=127.0.0.1 CACHE_PREFIX="schemathesis-$$:" \
    LOG_LEVEL=warn SHUTDOWN_DRAIN_MS=0 ADMIN_WALLET_ADDRESS="$demo_wallet" \
    AUTH_LEGACY_WALLET_HEADER=true RATE_LIMIT_AUTH_PER_MINUTE=0 RATE_LIMIT_REFRESH_PER_MINUTE=0 \
    RATE_LIMIT_PUBLIC_PER_MINUTE=0 RATE_LIMIT_SIGNED_IN_PER_MINUTE=0
"$bin" migrate --create-database
"$bin" seed-demo >/dev/null
"$bin" serve >"$ROOT/target/schemathesis-api.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/ready" >/dev/null || die "the API did not become ready (target/schemathesis-api.log)"

say "schemathesis against http://127.0.0.1:$port/openapi.json"
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "${MAX_EXAMPLES:-25}" --seed "${SEED:-1}" --workers 2 \
    --header "X-Wallet-Address: $demo_wallet" \
    --request-timeout 10 --warnings off \
    || die "schemathesis found 5xx answers or schema violations (server log: target/schemathesis-api.log)"
