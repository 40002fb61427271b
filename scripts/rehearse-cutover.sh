#!/usr/bin/env bash
# Cut-over rehearsal: the whole move from the original backend's Postgres database to ours, on
# this machine, with scratch databases it drops afterwards.
#
#   1. a source database in the original's schema, filled with the sample and generated users
#      (api/tests/fixtures/original_pg: schema.sql, sample.sql, bulk.sql);
#   2. `neptu-api import-pg` into a fresh target database (migrated first);
#   3. the target's migrations checked;
#   4. the API started on a free port, on the target;
#   5. an imported user (Alice, from sample.sql) signs in with a real wallet signature
#      (Ed25519 with openssl) and reads their profile, readings, streak and rewards with curl;
#   6. every table's row count, source against target.
# Exits non-zero at the first failure.
#
#   ./scripts/rehearse-cutover.sh          # USERS=200 generated users (8 rows each)
#   NEPTU_API_BIN=target/release/neptu-api ./scripts/rehearse-cutover.sh   # skip the build
set -euo pipefail
# shellcheck source=scripts/lib/services.sh
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

USERS="${USERS:-200}"
FIXTURES="$ROOT/api/tests/fixtures/original_pg"
# Alice's wallet is the Ed25519 public key of the seed of 32 bytes 0x41 (see sample.sql).
ALICE_WALLET=FnDw11RnMuVPfRYeo2h9aGj8siN4iWJTz5UwdLtKcfA4
ALICE_ID=0b8e4c1a-5f2d-4e7b-9a61-3c2d1e0f4a11
TABLES=(users readings payments token_transactions daily_readings user_rewards user_streaks
        referrals pricing_plans crypto_market crypto_market_history)

for tool in psql curl jq openssl xxd; do
    command -v "$tool" >/dev/null || die "$tool is needed (apt-get install postgresql-client curl jq openssl xxd)"
done
ensure_postgres
if ensure_redis; then
    redis_note="Redis at $REDIS_URL"
else
    unset REDIS_URL
    redis_note="no Redis: the in-memory cache"
fi

if [ -n "${NEPTU_API_BIN:-}" ]; then
    bin="$NEPTU_API_BIN"
else
    ensure_rust
    say "building neptu-api"
    cargo build --locked --bin neptu-api -q
    bin="$ROOT/target/debug/neptu-api"
fi

admin_url="$DATABASE_URL"
base="${DATABASE_URL%/*}"
stamp="$(date +%s)_$$"
source_db="neptu_rehearse_source_$stamp"
target_db="neptu_rehearse_target_$stamp"
source_url="$base/$source_db"
target_url="$base/$target_db"
work="$(mktemp -d)"
api_pid=""

cleanup() {
    local status=$?
    if [ -n "$api_pid" ]; then
        kill -TERM "$api_pid" 2>/dev/null || true
        wait "$api_pid" 2>/dev/null || true
    fi
    for db in "$source_db" "$target_db"; do
        psql "$admin_url" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
    if [ "$status" -eq 0 ]; then
        say "rehearsal passed; scratch databases dropped"
    else
        printf '\033[1;31mrehearsal FAILED\033[0m (exit %s); scratch databases dropped\n' "$status" >&2
    fi
}
trap cleanup EXIT

say "1/6 source: $source_db in the original's schema, sample data and $USERS generated users"
psql "$admin_url" -qAtc "CREATE DATABASE $source_db" >/dev/null
psql "$source_url" -q -v ON_ERROR_STOP=1 -f "$FIXTURES/schema.sql" -f "$FIXTURES/sample.sql" \
    -f "$FIXTURES/bulk.sql" -c "SELECT fill_original($USERS)" >/dev/null

say "2/6 import-pg into a fresh target: $target_db"
export DATABASE_URL="$target_url" LOG_LEVEL=warn ENVIRONMENT=development
"$bin" migrate --create-database
"$bin" import-pg --from "$source_url" | tee "$work/report.txt" \
    || die "import-pg failed (report above)"

say "3/6 migrations of the target"
"$bin" migrate status || die "migrate status is not clean"

