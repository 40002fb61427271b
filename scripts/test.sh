#!/usr/bin/env bash
# Every check the project promises, against a real Postgres and Redis:
# formatting, lints, all tests, the container and compose files.
#
#   ./scripts/test.sh
#
# Postgres and Redis are found or started as scripts/lib/services.sh describes; tests create
# their own databases and key prefixes, so any Postgres role that may create databases works.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

ensure_rust
for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        rustup component add "$component"
    fi
done
ensure_postgres
ensure_redis || die "no Redis: set REDIS_URL, install redis-server, or start Docker"
# The TLS tests start their own redis-server and Postgres from the distribution's binaries,
# whichever Postgres and Redis the other tests use (Docker Compose included).
command -v redis-server >/dev/null || apt_install redis-server \
    || die "the TLS tests need redis-server (apt-get install redis-server)"
pg_bin_dir >/dev/null || apt_install postgresql \
    || die "the TLS tests need initdb and postgres (apt-get install postgresql)"
[ -f /etc/ssl/certs/ca-certificates.crt ] || apt_install ca-certificates \
    || die "the TLS tests need /etc/ssl/certs/ca-certificates.crt (apt-get install ca-certificates)"

say "formatting"
cargo fmt --all --check

say "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "tests (Postgres: ${DATABASE_URL%%@*}@…, Redis: $REDIS_URL)"
# The resilience suite (outages, SIGTERM under load, worker kills, replicas) runs on its own,
# one test at a time, after the rest: its timing checks must not compete with other tests.
resilience='test(/^resilience::/) | test(/^process::/) | test(/^exactly_once::/)'
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --no-fail-fast -E "not ($resilience)"
    cargo test --workspace --locked --doc
    say "resilience suite"
    cargo nextest run --workspace --locked --no-fail-fast --test-threads 1 -E "$resilience"
    ./scripts/schemathesis.sh
else
    cargo test --workspace --locked --no-fail-fast
fi

say "container files"
./scripts/check-containers.sh

say "all checks passed"
