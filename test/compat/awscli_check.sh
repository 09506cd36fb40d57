#!/usr/bin/env bash
# AWS CLI compatibility check for workspaces-local.
#
# Runs a representative subset of `aws workspaces ...` and
# `aws workspaces-thin-client ...` against the server named by
# AWS_ENDPOINT_URL (started with --delays zero). Prints one line per check and
# ends with `N passed, M failed`; exits non-zero when a check failed.
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
    AWS_ACCESS_KEY_ID=$A aws workspaces-thin-client update-software-set --id 1003 --validation-status NOT_VALIDATED >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
CLEANUP_GROUPS=""

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

if [ "${#FAILURES[@]}" -gt 0 ]; then
    echo "failed checks:"
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
