#!/usr/bin/env bash
# Runs rollout.sh against stand-ins for `az` and `curl` (no Azure needed) and checks the calls
# it makes: a good deploy (snapshot before migrate), a revision that never becomes ready and is
# rolled back, a failed migration that leaves the apps alone, and a failed or missing snapshot
# that stops the rollout before the migrate job starts. Run by scripts/lint-workflows.sh.
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
    "postgres flexible-server backup create"*)
        [ "${FAKE_BACKUP:-ok}" = ok ] || { echo "ERROR: the server refused the backup" >&2; exit 1; } ;;
    "postgres flexible-server backup show"*) [ "${FAKE_BACKUP:-ok}" = ok ] && echo 2026-12-03T10:00:00+00:00 ;;
    "postgres flexible-server backup list"*)
        printf '%s\n' pre-migrate-20261101T000000Z-a pre-migrate-20261201T000000Z-c \
            pre-migrate-20261115T000000Z-b ;;
    "postgres flexible-server backup delete"*) ;;
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
    REVISION_SUFFIX=abc1234-1-1 READY_TIMEOUT_SECS=2 SNAPSHOT_KEEP=2
rollout() { ROLLOUT_STATE="$work/state" "$here/rollout.sh" "$@" 2>/dev/null; }
fail() { echo "test-rollout: $*" >&2; echo "calls:" >&2; cat "$FAKE_LOG" >&2; exit 1; }
expect() { grep -qF -- "$1" "$FAKE_LOG" || fail "expected a call with: $1"; }
refuse() { ! grep -qF -- "$1" "$FAKE_LOG" || fail "unexpected call with: $1"; }
fresh() { rm -rf "$work/state" "$FAKE_LOG"; touch "$FAKE_LOG"; }
# The line number of the first call containing $1 (0 when none).
line_of() { grep -nF -- "$1" "$FAKE_LOG" | head -1 | cut -d: -f1 || true; }

# 1. A good deploy: snapshot, migrate, pin, new revision checked on its own address, traffic,
#    retire.
fresh
rollout snapshot pg-neptu || fail "snapshot failed"
rollout migrate neptu-migrate || fail "migrate failed"
rollout remember neptu-api || fail "remember failed"
rollout deploy neptu-api || fail "deploy failed"
rollout retire neptu-api || fail "retire failed"
expect "postgres flexible-server backup create --resource-group rg --name pg-neptu --backup-name pre-migrate-"
expect "postgres flexible-server backup show --resource-group rg --name pg-neptu --backup-name pre-migrate-"
backup="$(line_of "flexible-server backup show")"
[ "${backup:-0}" -gt 0 ] && [ "$backup" -lt "$(line_of "containerapp job update")" ] \
    && [ "$backup" -lt "$(line_of "containerapp job start")" ] || fail "the snapshot did not come before the migrate job"
# With 3 pre-migration backups and 2 kept (the test runs with SNAPSHOT_KEEP=2), the oldest goes.
expect "backup delete --resource-group rg --name pg-neptu --backup-name pre-migrate-20261101T000000Z-a --yes"
refuse "backup-name pre-migrate-20261115T000000Z-b --yes"
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
rollout snapshot pg-neptu || fail "snapshot failed"
if FAKE_JOB_STATUS=Failed rollout migrate neptu-migrate; then fail "a failed migration passed"; fi
rollout rollback neptu-api || fail "rollback after a failed migration failed"
refuse "traffic set"
refuse "revision deactivate"

# 4. The server refuses the backup: the snapshot step fails, and migrate then refuses to start
#    the job (also when a workflow would run it anyway), and nothing is deployed.
fresh
if FAKE_BACKUP=refused rollout snapshot pg-neptu; then fail "a refused backup passed"; fi
if rollout migrate neptu-migrate; then fail "migrate ran after a failed snapshot"; fi
refuse "containerapp job"
refuse "backup delete"

# 5. No snapshot at all (a step skipped or reordered): migrate refuses; SKIP_SNAPSHOT=1 is the
#    explicit way round it for a person who has a backup.
fresh
if rollout migrate neptu-migrate; then fail "migrate ran without a snapshot"; fi
refuse "containerapp job"
SKIP_SNAPSHOT=1 rollout migrate neptu-migrate || fail "SKIP_SNAPSHOT=1 migrate failed"
expect "containerapp job start"

# 6. An empty server name (the GitHub variable missing) is an error, not a skipped snapshot.
fresh
if rollout snapshot ""; then fail "a snapshot without a server name passed"; fi
refuse "backup create"

echo "rollout.sh: 6 scenarios passed"
