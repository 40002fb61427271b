# The import benchmarks' common part. Expects ROOT and RUNS; `import_runs CMD…` migrates
# DATABASE_URL, runs the import command RUNS times, prints each run's summary line and sets
# IMPORTED (rows of the last run), RATES (rows/s per run) and MEDIAN (rows/s).

import_runs() {
    "$ROOT/target/release/neptu-api" migrate --create-database >/dev/null
    local i line=""
    RATES=()
    for i in $(seq 1 "$RUNS"); do
        line=$("$@" | tail -1)
        echo "run $i: $line"
        RATES+=("$(echo "$line" | sed -E 's/.*\(([0-9]+) rows\/s\).*/\1/')")
    done
    MEDIAN=$(printf '%s\n' "${RATES[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    IMPORTED=$(echo "$line" | awk '{ print $1 }')
}
