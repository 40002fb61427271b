#!/usr/bin/env bash
# One deploy to Azure Container Apps, step by step; .github/workflows/deploy-azure.yml calls
# each step, and a person can too (docs/deploy.md). Needs `az` logged in, and:
#   RESOURCE_GROUP   the environment's resource group
#   IMAGE            for migrate/deploy: the full image reference (registry/name:tag)
#   REVISION_SUFFIX  for deploy: suffix of the new revision (lowercase letters, digits, '-')
#   READY_TIMEOUT_SECS (default 300), MIGRATE_TIMEOUT_SECS (default 900)
#   SNAPSHOT_TIMEOUT_SECS (default 1800), SNAPSHOT_KEEP pre-migration backups kept (default 5)
#   ROLLOUT_STATE    directory remembering the revisions of this deploy (default $RUNNER_TEMP/rollout)
#
#   rollout.sh snapshot SERVER           on-demand backup of the Postgres flexible server, checked
#                                        complete; older pre-migration backups beyond SNAPSHOT_KEEP
#                                        deleted
#   rollout.sh migrate JOB               set the job's image to $IMAGE, start it, wait for success;
#                                        refused unless this deploy's snapshot was taken
#                                        (SKIP_SNAPSHOT=1 overrides, for a person who has one)
#   rollout.sh remember APP              note the revision serving 100% and pin the traffic to it
#   rollout.sh deploy APP                new revision with $IMAGE, no traffic; wait for /ready 200
#                                        on its own address; then give it all the traffic
#   rollout.sh rollback APP              all traffic back to the remembered revision; the new
#                                        one deactivated
#   rollout.sh retire APP                deactivate the remembered revision (after a good deploy)
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '::error::%s\n' "$*" >&2; exit 1; }

: "${RESOURCE_GROUP:?RESOURCE_GROUP is not set}"
STATE="${ROLLOUT_STATE:-${RUNNER_TEMP:-/tmp}/rollout}"
mkdir -p "$STATE"
rg=(--resource-group "$RESOURCE_GROUP")

# A restore point taken just before the migrate job changes the schema, so a migration that
# goes wrong (data it rewrote, not just a failure: that rolls back in its transaction) can be
# undone by restoring to it. docs/deploy.md, "Pre-migration snapshot".
snapshot() {
    local server="$1" name completed old all
    [ -n "$server" ] || die "snapshot: no server name (the AZURE_POSTGRES_SERVER variable)"
    name="pre-migrate-$(date -u +%Y%m%dT%H%M%SZ)${REVISION_SUFFIX:+-$REVISION_SUFFIX}"
    say "$server: on-demand backup $name"
    timeout "${SNAPSHOT_TIMEOUT_SECS:-1800}" az postgres flexible-server backup create "${rg[@]}" \
        --name "$server" --backup-name "$name" --output none \
        || die "$server: on-demand backup $name failed or timed out; not migrating"
    completed="$(az postgres flexible-server backup show "${rg[@]}" --name "$server" \
        --backup-name "$name" --query completedTime --output tsv)" || completed=""
    [ -n "$completed" ] || die "$server: backup $name is not listed as complete; not migrating"
    printf '%s %s %s\n' "$server" "$name" "$completed" > "$STATE/snapshot"
    say "$server: backup $name complete at $completed (restore: az postgres flexible-server restore --source-server $server --restore-time $completed)"
    # Names sort by time; keep the newest SNAPSHOT_KEEP. Failing to prune costs storage only.
    if ! all="$(az postgres flexible-server backup list "${rg[@]}" --name "$server" \
        --query "[?starts_with(name, 'pre-migrate-')].name" --output tsv)"; then
        echo "::warning::$server: could not list the pre-migration backups to prune them" >&2
        return 0
    fi
    for old in $(printf '%s\n' "$all" | sort | head -n "-${SNAPSHOT_KEEP:-5}"); do
        [ "$old" = "$name" ] && continue
        say "$server: deleting the older pre-migration backup $old"
        az postgres flexible-server backup delete "${rg[@]}" --name "$server" --backup-name "$old" \
            --yes --output none || echo "::warning::$server: could not delete backup $old" >&2
    done
}

migrate() {
    local job="$1" execution status deadline
    : "${IMAGE:?IMAGE is not set}"
    if [ ! -s "$STATE/snapshot" ]; then
        [ "${SKIP_SNAPSHOT:-}" = 1 ] || die "$job: no pre-migration snapshot in this deploy (rollout.sh snapshot SERVER first, or SKIP_SNAPSHOT=1)"
        echo "::warning::$job: migrating without a pre-migration snapshot (SKIP_SNAPSHOT=1)" >&2
    fi
    say "$job: image $IMAGE"
    az containerapp job update "${rg[@]}" --name "$job" --image "$IMAGE" --output none
    execution="$(az containerapp job start "${rg[@]}" --name "$job" --query name --output tsv)"
    [ -n "$execution" ] || die "$job: no execution started"
    say "$job: execution $execution started"
    deadline=$((SECONDS + ${MIGRATE_TIMEOUT_SECS:-900}))
    while :; do
        status="$(az containerapp job execution show "${rg[@]}" --name "$job" \
            --job-execution-name "$execution" --query properties.status --output tsv)"
        case "$status" in
            Succeeded) say "$job: succeeded"; return 0 ;;
            Failed | Stopped | Degraded)
                die "$job: execution $execution ended $status (logs: az containerapp job logs show -g $RESOURCE_GROUP -n $job --execution $execution --container migrate)" ;;
        esac
        [ "$SECONDS" -lt "$deadline" ] || die "$job: execution $execution still $status after ${MIGRATE_TIMEOUT_SECS:-900} s"
        sleep 10
    done
}

