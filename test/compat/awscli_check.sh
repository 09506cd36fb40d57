#!/usr/bin/env bash
# AWS CLI compatibility check for workspaces-local.
#
# Runs a representative subset of `aws workspaces ...` (IP groups, directories,
# tags, the WorkSpaces lifecycle from create-workspaces to
# terminate-workspaces, and BYOL: account, management CIDR ranges, image
# import and sharing, account links) and all 16 `aws workspaces-thin-client ...` operations
# against the server named by AWS_ENDPOINT_URL (started with --delays zero);
# simulated Thin Client devices are registered through the emulator's unsigned
# /_local/thinclient endpoints. Prints one line per check and ends with
# `N passed, M failed`; exits non-zero when a check failed.
# Re-runnable against the same server (names and ids are random per run).
set -euo pipefail

: "${AWS_ENDPOINT_URL:?AWS_ENDPOINT_URL must name the workspaces-local server}"
export AWS_SECRET_ACCESS_KEY=x
export AWS_DEFAULT_REGION=us-east-1
export AWS_DISABLE_HOST_PREFIX_INJECTION=true
export AWS_MAX_ATTEMPTS=1
export AWS_PAGER=""
unset AWS_PROFILE AWS_SESSION_TOKEN || true

A=111111111111
B=222222222222
REGION2=eu-west-1
RUN=$(python3 -c 'import random,string;print("".join(random.choice(string.ascii_lowercase+string.digits) for _ in range(8)))')
DIR="d-$(python3 -c 'import random;print("".join(random.choice("0123456789abcdef") for _ in range(10)))')"

WORK=$(mktemp -d)
OUT="$WORK/out"
ERR="$WORK/err"
PASSED=0
FAILED=0
FAILURES=()

