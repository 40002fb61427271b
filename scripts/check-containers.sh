#!/usr/bin/env bash
# Checks the compose file and Dockerfiles without a Docker engine: the compose file is parsed
# and validated by docker-compose (`config`, which needs no daemon), and the Dockerfiles are
# checked for the properties the project promises. Then scripts/lint-workflows.sh checks the
# workflows and the Azure Container Apps specs, and scripts/check-observability.sh the alert
# rules and the dashboard.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

if docker compose version >/dev/null 2>&1; then
    validate=(docker compose)
elif command -v docker-compose >/dev/null || apt_install docker-compose; then
    validate=(docker-compose)
else
    die "docker-compose is needed to validate docker-compose.yml (apt-get install docker-compose)"
fi
# Every variable the compose file needs comes from .env.example.
"${validate[@]}" --env-file .env.example -f docker-compose.yml config -q
"${validate[@]}" --env-file .env.example -f docker-compose.yml config --services | sort | tr '\n' ' ' \
    | grep -qx 'api postgres redis worker ' || die "docker-compose.yml must define api, postgres, redis and worker"

for file in Dockerfile.api Dockerfile.worker; do
    grep -q '^USER ' "$file" || die "$file: the runtime stage must not run as root"
    grep -q '^HEALTHCHECK ' "$file" || die "$file: no HEALTHCHECK"
    [ "$(grep -c '^FROM ' "$file")" -ge 2 ] || die "$file: expected a multi-stage build"
    if grep -i '^HEALTHCHECK.*curl' "$file" >/dev/null; then die "$file: HEALTHCHECK must not need curl"; fi
done
say "compose file and Dockerfiles are valid"

# The deploy side: GitHub workflows (actionlint), deploy scripts, Container Apps specs.
./scripts/lint-workflows.sh
# Alert rules and the dashboard, against the metrics the code exports.
./scripts/check-observability.sh
