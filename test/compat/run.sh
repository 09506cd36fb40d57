#!/usr/bin/env bash
# Client compatibility suite for workspaces-local.
#
# Builds the server, starts it in memory with zero delays on a free port, and
# runs the boto3 check (if boto3 is installed), the AWS CLI check (if `aws`
# is on PATH) and the JS SDK v3 Thin Client check (test/compat/js, if node and
# npm are on PATH and the pinned SDK installs) against it. A second in-memory
# server with a manual clock lets the boto3 check observe REGISTERING /
# DEREGISTERING (directories and Thin Client devices) and every WorkSpace
# state (PENDING, STOPPING, UPDATING, TERMINATING, ...). Finally a durability
# check: a server on a data directory is killed with SIGKILL after a write and
# restarted on the same directory; the write must still be there. Last, the
# README's quick start (serve block, then try-it block) runs twice, each time
# on a fresh server, and must pass both times.
#
# Exits non-zero when any check that ran failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wsl-compat.XXXXXX")
bin="$tmp/workspaces-local"
pids=()

cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failures=0
ran=0

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_healthy URL PID: up to ~10 s for GET URL/_local/health to answer 200.
wait_healthy() {
    local url=$1 pid=$2 i
    for i in $(seq 1 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "server (pid $pid) exited before becoming healthy" >&2
            return 1
        fi
        if python3 - "$url/_local/health" <<'EOF' 2>/dev/null; then
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=1) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
            return 0
        fi
        sleep 0.1
    done
    echo "server at $url not healthy after 10 s" >&2
    return 1
}

# start_server LOG ARGS... : starts the binary on a free port; sets $url and $pid.
start_server() {
    local log=$1; shift
    local port
    port=$(free_port)
    "$bin" serve --addr "127.0.0.1:$port" "$@" >>"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    url="http://127.0.0.1:$port"
    if ! wait_healthy "$url" "$pid"; then
        echo "---- $log" >&2
        tail -n 30 "$log" >&2
        return 1
    fi
}

echo "== build"
if ! (cd "$root" && go build -o "$bin" ./cmd/workspaces-local); then
    echo "FAIL build"
    exit 1
fi
echo "built $bin"

echo "== start servers"
start_server "$tmp/main.log" --in-memory --delays zero || exit 1
main_url=$url
echo "main server (zero delays) at $main_url"
start_server "$tmp/clock.log" --in-memory --manual-clock || exit 1
clock_url=$url
echo "manual-clock server at $clock_url"

export AWS_ENDPOINT_URL=$main_url
export AWS_SECRET_ACCESS_KEY=x
export AWS_DEFAULT_REGION=us-east-1
export AWS_DISABLE_HOST_PREFIX_INJECTION=true
export AWS_ACCESS_KEY_ID=111111111111
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN 2>/dev/null || true
# never read the developer's own AWS configuration
export AWS_CONFIG_FILE="$tmp/aws-config" AWS_SHARED_CREDENTIALS_FILE="$tmp/aws-credentials"
: >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"

have_boto3=0
python3 -c "import boto3" 2>/dev/null && have_boto3=1
have_aws=0
command -v aws >/dev/null 2>&1 && have_aws=1

echo "== boto3"
if [ "$have_boto3" = 1 ]; then
    ran=$((ran + 1))
    if WSL_MANUAL_CLOCK_ENDPOINT_URL=$clock_url python3 "$here/boto3_check.py"; then
        boto3_result="PASS"
    else
        boto3_result="FAIL"
        failures=$((failures + 1))
    fi
else
    echo "SKIP boto3: not installed"
    boto3_result="SKIP"
fi

echo "== AWS CLI"
if [ "$have_aws" = 1 ]; then
    ran=$((ran + 1))
    if bash "$here/awscli_check.sh"; then
        awscli_result="PASS"
    else
        awscli_result="FAIL"
        failures=$((failures + 1))
    fi
else
    echo "SKIP awscli: aws not on PATH"
    awscli_result="SKIP"
fi

echo "== JS SDK v3 (@aws-sdk/client-workspaces-thin-client)"
# Installs the pinned SDK from test/compat/js/package-lock.json (node_modules
# is not committed). Skipped when node/npm are missing, node is older than the
# SDK's minimum, or the install fails because the registry cannot be reached;
# any other install failure, and any failing check, fails the run.
js_result="SKIP"
js_dir="$here/js"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "SKIP js-sdk: node and npm are not both on PATH"
elif [ "$node_major" -lt 20 ]; then
    echo "SKIP js-sdk: node $(node --version) is older than the SDK's minimum (20)"
