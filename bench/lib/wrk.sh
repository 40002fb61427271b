# wrk helpers shared by the HTTP benchmarks: medians of repeated runs and one markdown row per
# request. Expects OUT (results directory), RUNS and DURATION to be set.

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.2f\n", v }'; }

# Non-2xx answers plus socket errors in one wrk output.
errors_in() {
    awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9]+/, " "); for (k = 1; k <= NF; k++) n += $k } END { print n + 0 }' "$1"
}

# file slug, label, target req/s, p99 limit ms, then the wrk arguments after the common ones
run() {
    local slug="$1" name="$2" target="$3" p99_limit="$4"; shift 4
    local rps=() p50=() p99=() errors=0 i file
    for i in $(seq 1 "$RUNS"); do
        file="$OUT/wrk-api-$slug-$i.txt"
        wrk -t2 -c50 -d"$DURATION" --latency "$@" >"$file"
        rps+=("$(awk '/^Requests\/sec/ { print $2 }' "$file")")
        p50+=("$(awk '$1 == "50%" { print $2 }' "$file" | to_ms)")
        p99+=("$(awk '$1 == "99%" { print $2 }' "$file" | to_ms)")
        errors=$((errors + $(errors_in "$file")))
    done
    local m_rps m_p99
    m_rps=$(printf '%s\n' "${rps[@]}" | median | awk '{ printf "%d", $1 }')
    m_p99=$(printf '%s\n' "${p99[@]}" | median)
    local verdict="ok"
    if [ "$m_rps" -lt "$target" ] || awk -v p="$m_p99" -v l="$p99_limit" 'BEGIN { exit !(p > l) }' || [ "$errors" -ne 0 ]; then verdict="MISSED"; fi
    printf '| %s | %s | %s | %s | %s | ≥ %s, p99 < %s ms | %s |\n' "$name" "$m_rps" \
        "$(printf '%s\n' "${p50[@]}" | median)" "$m_p99" "$errors" "$target" "$p99_limit" "$verdict"
}