# The revision that takes all the traffic now, by name.
serving_revision() {
    az containerapp revision list "${rg[@]}" --name "$1" \
        --query "[?properties.active && properties.trafficWeight==\`100\`].name | [0]" --output tsv
}

remember() {
    local app="$1" previous
    previous="$(serving_revision "$app")"
    if [ -z "$previous" ]; then
        # A first deploy, or traffic split by hand: nothing to pin and nothing to go back to.
        say "$app: no revision takes 100% of the traffic; a failed deploy cannot roll back"
        : > "$STATE/$app.previous"
        return 0
    fi
    echo "$previous" > "$STATE/$app.previous"
    say "$app: serving revision $previous; pinning the traffic to it"
    # From here the traffic stays on $previous by name, so the next revision gets none
    # until `deploy` has seen it ready.
    az containerapp ingress traffic set "${rg[@]}" --name "$app" \
        --revision-weight "$previous=100" --output none
}

ready_code() {
    curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 "https://$1/ready" || true
}

deploy() {
    local app="$1" revision fqdn code deadline
    : "${IMAGE:?IMAGE is not set}" "${REVISION_SUFFIX:?REVISION_SUFFIX is not set}"
    revision="$app--$REVISION_SUFFIX"
    echo "$revision" > "$STATE/$app.new"
    say "$app: new revision $revision with $IMAGE"
    az containerapp update "${rg[@]}" --name "$app" --image "$IMAGE" \
        --revision-suffix "$REVISION_SUFFIX" --output none
    fqdn="$(az containerapp revision show "${rg[@]}" --name "$app" --revision "$revision" \
        --query properties.fqdn --output tsv)"
    [ -n "$fqdn" ] || die "$app: revision $revision has no address"
    deadline=$((SECONDS + ${READY_TIMEOUT_SECS:-300}))
    while :; do
        code="$(ready_code "$fqdn")"
        [ "$code" = 200 ] && break
        [ "$SECONDS" -lt "$deadline" ] || die "$app: https://$fqdn/ready answered ${code:-nothing}, not 200, for ${READY_TIMEOUT_SECS:-300} s"
        sleep 5
    done
    say "$app: $revision is ready; giving it all the traffic"
    az containerapp ingress traffic set "${rg[@]}" --name "$app" \
        --revision-weight "$revision=100" --output none
    # The app's own address now reaches the new revision; check it from the outside once more.
    fqdn="$(az containerapp show "${rg[@]}" --name "$app" \
        --query properties.configuration.ingress.fqdn --output tsv)"
    deadline=$((SECONDS + 60))
    until [ "$(ready_code "$fqdn")" = 200 ]; do
        [ "$SECONDS" -lt "$deadline" ] || die "$app: https://$fqdn/ready is not 200 after the traffic moved"
        sleep 5
    done
    say "$app: deployed"
}

rollback() {
    local app="$1" previous="" new=""
    [ -f "$STATE/$app.previous" ] && previous="$(cat "$STATE/$app.previous")"
    [ -f "$STATE/$app.new" ] && new="$(cat "$STATE/$app.new")"
    if [ -z "$new" ]; then
        say "$app: not touched by this deploy"
        return 0
    fi
    if [ -z "$previous" ]; then
        echo "::warning::$app: no previous revision to roll back to; $new stays" >&2
        return 0
    fi
    say "$app: rolling back to $previous"
    # It is still active unless someone deactivated it meanwhile; activate only then.
    if [ "$(az containerapp revision show "${rg[@]}" --name "$app" --revision "$previous" \
        --query properties.active --output tsv)" != true ]; then
        az containerapp revision activate "${rg[@]}" --name "$app" --revision "$previous" --output none
    fi
    az containerapp ingress traffic set "${rg[@]}" --name "$app" \
        --revision-weight "$previous=100" --output none
    # Stop the failed revision (it may not exist if the update itself failed).
    az containerapp revision deactivate "${rg[@]}" --name "$app" --revision "$new" --output none \
        || echo "::warning::$app: could not deactivate $new" >&2
    echo "::warning::$app: rolled back to $previous" >&2
}

retire() {
    local app="$1" previous="" new=""
    [ -f "$STATE/$app.previous" ] && previous="$(cat "$STATE/$app.previous")"
    [ -f "$STATE/$app.new" ] && new="$(cat "$STATE/$app.new")"
    if [ -n "$previous" ] && [ "$previous" != "$new" ]; then
        # Deactivated, not deleted: `az containerapp revision activate` brings it back.
        say "$app: deactivating $previous"
        az containerapp revision deactivate "${rg[@]}" --name "$app" --revision "$previous" --output none
    fi
}

[ $# -eq 2 ] || die "usage: $0 snapshot SERVER | migrate JOB | remember APP | deploy APP | rollback APP | retire APP"
case "$1" in
    snapshot | migrate | remember | deploy | rollback | retire) "$1" "$2" ;;
    *) die "unknown step: $1" ;;
esac