cleanup() {
    # best effort: leave the server as we found it
    AWS_ACCESS_KEY_ID=$A aws workspaces disassociate-ip-groups --directory-id "$DIR" --group-ids "${G1:-wsipg-zzzzzzzz0}" >/dev/null 2>&1 || true
    AWS_ACCESS_KEY_ID=$A aws workspaces deregister-workspace-directory --directory-id "$DIR" >/dev/null 2>&1 || true
    for g in ${CLEANUP_GROUPS:-}; do
        AWS_ACCESS_KEY_ID=$A aws workspaces delete-ip-group --group-id "$g" >/dev/null 2>&1 || true
    done
    if [ -n "${WS:-}" ]; then
        AWS_ACCESS_KEY_ID=$WSACCT aws workspaces modify-workspace-state --workspace-id "$WS" --workspace-state AVAILABLE >/dev/null 2>&1 || true
        AWS_ACCESS_KEY_ID=$WSACCT aws workspaces terminate-workspaces --terminate-workspace-requests "$WS" >/dev/null 2>&1 || true
    fi
    if [ -n "${WDIR:-}" ]; then
        AWS_ACCESS_KEY_ID=$WSACCT aws workspaces deregister-workspace-directory --directory-id "$WDIR" >/dev/null 2>&1 || true
    fi
    if [ -n "${BIMG:-}" ]; then
        AWS_ACCESS_KEY_ID=$BA aws workspaces update-workspace-image-permission --image-id "$BIMG" --no-allow-copy-image --shared-account-id "$BB" >/dev/null 2>&1 || true
        AWS_ACCESS_KEY_ID=$BA aws workspaces delete-workspace-image --image-id "$BIMG" >/dev/null 2>&1 || true
    fi
    AWS_ACCESS_KEY_ID=$A aws workspaces-thin-client update-software-set --id 1003 --validation-status NOT_VALIDATED >/dev/null 2>&1 || true
    for d in ${CLEANUP_DEVICES:-}; do
        AWS_ACCESS_KEY_ID=$TCA aws workspaces-thin-client deregister-device --id "$d" >/dev/null 2>&1 || true
        AWS_ACCESS_KEY_ID=$TCA aws workspaces-thin-client delete-device --id "$d" >/dev/null 2>&1 || true
    done
    for e in ${CLEANUP_ENVS:-}; do
        AWS_ACCESS_KEY_ID=$TCA aws workspaces-thin-client delete-environment --id "$e" >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
CLEANUP_GROUPS=""
CLEANUP_ENVS=""
CLEANUP_DEVICES=""
TCA=""
WS=""
WDIR=""
WSACCT=""
BIMG=""
BA=""
BB=""

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1"); echo "FAIL $1${2:+ -- $2}"; }

# awsa/awsb/awsa2: the CLI as account A, account B, account A in region 2.
awsa() { AWS_ACCESS_KEY_ID=$A aws --output json "$@"; }
awsb() { AWS_ACCESS_KEY_ID=$B aws --output json "$@"; }
awsa2() { AWS_ACCESS_KEY_ID=$A aws --output json --region "$REGION2" "$@"; }

# ok NAME CMD... : the command must succeed; its stdout is left in $OUT.
# Always returns 0 (set -e); OK_LAST=1 when it succeeded. jcheck and tcheck
# do nothing after a failed ok (that failure is already counted).
OK_LAST=0
ok() {
    local name=$1; shift
    local rc=0
    "$@" >"$OUT" 2>"$ERR" || rc=$?
    if [ "$rc" -eq 0 ]; then
        OK_LAST=1
        pass "$name"
    else
        OK_LAST=0
        fail "$name" "exit $rc: $(tr '\n' ' ' <"$ERR" | cut -c1-300)"
    fi
}

# expect_err NAME CODE CMD... : the command must fail with exit 254/255 and
# the error code in stderr.
expect_err() {
    local name=$1 code=$2; shift 2
    local rc=0
    "$@" >"$OUT" 2>"$ERR" || rc=$?
    if [ "$rc" -ne 254 ] && [ "$rc" -ne 255 ]; then
        fail "$name" "exit $rc, want 254/255; stdout: $(tr '\n' ' ' <"$OUT" | cut -c1-200) stderr: $(tr '\n' ' ' <"$ERR" | cut -c1-200)"
        return 0
    fi
    if ! grep -q "($code)" "$ERR"; then
        fail "$name" "stderr lacks ($code): $(tr '\n' ' ' <"$ERR" | cut -c1-300)"
        return 0
    fi
    pass "$name"
}

# jcheck NAME PYEXPR : evaluate a Python expression over j = json of $OUT
# (None when $OUT is empty); passes when it is truthy.
jcheck() {
    local name=$1 expr=$2 res rc=0
    [ "$OK_LAST" = 1 ] || return 0
    res=$(python3 -c '
import json, sys
raw = open(sys.argv[1]).read().strip()
j = json.loads(raw) if raw else None
try:
    v = eval(sys.argv[2])
except Exception as e:
    print("error: %s: %s; output: %s" % (type(e).__name__, e, raw[:300])); sys.exit(1)
if not v:
    print("false: %s; output: %s" % (sys.argv[2], raw[:300])); sys.exit(1)
' "$OUT" "$expr") || rc=$?
    if [ "$rc" -eq 0 ]; then pass "$name"; else fail "$name" "$res"; fi
}

# tcheck NAME GOT WANT : string equality (after a successful ok).
tcheck() {
    [ "$OK_LAST" = 1 ] || return 0
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# jget PYEXPR : print a value from $OUT (empty on any problem).
jget() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT" "$1" 2>/dev/null || true; }

echo "endpoint $AWS_ENDPOINT_URL; run $RUN; directory $DIR"
echo "== IP groups"
G1=""
ok "create-ip-group" awsa workspaces create-ip-group --group-name "cli-office-$RUN" --group-desc "CLI group" \
    --user-rules ipRule=203.0.113.0/24,ruleDesc=hq --tags Key=team,Value=net
if [ "$OK_LAST" = 1 ]; then
    G1=$(jget 'j["GroupId"]')
    CLEANUP_GROUPS="$CLEANUP_GROUPS $G1"
    jcheck "create-ip-group returns a wsipg- id" '__import__("re").match(r"^wsipg-[0-9a-z]{8,63}$", j["GroupId"])'
fi
ok "describe-ip-groups --group-ids" awsa workspaces describe-ip-groups --group-ids "$G1" &&
    jcheck "describe-ip-groups shows name, desc and rules" \
        "j['Result'] == [{'groupId': '$G1', 'groupName': 'cli-office-$RUN', 'groupDesc': 'CLI group', 'userRules': [{'ipRule': '203.0.113.0/24', 'ruleDesc': 'hq'}]}]"
ok "describe-ip-groups --query" awsa workspaces describe-ip-groups --group-ids "$G1" --query 'Result[0].userRules[0].ipRule' --output text &&
    tcheck "--query extracts the rule" "$(cat "$OUT")" "203.0.113.0/24"
expect_err "create-ip-group duplicate name -> ResourceAlreadyExistsException" ResourceAlreadyExistsException \
    awsa workspaces create-ip-group --group-name "cli-office-$RUN"
expect_err "create-ip-group bad CIDR -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsa workspaces create-ip-group --group-name "cli-bad-$RUN" --user-rules ipRule=10.0.0.999/8
RULES11=$(python3 -c 'import json;print(json.dumps([{"ipRule":"10.0.%d.0/24"%i} for i in range(11)]))')
expect_err "create-ip-group 11 rules -> ResourceLimitExceededException" ResourceLimitExceededException \
    awsa workspaces create-ip-group --group-name "cli-eleven-$RUN" --user-rules "$RULES11"
ok "authorize-ip-rules" awsa workspaces authorize-ip-rules --group-id "$G1" \
    --user-rules ipRule=198.51.100.0/24,ruleDesc=branch ipRule=192.0.2.7,ruleDesc=home
ok "describe-ip-groups after authorize" awsa workspaces describe-ip-groups --group-ids "$G1" &&
    jcheck "three rules in insertion order" "[r['ipRule'] for r in j['Result'][0]['userRules']] == ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.7']"
RULES8=$(python3 -c 'import json;print(json.dumps([{"ipRule":"10.1.%d.0/24"%i} for i in range(8)]))')
expect_err "authorize-ip-rules to 11 rules -> ResourceLimitExceededException" ResourceLimitExceededException \
    awsa workspaces authorize-ip-rules --group-id "$G1" --user-rules "$RULES8"
ok "revoke-ip-rules" awsa workspaces revoke-ip-rules --group-id "$G1" --user-rules 192.0.2.7
ok "update-rules-of-ip-group" awsa workspaces update-rules-of-ip-group --group-id "$G1" --user-rules ipRule=10.0.0.0/8,ruleDesc=corp
ok "describe-ip-groups after update" awsa workspaces describe-ip-groups --group-ids "$G1" &&
    jcheck "rules replaced" "j['Result'][0]['userRules'] == [{'ipRule': '10.0.0.0/8', 'ruleDesc': 'corp'}]"
expect_err "describe-ip-groups --max-results 26 -> ValidationException" ValidationException \
    awsa workspaces describe-ip-groups --max-results 26 --no-paginate
expect_err "delete-ip-group malformed id -> ValidationException" ValidationException \
    awsa workspaces delete-ip-group --group-id not-a-group
expect_err "delete-ip-group unknown -> ResourceNotFoundException" ResourceNotFoundException \
    awsa workspaces delete-ip-group --group-id wsipg-zzzzzzzz1

echo "== describe-ip-groups paging"
PAGED=""
for i in 1 2 3 4 5; do
    ok "create-ip-group page-$i" awsa workspaces create-ip-group --group-name "cli-page-$RUN-$i"
    if [ "$OK_LAST" = 1 ]; then
        g=$(jget 'j["GroupId"]'); PAGED="$PAGED $g"; CLEANUP_GROUPS="$CLEANUP_GROUPS $g"
    fi
done
# shellcheck disable=SC2086
# --page-size 1 on every call: the CLI makes two server requests per call and
# its --starting-token wraps the server's NextToken.
ok "describe-ip-groups --max-items 2 --page-size 1 (page 1)" awsa workspaces describe-ip-groups --group-ids $PAGED --max-items 2 --page-size 1 &&
    jcheck "page 1: 2 items and a NextToken" "len(j['Result']) == 2 and j.get('NextToken')"
TOKEN=$(jget 'j.get("NextToken", "")')
SEEN=$(jget '" ".join(g["groupId"] for g in j["Result"])')
PAGES=1
while [ -n "$TOKEN" ] && [ "$TOKEN" != "None" ] && [ "$PAGES" -lt 10 ]; do
    # shellcheck disable=SC2086
    ok "describe-ip-groups --starting-token (page $((PAGES + 1)))" \
        awsa workspaces describe-ip-groups --group-ids $PAGED --max-items 2 --starting-token "$TOKEN" --page-size 1
    [ "$OK_LAST" = 1 ] || break
    SEEN="$SEEN $(jget '" ".join(g["groupId"] for g in j["Result"])')"
    TOKEN=$(jget 'j.get("NextToken", "")')
    PAGES=$((PAGES + 1))
done
[ "$PAGES" -eq 3 ] && pass "--max-items 2 over 5 groups: 3 pages" || fail "--max-items 2 over 5 groups: 3 pages" "got $PAGES"
[ -n "$PAGED" ] && [ "$(echo $SEEN | tr ' ' '\n' | sort | tr '\n' ' ')" = "$(echo $PAGED | tr ' ' '\n' | sort | tr '\n' ' ')" ] &&
    pass "--max-items paging returns every group once" || fail "--max-items paging returns every group once" "seen [$SEEN], want [$PAGED]"
# shellcheck disable=SC2086
ok "describe-ip-groups --page-size 2 (auto-paginated)" awsa workspaces describe-ip-groups --group-ids $PAGED --page-size 2 &&
    jcheck "auto-pagination merges all pages" "len(j['Result']) == 5 and 'NextToken' not in j"
ok "describe-ip-groups --query length(Result)" awsa workspaces describe-ip-groups --query 'length(Result)' &&
    jcheck "--query over all groups is a number >= 6" "isinstance(j, int) and j >= 6"

echo "== directories and associations"
ok "register-workspace-directory" awsa workspaces register-workspace-directory --directory-id "$DIR" --tags Key=env,Value=cli &&
    jcheck "register returns REGISTERING" "j == {'DirectoryId': '$DIR', 'State': 'REGISTERING'}"
ok "describe-workspace-directories" awsa workspaces describe-workspace-directories --directory-ids "$DIR" &&
    jcheck "directory REGISTERED with defaults" \
        "len(j['Directories']) == 1 and j['Directories'][0]['State'] == 'REGISTERED' and j['Directories'][0]['Alias'] == '$DIR' and j['Directories'][0]['DirectoryType'] == 'SIMPLE_AD' and j['Directories'][0]['IamRoleId'] == 'arn:aws:iam::$A:role/workspaces_DefaultRole'"
expect_err "register-workspace-directory again -> ResourceAlreadyExistsException" ResourceAlreadyExistsException \
    awsa workspaces register-workspace-directory --directory-id "$DIR"
expect_err "describe-workspace-directories --limit 26 -> ValidationException" ValidationException \
    awsa workspaces describe-workspace-directories --limit 26
ok "associate-ip-groups" awsa workspaces associate-ip-groups --directory-id "$DIR" --group-ids "$G1"
ok "describe-workspace-directories --query ipGroupIds" \
    awsa workspaces describe-workspace-directories --directory-ids "$DIR" --query 'Directories[0].ipGroupIds' &&
    jcheck "directory shows the group" "j == ['$G1']"
expect_err "associate-ip-groups unknown directory -> ResourceNotFoundException" ResourceNotFoundException \
    awsa workspaces associate-ip-groups --directory-id d-00000000ff --group-ids "$G1"
expect_err "delete-ip-group while associated -> ResourceAssociatedException" ResourceAssociatedException \
    awsa workspaces delete-ip-group --group-id "$G1"

echo "== tags"
ok "create-tags" awsa workspaces create-tags --resource-id "$G1" --tags Key=owner,Value=cli Key=team,Value=ops
ok "describe-tags" awsa workspaces describe-tags --resource-id "$G1" &&
    jcheck "tags upserted" "{t['Key']: t['Value'] for t in j['TagList']} == {'team': 'ops', 'owner': 'cli'}"
ok "delete-tags" awsa workspaces delete-tags --resource-id "$G1" --tag-keys team
ok "describe-tags after delete" awsa workspaces describe-tags --resource-id "$G1" &&
    jcheck "one tag left" "j['TagList'] == [{'Key': 'owner', 'Value': 'cli'}]"
ok "describe-tags on the directory" awsa workspaces describe-tags --resource-id "$DIR" &&
    jcheck "directory registration tags" "j['TagList'] == [{'Key': 'env', 'Value': 'cli'}]"
expect_err "create-tags aws: prefix -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsa workspaces create-tags --resource-id "$G1" --tags Key=aws:x,Value=1
expect_err "describe-tags unknown -> ResourceNotFoundException" ResourceNotFoundException \
    awsa workspaces describe-tags --resource-id wsipg-zzzzzzzz2

echo "== isolation"
ok "B: describe-ip-groups of A's group" awsb workspaces describe-ip-groups --group-ids "$G1" &&
    jcheck "B sees nothing" "j['Result'] == []"
expect_err "B: delete-ip-group of A's group -> ResourceNotFoundException" ResourceNotFoundException \
    awsb workspaces delete-ip-group --group-id "$G1"
ok "A@$REGION2: describe-ip-groups" awsa2 workspaces describe-ip-groups --group-ids "$G1" &&
    jcheck "other region sees nothing" "j['Result'] == []"
ok "A@$REGION2: describe-workspace-directories" awsa2 workspaces describe-workspace-directories --directory-ids "$DIR" &&
    jcheck "other region has no such directory" "j['Directories'] == []"

echo "== directory settings"
ok "modify-selfservice-permissions" awsa workspaces modify-selfservice-permissions --resource-id "$DIR" \
    --selfservice-permissions RebuildWorkspace=ENABLED,ChangeComputeType=ENABLED
ok "modify-workspace-access-properties" awsa workspaces modify-workspace-access-properties --resource-id "$DIR" \
    --workspace-access-properties DeviceTypeWeb=ALLOW
ok "modify-workspace-creation-properties" awsa workspaces modify-workspace-creation-properties --resource-id "$DIR" \
    --workspace-creation-properties '{"EnableInternetAccess": true, "DefaultOu": "OU=WorkSpaces,DC=corp,DC=example,DC=com"}'
ok "describe-workspace-directories shows merged settings" awsa workspaces describe-workspace-directories --directory-ids "$DIR" &&
    jcheck "self-service, access and creation properties merged" \
        "(lambda d: d['SelfservicePermissions'] == {'RestartWorkspace': 'ENABLED', 'IncreaseVolumeSize': 'DISABLED', 'ChangeComputeType': 'ENABLED', 'SwitchRunningMode': 'DISABLED', 'RebuildWorkspace': 'ENABLED'} and d['WorkspaceAccessProperties']['DeviceTypeWeb'] == 'ALLOW' and d['WorkspaceAccessProperties']['DeviceTypeWindows'] == 'ALLOW' and d['WorkspaceCreationProperties'] == {'EnableInternetAccess': True, 'DefaultOu': 'OU=WorkSpaces,DC=corp,DC=example,DC=com', 'UserEnabledAsLocalAdministrator': True, 'EnableMaintenanceMode': True})(j['Directories'][0])"
ok "modify-client-properties" awsa workspaces modify-client-properties --resource-id "$DIR" --client-properties LogUploadEnabled=DISABLED
ok "describe-client-properties" awsa workspaces describe-client-properties --resource-ids "$DIR" &&
    jcheck "client properties merged over defaults" \
        "j['ClientPropertiesList'] == [{'ResourceId': '$DIR', 'ClientProperties': {'ReconnectEnabled': 'ENABLED', 'LogUploadEnabled': 'DISABLED'}}]"
expect_err "modify-saml-properties ENABLED without a URL -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsa workspaces modify-saml-properties --resource-id "$DIR" --saml-properties Status=ENABLED

echo "== delete flows"
ok "disassociate-ip-groups" awsa workspaces disassociate-ip-groups --directory-id "$DIR" --group-ids "$G1"
ok "describe-workspace-directories after disassociate" awsa workspaces describe-workspace-directories --directory-ids "$DIR" &&
    jcheck "no groups associated" "j['Directories'][0].get('ipGroupIds', []) == []"
ok "delete-ip-group" awsa workspaces delete-ip-group --group-id "$G1"
expect_err "delete-ip-group again -> ResourceNotFoundException" ResourceNotFoundException \
    awsa workspaces delete-ip-group --group-id "$G1"
ok "describe-ip-groups deleted group" awsa workspaces describe-ip-groups --group-ids "$G1" &&
    jcheck "deleted group gone" "j == {'Result': []}"
ok "deregister-workspace-directory" awsa workspaces deregister-workspace-directory --directory-id "$DIR"
ok "describe-workspace-directories after deregister" awsa workspaces describe-workspace-directories --directory-ids "$DIR" &&
    jcheck "directory DEREGISTERED or gone" "j['Directories'] == [] or j['Directories'][0]['State'] == 'DEREGISTERED'"
expect_err "deregister-workspace-directory again -> ResourceNotFoundException" ResourceNotFoundException \
    awsa workspaces deregister-workspace-directory --directory-id "$DIR"
for g in $PAGED; do
    ok "delete-ip-group $g" awsa workspaces delete-ip-group --group-id "$g"
done

echo "== WorkSpaces lifecycle (zero delays)"
# A fresh account and directory per run, so listings are exact on re-runs.
# With zero delays every transition has completed by the next read.
WSACCT=$(python3 -c 'import random;print("7"+"".join(random.choice("0123456789") for _ in range(11)))')
WDIR="d-$(python3 -c 'import random;print("".join(random.choice("0123456789abcdef") for _ in range(10)))')"
awsw() { AWS_ACCESS_KEY_ID=$WSACCT aws --output json "$@"; }
# wstate: the WorkSpace's State (empty when it is not described)
wstate() { awsw workspaces describe-workspaces --workspace-ids "$WS" --query 'Workspaces[0].State' --output text 2>/dev/null | sed 's/^None$//'; }
WS=""
ok "describe-workspace-bundles --owner AMAZON" awsw workspaces describe-workspace-bundles --owner AMAZON &&
    jcheck "public catalogue: wsb-bh8rsxt14 Value 80/10, Owner Amazon" \
        "(b := {x['BundleId']: x for x in j['Bundles']})['wsb-bh8rsxt14']['ComputeType'] == {'Name': 'VALUE'} and b['wsb-bh8rsxt14']['RootStorage'] == {'Capacity': '80'} and {'wsb-df76rqys9', 'wsb-b0s22j3d7', 'wsb-gm4d5tx2v'} <= set(b) and {x['Owner'] for x in j['Bundles']} == {'Amazon'}"
expect_err "describe-workspace-bundles --bundle-ids with --owner -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsw workspaces describe-workspace-bundles --bundle-ids wsb-bh8rsxt14 --owner AMAZON
ok "register-workspace-directory (WorkSpaces)" awsw workspaces register-workspace-directory --directory-id "$WDIR"
ok "create-workspaces" awsw workspaces create-workspaces \
    --workspaces "DirectoryId=$WDIR,UserName=cli-alice-$RUN,BundleId=wsb-bh8rsxt14,Tags=[{Key=team,Value=qa}]"
if [ "$OK_LAST" = 1 ]; then
    WS=$(jget 'j["PendingRequests"][0]["WorkspaceId"]')
    jcheck "create-workspaces: FailedRequests [], one PENDING ws- WorkSpace" \
        "j['FailedRequests'] == [] and len(j['PendingRequests']) == 1 and j['PendingRequests'][0]['State'] == 'PENDING' and __import__('re').match(r'^ws-[0-9a-z]{8,63}$', j['PendingRequests'][0]['WorkspaceId'])"
fi
ok "create-workspaces same user again" awsw workspaces create-workspaces \
    --workspaces "DirectoryId=$WDIR,UserName=CLI-ALICE-$RUN,BundleId=wsb-gm4d5tx2v" &&
    jcheck "FailedRequests ResourceExists.WorkSpace, nothing pending" \
        "[f['ErrorCode'] for f in j['FailedRequests']] == ['ResourceExists.WorkSpace'] and j['PendingRequests'] == []"
ok "create-workspaces unknown bundle and unknown directory" awsw workspaces create-workspaces \
    --workspaces "DirectoryId=$WDIR,UserName=cli-bob-$RUN,BundleId=wsb-zzzzzzzz9" "DirectoryId=d-00000000ff,UserName=cli-bob-$RUN,BundleId=wsb-bh8rsxt14" &&
    jcheck "FailedRequests ResourceNotFound.Bundle, ResourceNotFound.Directory" \
        "[f['ErrorCode'] for f in j['FailedRequests']] == ['ResourceNotFound.Bundle', 'ResourceNotFound.Directory'] and j['PendingRequests'] == []"
expect_err "create-workspaces same user twice in one request -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsw workspaces create-workspaces --workspaces "DirectoryId=$WDIR,UserName=cli-carol-$RUN,BundleId=wsb-bh8rsxt14" \
    "DirectoryId=$WDIR,UserName=cli-carol-$RUN,BundleId=wsb-gm4d5tx2v"
ok "describe-workspaces --workspace-ids" awsw workspaces describe-workspaces --workspace-ids "$WS" &&
    jcheck "AVAILABLE with IpAddress, SubnetId, ComputerName; ALWAYS_ON VALUE" \
        "(w := j['Workspaces'][0])['State'] == 'AVAILABLE' and w['IpAddress'] and w['SubnetId'].startswith('subnet-') and w['ComputerName'].startswith('WSAMZN-') and w['WorkspaceProperties']['RunningMode'] == 'ALWAYS_ON' and w['WorkspaceProperties']['ComputeTypeName'] == 'VALUE' and w['ModificationStates'] == [] and len(j['Workspaces']) == 1"
ok "describe-workspaces --directory-id --user-name" awsw workspaces describe-workspaces --directory-id "$WDIR" --user-name "cli-alice-$RUN" &&
    jcheck "finds the one WorkSpace" "[w['WorkspaceId'] for w in j['Workspaces']] == ['$WS']"
expect_err "describe-workspaces --workspace-ids with --directory-id -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsw workspaces describe-workspaces --workspace-ids "$WS" --directory-id "$WDIR"
expect_err "describe-workspaces --user-name alone -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsw workspaces describe-workspaces --user-name "cli-alice-$RUN"
# StopRequest/StartRequest have an optional WorkspaceId: key=value shorthand.
ok "stop-workspaces while ALWAYS_ON" awsw workspaces stop-workspaces --stop-workspace-requests "WorkspaceId=$WS" &&
    jcheck "FailedRequests names the WorkSpace" "len(j['FailedRequests']) == 1 and j['FailedRequests'][0]['WorkspaceId'] == '$WS' and j['FailedRequests'][0]['ErrorCode']"
ok "modify-workspace-properties RunningMode=AUTO_STOP" awsw workspaces modify-workspace-properties --workspace-id "$WS" \
    --workspace-properties RunningMode=AUTO_STOP &&
    tcheck "modify-workspace-properties prints nothing ({})" "$(cat "$OUT")" ""
ok "describe-workspaces after modify" awsw workspaces describe-workspaces --workspace-ids "$WS" --query 'Workspaces[0].WorkspaceProperties' &&
    jcheck "AUTO_STOP with timeout 60" "j['RunningMode'] == 'AUTO_STOP' and j['RunningModeAutoStopTimeoutInMinutes'] == 60"
expect_err "modify-workspace-properties timeout 45 -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsw workspaces modify-workspace-properties --workspace-id "$WS" --workspace-properties RunningModeAutoStopTimeoutInMinutes=45
ok "stop-workspaces" awsw workspaces stop-workspaces --stop-workspace-requests "WorkspaceId=$WS" &&
    jcheck "stop: FailedRequests []" "j == {'FailedRequests': []}"
tcheck "STOPPED" "$(wstate)" "STOPPED"
expect_err "modify-workspace-state ADMIN_MAINTENANCE while STOPPED -> InvalidResourceStateException" InvalidResourceStateException \
    awsw workspaces modify-workspace-state --workspace-id "$WS" --workspace-state ADMIN_MAINTENANCE
ok "describe-workspaces-connection-status while STOPPED" awsw workspaces describe-workspaces-connection-status --workspace-ids "$WS" &&
    jcheck "connection state UNKNOWN" "[(s['WorkspaceId'], s['ConnectionState']) for s in j['WorkspacesConnectionStatus']] == [('$WS', 'UNKNOWN')]"
ok "start-workspaces" awsw workspaces start-workspaces --start-workspace-requests "WorkspaceId=$WS" &&
    jcheck "start: FailedRequests []" "j == {'FailedRequests': []}"
tcheck "AVAILABLE after start" "$(wstate)" "AVAILABLE"
ok "modify-workspace-state ADMIN_MAINTENANCE" awsw workspaces modify-workspace-state --workspace-id "$WS" --workspace-state ADMIN_MAINTENANCE &&
    tcheck "modify-workspace-state prints nothing ({})" "$(cat "$OUT")" ""
tcheck "ADMIN_MAINTENANCE" "$(wstate)" "ADMIN_MAINTENANCE"
# RebootRequest/TerminateRequest have one required member: AWS CLI v1 takes the bare id.
ok "reboot-workspaces in ADMIN_MAINTENANCE" awsw workspaces reboot-workspaces --reboot-workspace-requests "$WS" &&
    jcheck "reboot refused: FailedRequests InvalidResourceState.Workspace" \
        "[(f['WorkspaceId'], f['ErrorCode']) for f in j['FailedRequests']] == [('$WS', 'InvalidResourceState.Workspace')]"
expect_err "modify-workspace-properties in ADMIN_MAINTENANCE -> InvalidResourceStateException" InvalidResourceStateException \
    awsw workspaces modify-workspace-properties --workspace-id "$WS" --workspace-properties ComputeTypeName=STANDARD
expect_err "modify-workspace-state --workspace-state STOPPED -> ValidationException" ValidationException \
    awsw workspaces modify-workspace-state --workspace-id "$WS" --workspace-state STOPPED
ok "modify-workspace-state AVAILABLE" awsw workspaces modify-workspace-state --workspace-id "$WS" --workspace-state AVAILABLE
tcheck "back to AVAILABLE" "$(wstate)" "AVAILABLE"
ok "reboot-workspaces" awsw workspaces reboot-workspaces --reboot-workspace-requests "$WS" &&
    jcheck "reboot: FailedRequests []" "j == {'FailedRequests': []}"
ok "modify-workspace-properties ComputeTypeName=STANDARD" awsw workspaces modify-workspace-properties --workspace-id "$WS" \
    --workspace-properties ComputeTypeName=STANDARD
ok "describe-workspaces after the compute change" awsw workspaces describe-workspaces --workspace-ids "$WS" &&
    jcheck "AVAILABLE, STANDARD, ModificationStates []" \
        "(w := j['Workspaces'][0])['State'] == 'AVAILABLE' and w['WorkspaceProperties']['ComputeTypeName'] == 'STANDARD' and w['ModificationStates'] == []"
ok "describe-workspaces-connection-status" awsw workspaces describe-workspaces-connection-status &&
    jcheck "one WorkSpace, DISCONNECTED" "[(s['WorkspaceId'], s['ConnectionState']) for s in j['WorkspacesConnectionStatus']] == [('$WS', 'DISCONNECTED')]"
ok "describe-tags on the WorkSpace" awsw workspaces describe-tags --resource-id "$WS" &&
    jcheck "creation tags" "j['TagList'] == [{'Key': 'team', 'Value': 'qa'}]"
expect_err "deregister-workspace-directory with a WorkSpace -> OperationNotSupportedException" OperationNotSupportedException \
    awsw workspaces deregister-workspace-directory --directory-id "$WDIR"
ok "terminate-workspaces" awsw workspaces terminate-workspaces --terminate-workspace-requests "$WS" &&
    jcheck "terminate: FailedRequests []" "j == {'FailedRequests': []}"
ok "describe-workspaces after terminate" awsw workspaces describe-workspaces --workspace-ids "$WS" &&
    jcheck "terminated WorkSpace gone (zero delays)" "j == {'Workspaces': []}"
ok "terminate-workspaces again" awsw workspaces terminate-workspaces --terminate-workspace-requests "$WS" &&
    jcheck "FailedRequests ResourceNotFound.Workspace with a message" \
        "[(f['WorkspaceId'], f['ErrorCode']) for f in j['FailedRequests']] == [('$WS', 'ResourceNotFound.Workspace')] and j['FailedRequests'][0]['ErrorMessage']"
expect_err "modify-workspace-state after terminate -> ResourceNotFoundException" ResourceNotFoundException \
    awsw workspaces modify-workspace-state --workspace-id "$WS" --workspace-state AVAILABLE
expect_err "modify-workspace-properties after terminate -> ResourceNotFoundException" ResourceNotFoundException \
    awsw workspaces modify-workspace-properties --workspace-id "$WS" --workspace-properties RunningMode=ALWAYS_ON
ok "deregister-workspace-directory (WorkSpaces)" awsw workspaces deregister-workspace-directory --directory-id "$WDIR"
WS=""

echo "== BYOL: account, CIDR ranges, image import and sharing, account links (zero delays)"
# Fresh random accounts per run: BYOL enablement and links are permanent.
rand_account() { python3 -c 'import random;print("6"+"".join(random.choice("0123456789") for _ in range(11)))'; }
BA=$(rand_account)
BB=$(rand_account)
BC=$(rand_account)
awsba() { AWS_ACCESS_KEY_ID=$BA aws --output json "$@"; }
awsbb() { AWS_ACCESS_KEY_ID=$BB aws --output json "$@"; }
awsbc() { AWS_ACCESS_KEY_ID=$BC aws --output json "$@"; }
AMI="ami-$(python3 -c 'import random;print("".join(random.choice("0123456789abcdef") for _ in range(17)))')"
BIMG=""
ok "describe-account (fresh account)" awsba workspaces describe-account &&
    jcheck "describe-account -> DISABLED only" "j == {'DedicatedTenancySupport': 'DISABLED'}"
ok "describe-account-modifications (fresh account)" awsba workspaces describe-account-modifications &&
    jcheck "no modifications" "j == {'AccountModifications': []}"
# The CLI's paginator: --page-size sets MaxResults; all pages are merged.
ok "list-available-management-cidr-ranges 172.16.0.0/12 --page-size 5" awsba workspaces list-available-management-cidr-ranges \
    --management-cidr-range-constraint 172.16.0.0/12 --page-size 5 &&
    jcheck "all 16 /16 blocks of 172.16.0.0/12 over four pages" "j['ManagementCidrRanges'] == ['172.%d.0.0/16' % i for i in range(16, 32)]"
ok "list-available-management-cidr-ranges 10.0.0.0/8 --max-items 5" awsba workspaces list-available-management-cidr-ranges \
    --management-cidr-range-constraint 10.0.0.0/8 --max-items 5 &&
    jcheck "first five blocks and a NextToken" "j['ManagementCidrRanges'] == ['10.%d.0.0/16' % i for i in range(5)] and j['NextToken']"
CIDR_TOKEN=$(jget 'j["NextToken"]')
ok "list-available-management-cidr-ranges --starting-token" awsba workspaces list-available-management-cidr-ranges \
    --management-cidr-range-constraint 10.0.0.0/8 --max-items 5 --starting-token "$CIDR_TOKEN" &&
    jcheck "next five blocks from 10.5.0.0/16" "j['ManagementCidrRanges'] == ['10.%d.0.0/16' % i for i in range(5, 10)]"
ok "list-available-management-cidr-ranges 10.0.0.0/24" awsba workspaces list-available-management-cidr-ranges \
    --management-cidr-range-constraint 10.0.0.0/24 &&
    jcheck "narrower than /16 -> []" "j['ManagementCidrRanges'] == []"
expect_err "list-available-management-cidr-ranges not-a-cidr -> ValidationException" ValidationException \
    awsba workspaces list-available-management-cidr-ranges --management-cidr-range-constraint not-a-cidr
expect_err "modify-account 8.8.0.0/16 -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsba workspaces modify-account --dedicated-tenancy-support ENABLED --dedicated-tenancy-management-cidr-range 8.8.0.0/16
expect_err "modify-account without a range -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsba workspaces modify-account --dedicated-tenancy-support ENABLED
ok "modify-account ENABLED 10.200.0.0/16" awsba workspaces modify-account --dedicated-tenancy-support ENABLED \
    --dedicated-tenancy-management-cidr-range 10.200.0.0/16
ok "describe-account-modifications" awsba workspaces describe-account-modifications &&
    jcheck "one COMPLETED modification (zero delays)" \
        "[(m['ModificationState'], m['DedicatedTenancySupport'], m['DedicatedTenancyManagementCidrRange']) for m in j['AccountModifications']] == [('COMPLETED', 'ENABLED', '10.200.0.0/16')] and j['AccountModifications'][0]['StartTime']"
ok "describe-account after enabling" awsba workspaces describe-account &&
    jcheck "ENABLED with the range" "j == {'DedicatedTenancySupport': 'ENABLED', 'DedicatedTenancyManagementCidrRange': '10.200.0.0/16'}"
expect_err "modify-account again -> InvalidResourceStateException" InvalidResourceStateException \
    awsba workspaces modify-account --dedicated-tenancy-support ENABLED --dedicated-tenancy-management-cidr-range 10.201.0.0/16
ok "import-workspace-image" awsba workspaces import-workspace-image --ec2-image-id "$AMI" --ingestion-process BYOL_REGULAR_WSP \
    --image-name "cli-byol-$RUN" --image-description "CLI image" --applications Microsoft_Office_2019 --tags Key=src,Value=cli
if [ "$OK_LAST" = 1 ]; then
    BIMG=$(jget 'j["ImageId"]')
    jcheck "import-workspace-image -> wsi- id" "__import__('re').match(r'^wsi-[0-9a-z]{9,63}$', j['ImageId'])"
fi
expect_err "import-workspace-image same AMI -> ResourceAlreadyExistsException" ResourceAlreadyExistsException \
    awsba workspaces import-workspace-image --ec2-image-id "$AMI" --ingestion-process BYOL_REGULAR \
    --image-name "cli-byol2-$RUN" --image-description "CLI image"
ok "describe-workspace-images --image-ids" awsba workspaces describe-workspace-images --image-ids "$BIMG" &&
    jcheck "AVAILABLE, DEDICATED, WINDOWS, owned by the caller" \
        "[(i['ImageId'], i['State'], i['RequiredTenancy'], i['OperatingSystem']['Type'], i['OwnerAccountId'], i['Name']) for i in j['Images']] == [('$BIMG', 'AVAILABLE', 'DEDICATED', 'WINDOWS', '$BA', 'cli-byol-$RUN')]"
ok "describe-workspace-images --image-type OWNED" awsba workspaces describe-workspace-images --image-type OWNED &&
    jcheck "the imported image" "[i['ImageId'] for i in j['Images']] == ['$BIMG']"
expect_err "update-workspace-image-permission to a non-BYOL account -> OperationNotSupportedException" OperationNotSupportedException \
    awsba workspaces update-workspace-image-permission --image-id "$BIMG" --allow-copy-image --shared-account-id "$BB"
ok "modify-account (second account) ENABLED 10.201.0.0/16" awsbb workspaces modify-account --dedicated-tenancy-support ENABLED \
    --dedicated-tenancy-management-cidr-range 10.201.0.0/16
ok "update-workspace-image-permission --allow-copy-image" awsba workspaces update-workspace-image-permission \
    --image-id "$BIMG" --allow-copy-image --shared-account-id "$BB"
ok "describe-workspace-image-permissions" awsba workspaces describe-workspace-image-permissions --image-id "$BIMG" &&
    jcheck "shared with the second account" "j == {'ImageId': '$BIMG', 'ImagePermissions': [{'SharedAccountId': '$BB'}]}"
ok "describe-workspace-images --image-type SHARED (recipient)" awsbb workspaces describe-workspace-images --image-type SHARED &&
    jcheck "the shared image with the owner's account id" \
        "[(i['ImageId'], i['OwnerAccountId'], i['RequiredTenancy']) for i in j['Images']] == [('$BIMG', '$BA', 'DEDICATED')]"
expect_err "describe-workspace-image-permissions (recipient) -> ResourceNotFoundException" ResourceNotFoundException \
    awsbb workspaces describe-workspace-image-permissions --image-id "$BIMG"
expect_err "delete-workspace-image while shared -> ResourceAssociatedException" ResourceAssociatedException \
    awsba workspaces delete-workspace-image --image-id "$BIMG"
ok "create-account-link-invitation" awsba workspaces create-account-link-invitation --target-account-id "$BB"
LINK=""
if [ "$OK_LAST" = 1 ]; then
    LINK=$(jget 'j["AccountLink"]["AccountLinkId"]')
    jcheck "invitation PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT" \
        "(l := j['AccountLink'])['AccountLinkStatus'] == 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT' and l['SourceAccountId'] == '$BA' and l['TargetAccountId'] == '$BB' and __import__('re').match(r'^link-.{8,24}$', l['AccountLinkId'])"
fi
expect_err "create-account-link-invitation again -> ConflictException" ConflictException \
    awsba workspaces create-account-link-invitation --target-account-id "$BB"
expect_err "create-account-link-invitation to oneself -> ValidationException" ValidationException \
    awsba workspaces create-account-link-invitation --target-account-id "$BA"
expect_err "create-account-link-invitation by a non-BYOL account -> AccessDeniedException" AccessDeniedException \
    awsbc workspaces create-account-link-invitation --target-account-id "$(rand_account)"
ok "list-account-links (target)" awsbb workspaces list-account-links &&
    jcheck "the pending invitation" "[(l['AccountLinkId'], l['AccountLinkStatus']) for l in j['AccountLinks']] == [('$LINK', 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT')]"
ok "accept-account-link-invitation" awsbb workspaces accept-account-link-invitation --link-id "$LINK" &&
    jcheck "LINKED" "j['AccountLink'] == {'AccountLinkId': '$LINK', 'AccountLinkStatus': 'LINKED', 'SourceAccountId': '$BA', 'TargetAccountId': '$BB'}"
ok "get-account-link --link-id (source)" awsba workspaces get-account-link --link-id "$LINK" &&
    jcheck "LINKED" "j['AccountLink'] == {'AccountLinkId': '$LINK', 'AccountLinkStatus': 'LINKED', 'SourceAccountId': '$BA', 'TargetAccountId': '$BB'}"
ok "get-account-link --linked-account-id (target)" awsbb workspaces get-account-link --linked-account-id "$BA" &&
    jcheck "the same link" "j['AccountLink']['AccountLinkId'] == '$LINK' and j['AccountLink']['AccountLinkStatus'] == 'LINKED'"
expect_err "get-account-link unknown link -> ResourceNotFoundException" ResourceNotFoundException \
    awsba workspaces get-account-link --link-id link-doesnotexist0000
expect_err "get-account-link without parameters -> ValidationException" ValidationException \
    awsba workspaces get-account-link
ok "list-account-links --link-status-filter LINKED (source)" awsba workspaces list-account-links --link-status-filter LINKED &&
    jcheck "the LINKED link" "[(l['AccountLinkId'], l['AccountLinkStatus']) for l in j['AccountLinks']] == [('$LINK', 'LINKED')]"
ok "list-account-links --link-status-filter REJECTED" awsba workspaces list-account-links --link-status-filter REJECTED &&
    jcheck "none" "j['AccountLinks'] == []"
expect_err "delete-account-link-invitation of a LINKED link -> ConflictException" ConflictException \
    awsba workspaces delete-account-link-invitation --link-id "$LINK"
ok "describe-account (source)" awsba workspaces describe-account &&
    jcheck "SOURCE_ACCOUNT" "j == {'DedicatedTenancySupport': 'ENABLED', 'DedicatedTenancyManagementCidrRange': '10.200.0.0/16', 'DedicatedTenancyAccountType': 'SOURCE_ACCOUNT'}"
ok "describe-account (target)" awsbb workspaces describe-account &&
    jcheck "TARGET_ACCOUNT with the source's range" "j == {'DedicatedTenancySupport': 'ENABLED', 'DedicatedTenancyManagementCidrRange': '10.200.0.0/16', 'DedicatedTenancyAccountType': 'TARGET_ACCOUNT'}"
ok "update-workspace-image-permission --no-allow-copy-image" awsba workspaces update-workspace-image-permission \
    --image-id "$BIMG" --no-allow-copy-image --shared-account-id "$BB"
ok "describe-workspace-images --image-type SHARED after unsharing" awsbb workspaces describe-workspace-images --image-type SHARED &&
    jcheck "nothing shared" "j['Images'] == []"
ok "delete-workspace-image" awsba workspaces delete-workspace-image --image-id "$BIMG"
ok "describe-workspace-images after delete" awsba workspaces describe-workspace-images --image-ids "$BIMG" &&
    jcheck "gone" "j['Images'] == []"
BIMG=""

echo "== Thin Client software sets"
ok "list-software-sets" awsa workspaces-thin-client list-software-sets &&
    jcheck "four sets newest first, numeric timestamps" \
        "[s['id'] for s in j['softwareSets']] == ['1004', '1003', '1002', '1001'] and all(isinstance(s['releasedAt'], (int, float)) for s in j['softwareSets'])"
ok "list-software-sets --max-items 3" awsa workspaces-thin-client list-software-sets --max-items 3 &&
    jcheck "first 3 and a NextToken" "len(j['softwareSets']) == 3 and j.get('NextToken')"
TOKEN=$(jget 'j.get("NextToken", "")')
ok "list-software-sets --starting-token" awsa workspaces-thin-client list-software-sets --max-items 3 --starting-token "$TOKEN" &&
    jcheck "second page is 1001 only" "[s['id'] for s in j['softwareSets']] == ['1001'] and 'NextToken' not in j"
ok "list-software-sets --page-size 1 (auto-paginated)" awsa workspaces-thin-client list-software-sets --page-size 1 \
    --query 'softwareSets[].id' && jcheck "all four across pages" "j == ['1004', '1003', '1002', '1001']"
expect_err "list-software-sets --max-results 51 -> ValidationException" ValidationException \
    awsa workspaces-thin-client list-software-sets --max-results 51 --no-paginate
ok "get-software-set 1003" awsa workspaces-thin-client get-software-set --id 1003 &&
    jcheck "set 1003 details" \
        "j['softwareSet']['version'] == '2025.01.1' and len(j['softwareSet']['software']) == 3 and j['softwareSet']['arn'] == 'arn:aws:thinclient:us-east-1:$A:softwareset/1003' and j['softwareSet']['validationStatus'] == 'NOT_VALIDATED'"
expect_err "get-software-set 999999999 -> ResourceNotFoundException" ResourceNotFoundException \
    awsa workspaces-thin-client get-software-set --id 999999999
ok "update-software-set VALIDATED" awsa workspaces-thin-client update-software-set --id 1003 --validation-status VALIDATED &&
    tcheck "update-software-set prints nothing (204)" "$(cat "$OUT")" ""
ok "get-software-set --query validationStatus" awsa workspaces-thin-client get-software-set --id 1003 \
    --query softwareSet.validationStatus --output text &&
    tcheck "mark is VALIDATED" "$(cat "$OUT")" "VALIDATED"
ok "B: get-software-set 1003" awsb workspaces-thin-client get-software-set --id 1003 &&
    jcheck "B's mark unaffected" "j['softwareSet']['validationStatus'] == 'NOT_VALIDATED'"
ok "A@$REGION2: get-software-set 1003" awsa2 workspaces-thin-client get-software-set --id 1003 &&
    jcheck "other region's mark unaffected" "j['softwareSet']['validationStatus'] == 'NOT_VALIDATED'"
expect_err "update-software-set 999999999 -> ResourceNotFoundException" ResourceNotFoundException \
    awsa workspaces-thin-client update-software-set --id 999999999 --validation-status VALIDATED
ok "update-software-set NOT_VALIDATED" awsa workspaces-thin-client update-software-set --id 1003 --validation-status NOT_VALIDATED

echo "== Thin Client environments and devices"
# A fresh account per run, so counts and pages are exact on re-runs.
TCA=$(python3 -c 'import random;print("9"+"".join(random.choice("0123456789") for _ in range(11)))')
TCB=$(python3 -c 'import random;print("8"+"".join(random.choice("0123456789") for _ in range(11)))')
awst() { AWS_ACCESS_KEY_ID=$TCA aws --output json "$@"; }
awstb() { AWS_ACCESS_KEY_ID=$TCB aws --output json "$@"; }
DESK="arn:aws:workspaces:us-east-1:$TCA:directory/d-9067a1b2c3"

# local_post PATH JSON : POST to an emulator-only /_local endpoint (unsigned);
# the response body goes to $OUT, the HTTP status to stdout.
local_post() {
    python3 - "$AWS_ENDPOINT_URL$1" "$2" "$OUT" <<'EOF'
import sys, urllib.error, urllib.request
req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST",
                             headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=10) as r:
        status, body = r.status, r.read()
except urllib.error.HTTPError as e:
    status, body = e.code, e.read()
open(sys.argv[3], "wb").write(body)
print(status)
EOF
}
# status_is NAME GOT WANT : like tcheck, independent of OK_LAST.
status_is() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "HTTP $2, want $3: $(head -c 300 "$OUT")"; fi; }

TOK="cli-$RUN-t1"
ENV1=""
ok "create-environment --tags --client-token" awst workspaces-thin-client create-environment --name lobby \
    --desktop-arn "$DESK" --tags team=it --client-token "$TOK"
if [ "$OK_LAST" = 1 ]; then
    ENV1=$(jget 'j["environment"]["id"]')
    CODE1=$(jget 'j["environment"]["activationCode"]')
    ARN1=$(jget 'j["environment"]["arn"]')
    CLEANUP_ENVS="$CLEANUP_ENVS $ENV1"
    jcheck "create-environment summary with stored defaults and numeric timestamps" \
        "(e := j['environment'])['name'] == 'lobby' and e['desktopType'] == 'workspaces' and e['maintenanceWindow'] == {'type': 'SYSTEM'} and e['softwareSetUpdateMode'] == 'USE_LATEST' and e['softwareSetUpdateSchedule'] == 'USE_MAINTENANCE_WINDOW' and e['arn'] == 'arn:aws:thinclient:us-east-1:$TCA:environment/' + e['id'] and isinstance(e['createdAt'], (int, float)) and 'registeredDevicesCount' not in e"
fi
ok "create-environment same --client-token again" awst workspaces-thin-client create-environment --name lobby \
    --desktop-arn "$DESK" --tags team=it --client-token "$TOK" &&
    jcheck "replay returns the same environment" "j['environment']['id'] == '$ENV1'"
expect_err "create-environment same token, other name -> ConflictException" ConflictException \
    awst workspaces-thin-client create-environment --name hall --desktop-arn "$DESK" --tags team=it --client-token "$TOK"
ok "get-environment" awst workspaces-thin-client get-environment --id "$ENV1" &&
    jcheck "get-environment: count 0, NO_REGISTERED_DEVICES" \
        "j['environment']['registeredDevicesCount'] == 0 and j['environment']['softwareSetComplianceStatus'] == 'NO_REGISTERED_DEVICES' and j['environment']['activationCode'] == '$CODE1'"
expect_err "create-environment s3 desktop ARN -> ValidationException" ValidationException \
    awst workspaces-thin-client create-environment --desktop-arn arn:aws:s3:::not-a-desktop-bucket
expect_err "create-environment desired 999999999 -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client create-environment --desktop-arn "$DESK" --desired-software-set-id 999999999
expect_err "get-environment zzzzzzzzz -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client get-environment --id zzzzzzzzz
expect_err "B: get-environment of A's -> ResourceNotFoundException" ResourceNotFoundException \
    awstb workspaces-thin-client get-environment --id "$ENV1"
expect_err "list-environments --max-results 51 -> ValidationException" ValidationException \
    awst workspaces-thin-client list-environments --max-results 51 --no-paginate

ok "update-environment name and CUSTOM window" awst workspaces-thin-client update-environment --id "$ENV1" --name "front desk" \
    --maintenance-window '{"type":"CUSTOM","startTimeHour":1,"startTimeMinute":0,"endTimeHour":5,"endTimeMinute":0,"daysOfTheWeek":["SATURDAY"],"applyTimeOf":"UTC"}' &&
    jcheck "update-environment returns the new name and window" \
        "j['environment']['name'] == 'front desk' and j['environment']['maintenanceWindow']['daysOfTheWeek'] == ['SATURDAY'] and j['environment']['maintenanceWindow']['endTimeHour'] == 5"
ok "update-environment USE_DESIRED 1003" awst workspaces-thin-client update-environment --id "$ENV1" \
    --software-set-update-mode USE_DESIRED --desired-software-set-id 1003 &&
    jcheck "desired set 1003" "j['environment']['desiredSoftwareSetId'] == '1003'"
expect_err "update-environment --desired-software-set-id '' alone -> ValidationException" ValidationException \
    awst workspaces-thin-client update-environment --id "$ENV1" --desired-software-set-id ""
ok "update-environment USE_LATEST" awst workspaces-thin-client update-environment --id "$ENV1" --software-set-update-mode USE_LATEST &&
    jcheck "desired set cleared" "'desiredSoftwareSetId' not in j['environment']"
expect_err "update-environment unknown -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client update-environment --id zzzzzzzzz --name x

echo "== Thin Client tags"
ok "tag-resource (environment ARN)" awst workspaces-thin-client tag-resource --resource-arn "$ARN1" --tags env=prod,owner=cli &&
    tcheck "tag-resource prints nothing" "$(cat "$OUT")" ""
ok "list-tags-for-resource" awst workspaces-thin-client list-tags-for-resource --resource-arn "$ARN1" &&
    jcheck "creation and added tags" "j == {'tags': {'team': 'it', 'env': 'prod', 'owner': 'cli'}}"
ok "untag-resource two keys" awst workspaces-thin-client untag-resource --resource-arn "$ARN1" --tag-keys team owner
ok "list-tags-for-resource after untag" awst workspaces-thin-client list-tags-for-resource --resource-arn "$ARN1" &&
    jcheck "one tag left" "j == {'tags': {'env': 'prod'}}"
expect_err "tag-resource aws: key -> ValidationException" ValidationException \
    awst workspaces-thin-client tag-resource --resource-arn "$ARN1" --tags aws:x=1
expect_err "tag-resource unknown environment ARN -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client tag-resource --resource-arn "arn:aws:thinclient:us-east-1:$TCA:environment/zzzzzzzzz" --tags a=b
expect_err "B: list-tags-for-resource of A's ARN -> ResourceNotFoundException" ResourceNotFoundException \
    awstb workspaces-thin-client list-tags-for-resource --resource-arn "$ARN1"
expect_err "list-tags-for-resource not an ARN -> ValidationException" ValidationException \
    awst workspaces-thin-client list-tags-for-resource --resource-arn not-an-arn

echo "== list-environments paging"
for i in 1 2 3 4; do
    ok "create-environment page-$i" awst workspaces-thin-client create-environment --name "page-$i" --desktop-arn "$DESK"
    [ "$OK_LAST" = 1 ] && CLEANUP_ENVS="$CLEANUP_ENVS $(jget 'j["environment"]["id"]')"
done
# --page-size 2 as well, so the server's own nextToken is used and wrapped.
ok "list-environments --max-items 2 (page 1)" awst workspaces-thin-client list-environments --max-items 2 --page-size 2 &&
    jcheck "page 1: 2 items and a NextToken" "len(j['environments']) == 2 and j.get('NextToken')"
TOKEN=$(jget 'j.get("NextToken", "")')
SEEN=$(jget '" ".join(e["id"] for e in j["environments"])')
PAGES=1
while [ -n "$TOKEN" ] && [ "$TOKEN" != "None" ] && [ "$PAGES" -lt 10 ]; do
    ok "list-environments --starting-token (page $((PAGES + 1)))" \
        awst workspaces-thin-client list-environments --max-items 2 --page-size 2 --starting-token "$TOKEN"
    [ "$OK_LAST" = 1 ] || break
    SEEN="$SEEN $(jget '" ".join(e["id"] for e in j["environments"])')"
    TOKEN=$(jget 'j.get("NextToken", "")')
    PAGES=$((PAGES + 1))
done
[ "$PAGES" -eq 3 ] && pass "list-environments --max-items 2 over 5 environments: 3 pages" ||
    fail "list-environments --max-items 2 over 5 environments: 3 pages" "got $PAGES"
WANT_ENVS=$(echo $CLEANUP_ENVS | tr ' ' '\n' | sort | tr '\n' ' ')
[ "$(echo $SEEN | tr ' ' '\n' | sort | tr '\n' ' ')" = "$WANT_ENVS" ] &&
    pass "--max-items paging returns every environment once" || fail "--max-items paging returns every environment once" "seen [$SEEN], want [$WANT_ENVS]"
ok "list-environments --page-size 2 (auto-paginated)" awst workspaces-thin-client list-environments --page-size 2 &&
    jcheck "auto-pagination merges 5 environments in creation order" "len(j['environments']) == 5 and j['environments'][0]['id'] == '$ENV1' and 'NextToken' not in j"
expect_err "list-environments garbled --next-token -> ValidationException" ValidationException \
    awst workspaces-thin-client list-environments --no-paginate --next-token garbage-token

echo "== Thin Client devices"
DEV1=""
st=$(local_post /_local/thinclient/devices "{\"activationCode\": \"$CODE1\", \"serialNumber\": \"CLI-$RUN-1\", \"model\": \"TC-1\", \"currentSoftwareSetId\": \"1003\"}")
status_is "register a device (POST /_local/thinclient/devices) -> 201" "$st" 201
if [ "$st" = 201 ]; then
    DEV1=$(jget 'j["id"]')
    DARN1=$(jget 'j["arn"]')
    CLEANUP_DEVICES="$CLEANUP_DEVICES $DEV1"
fi
st=$(local_post /_local/thinclient/devices '{"activationCode": "zz000000"}')
status_is "register with an unknown code -> 404" "$st" 404
st=$(local_post /_local/thinclient/devices "{\"activationCode\": \"$CODE1\", \"serialNumber\": \"CLI-$RUN-1\"}")
status_is "register the same serial again -> 409" "$st" 409
st=$(local_post /_local/thinclient/devices '{"serialNumber": "x"}')
status_is "register without activationCode -> 400" "$st" 400
ok "get-device" awst workspaces-thin-client get-device --id "$DEV1" &&
    jcheck "get-device: REGISTERED, set 1003 -> 1004 pending" \
        "(d := j['device'])['status'] == 'REGISTERED' and d['environmentId'] == '$ENV1' and d['model'] == 'TC-1' and d['currentSoftwareSetId'] == '1003' and d['pendingSoftwareSetId'] == '1004' and d['softwareSetUpdateStatus'] == 'AVAILABLE' and d['arn'] == 'arn:aws:thinclient:us-east-1:$TCA:device/$DEV1' and isinstance(d['createdAt'], (int, float))"
st=$(local_post "/_local/thinclient/devices/$DEV1/checkin" '{"userId": "alice", "install": "now"}')
status_is "check-in with install now -> 200" "$st" 200
ok "list-devices" awst workspaces-thin-client list-devices &&
    jcheck "list-devices shows the device with lastUserId alice on 1004" \
        "[(d['id'], d.get('lastUserId'), d.get('currentSoftwareSetId')) for d in j['devices']] == [('$DEV1', 'alice', '1004')]"
ok "B: list-devices" awstb workspaces-thin-client list-devices && jcheck "B sees no devices" "j == {'devices': []}"
ok "get-environment with a device" awst workspaces-thin-client get-environment --id "$ENV1" &&
    jcheck "registeredDevicesCount 1, COMPLIANT" "j['environment']['registeredDevicesCount'] == 1 and j['environment']['softwareSetComplianceStatus'] == 'COMPLIANT'"
ok "update-device --name --software-set-update-schedule" awst workspaces-thin-client update-device --id "$DEV1" --name kiosk-1 \
    --software-set-update-schedule APPLY_IMMEDIATELY &&
    jcheck "update-device returns the summary" "j['device']['name'] == 'kiosk-1' and j['device']['softwareSetUpdateSchedule'] == 'APPLY_IMMEDIATELY'"
ok "tag-resource (device ARN)" awst workspaces-thin-client tag-resource --resource-arn "$DARN1" --tags room=101
ok "list-tags-for-resource (device ARN)" awst workspaces-thin-client list-tags-for-resource --resource-arn "$DARN1" &&
    jcheck "device tags" "j == {'tags': {'room': '101'}}"
expect_err "delete-device while REGISTERED -> ConflictException" ConflictException \
    awst workspaces-thin-client delete-device --id "$DEV1"
expect_err "delete-environment with a REGISTERED device -> ConflictException" ConflictException \
    awst workspaces-thin-client delete-environment --id "$ENV1"
expect_err "B: deregister-device of A's -> ResourceNotFoundException" ResourceNotFoundException \
    awstb workspaces-thin-client deregister-device --id "$DEV1"
expect_err "get-device unknown -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client get-device --id ZZZZZZZZZZZZZZZZZZZZZZZZ
expect_err "get-device malformed id -> ValidationException" ValidationException \
    awst workspaces-thin-client get-device --id short
expect_err "deregister-device --target-device-status GONE -> ValidationException" ValidationException \
    awst workspaces-thin-client deregister-device --id "$DEV1" --target-device-status GONE
ok "deregister-device --target-device-status ARCHIVED" awst workspaces-thin-client deregister-device --id "$DEV1" \
    --target-device-status ARCHIVED --client-token "cli-$RUN-dereg" &&
    tcheck "deregister-device prints nothing (202)" "$(cat "$OUT")" ""
ok "deregister-device replay with the same token" awst workspaces-thin-client deregister-device --id "$DEV1" \
    --target-device-status ARCHIVED --client-token "cli-$RUN-dereg"
expect_err "deregister-device again (new token) -> ConflictException" ConflictException \
    awst workspaces-thin-client deregister-device --id "$DEV1"
ok "get-device after deregistration" awst workspaces-thin-client get-device --id "$DEV1" --query device.status --output text &&
    tcheck "device ARCHIVED (zero delays)" "$(cat "$OUT")" "ARCHIVED"
ok "delete-device" awst workspaces-thin-client delete-device --id "$DEV1" --client-token "cli-$RUN-del" &&
    tcheck "delete-device prints nothing (204)" "$(cat "$OUT")" ""
ok "delete-device replay with the same token" awst workspaces-thin-client delete-device --id "$DEV1" --client-token "cli-$RUN-del"
expect_err "get-device after delete -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client get-device --id "$DEV1"
expect_err "delete-device again (new token) -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client delete-device --id "$DEV1"

echo "== Thin Client delete-environment"
for e in $CLEANUP_ENVS; do
    ok "delete-environment $e" awst workspaces-thin-client delete-environment --id "$e" &&
        tcheck "delete-environment $e prints nothing (204)" "$(cat "$OUT")" ""
done
expect_err "get-environment after delete -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client get-environment --id "$ENV1"
expect_err "delete-environment again -> ResourceNotFoundException" ResourceNotFoundException \
    awst workspaces-thin-client delete-environment --id "$ENV1"
st=$(local_post /_local/thinclient/devices "{\"activationCode\": \"$CODE1\"}")
status_is "register with the deleted environment's code -> 404" "$st" 404
ok "list-environments after deleting all" awst workspaces-thin-client list-environments &&
    jcheck "no environments left" "j == {'environments': []}"
CLEANUP_ENVS=""
CLEANUP_DEVICES=""

echo "== Issue 16: pools, custom bundles, DR, image updates, encryption (zero delays)"
I16=$(python3 -c 'import random;print("8"+"".join(random.choice("0123456789") for _ in range(11)))')
awsi() { AWS_ACCESS_KEY_ID=$I16 aws --output json "$@"; }
awsiw() { AWS_ACCESS_KEY_ID=$I16 aws --output json --region us-west-2 "$@"; }
ok "register a POOLS directory" awsi workspaces register-workspace-directory --workspace-type POOLS \
    --user-identity-type CUSTOMER_MANAGED --workspace-directory-name pools-dir --workspace-directory-description pools
WSD=$(jget 'j["DirectoryId"]')
ok "register d-926722edaf (the CLI examples' directory)" awsi workspaces register-workspace-directory --directory-id d-926722edaf
ok "create-workspaces with the CLI example's bundle wsb-0zsvgp8fc" awsi workspaces create-workspaces \
    --workspaces DirectoryId=d-926722edaf,UserName=Mateo,BundleId=wsb-0zsvgp8fc
jcheck "create-workspaces example: one pending" "len(j['PendingRequests']) == 1 and j['FailedRequests'] == []"
MATEO=$(jget 'j["PendingRequests"][0]["WorkspaceId"]')
ok "create-workspaces-pool" awsi workspaces create-workspaces-pool --pool-name support --description "Support desks" \
    --bundle-id wsb-93xk71ss4 --directory-id "$WSD" --capacity DesiredUserSessions=2 --running-mode AUTO_STOP
POOL=$(jget 'j["WorkspacesPool"]["PoolId"]')
jcheck "pool CREATING" "j['WorkspacesPool']['State'] == 'CREATING'"
expect_err "create-workspaces-pool same name -> ResourceAlreadyExistsException" ResourceAlreadyExistsException \
    awsi workspaces create-workspaces-pool --pool-name support --description x --bundle-id wsb-93xk71ss4 \
    --directory-id "$WSD" --capacity DesiredUserSessions=1
ok "describe-workspaces-pools" awsi workspaces describe-workspaces-pools --pool-ids "$POOL"
jcheck "pool RUNNING with 2 available sessions" "j['WorkspacesPools'][0]['State'] == 'RUNNING' and j['WorkspacesPools'][0]['CapacityStatus']['AvailableUserSessions'] == 2"
ok "update-workspaces-pool capacity 3" awsi workspaces update-workspaces-pool --pool-id "$POOL" --capacity DesiredUserSessions=3
jcheck "update answers UPDATING" "j['WorkspacesPool']['State'] == 'UPDATING'"
st=$(local_post "/_local/workspaces/pools/$POOL/sessions" '{"userId": "alice"}')
status_is "simulated pool session -> 201" "$st" 201
ok "describe-workspaces-pool-sessions" awsi workspaces describe-workspaces-pool-sessions --pool-id "$POOL"
jcheck "one session for alice" "[s['UserId'] for s in j['Sessions']] == ['alice']"
SESS=$(jget 'j["Sessions"][0]["SessionId"]')
ok "terminate-workspaces-pool-session" awsi workspaces terminate-workspaces-pool-session --session-id "$SESS"
expect_err "terminate the session again -> ResourceNotFoundException" ResourceNotFoundException \
    awsi workspaces terminate-workspaces-pool-session --session-id "$SESS"
ok "stop-workspaces-pool" awsi workspaces stop-workspaces-pool --pool-id "$POOL"
expect_err "stop a STOPPED pool -> InvalidResourceStateException" InvalidResourceStateException \
    awsi workspaces stop-workspaces-pool --pool-id "$POOL"
ok "start-workspaces-pool" awsi workspaces start-workspaces-pool --pool-id "$POOL"
ok "terminate-workspaces-pool" awsi workspaces terminate-workspaces-pool --pool-id "$POOL"
ok "describe-workspaces-pools after terminate" awsi workspaces describe-workspaces-pools --pool-ids "$POOL"
jcheck "terminated pool gone (zero delays)" "j['WorkspacesPools'] == []"

ok "create-workspace-image from the example WorkSpace" awsi workspaces create-workspace-image --name golden \
    --description golden --workspace-id "$MATEO"
IMG=$(jget 'j["ImageId"]')
ok "create-workspace-bundle" awsi workspaces create-workspace-bundle --bundle-name golden-std \
    --bundle-description "golden on standard" --image-id "$IMG" --compute-type Name=STANDARD \
    --user-storage Capacity=50 --root-storage Capacity=80
BUN=$(jget 'j["WorkspaceBundle"]["BundleId"]')
jcheck "custom bundle owned by the account" "j['WorkspaceBundle']['Owner'] == '$I16' and j['WorkspaceBundle']['State'] == 'AVAILABLE'"
ok "describe-workspace-bundles (own)" awsi workspaces describe-workspace-bundles
jcheck "own bundles = the custom one" "[b['BundleId'] for b in j['Bundles']] == ['$BUN']"
ok "update-workspace-bundle (same image: no change)" awsi workspaces update-workspace-bundle --bundle-id "$BUN" --image-id "$IMG"
ok "describe-bundle-associations" awsi workspaces describe-bundle-associations --bundle-id "$BUN" --associated-resource-types APPLICATION
jcheck "the bundle carries its image's Office 2016 (the image of a wsb-0zsvgp8fc WorkSpace)" "[(a['AssociatedResourceId'], a['State']) for a in j['Associations']] == [('wsa-off2016p1', 'COMPLETED')]"
expect_err "delete-workspace-image used by a bundle -> ResourceAssociatedException" ResourceAssociatedException \
    awsi workspaces delete-workspace-image --image-id "$IMG"
ok "delete-workspace-bundle" awsi workspaces delete-workspace-bundle --bundle-id "$BUN"
expect_err "delete-workspace-bundle again -> ResourceNotFoundException" ResourceNotFoundException \
    awsi workspaces delete-workspace-bundle --bundle-id "$BUN"
expect_err "create-updated-workspace-image without update -> OperationNotSupportedException" OperationNotSupportedException \
    awsi workspaces create-updated-workspace-image --name golden-v2 --description updated --source-image-id "$IMG"
st=$(local_post "/_local/workspaces/images/$IMG/updates" '{"updateAvailable": true}')
status_is "mark the image updatable -> 200" "$st" 200
ok "create-updated-workspace-image" awsi workspaces create-updated-workspace-image --name golden-v2 --description updated --source-image-id "$IMG"
jcheck "updated image id" "j['ImageId'].startswith('wsi-')"
ok "import-custom-workspace-image" awsi workspaces import-custom-workspace-image --image-name win11-ib \
    --image-description "Windows 11 golden" --compute-type BASE --protocol DCV --image-source Ec2ImageId=ami-0123456789abcdef0 \
    --infrastructure-configuration-arn "arn:aws:imagebuilder:us-east-1:$I16:infrastructure-configuration/ws-byol" \
    --platform WINDOWS --os-version Windows_11
CIMG=$(jget 'j["ImageId"]')
ok "describe-custom-workspace-image-import" awsi workspaces describe-custom-workspace-image-import --image-id "$CIMG"
jcheck "import ended in ERROR without BYOL" "j['State'] == 'ERROR' and j['ErrorDetails'][0]['ErrorCode'] == 'WorkspacesBYOLAccountDisabled'"

ok "describe-workspace-snapshots" awsi workspaces describe-workspace-snapshots --workspace-id "$MATEO"
jcheck "one rebuild and one restore snapshot" "len(j['RebuildSnapshots']) == 1 and len(j['RestoreSnapshots']) == 1"
ok "restore-workspace (the CLI example prints nothing)" awsi workspaces restore-workspace --workspace-id "$MATEO" &&
    tcheck "restore-workspace prints nothing" "$(cat "$OUT")" ""
ok "register d-2222222222 in us-west-2" awsiw workspaces register-workspace-directory --directory-id d-2222222222
ok "create-standby-workspaces" awsiw workspaces create-standby-workspaces --primary-region us-east-1 \
    --standby-workspaces PrimaryWorkspaceId="$MATEO",DirectoryId=d-2222222222
jcheck "standby pending" "len(j['PendingStandbyRequests']) == 1 and j['FailedStandbyRequests'] == []"
ok "modify-workspace-properties --data-replication" awsi workspaces modify-workspace-properties --workspace-id "$MATEO" \
    --data-replication PRIMARY_AS_SOURCE
ok "describe the primary" awsi workspaces describe-workspaces --workspace-ids "$MATEO"
jcheck "primary replicates to its standby" "j['Workspaces'][0]['StandbyWorkspacesProperties'][0]['DataReplication'] == 'PRIMARY_AS_SOURCE'"
expect_err "migrate-workspace of a primary with a standby -> OperationNotSupportedException" OperationNotSupportedException \
    awsi workspaces migrate-workspace --source-workspace-id "$MATEO" --bundle-id wsb-3t36q0xfc
ok "create a WorkSpace to migrate" awsi workspaces create-workspaces --workspaces DirectoryId=d-926722edaf,UserName=Mary,BundleId=wsb-bh8rsxt14
MARY=$(jget 'j["PendingRequests"][0]["WorkspaceId"]')
awsi workspaces describe-workspaces --workspace-ids "$MARY" >/dev/null 2>&1 || true
ok "migrate-workspace" awsi workspaces migrate-workspace --source-workspace-id "$MARY" --bundle-id wsb-3t36q0xfc
jcheck "migrate answers source and target" "j['SourceWorkspaceId'] == '$MARY' and j['TargetWorkspaceId'] != '$MARY'"
expect_err "migrate-workspace to the AL2 bundle of the CLI example (wsb-j4dky1gs4) -> OperationNotSupportedException" OperationNotSupportedException \
    awsi workspaces migrate-workspace --source-workspace-id "$(jget 'j["TargetWorkspaceId"]')" --bundle-id wsb-j4dky1gs4
ok "modify-endpoint-encryption-mode FIPS on a directory without WorkSpaces" awsi workspaces modify-endpoint-encryption-mode \
    --directory-id "$WSD" --endpoint-encryption-mode FIPS_VALIDATED
expect_err "modify-endpoint-encryption-mode with STANDARD_TLS WorkSpaces -> OperationNotSupportedException" OperationNotSupportedException \
    awsi workspaces modify-endpoint-encryption-mode --directory-id d-926722edaf --endpoint-encryption-mode FIPS_VALIDATED
ok "describe-workspace-directories us-west-2" awsiw workspaces describe-workspace-directories
jcheck "us-west-2 registration code starts WSpdx+" "j['Directories'][0]['RegistrationCode'].startswith('WSpdx+')"
echo "== WorkSpaces API part 2: applications, client branding, Connect add-ins (zero delays)"
# A fresh account and directory per run (workspaces-more §20-§22).
P2ACCT=$(python3 -c 'import random;print("6"+"".join(random.choice("0123456789") for _ in range(11)))')
P2DIR="d-$(python3 -c 'import random;print("".join(random.choice("0123456789abcdef") for _ in range(10)))')"
awsp() { AWS_ACCESS_KEY_ID=$P2ACCT aws --output json "$@"; }
ok "describe-applications" awsp workspaces describe-applications &&
    jcheck "10 applications, Owner AMAZON" "len(j['Applications']) == 10 and {a['Owner'] for a in j['Applications']} == {'AMAZON'}"
ok "describe-applications --compute-type-names VALUE" awsp workspaces describe-applications --compute-type-names VALUE &&
    jcheck "8 applications for VALUE" "len(j['Applications']) == 8"
expect_err "describe-applications --next-token garbage -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsp workspaces describe-applications --next-token garbage
ok "register-workspace-directory (part 2)" awsp workspaces register-workspace-directory --directory-id "$P2DIR"
ok "create-workspaces (Standard, Windows 10)" awsp workspaces create-workspaces \
    --workspaces "DirectoryId=$P2DIR,UserName=cli-app-$RUN,BundleId=wsb-3t36q0xfc"
P2WS=""
[ "$OK_LAST" = 1 ] && P2WS=$(jget 'j["PendingRequests"][0]["WorkspaceId"]')
ok "associate-workspace-application Visio Pro" awsp workspaces associate-workspace-application --workspace-id "$P2WS" --application-id wsa-vis21pro1 &&
    jcheck "PENDING_INSTALL_DEPLOYMENT" "j['Association']['State'] == 'PENDING_INSTALL_DEPLOYMENT' and j['Association']['WorkspaceId'] == '$P2WS'"
expect_err "associate-workspace-application Visio Standard -> IncompatibleApplicationsException" IncompatibleApplicationsException \
    awsp workspaces associate-workspace-application --workspace-id "$P2WS" --application-id wsa-vis21std1
expect_err "associate-workspace-application Office 2019 -> ApplicationNotSupportedException" ApplicationNotSupportedException \
    awsp workspaces associate-workspace-application --workspace-id "$P2WS" --application-id wsa-off2019p1
ok "deploy-workspace-applications" awsp workspaces deploy-workspace-applications --workspace-id "$P2WS" &&
    jcheck "Deployment PENDING_INSTALL" "[a['State'] for a in j['Deployment']['Associations']] == ['PENDING_INSTALL']"
ok "describe-workspace-associations" awsp workspaces describe-workspace-associations --workspace-id "$P2WS" --associated-resource-types APPLICATION &&
    jcheck "COMPLETED (zero delays)" "[(a['AssociatedResourceId'], a['State']) for a in j['Associations']] == [('wsa-vis21pro1', 'COMPLETED')]"
ok "describe-application-associations" awsp workspaces describe-application-associations --application-id wsa-vis21pro1 --associated-resource-types WORKSPACE &&
    jcheck "the WorkSpace" "[a['AssociatedResourceId'] for a in j['Associations']] == ['$P2WS']"
ok "disassociate-workspace-application" awsp workspaces disassociate-workspace-application --workspace-id "$P2WS" --application-id wsa-vis21pro1 &&
    jcheck "PENDING_UNINSTALL_DEPLOYMENT" "j['Association']['State'] == 'PENDING_UNINSTALL_DEPLOYMENT'"
expect_err "describe-image-associations unknown image -> ResourceNotFoundException" ResourceNotFoundException \
    awsp workspaces describe-image-associations --image-id wsi-000000000 --associated-resource-types APPLICATION
ok "import-client-branding (Windows: email, login message)" awsp workspaces import-client-branding --resource-id "$P2DIR" \
    --device-type-windows 'SupportEmail=help@example.com,LoginMessage={en_US=Welcome}' &&
    jcheck "response has DeviceTypeWindows only" "list(j) == ['DeviceTypeWindows'] and j['DeviceTypeWindows'] == {'SupportEmail': 'help@example.com', 'LoginMessage': {'en_US': 'Welcome'}}"
expect_err "import-client-branding SupportEmail and SupportLink -> InvalidParameterValuesException" InvalidParameterValuesException \
    awsp workspaces import-client-branding --resource-id "$P2DIR" --device-type-web 'SupportEmail=help@example.com,SupportLink=https://example.com'
ok "describe-client-branding" awsp workspaces describe-client-branding --resource-id "$P2DIR" &&
    jcheck "DeviceTypeWindows stored" "list(j) == ['DeviceTypeWindows'] and j['DeviceTypeWindows']['SupportEmail'] == 'help@example.com'"
ok "delete-client-branding" awsp workspaces delete-client-branding --resource-id "$P2DIR" --platforms DeviceTypeWindows DeviceTypeLinux
ok "describe-client-branding after delete" awsp workspaces describe-client-branding --resource-id "$P2DIR" && jcheck "no platforms" "j in (None, {})"
expect_err "describe-client-branding d-0000000000 -> ResourceNotFoundException" ResourceNotFoundException \
    awsp workspaces describe-client-branding --resource-id d-0000000000
# The URL goes through --cli-input-json: AWS CLI v1 would try to download a
# URL given as a parameter value (cli_follow_urlparam).
ok "create-connect-client-add-in" awsp workspaces create-connect-client-add-in \
    --cli-input-json "{\"ResourceId\": \"$P2DIR\", \"Name\": \"CCP\", \"URL\": \"https://example.my.connect.aws/ccp-v2\"}"
P2ADDIN=""
[ "$OK_LAST" = 1 ] && P2ADDIN=$(jget 'j["AddInId"]')
expect_err "create-connect-client-add-in again -> ResourceAlreadyExistsException" ResourceAlreadyExistsException \
    awsp workspaces create-connect-client-add-in --cli-input-json "{\"ResourceId\": \"$P2DIR\", \"Name\": \"Other\", \"URL\": \"https://example.com\"}"
ok "update-connect-client-add-in --name" awsp workspaces update-connect-client-add-in --resource-id "$P2DIR" --add-in-id "$P2ADDIN" --name "Contact Control Panel"
ok "describe-connect-client-add-ins" awsp workspaces describe-connect-client-add-ins --resource-id "$P2DIR" &&
    jcheck "one add-in, renamed" "[(a['AddInId'], a['Name'], a['URL']) for a in j['AddIns']] == [('$P2ADDIN', 'Contact Control Panel', 'https://example.my.connect.aws/ccp-v2')]"
ok "delete-connect-client-add-in" awsp workspaces delete-connect-client-add-in --resource-id "$P2DIR" --add-in-id "$P2ADDIN"
expect_err "delete-connect-client-add-in again -> ResourceNotFoundException" ResourceNotFoundException \
    awsp workspaces delete-connect-client-add-in --resource-id "$P2DIR" --add-in-id "$P2ADDIN"
[ -n "$P2WS" ] && awsp workspaces terminate-workspaces --terminate-workspace-requests "$P2WS" >/dev/null 2>&1 || true

if [ "${#FAILURES[@]}" -gt 0 ]; then
    echo "failed checks:"
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