else
    if [ -f "$js_dir/package-lock.json" ]; then
        js_install=(npm ci --no-audit --no-fund --prefer-offline)
    else
        js_install=(npm install --no-audit --no-fund)
    fi
    js_timeout=()
    command -v timeout >/dev/null 2>&1 && js_timeout=(timeout 120)
    echo "${js_install[*]} in $js_dir"
    js_rc=0
    (cd "$js_dir" && "${js_timeout[@]}" "${js_install[@]}" </dev/null) >"$tmp/npm.log" 2>&1 || js_rc=$?
    if [ "$js_rc" -eq 0 ]; then
        ran=$((ran + 1))
        if (cd "$js_dir" && AWS_ENDPOINT_URL=$main_url node --no-warnings check.mjs); then
            js_result="PASS"
        else
            js_result="FAIL"
            failures=$((failures + 1))
        fi
    elif [ "$js_rc" -eq 124 ] ||
        grep -qiE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|network|fetch failed|socket hang up|getaddrinfo' "$tmp/npm.log"; then
        echo "SKIP js-sdk: npm could not reach the registry (exit $js_rc):"
        grep -m 3 -iE 'npm (error|ERR!) (code|errno|network|request)' "$tmp/npm.log" | sed 's/^/    /'
    else
        ran=$((ran + 1))
        failures=$((failures + 1))
        js_result="FAIL"
        echo "FAIL js-sdk: ${js_install[*]} failed (exit $js_rc):"
        tail -n 20 "$tmp/npm.log" | sed 's/^/    /'
    fi
fi

echo "== durability (kill -9, restart on the same --data-dir)"
durable_result="SKIP"
# create_group NAME / describe_group ID: through the CLI, or boto3 without it.
create_group() {
    if [ "$have_aws" = 1 ]; then
        aws --output text workspaces create-ip-group --group-name "$1" \
            --user-rules ipRule=203.0.113.0/24,ruleDesc=hq --tags Key=durable,Value=yes --query GroupId
    else
        python3 -c 'import boto3,sys; print(boto3.client("workspaces").create_ip_group(GroupName=sys.argv[1], UserRules=[{"ipRule": "203.0.113.0/24", "ruleDesc": "hq"}], Tags=[{"Key": "durable", "Value": "yes"}])["GroupId"])' "$1"
    fi
}
describe_group() {
    if [ "$have_aws" = 1 ]; then
        aws --output json workspaces describe-ip-groups --group-ids "$1"
    else
        python3 -c 'import boto3,json,sys; print(json.dumps({"Result": boto3.client("workspaces").describe_ip_groups(GroupIds=[sys.argv[1]])["Result"]}))' "$1"
    fi
}
describe_tags() {
    if [ "$have_aws" = 1 ]; then
        aws --output json workspaces describe-tags --resource-id "$1"
    else
        python3 -c 'import boto3,json,sys; print(json.dumps({"TagList": boto3.client("workspaces").describe_tags(ResourceId=sys.argv[1])["TagList"]}))' "$1"
    fi
}
if [ "$have_aws" = 1 ] || [ "$have_boto3" = 1 ]; then
    ran=$((ran + 1))
    durable_result="FAIL"
    durable_why=""
    mkdir -p "$tmp/data"
    if start_server "$tmp/durable.log" --data-dir "$tmp/data" --delays zero; then
        durable_pid=$pid
        gid=$(AWS_ENDPOINT_URL=$url create_group "durable-office" 2>"$tmp/durable.err") || gid=""
        if [ -z "$gid" ]; then
            durable_why="create-ip-group failed: $(cat "$tmp/durable.err")"
        else
            echo "created $gid on $url; kill -9 $durable_pid"
            kill -9 "$durable_pid" 2>/dev/null
            wait "$durable_pid" 2>/dev/null
            keep=()
            for p in "${pids[@]}"; do [ "$p" != "$durable_pid" ] && keep+=("$p"); done
            pids=("${keep[@]}")
            if start_server "$tmp/durable.log" --data-dir "$tmp/data" --delays zero; then
                echo "restarted on $url (same data dir)"
                out=$(AWS_ENDPOINT_URL=$url describe_group "$gid" 2>&1) || true
                tags=$(AWS_ENDPOINT_URL=$url describe_tags "$gid" 2>&1) || true
                if python3 - "$gid" "$out" "$tags" <<'EOF'; then
