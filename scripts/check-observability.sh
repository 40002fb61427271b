#!/usr/bin/env bash
# Checks deploy/observability against the code, without a Prometheus or Grafana server:
#   - alerts.yml with `promtool check rules`, and its unit tests (alerts.test.yml) with
#     `promtool test rules`;
#   - dashboard.json: valid JSON, has panels, every panel has a query;
#   - every metric name in an alert or dashboard expression is one the code exports (the names
#     passed to metrics::counter!/gauge!/histogram! in api/, worker/, http/ and shared/, a histogram's
#     _bucket/_sum/_count, and Prometheus's own `up`);
#   - every alert has a severity and a summary, and docs/deploy.md maps it to Azure Monitor.
# promtool comes from the Debian package `prometheus` (installed with apt-get when missing).
# Run by scripts/check-containers.sh.
set -euo pipefail
# shellcheck source=scripts/lib/services.sh
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

dir=deploy/observability
# As root with apt_install; on a CI runner (not root) with apt-get through passwordless sudo.
sudo_apt_install() {
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || return 1
    say "installing $* with sudo apt-get"
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
    sudo -n apt-get update -qq >/dev/null 2>&1 || return 1
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}
if ! command -v promtool >/dev/null; then
    apt_install prometheus || sudo_apt_install prometheus || true
    command -v promtool >/dev/null || die "promtool is needed (apt-get install prometheus)"
fi

say "alert rules (promtool $(promtool --version 2>&1 | head -1 | awk '{print $3}'))"
promtool check rules "$dir/alerts.yml"
promtool test rules "$dir/alerts.test.yml"

# YAML for the alert file: the system's python3-yaml, or the virtualenv lint-workflows.sh made.
python=python3
if ! python3 -c 'import yaml' 2>/dev/null; then
    if [ -x target/lint-venv/bin/python ] && target/lint-venv/bin/python -c 'import yaml' 2>/dev/null; then
        python=target/lint-venv/bin/python
    else
        apt_install python3-yaml || sudo_apt_install python3-yaml \
            || die "python3 with PyYAML is needed (apt-get install python3-yaml)"
    fi
fi

say "dashboard and metric names"
"$python" - "$dir/alerts.yml" "$dir/dashboard.json" docs/deploy.md <<'PY'
import json
import pathlib
import re
import sys

import yaml

alerts_path, dashboard_path, runbook_path = sys.argv[1:4]
errors = []

# What the code exports: the first argument of every metrics macro.
exported = {"up"}
macro = re.compile(r'\b(counter|gauge|histogram)!\(\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"')
for root in ("api/src", "worker/src", "shared/src", "http/src"):
    for path in pathlib.Path(root).rglob("*.rs"):
        for kind, name in macro.findall(path.read_text(encoding="utf-8")):
            exported.add(name)
            if kind == "histogram":
                exported.update(f"{name}_{suffix}" for suffix in ("bucket", "sum", "count"))
if len(exported) < 20:
    sys.exit(f"found only {len(exported)} exported metrics in the code; the pattern is wrong")

KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "inf", "nan"}

def metric_names(expr):
    """Metric names in a PromQL expression: identifiers that are not functions, keywords,
    label names or strings."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)          # strings
    text = re.sub(r"\{[^}]*\}", "", text)                    # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)                   # ranges
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for m in re.finditer(r"(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(\s*\()?", text):
        name, call = m.group(1), m.group(2)
        if call or name.lower() in KEYWORDS:
            continue
        names.add(name)
    return names

def check_expr(where, expr):
    if not expr or not expr.strip():
        errors.append(f"{where}: empty expression")
        return
    names = metric_names(expr)
    if not names:
        errors.append(f"{where}: names no metric: {expr}")
    for name in sorted(names - exported):
        errors.append(f"{where}: {name} is not a metric the code exports")

# Alerts.
rules = yaml.safe_load(open(alerts_path, encoding="utf-8"))
alert_names = []
for group in rules.get("groups") or []:
    for rule in group.get("rules") or []:
        name = rule.get("alert") or rule.get("record")
        check_expr(f"{alerts_path}: {name}", rule.get("expr", ""))
        if "alert" in rule:
            alert_names.append(name)
            if not (rule.get("labels") or {}).get("severity"):
                errors.append(f"{alerts_path}: {name} has no severity label")
            if not (rule.get("annotations") or {}).get("summary"):
                errors.append(f"{alerts_path}: {name} has no summary")
if len(alert_names) < 5:
    errors.append(f"{alerts_path}: only {len(alert_names)} alerts")
runbook = open(runbook_path, encoding="utf-8").read()
for name in alert_names:
    if f"`{name}`" not in runbook:
        errors.append(f"{runbook_path}: alert {name} is not mapped to Azure Monitor there")

# Dashboard.
try:
    dashboard = json.load(open(dashboard_path, encoding="utf-8"))
except json.JSONDecodeError as error:
    sys.exit(f"{dashboard_path}: not JSON: {error}")
def all_panels(panels):
    for panel in panels or []:
        yield panel
        yield from all_panels(panel.get("panels"))
panels = [p for p in all_panels(dashboard.get("panels")) if p.get("type") != "row"]
if not panels:
    errors.append(f"{dashboard_path}: no panels")
ids = [p.get("id") for p in all_panels(dashboard.get("panels"))]
if len(ids) != len(set(ids)):
    errors.append(f"{dashboard_path}: panel ids are not unique")
exprs = 0
for panel in panels:
    where = f"{dashboard_path}: panel {panel.get('title')!r}"
    targets = panel.get("targets") or []
    if not targets:
        errors.append(f"{where}: no queries")
    for target in targets:
        exprs += 1
        check_expr(where, target.get("expr", ""))

if errors:
    sys.exit("\n".join(errors))
print(f"  {len(alert_names)} alerts, {len(panels)} panels with {exprs} queries, "
      f"all over the {len(exported)} series names the code exports")
PY
say "alert rules and dashboard are valid"
