#!/usr/bin/env bash
# Release build of workspaces-local: static binaries (CGO_ENABLED=0) for
# linux, darwin and windows on amd64 and arm64, stamped with the version and
# commit (`workspaces-local version`, GET /_local/health), into dist/ with a
# SHA256SUMS file. The tag workflow (.github/workflows/release.yml) and
# .ci/run both run this script.
#
#   scripts/release.sh [VERSION]
#
# VERSION defaults to $VERSION, else `git describe --tags --always --dirty`.
# Environment: COMMIT (default: git rev-parse --short=12 HEAD), DIST (output
# directory, default dist), TARGETS (default: the six GOOS/GOARCH pairs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=${1:-${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo 0.0.0-dev)}}
commit=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
dist=${DIST:-dist}
targets=${TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
pkg=github.com/workspaces-local/workspaces-local/internal/app

case $version in
*[!A-Za-z0-9._+-]*) echo "release: version $version may only hold letters, digits and . _ + -" >&2; exit 2 ;;
esac

rm -rf "$dist"
mkdir -p "$dist"
for target in $targets; do
    goos=${target%/*} goarch=${target#*/} ext=""
    [ "$goos" = windows ] && ext=.exe
    out="$dist/workspaces-local_${version}_${goos}_${goarch}${ext}"
    echo "release: $out"
    CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath \
        -ldflags "-s -w -X $pkg.Version=$version -X $pkg.Commit=$commit" \
        -o "$out" ./cmd/workspaces-local
done

if command -v sha256sum >/dev/null 2>&1; then
    sum=(sha256sum)
else
    sum=(shasum -a 256) # macOS
fi
(cd "$dist" && "${sum[@]}" workspaces-local_* >SHA256SUMS)
echo "release: $dist/SHA256SUMS"
cat "$dist/SHA256SUMS"