say "4/6 API on the target ($redis_note)"
port=""
for candidate in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || die "no free port found"
PORT="$port" HOST=127.0.0.1 RUN_MIGRATIONS=false CACHE_PREFIX="rehearse:$stamp:" SHUTDOWN_DRAIN_MS=0 \
    "$bin" >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 150); do
    PORT="$port" "$bin" healthcheck 2>/dev/null && break
    kill -0 "$api_pid" 2>/dev/null || { cat "$work/api.log" >&2; die "the API exited"; }
    sleep 0.2
done
PORT="$port" "$bin" healthcheck 2>/dev/null || die "the API did not start on :$port"
api="http://127.0.0.1:$port"
curl -fsS "$api/ready" | jq -e '.checks.database == "ok"' >/dev/null || die "/ready does not see the database"

say "5/6 Alice signs in with her wallet and reads her data"
printf '302e020100300506032b657004220420%s' "$(printf '41%.0s' $(seq 1 32))" | xxd -r -p >"$work/alice.der"
post() { curl -fsS -H 'Content-Type: application/json' -d "$2" "$api$1"; }
nonce=$(post /api/auth/nonce "{\"walletAddress\":\"$ALICE_WALLET\"}") || die "no nonce"
jq -j .message <<<"$nonce" >"$work/message"
signature=$(openssl pkeyutl -sign -keyform DER -inkey "$work/alice.der" -rawin -in "$work/message" | xxd -p | tr -d '\n')
session=$(post /api/auth/verify "{\"walletAddress\":\"$ALICE_WALLET\",\"signature\":\"$signature\"}") \
    || die "the signature was refused"
[ "$(jq -r .user.id <<<"$session")" = "$ALICE_ID" ] || die "signed in as a new user, not the imported one: $session"
token=$(jq -r .accessToken <<<"$session")
get() { curl -fsS -H "Authorization: Bearer $token" "$api$1" || die "GET $1 failed"; }
check() { jq -e "$2" <<<"$1" >/dev/null || die "unexpected answer ($3): $1"; }

profile=$(get "/api/users/$ALICE_WALLET")
check "$profile" '.user.displayName == "Alice" and .user.interests == ["love","crypto"]' "profile"
readings=$(get "/api/users/$ALICE_WALLET/readings")
check "$readings" '[.readings[].readingData | type] == ["object","object"]' "readings: two, both objects"
streak=$(get "/api/wallet/streak/$ALICE_WALLET")
check "$streak" '.streak.currentStreak == 3 and .streak.longestStreak == 7 and .streak.totalCheckIns == 12' "streak"
rewards=$(get "/api/wallet/rewards/$ALICE_WALLET")
check "$rewards" '(.rewards | length) == 2 and .totalPending == 5.1' "pending rewards"
transactions=$(get "/api/token/transactions/$ALICE_WALLET")
check "$transactions" 'tostring | contains("5h3Y9sigAliceReading")' "token transactions"
echo "  profile:  $(jq -c '.user | {id, walletAddress, displayName, interests, createdAt}' <<<"$profile")"
echo "  readings: $(jq -c '[.readings[] | {type, targetDate}]' <<<"$readings")"
echo "  streak:   $(jq -c '.streak | {currentStreak, longestStreak, totalCheckIns, lastCheckIn}' <<<"$streak")"
echo "  rewards:  $(jq -c '{pending: (.rewards | length), totalPending}' <<<"$rewards")"

say "6/6 row counts, source against target"
printf '%-24s %10s %10s\n' table source target
mismatch=0
for table in "${TABLES[@]}"; do
    from=$(psql "$source_url" -qAtc "SELECT count(*) FROM $table")
    to=$(psql "$target_url" -qAtc "SELECT count(*) FROM $table")
    flag=""
    [ "$from" = "$to" ] || { flag="  MISMATCH"; mismatch=1; }
    printf '%-24s %10s %10s%s\n' "$table" "$from" "$to" "$flag"
done
[ "$mismatch" -eq 0 ] || die "row counts differ"
tail -1 "$work/report.txt"
