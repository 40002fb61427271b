# Shared by scripts/run.sh and scripts/test.sh: make sure a Postgres and a Redis are there.
#
# Order, for each service:
#   1. what is configured or reachable: DATABASE_URL / REDIS_URL, else 127.0.0.1 defaults;
#   2. a project-local server started from the distribution's binaries (installed with
#      apt-get when missing and running as root);
#   3. Docker Compose, when a Docker engine answers.
# On success DATABASE_URL (a role that may create databases) and REDIS_URL are exported.
# ensure_redis returns 1 instead of failing when no Redis can be had, so callers decide.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_PG_PORT="${LOCAL_PG_PORT:-54329}"
LOCAL_REDIS_PORT="${LOCAL_REDIS_PORT:-56379}"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Where local servers keep their data. As root, Postgres runs as the `postgres` user, which
# must be able to reach the directory, so it cannot live under a private home directory.
state_dir() {
    if is_root; then
        local hash
        hash="$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
        echo "/var/tmp/neptu-dev-$hash"
    else
        echo "$ROOT/.local"
    fi
}

apt_install() {
    is_root || return 1
    command -v apt-get >/dev/null || return 1
    say "installing $* with apt-get"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1 || return 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || return 1
    fi
}

tcp_open() { timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

# --- Postgres -------------------------------------------------------------------------

pg_answers() {
    local url="$1"
    if command -v psql >/dev/null; then
        PGCONNECT_TIMEOUT=3 psql "$url" -qAtc 'select 1' >/dev/null 2>&1
    else
        local rest="${url#*://}"; rest="${rest#*@}"; local hostport="${rest%%/*}"
        local host="${hostport%%:*}" port="${hostport##*:}"
        [ "$port" = "$hostport" ] && port=5432
        tcp_open "$host" "$port"
    fi
}

pg_bin_dir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

start_local_postgres() {
    local bin dir data
    bin="$(pg_bin_dir)" || { apt_install postgresql && bin="$(pg_bin_dir)"; } || return 1
    dir="$(state_dir)"; data="$dir/pg"
    mkdir -p "$dir"
    local run=()
    if is_root; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
        chown postgres "$dir"
        run=(runuser -u postgres --)
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        say "creating a local Postgres cluster in $data"
        "${run[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    if ! "${run[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        say "starting the local Postgres on 127.0.0.1:$LOCAL_PG_PORT"
        "${run[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
            -o "-p $LOCAL_PG_PORT -k $data -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    fi
    export DATABASE_URL="postgres://postgres@127.0.0.1:$LOCAL_PG_PORT/postgres"
}

docker_ready() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }

compose() {
    if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

start_compose_services() {
    docker_ready || return 1
    say "starting postgres and redis with Docker Compose"
    (cd "$ROOT" && POSTGRES_HOST_PORT=55432 REDIS_HOST_PORT=56380 compose up -d postgres redis) || return 1
    export DATABASE_URL="postgres://neptu:neptu@127.0.0.1:55432/neptu"
    export COMPOSE_REDIS_URL="redis://127.0.0.1:56380"
    local i
    for i in $(seq 1 60); do
        tcp_open 127.0.0.1 55432 && redis_answers "$COMPOSE_REDIS_URL" && return 0
        sleep 1
    done
    return 1
}

ensure_postgres() {
    if [ -n "${DATABASE_URL:-}" ]; then
        pg_answers "$DATABASE_URL" || die "DATABASE_URL is set but Postgres does not answer there"
        say "Postgres: using DATABASE_URL"
        return
    fi
    local default="postgres://postgres@127.0.0.1:5432/postgres"
    if pg_answers "$default"; then
        export DATABASE_URL="$default"
        say "Postgres: using the one on 127.0.0.1:5432"
    elif start_local_postgres && pg_answers "$DATABASE_URL"; then
        say "Postgres: local cluster on 127.0.0.1:$LOCAL_PG_PORT"
    elif start_compose_services; then
        say "Postgres: Docker Compose on 127.0.0.1:55432"
    else
        die "no Postgres: set DATABASE_URL, install PostgreSQL (apt-get install postgresql), or start Docker"
    fi
}

# --- Redis ----------------------------------------------------------------------------

# A PING over bash's /dev/tcp, so no Redis client is needed. A password-protected Redis
# (-NOAUTH) counts as answering: the URL is expected to carry the password.
redis_answers() {
    local url="$1" rest hostport host port
    rest="${url#*://}"; rest="${rest#*@}"; hostport="${rest%%/*}"
    host="${hostport%%:*}"; port="${hostport##*:}"
    [ "$port" = "$hostport" ] && port=6379
    timeout 3 bash -c '
        exec 3<>"/dev/tcp/$0/$1" || exit 1
        printf "PING\r\n" >&3
        read -r -t 2 reply <&3 || exit 1
        reply="${reply%$(printf "\r")}"
        [ "$reply" = "+PONG" ] || [ "${reply#-NOAUTH}" != "$reply" ]
    ' "$host" "$port" 2>/dev/null
}

start_local_redis() {
    command -v redis-server >/dev/null || apt_install redis-server || return 1
    local dir
    dir="$(state_dir)/redis"
    mkdir -p "$dir"
    say "starting a local Redis on 127.0.0.1:$LOCAL_REDIS_PORT"
    redis-server --port "$LOCAL_REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
        --save "" --appendonly no --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    local i
    for i in $(seq 1 50); do
        redis_answers "redis://127.0.0.1:$LOCAL_REDIS_PORT" && break
        sleep 0.1
    done
    export REDIS_URL="redis://127.0.0.1:$LOCAL_REDIS_PORT"
}

ensure_redis() {
    if [ -n "${REDIS_URL:-}" ]; then
        redis_answers "$REDIS_URL" || die "REDIS_URL is set but Redis does not answer there"
        say "Redis: using REDIS_URL"
        return 0
    fi
    if redis_answers "redis://127.0.0.1:6379"; then
        export REDIS_URL="redis://127.0.0.1:6379"
        say "Redis: using the one on 127.0.0.1:6379"
    elif start_local_redis && redis_answers "$REDIS_URL"; then
        say "Redis: local server on 127.0.0.1:$LOCAL_REDIS_PORT"
    elif [ -n "${COMPOSE_REDIS_URL:-}" ] || start_compose_services; then
        export REDIS_URL="$COMPOSE_REDIS_URL"
        say "Redis: Docker Compose on $REDIS_URL"
    else
        unset REDIS_URL
        return 1
    fi
}

# --- Rust -----------------------------------------------------------------------------

ensure_rust() {
    if ! command -v cc >/dev/null; then
        apt_install build-essential || die "a C toolchain (cc) is needed to link: apt-get install build-essential"
    fi
    if ! command -v cargo >/dev/null; then
        [ -x "$HOME/.cargo/bin/cargo" ] || {
            command -v curl >/dev/null || apt_install curl ca-certificates || die "install Rust from https://rustup.rs"
            say "installing Rust (rustup, minimal profile)"
            curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy >/dev/null
        }
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
}
