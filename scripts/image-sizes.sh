#!/usr/bin/env bash
# Estimates the sizes of the runtime images without a Docker engine, from their contents:
#   - the distroless base layers, assembled from the same Debian 12 packages as installed on
#     this machine (distroless keeps no docs but the copyright files, and no man pages);
#   - the release binaries, as built (`cargo build --release --locked -p neptu-api -p neptu-worker`);
#   - pg_dump and pg_restore with the libraries they link, copied the way Dockerfile.worker's
#     pgdump stage does (from the newest PostgreSQL installed here).
# Sizes are of the files (what `docker images` shows, give or take the tar headers) and of
# their gzip -6 tarball (roughly what a registry stores and a pull downloads).
#
#   ./scripts/image-sizes.sh [RELEASE_DIR]      default: ${CARGO_TARGET_DIR:-target}/release
set -euo pipefail
# shellcheck source=scripts/lib/services.sh
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

release="${1:-${CARGO_TARGET_DIR:-target}/release}"
for bin in neptu-api neptu-worker; do
    [ -x "$release/$bin" ] || die "$release/$bin not found: cargo build --release --locked -p neptu-api -p neptu-worker"
done
command -v dpkg >/dev/null || die "needs a Debian machine (dpkg)"
grep -q 'VERSION_CODENAME=bookworm' /etc/os-release \
    || warn "not Debian 12: the packages measured are not the ones in the images"

packages=(base-files netbase tzdata ca-certificates media-types libc6 libssl3 gcc-12-base libgcc-s1 libgomp1 libstdc++6)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}" || die "missing packages: ${missing[*]}"

newest_pg_bin() { printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1; }
pg_bin="$(newest_pg_bin)"
[ -x "$pg_bin/pg_dump" ] || apt_install postgresql-client || die "no pg_dump (apt-get install postgresql-client)"
pg_bin="$(newest_pg_bin)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Dockerfile.worker's pgdump stage, here.
mkdir -p "$work/pg/bin" "$work/pg/lib"
cp "$pg_bin/pg_dump" "$pg_bin/pg_restore" "$work/pg/bin/"
ldd "$work/pg/bin/pg_dump" "$work/pg/bin/pg_restore" \
    | awk '$3 ~ /^\// {print $3}' | sort -u \
    | grep -Ev '/(libc|libm|libdl|libpthread|librt|libresolv)\.so|/ld-linux' \
    | xargs -I{} cp -L {} "$work/pg/lib/"

python3 - "$release" "$work/pg" "$pg_bin" <<'PY'
import gzip, io, os, subprocess, sys, tarfile

release, pg_dir, pg_bin = sys.argv[1:]

def package_files(pkg):
    listed = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True, check=True).stdout
    for f in listed.splitlines():
        if not os.path.isfile(f) or os.path.islink(f):
            continue
        if f.startswith(("/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/lintian/")) \
                and not f.endswith("/copyright"):
            continue
        yield f

def measure(files):
    files = sorted(set(files))
    raw = sum(os.path.getsize(f) for f in files)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=6) as tar:
        for f in files:
            tar.add(f, recursive=False)
    return raw, len(buf.getvalue())

def tree(d):
    return [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs]

static = ["base-files", "netbase", "tzdata", "ca-certificates", "media-types"]
nossl = static + ["libc6"]
cc = nossl + ["libssl3", "gcc-12-base", "libgcc-s1", "libgomp1", "libstdc++6"]
libgcc = subprocess.run(["gcc", "-print-file-name=libgcc_s.so.1"], capture_output=True, text=True).stdout.strip()
if not os.path.isfile(libgcc):
    libgcc = "/lib/x86_64-linux-gnu/libgcc_s.so.1"

parts = {
    "base-nossl-debian12": measure(f for p in nossl for f in package_files(p)),
    "cc-debian12": measure(f for p in cc for f in package_files(p)),
    "libgcc_s": measure([os.path.realpath(libgcc)]),
    "neptu-api": measure([f"{release}/neptu-api"]),
    "neptu-worker": measure([f"{release}/neptu-worker"]),
    "pg tools": measure(tree(pg_dir)),
    "pg tools without libssl/libcrypto": measure(
        f for f in tree(pg_dir) if not os.path.basename(f).startswith(("libssl.", "libcrypto."))),
}

def row(name, *keys):
    raw = sum(parts[k][0] for k in keys)
    gz = sum(parts[k][1] for k in keys)
    verdict = "yes" if raw < 40e6 else "**no**"
    print(f"| {name} | {' + '.join(keys)} | {raw / 1e6:.1f} MB | {gz / 1e6:.1f} MB | {verdict} |")

print("| part | files | gzip |\n|---|---|---|")
for k, (raw, gz) in parts.items():
    print(f"| {k} | {raw / 1e6:.2f} MB | {gz / 1e6:.2f} MB |")
print(f"\n(pg tools from {pg_bin})\n")
print("| image | contents | size | gzip | under 40 MB |\n|---|---|---|---|---|")
row("neptu-api", "base-nossl-debian12", "libgcc_s", "neptu-api")
row("neptu-worker", "base-nossl-debian12", "libgcc_s", "neptu-worker")
row("neptu-worker, target backup", "base-nossl-debian12", "libgcc_s", "neptu-worker", "pg tools")
row("(neptu-api on cc-debian12)", "cc-debian12", "neptu-api")
row("(neptu-worker on cc-debian12)", "cc-debian12", "neptu-worker")
row("(neptu-worker + pg tools on cc-debian12)", "cc-debian12", "neptu-worker", "pg tools without libssl/libcrypto")
PY
