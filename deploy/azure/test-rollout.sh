#!/usr/bin/env bash
# Runs rollout.sh against stand-ins for `az` and `curl` (no Azure needed) and checks the calls
# it makes: a good deploy, a revision that never becomes ready and is rolled back, and a failed
# migration that leaves the apps alone. Run by scripts/lint-workflows.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin"
# The stand-in az answers what rollout.sh asks; FAKE_* variables pick the outcome.
cat > "$work/bin/az" <<'AZ'
#!/usr/bin/env bash
echo "az $*" >> "$FAKE_LOG"
case "$*" in
    "containerapp job start"*) echo neptu-migrate-x1 ;;
    "containerapp job execution show"*) echo "${FAKE_JOB_STATUS:-Succeeded}" ;;
    "containerapp revision list"*) echo neptu-api--old ;;
    "containerapp revision show"*properties.fqdn*) echo new.test ;;
    "containerapp revision show"*properties.active*) echo true ;;
    "containerapp show"*) echo app.test ;;
    "containerapp job update"* | "containerapp ingress traffic set"* | "containerapp update"* \
        | "containerapp revision deactivate"* | "containerapp revision activate"*) ;;
    *) echo "unexpected az call: $*" >&2; exit 3 ;;
esac
AZ
cat > "$work/bin/curl" <<'CURL'
#!/usr/bin/env bash
echo "curl ${*: -1}" >> "$FAKE_LOG"
printf %s "${FAKE_READY:-200}"
CURL
chmod +x "$work/bin/az" "$work/bin/curl"

export PATH="$work/bin:$PATH" FAKE_LOG="$work/log" RESOURCE_GROUP=rg IMAGE=registry/neptu-api:abc \
    REVISION_SUFFIX=abc1234-1-1 READY_TIMEOUT_SECS=2
rollout() { ROLLOUT_STATE="$work/state" "$here/rollout.sh" "$@" 2>/dev/null; }
fail() { echo "test-rollout: $*" >&2; echo "calls:" >&2; cat "$FAKE_LOG" >&2; exit 1; }
expect() { grep -qF -- "$1" "$FAKE_LOG" || fail "expected a call with: $1"; }
refuse() { ! grep -qF -- "$1" "$FAKE_LOG" || fail "unexpected call with: $1"; }
fresh() { rm -rf "$work/state" "$FAKE_LOG"; touch "$FAKE_LOG"; }

# 1. A good deploy: migrate, pin, new revision checked on its own address, traffic, retire.
fresh
rollout migrate neptu-migrate || fail "migrate failed"
rollout remember neptu-api || fail "remember failed"
rollout deploy neptu-api || fail "deploy failed"
rollout retire neptu-api || fail "retire failed"
expect "job update --resource-group rg --name neptu-migrate --image registry/neptu-api:abc"
expect "revision-weight neptu-api--old=100"
expect "update --resource-group rg --name neptu-api --image registry/neptu-api:abc --revision-suffix abc1234-1-1"
expect "curl https://new.test/ready"
expect "revision-weight neptu-api--abc1234-1-1=100"
expect "curl https://app.test/ready"
expect "revision deactivate --resource-group rg --name neptu-api --revision neptu-api--old"

# 2. The new revision never answers 200: deploy fails, rollback moves traffic back.
fresh
rollout remember neptu-api
if FAKE_READY=503 rollout deploy neptu-api; then fail "deploy of an unready revision succeeded"; fi
refuse "revision-weight neptu-api--abc1234-1-1=100"
rollout rollback neptu-api || fail "rollback failed"
[ "$(grep -c 'revision-weight neptu-api--old=100' "$FAKE_LOG")" -eq 2 ] || fail "traffic not moved back"
expect "revision deactivate --resource-group rg --name neptu-api --revision neptu-api--abc1234-1-1"

# 3. A failed migration: the step fails, and a rollback touches nothing.
fresh
if FAKE_JOB_STATUS=Failed rollout migrate neptu-migrate; then fail "a failed migration passed"; fi
rollout rollback neptu-api || fail "rollback after a failed migration failed"
refuse "traffic set"
refuse "revision deactivate"

echo "rollout.sh: 3 scenarios passed"
