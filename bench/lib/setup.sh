# What every HTTP benchmark needs before it builds: the results directory (OUT), wrk and curl,
# the Rust toolchain, and a Postgres and Redis (found or started by scripts/lib/services.sh).
http_bench_setup() {
    OUT="$ROOT/bench/results"
    mkdir -p "$OUT"
    command -v wrk >/dev/null || apt_install wrk || die "wrk is needed (apt-get install wrk)"
    command -v curl >/dev/null || apt_install curl || die "curl is needed"
    ensure_rust
    ensure_postgres
    ensure_redis || die "the benchmark needs Redis"
}
