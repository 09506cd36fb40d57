#!/usr/bin/env bash
# Checks a release build made by scripts/release.sh: all six binaries and
# SHA256SUMS are there and match, each was built with CGO_ENABLED=0 and the
# stamped version, and the host's binary (linux/amd64 in CI) runs: `version`,
# then `serve --in-memory` on a free port, GET /_local/health and GET /.
#
#   scripts/release_check.sh [DIST]     (default dist)
set -euo pipefail
dist=${1:-dist}
fail() { echo "FAIL release: $*" >&2; exit 1; }

[ -f "$dist/SHA256SUMS" ] || fail "no $dist/SHA256SUMS"
if command -v sha256sum >/dev/null 2>&1; then
    (cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
else
    (cd "$dist" && shasum -a 256 -c SHA256SUMS >/dev/null) || fail "SHA256SUMS does not match"
fi

host="$(go env GOOS)_$(go env GOARCH)"
bin=""
for target in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64; do
    ext=""
    case $target in windows_*) ext=.exe ;; esac
    f=$(ls "$dist"/workspaces-local_*_"$target$ext" 2>/dev/null | head -n 1) || true
    [ -n "$f" ] || fail "no binary for $target in $dist"
    info=$(go version -m "$f") || fail "go version -m $f"
    grep -q 'CGO_ENABLED=0' <<<"$info" || fail "$f was not built with CGO_ENABLED=0"
    [ "$target" = "$host" ] && bin=$f
    echo "ok $f ($(wc -c <"$f" | tr -d ' ') bytes)"
done
[ -n "$bin" ] || { echo "SKIP release run: no binary for this host ($host)"; exit 0; }

version=$(basename "$bin")
version=${version#workspaces-local_}
version=${version%_"$host"*}
out=$("$bin" version) || fail "$bin version exited non-zero"
echo "$out"
case $out in "workspaces-local $version (commit "*) ;; *) fail "version printed '$out', want workspaces-local $version (commit ...)" ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wsl-release.XXXXXX")
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$bin" serve --in-memory --addr 127.0.0.1:0 --addr-file "$tmp/addr" >"$tmp/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    [ -s "$tmp/addr" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/out.log" >&2; fail "serve exited"; }
    sleep 0.1
done
[ -s "$tmp/addr" ] || { cat "$tmp/out.log" >&2; fail "serve wrote no --addr-file in 10 s"; }
url=$(cat "$tmp/addr")
python3 - "$url" "$version" <<'PY' || { cat "$tmp/out.log" >&2; fail "health check"; }
import json, sys, urllib.request
url, version = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(url + "/_local/health", timeout=5) as r:
    h = json.load(r)
assert h["status"] == "ok" and h["version"] == version and h.get("commit"), h
with urllib.request.urlopen(url + "/", timeout=5) as r:
    page = r.read().decode()
assert r.status == 200 and version in page, page[:200]
print("ok health:", json.dumps(h))
PY
echo "PASS release: six static binaries, SHA256SUMS, $host binary serves"
