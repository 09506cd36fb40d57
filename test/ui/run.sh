#!/usr/bin/env bash
# Dashboard tests (/_local/ui) in Debian's headless Chromium, driven by
# playwright-core (test/ui/ui.test.mjs). Installs chromium with apt when it is
# missing (as root), installs the pinned npm packages (npm ci), builds the
# server and runs the tests against it. Skips, with a message and exit 0, when
# chromium, node or the npm packages cannot be had. Screenshots are written to
# test/ui/artifacts/.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

skip() { echo "SKIP dashboard tests: $*"; exit 0; }

chromium=$(command -v chromium || true)
if [ -z "$chromium" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium with apt-get"
    apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1
    chromium=$(command -v chromium || true)
fi
[ -n "$chromium" ] || skip "no chromium on PATH and it could not be installed with apt-get (Debian's chromium package)"
command -v node >/dev/null && command -v npm >/dev/null || skip "node and npm are needed"

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || skip "npm ci failed (playwright-core and the JS SDK could not be installed)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wsl-ui.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/workspaces-local" ./cmd/workspaces-local) || { echo "FAIL: go build"; exit 1; }

cd "$here"
WSL_BIN="$tmp/workspaces-local" CHROMIUM="$chromium" node --test ui.test.mjs