import json, sys
gid, out, tags = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
want = [{"groupId": gid, "groupName": "durable-office",
         "userRules": [{"ipRule": "203.0.113.0/24", "ruleDesc": "hq"}]}]
sys.exit(0 if out["Result"] == want and tags["TagList"] == [{"Key": "durable", "Value": "yes"}] else 1)
EOF
                    durable_result="PASS"
                else
                    durable_why="after restart: describe-ip-groups=$out describe-tags=$tags"
                fi
            else
                durable_why="server did not restart on the same data dir"
            fi
        fi
    else
        durable_why="server with --data-dir did not start"
    fi
    if [ "$durable_result" = "PASS" ]; then
        echo "PASS durability: IP group survives kill -9 and restart"
    else
        echo "FAIL durability: IP group survives kill -9 and restart -- $durable_why"
        failures=$((failures + 1))
    fi
else
    echo "SKIP durability: neither aws nor boto3 available"
fi

echo "== README quick start, twice (the serve block and the try-it block, a fresh server each time)"
# Runs the README's fenced blocks after <!-- quickstart:serve --> and
# <!-- quickstart:try --> as written, with only the binary and the address
# substituted, in an environment holding none of this script's AWS_*
# settings (the try-it block must set everything it needs). A second run
# must pass as the first did (issue 13: durable default state broke it).
quickstart_result="SKIP"
readme_block() { # readme_block MARKER: the fenced block after the marker line
    python3 - "$root/README.md" "$1" <<'EOF'
import sys
text = open(sys.argv[1]).read()
i = text.find("<!-- " + sys.argv[2])
if i < 0:
    sys.exit("README.md has no <!-- %s --> marker" % sys.argv[2])
start = text.index("```sh\n", i) + len("```sh\n")
print(text[start:text.index("```", start)], end="")
EOF
}
if [ "$have_aws" = 1 ]; then
    ran=$((ran + 1))
    quickstart_result="PASS"
    qs_serve=$(readme_block quickstart:serve) && qs_try=$(readme_block quickstart:try) || quickstart_result="FAIL"
    serve_line=$(grep -m 1 'go run ./cmd/workspaces-local serve' <<<"${qs_serve:-}" | sed 's/#.*//') || true
    serve_args=${serve_line#*go run ./cmd/workspaces-local serve}
    if [ "$quickstart_result" = PASS ] && [ -z "$serve_line" ]; then
        echo "README quick start has no 'go run ./cmd/workspaces-local serve' line"
        quickstart_result="FAIL"
    fi
    for qs_run in 1 2; do
        [ "$quickstart_result" = PASS ] || break
        # shellcheck disable=SC2086 # the README's flags, split as a shell would
        if ! start_server "$tmp/quickstart.log" $serve_args; then
            quickstart_result="FAIL"
            break
        fi
        qs_addr=${url#http://}
        if env -u AWS_ENDPOINT_URL -u AWS_DISABLE_HOST_PREFIX_INJECTION -u AWS_ACCESS_KEY_ID \
            -u AWS_SECRET_ACCESS_KEY -u AWS_DEFAULT_REGION -u AWS_REGION AWS_MAX_ATTEMPTS=1 AWS_PAGER="" \
            bash -euo pipefail -c "${qs_try//127.0.0.1:4599/$qs_addr}" >"$tmp/quickstart.out" 2>&1 &&
            grep -q '"office"' "$tmp/quickstart.out"; then
            echo "PASS quick start run $qs_run (server at $url)"
        else
            echo "FAIL quick start run $qs_run (server at $url):"
            sed 's/^/    /' "$tmp/quickstart.out"
            quickstart_result="FAIL"
        fi
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    [ "$quickstart_result" = PASS ] || failures=$((failures + 1))
else
    echo "SKIP quick start: aws not on PATH"
fi

echo "== summary"
echo "boto3:      $boto3_result"
echo "awscli:     $awscli_result"
echo "js-sdk:     $js_result"
echo "durability: $durable_result"
echo "quickstart: $quickstart_result"
# The closing line counts check suites in the form CI reads.
echo "compat: $((ran - failures)) passed, $failures failed"
if [ "$failures" -gt 0 ]; then
    exit 1
fi
