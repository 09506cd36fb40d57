#!/usr/bin/env python3
"""boto3 compatibility check for workspaces-local.

Self-contained (stdlib + boto3). Talks to the server named by AWS_ENDPOINT_URL,
which should run with `--delays zero` (REGISTERING -> REGISTERED completes at
the next read). Optionally WSL_MANUAL_CLOCK_ENDPOINT_URL names a second server
started with `--manual-clock` and the default delays; the checks that need to
observe the REGISTERING / DEREGISTERING states and the WorkSpace state
machine run against it (they are skipped, not failed, when it is not given).

The WorkSpaces sections cover the public bundle catalogue and its paginator,
CreateWorkspaces per-item failure codes and whole-call errors, the
DescribeWorkspaces filter rules and paginator, DescribeWorkspacesConnectionStatus
and the single-WorkSpace error codes on the zero-delay server, and scenario
C.2 of the WorkSpaces behaviour reference on the manual-clock server:
PENDING -> AVAILABLE, running mode, STOPPING/STOPPED, STARTING, ADMIN_MAINTENANCE,
REBOOTING, REBUILDING, UPDATING (compute change), TERMINATING -> TERMINATED ->
gone. They use random 12-digit accounts as well.

The BYOL sections (spec §9-§11, Appendix C.3 and C.4) run the issue's
acceptance scenario on the manual-clock server as the fixed accounts
111111111111 and 222222222222 in a fresh region per run (a real region no other check uses:
BYOL enablement and account links are permanent, so a fixed region could run
it only once per server), observing ModifyAccount PENDING -> COMPLETED and
ImportWorkspaceImage PENDING -> AVAILABLE / ERROR with clock advances, and
CreateWorkspaceImage / CopyWorkspaceImage states; on the zero-delay server
with random accounts they cover C.3 (DescribeAccount,
DescribeAccountModifications, the ListAvailableManagementCidrRanges paginator,
ModifyAccount errors, import/share/copy/delete rules, the image quota) and
C.4 (account links from both sides, accept, reject, delete, GetAccountLink by
id and by account, ClientToken idempotency), with the modelled error codes.

The Thin Client sections cover all 16 operations (scenarios A.1 and A.2 of the
Thin Client behaviour reference, clientToken idempotency, paginators, error
codes with HTTP statuses and modelled members, tags, isolation, the 100
environment quota); they use random 12-digit accounts, so counts and pages are
exact on re-runs, and register simulated devices through the emulator's
unsigned /_local/thinclient endpoints.

Checks listed in KNOWN_BUGS fail because of a known server bug: they print
KNOWN BUG and are not counted.

Every check prints one line (PASS/FAIL/SKIP); the last line is
`N passed, M failed`. Exit status is non-zero when any check failed.

The script is re-runnable against the same server: names and directory ids are
random per run and it cleans up after itself.
"""

import base64
import datetime
import json
import os
import random
import re
import string
import sys
import time
import traceback
import urllib.error
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

ENDPOINT = os.environ.get("AWS_ENDPOINT_URL")
CLOCK_ENDPOINT = os.environ.get("WSL_MANUAL_CLOCK_ENDPOINT_URL")
REGION = "us-east-1"
REGION2 = "eu-west-1"
ACCT_A = "111111111111"
ACCT_B = "222222222222"
FRESH_REGIONS = ["af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-northeast-3",
                 "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
                 "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1",
                 "me-south-1", "me-central-1", "mx-central-1"]
RUN = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(8))

PASSED = 0
FAILED = 0
FAILURES = []

# Checks that fail because of a known server bug: the correct assertion stays
# in; a failure prints "KNOWN BUG" and is not counted. Remove an entry once
# the server is fixed (a passing entry prints a reminder).
KNOWN_BUGS = {
    # "check name": "what the server does wrong",
}
KNOWN_HIT = []


def log(status, name, detail=""):
    line = f"{status} {name}"
    if detail:
        line += f" -- {detail}"
    print(line, flush=True)


def check(name, cond, detail=""):
    global PASSED, FAILED
    if cond:
        PASSED += 1
        log("PASS", name, "listed in KNOWN_BUGS but passes now: remove the entry" if name in KNOWN_BUGS else "")
    elif name in KNOWN_BUGS:
        KNOWN_HIT.append(name)
        log("KNOWN BUG", name, f"{KNOWN_BUGS[name]}; {detail}")
    else:
        FAILED += 1
        FAILURES.append(name)
        log("FAIL", name, detail)
    return bool(cond)


def skip(name, why):
    log("SKIP", name, why)


def eq(name, got, want):
    return check(name, got == want, f"got {got!r}, want {want!r}")


def expect_error(name, fn, code, status=None, **members):
    """Call fn(); pass when it raises ClientError with code (and HTTP status,
    and top-level modelled error members) as given. Returns the ClientError."""
    try:
        out = fn()
    except ClientError as e:
        got = e.response.get("Error", {}).get("Code")
        got_status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        problems = []
        if got != code:
            problems.append(f"code {got!r} (message {e.response.get('Error', {}).get('Message')!r}), want {code!r}")
        if status is not None and got_status != status:
            problems.append(f"HTTP {got_status}, want {status}")
        for k, v in members.items():
            if e.response.get(k) != v:
                problems.append(f"error member {k}={e.response.get(k)!r}, want {v!r}")
        check(name, not problems, "; ".join(problems))
        return e
    except ParamValidationError as e:
        check(name, False, f"client-side ParamValidationError (request never sent): {e}")
        return None
    except Exception as e:  # unparseable response etc.
        check(name, False, f"unexpected {type(e).__name__}: {e}, want ClientError {code}")
        return None
    check(name, False, f"call succeeded with {strip_meta(out)!r}, want {code}")
    return None


def ok(name, fn):
    """Call fn(); pass when it does not raise. Returns its result (or None)."""
    try:
        out = fn()
    except ClientError as e:
        err = e.response.get("Error", {})
        check(name, False, f"{err.get('Code')}: {err.get('Message')} (HTTP {e.response.get('ResponseMetadata', {}).get('HTTPStatusCode')})")
        return None
    except Exception as e:
        check(name, False, f"unexpected {type(e).__name__}: {e}")
        return None
    check(name, True)
    return out


def strip_meta(out):
    if isinstance(out, dict):
        return {k: v for k, v in out.items() if k != "ResponseMetadata"}
    return out


def section(title, fn):
    """Run a group of checks; an unexpected exception is one failed check and
    does not stop the other groups."""
    print(f"== {title}", flush=True)
    try:
        fn()
    except Exception as e:
        check(f"{title}: no unexpected exception", False, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")


def client(service, account, region=REGION, endpoint=None):
    session = boto3.session.Session(
        aws_access_key_id=account,
        aws_secret_access_key="x",
        region_name=region,
    )
    return session.client(
        service,
        endpoint_url=endpoint or ENDPOINT,
        config=Config(
            inject_host_prefix=False,
            retries={"max_attempts": 1, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
        ),
    )


def rand_dir_id():
    return "d-" + "".join(random.choice("0123456789abcdef") for _ in range(10))


GROUP_ID_RE = re.compile(r"^wsipg-[0-9a-z]{8,63}$")


def describe_group(ws, gid):
    res = ws.describe_ip_groups(GroupIds=[gid])["Result"]
    return res[0] if len(res) == 1 else None


def describe_dir(ws, did):
    dirs = ws.describe_workspace_directories(DirectoryIds=[did])["Directories"]
    return dirs[0] if len(dirs) == 1 else None


def all_groups(ws, page_size=25):
    ids, pages = [], 0
    for page in ws.get_paginator("describe_ip_groups").paginate(PaginationConfig={"PageSize": page_size}):
        pages += 1
        ids += [g["groupId"] for g in page["Result"]]
    return ids, pages


def safe(fn):
    try:
        return fn()
    except Exception:
        return None


# --------------------------------------------------------------------------
# clients

wsA = wsB = wsA2 = tcA = tcB = tcA2 = None
CLEANUP_GROUPS = []  # (client, group id)
CLEANUP_DIRS = []  # (client, directory id)


def cleanup():
    byol_cleanup()
    tc_cleanup()
    ws_cleanup()
    for ws, did in CLEANUP_DIRS:
        safe(lambda: ws.disassociate_ip_groups(DirectoryId=did, GroupIds=(describe_dir(ws, did) or {}).get("ipGroupIds", [])))
        safe(lambda: ws.deregister_workspace_directory(DirectoryId=did))
    for ws, gid in CLEANUP_GROUPS:
        safe(lambda: ws.delete_ip_group(GroupId=gid))
    for tc in (tcA, tcB, tcA2):
        for sid in ("1001", "1002", "1003", "1004"):
            safe(lambda: tc.update_software_set(id=sid, validationStatus="NOT_VALIDATED"))


# --------------------------------------------------------------------------
# IP groups


def ip_groups_basic():
    name = f"basic-{RUN}"
    out = ok("CreateIpGroup with rules, description and tags", lambda: wsA.create_ip_group(
        GroupName=name, GroupDesc="basic group",
        UserRules=[{"ipRule": "203.0.113.0/24", "ruleDesc": "hq"}],
        Tags=[{"Key": "team", "Value": "net"}]))
    if not out:
        return
    gid = out["GroupId"]
    CLEANUP_GROUPS.append((wsA, gid))
    check("CreateIpGroup returns a wsipg- id", GROUP_ID_RE.match(gid or ""), f"got {gid!r}")

    g = describe_group(wsA, gid)
    check("DescribeIpGroups finds the new group", g is not None)
    if g:
        eq("DescribeIpGroups groupName", g.get("groupName"), name)
        eq("DescribeIpGroups groupDesc", g.get("groupDesc"), "basic group")
        eq("DescribeIpGroups userRules", g.get("userRules"), [{"ipRule": "203.0.113.0/24", "ruleDesc": "hq"}])
        check("DescribeIpGroups output has no tags", "Tags" not in g and "tags" not in g, f"got {g!r}")

    expect_error("CreateIpGroup duplicate name -> ResourceAlreadyExistsException",
                 lambda: wsA.create_ip_group(GroupName=name), "ResourceAlreadyExistsException", 400)
    eleven = [{"ipRule": f"10.0.{i}.0/24", "ruleDesc": f"r{i}"} for i in range(11)]
    expect_error("CreateIpGroup with 11 rules -> ResourceLimitExceededException",
                 lambda: wsA.create_ip_group(GroupName=f"eleven-{RUN}", UserRules=eleven), "ResourceLimitExceededException", 400)
    for bad in ("10.0.0.300/24", "not-a-cidr", "10.0.0.0/33"):
        expect_error(f"CreateIpGroup bad CIDR {bad!r} -> InvalidParameterValuesException",
                     lambda: wsA.create_ip_group(GroupName=f"bad-{RUN}", UserRules=[{"ipRule": bad}]),
                     "InvalidParameterValuesException", 400)
    expect_error("CreateIpGroup empty GroupName -> InvalidParameterValuesException",
                 lambda: wsA.create_ip_group(GroupName=""), "InvalidParameterValuesException", 400)
    names = [g.get("groupName") for p in wsA.get_paginator("describe_ip_groups").paginate() for g in p["Result"]]
    check("failed CreateIpGroup calls created nothing", not {f"eleven-{RUN}", f"bad-{RUN}", ""} & set(names), f"names {names!r}")

    # AuthorizeIpRules
    ok("AuthorizeIpRules adds two rules", lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[
        {"ipRule": "198.51.100.0/24", "ruleDesc": "branch"}, {"ipRule": "192.0.2.7"}]))
    g = describe_group(wsA, gid) or {}
    eq("rules kept in insertion order after AuthorizeIpRules",
       [r.get("ipRule") for r in g.get("userRules", [])], ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.7"])
    expect_error("AuthorizeIpRules bad CIDR -> InvalidParameterValuesException",
                 lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[{"ipRule": "300.1.1.1/8"}]),
                 "InvalidParameterValuesException", 400)
    expect_error("AuthorizeIpRules rule already in group -> InvalidParameterValuesException",
                 lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[{"ipRule": "203.0.113.0/24"}]),
                 "InvalidParameterValuesException", 400)
    eight = [{"ipRule": f"10.1.{i}.0/24"} for i in range(8)]
    expect_error("AuthorizeIpRules to 11 rules -> ResourceLimitExceededException",
                 lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=eight), "ResourceLimitExceededException", 400)
    eq("rejected AuthorizeIpRules changed nothing", len((describe_group(wsA, gid) or {}).get("userRules", [])), 3)

    # RevokeIpRules
    ok("RevokeIpRules removes a rule", lambda: wsA.revoke_ip_rules(GroupId=gid, UserRules=["198.51.100.0/24"]))
    g = describe_group(wsA, gid) or {}
    eq("rules after RevokeIpRules", [r.get("ipRule") for r in g.get("userRules", [])], ["203.0.113.0/24", "192.0.2.7"])
    ok("RevokeIpRules of a rule not in the group is a no-op", lambda: wsA.revoke_ip_rules(GroupId=gid, UserRules=["8.8.8.8/32"]))

    # UpdateRulesOfIpGroup
    ok("UpdateRulesOfIpGroup replaces the rules", lambda: wsA.update_rules_of_ip_group(GroupId=gid, UserRules=[
        {"ipRule": "172.16.0.0/12", "ruleDesc": "vpn"}, {"ipRule": "10.0.0.0/8", "ruleDesc": "corp"}]))
    eq("rules after UpdateRulesOfIpGroup", (describe_group(wsA, gid) or {}).get("userRules"),
       [{"ipRule": "172.16.0.0/12", "ruleDesc": "vpn"}, {"ipRule": "10.0.0.0/8", "ruleDesc": "corp"}])
    expect_error("UpdateRulesOfIpGroup with 11 rules -> ResourceLimitExceededException",
                 lambda: wsA.update_rules_of_ip_group(GroupId=gid, UserRules=eleven), "ResourceLimitExceededException", 400)
    expect_error("UpdateRulesOfIpGroup bad CIDR -> InvalidParameterValuesException",
                 lambda: wsA.update_rules_of_ip_group(GroupId=gid, UserRules=[{"ipRule": "1.2.3/24"}]),
                 "InvalidParameterValuesException", 400)
    eq("rejected UpdateRulesOfIpGroup changed nothing", len((describe_group(wsA, gid) or {}).get("userRules", [])), 2)
    ok("UpdateRulesOfIpGroup with an empty list", lambda: wsA.update_rules_of_ip_group(GroupId=gid, UserRules=[]))
    eq("empty UpdateRulesOfIpGroup clears all rules", (describe_group(wsA, gid) or {}).get("userRules", []), [])

    # not found / validation
    missing = "wsipg-zzzzzzzz9"
    e = expect_error("AuthorizeIpRules unknown group -> ResourceNotFoundException",
                     lambda: wsA.authorize_ip_rules(GroupId=missing, UserRules=[{"ipRule": "10.0.0.0/8"}]),
                     "ResourceNotFoundException", 400)
    if e is not None:
        eq("ResourceNotFoundException carries ResourceId", e.response.get("ResourceId"), missing)
    expect_error("RevokeIpRules unknown group -> ResourceNotFoundException",
                 lambda: wsA.revoke_ip_rules(GroupId=missing, UserRules=["10.0.0.0/8"]), "ResourceNotFoundException", 400)
    expect_error("UpdateRulesOfIpGroup unknown group -> ResourceNotFoundException",
                 lambda: wsA.update_rules_of_ip_group(GroupId=missing, UserRules=[]), "ResourceNotFoundException", 400)
    expect_error("DeleteIpGroup unknown group -> ResourceNotFoundException",
                 lambda: wsA.delete_ip_group(GroupId=missing), "ResourceNotFoundException", 400)
    eq("DescribeIpGroups unknown id -> empty Result", wsA.describe_ip_groups(GroupIds=[missing])["Result"], [])
    expect_error("DescribeIpGroups MaxResults 26 -> ValidationException",
                 lambda: wsA.describe_ip_groups(MaxResults=26), "ValidationException", 400)
    expect_error("DescribeIpGroups malformed group id -> ValidationException",
                 lambda: wsA.describe_ip_groups(GroupIds=["not-a-group"]), "ValidationException", 400)
    expect_error("DeleteIpGroup malformed group id -> ValidationException",
                 lambda: wsA.delete_ip_group(GroupId="group-1"), "ValidationException", 400)
    expect_error("AuthorizeIpRules malformed group id -> ValidationException",
                 lambda: wsA.authorize_ip_rules(GroupId="bogus", UserRules=[]), "ValidationException", 400)
    expect_error("DescribeIpGroups garbled NextToken -> InvalidParameterValuesException",
                 lambda: wsA.describe_ip_groups(NextToken="garbage-token"), "InvalidParameterValuesException", 400)

    # delete
    ok("DeleteIpGroup of an unassociated group", lambda: wsA.delete_ip_group(GroupId=gid))
    eq("deleted group no longer described", wsA.describe_ip_groups(GroupIds=[gid])["Result"], [])
    expect_error("DescribeTags of a deleted group -> ResourceNotFoundException",
                 lambda: wsA.describe_tags(ResourceId=gid), "ResourceNotFoundException", 400)


def ip_group_pagination():
    made = []
    for i in range(7):
        out = ok(f"CreateIpGroup page-{i}", lambda: wsA.create_ip_group(GroupName=f"page-{RUN}-{i}"))
        if out:
            made.append(out["GroupId"])
            CLEANUP_GROUPS.append((wsA, out["GroupId"]))
    ids, pages = all_groups(wsA, page_size=3)
    check("describe_ip_groups paginator (PageSize 3) spans more than one page", pages > 1, f"{pages} page(s)")
    check("paginator returns every created group", set(made) <= set(ids), f"missing {set(made) - set(ids)}")
    eq("paginator returns no duplicates", len(ids), len(set(ids)))
    first = wsA.describe_ip_groups(MaxResults=3)
    eq("first page has MaxResults items", len(first["Result"]), 3)
    check("first page has a NextToken", bool(first.get("NextToken")))
    if first.get("NextToken"):
        expect_error("NextToken replayed with other filters -> InvalidParameterValuesException",
                     lambda: wsA.describe_ip_groups(GroupIds=made[:2], NextToken=first["NextToken"], MaxResults=3),
                     "InvalidParameterValuesException", 400)
    # filtered pagination
    pages = list(wsA.get_paginator("describe_ip_groups").paginate(GroupIds=made, PaginationConfig={"PageSize": 2}))
    eq("filtered paginator: pages of 2 over 7 ids", [len(p["Result"]) for p in pages], [2, 2, 2, 1])
    eq("filtered paginator: creation order", [g["groupId"] for p in pages for g in p["Result"]], made)
    check("last page has no NextToken", "NextToken" not in pages[-1], f"got {pages[-1].get('NextToken')!r}")
    for gid in made:
        safe(lambda: wsA.delete_ip_group(GroupId=gid))


def ip_group_edge_cases():
    out = ok("CreateIpGroup without description or rules", lambda: wsA.create_ip_group(GroupName=f"bare-{RUN}"))
    if out:
        gid = out["GroupId"]
        CLEANUP_GROUPS.append((wsA, gid))
        g = describe_group(wsA, gid) or {}
        check("groupDesc omitted when never set", "groupDesc" not in g, f"got {g!r}")
        eq("userRules empty", g.get("userRules", []), [])
        hdrs = out["ResponseMetadata"].get("HTTPHeaders", {})
        check("x-amzn-RequestId header on success", bool(hdrs.get("x-amzn-requestid")), f"headers {hdrs!r}")
        ok("AuthorizeIpRules with an empty list is a no-op", lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[]))
        ok("AuthorizeIpRules bare IPv4 address", lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[{"ipRule": "192.0.2.1"}]))
        ok("AuthorizeIpRules host bits set accepted as given", lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[{"ipRule": "10.0.0.1/24"}]))
        eq("rules stored as given", [r["ipRule"] for r in (describe_group(wsA, gid) or {}).get("userRules", [])], ["192.0.2.1", "10.0.0.1/24"])
        expect_error("AuthorizeIpRules IPv6 CIDR -> InvalidParameterValuesException",
                     lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[{"ipRule": "2001:db8::/32"}]), "InvalidParameterValuesException", 400)
        expect_error("AuthorizeIpRules item without ipRule -> InvalidParameterValuesException",
                     lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[{"ruleDesc": "no rule"}]), "InvalidParameterValuesException", 400)
        expect_error("AuthorizeIpRules duplicate within request -> InvalidParameterValuesException",
                     lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[{"ipRule": "1.1.1.0/24"}, {"ipRule": "1.1.1.0/24"}]),
                     "InvalidParameterValuesException", 400)
        expect_error("AuthorizeIpRules ruleDesc of 256 chars -> InvalidParameterValuesException",
                     lambda: wsA.authorize_ip_rules(GroupId=gid, UserRules=[{"ipRule": "1.1.2.0/24", "ruleDesc": "x" * 256}]),
                     "InvalidParameterValuesException", 400)
        e = expect_error("DeleteIpGroup unknown group (error headers)", lambda: wsA.delete_ip_group(GroupId="wsipg-zzzzzzzz5"),
                         "ResourceNotFoundException", 400)
        if e is not None:
            hdrs = e.response["ResponseMetadata"].get("HTTPHeaders", {})
            check("x-amzn-RequestId header on error", bool(hdrs.get("x-amzn-requestid")), f"headers {hdrs!r}")
            eq("X-Amzn-ErrorType header on error", hdrs.get("x-amzn-errortype", "").split(":")[0], "ResourceNotFoundException")
        ok("DeleteIpGroup bare group", lambda: wsA.delete_ip_group(GroupId=gid))
    out = ok("CreateIpGroup with empty GroupDesc", lambda: wsA.create_ip_group(GroupName=f"emptydesc-{RUN}", GroupDesc=""))
    if out:
        CLEANUP_GROUPS.append((wsA, out["GroupId"]))
        eq("groupDesc '' returned when set empty", (describe_group(wsA, out["GroupId"]) or {}).get("groupDesc"), "")
        ok("DeleteIpGroup emptydesc", lambda: wsA.delete_ip_group(GroupId=out["GroupId"]))
    expect_error("CreateIpGroup 256-char name -> InvalidParameterValuesException",
                 lambda: wsA.create_ip_group(GroupName="n" * 256), "InvalidParameterValuesException", 400)
    expect_error("CreateIpGroup tag with aws: prefix -> InvalidParameterValuesException",
                 lambda: wsA.create_ip_group(GroupName=f"awstag-{RUN}", Tags=[{"Key": "aws:x", "Value": "1"}]),
                 "InvalidParameterValuesException", 400)
    expect_error("DeleteIpGroup xxwsipg-12345678 passes the unanchored pattern -> ResourceNotFoundException",
                 lambda: wsA.delete_ip_group(GroupId="xxwsipg-12345678"), "ResourceNotFoundException", 400)
    eq("DescribeIpGroups with empty GroupIds behaves as omitted",
       len(wsA.describe_ip_groups(GroupIds=[])["Result"]), len(wsA.describe_ip_groups()["Result"]))


# --------------------------------------------------------------------------
# Tags


def tags():
    out = ok("CreateIpGroup for tagging", lambda: wsA.create_ip_group(GroupName=f"tags-{RUN}", Tags=[{"Key": "a", "Value": "1"}]))
    if not out:
        return
    gid = out["GroupId"]
    CLEANUP_GROUPS.append((wsA, gid))
    eq("DescribeTags shows creation tags", wsA.describe_tags(ResourceId=gid)["TagList"], [{"Key": "a", "Value": "1"}])
    ok("CreateTags adds and upserts", lambda: wsA.create_tags(ResourceId=gid, Tags=[
        {"Key": "b", "Value": "2"}, {"Key": "a", "Value": "one"}, {"Key": "empty", "Value": ""}]))
    tl = {t["Key"]: t.get("Value") for t in wsA.describe_tags(ResourceId=gid)["TagList"]}
    eq("DescribeTags after CreateTags", tl, {"a": "one", "b": "2", "empty": ""})
    ok("DeleteTags removes keys (unknown keys ignored)", lambda: wsA.delete_tags(ResourceId=gid, TagKeys=["b", "nope"]))
    tl = {t["Key"]: t.get("Value") for t in wsA.describe_tags(ResourceId=gid)["TagList"]}
    eq("DescribeTags after DeleteTags", tl, {"a": "one", "empty": ""})
    expect_error("CreateTags with aws: prefix -> InvalidParameterValuesException",
                 lambda: wsA.create_tags(ResourceId=gid, Tags=[{"Key": "aws:x", "Value": "1"}]),
                 "InvalidParameterValuesException", 400)
    expect_error("DeleteTags with aws: prefix -> InvalidParameterValuesException",
                 lambda: wsA.delete_tags(ResourceId=gid, TagKeys=["aws:x"]), "InvalidParameterValuesException", 400)
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(49)]
    expect_error("CreateTags to 51 tags -> ResourceLimitExceededException",
                 lambda: wsA.create_tags(ResourceId=gid, Tags=many), "ResourceLimitExceededException", 400)
    eq("rejected CreateTags applied nothing", len(wsA.describe_tags(ResourceId=gid)["TagList"]), 2)
    missing = "wsipg-zzzzzzzz8"
    expect_error("CreateTags unknown resource -> ResourceNotFoundException",
                 lambda: wsA.create_tags(ResourceId=missing, Tags=[{"Key": "a", "Value": "b"}]), "ResourceNotFoundException", 400)
    expect_error("DeleteTags unknown resource -> ResourceNotFoundException",
                 lambda: wsA.delete_tags(ResourceId=missing, TagKeys=["a"]), "ResourceNotFoundException", 400)
    expect_error("DescribeTags unknown resource -> ResourceNotFoundException",
                 lambda: wsA.describe_tags(ResourceId=missing), "ResourceNotFoundException", 400)
    expect_error("CreateTags key with leading space -> InvalidParameterValuesException",
                 lambda: wsA.create_tags(ResourceId=gid, Tags=[{"Key": " lead", "Value": "1"}]), "InvalidParameterValuesException", 400)
    expect_error("CreateTags duplicate keys in one request -> InvalidParameterValuesException",
                 lambda: wsA.create_tags(ResourceId=gid, Tags=[{"Key": "d", "Value": "1"}, {"Key": "d", "Value": "2"}]),
                 "InvalidParameterValuesException", 400)
    expect_error("CreateTags key of 128 chars -> ValidationException",
                 lambda: wsA.create_tags(ResourceId=gid, Tags=[{"Key": "k" * 128, "Value": "1"}]), "ValidationException", 400)
    ok("CreateTags with an empty list is a no-op", lambda: wsA.create_tags(ResourceId=gid, Tags=[]))
    eq("tags unchanged after rejected/no-op CreateTags", len(wsA.describe_tags(ResourceId=gid)["TagList"]), 2)
    ok("DeleteTags all keys", lambda: wsA.delete_tags(ResourceId=gid, TagKeys=["a", "empty"]))
    out = wsA.describe_tags(ResourceId=gid)
    check("DescribeTags TagList present and [] when no tags", out.get("TagList") == [], f"got {strip_meta(out)!r}")
    ok("DeleteIpGroup tagged group", lambda: wsA.delete_ip_group(GroupId=gid))


# --------------------------------------------------------------------------
# Directories


def directories():
    did = rand_dir_id()
    out = ok("RegisterWorkspaceDirectory with tags", lambda: wsA.register_workspace_directory(
        DirectoryId=did, Tags=[{"Key": "env", "Value": "test"}]))
    if not out:
        return
    CLEANUP_DIRS.append((wsA, did))
    eq("RegisterWorkspaceDirectory DirectoryId", out.get("DirectoryId"), did)
    eq("RegisterWorkspaceDirectory State", out.get("State"), "REGISTERING")
    d = describe_dir(wsA, did)
    check("DescribeWorkspaceDirectories finds it", d is not None)
    d = d or {}
    eq("directory REGISTERED at next read (zero delays)", d.get("State"), "REGISTERED")
    eq("directory Alias defaults to the id", d.get("Alias"), did)
    eq("directory DirectoryType", d.get("DirectoryType"), "SIMPLE_AD")
    eq("directory IamRoleId", d.get("IamRoleId"), f"arn:aws:iam::{ACCT_A}:role/workspaces_DefaultRole")
    eq("directory Tenancy", d.get("Tenancy"), "SHARED")
    eq("directory WorkspaceType", d.get("WorkspaceType"), "PERSONAL")
    eq("directory CustomerUserName", d.get("CustomerUserName"), "Administrator")
    check("directory RegistrationCode present", bool(d.get("RegistrationCode")))
    check("directory WorkspaceSecurityGroupId is sg-", str(d.get("WorkspaceSecurityGroupId", "")).startswith("sg-"))
    eq("directory WorkspaceCreationProperties", d.get("WorkspaceCreationProperties"),
       {"EnableInternetAccess": False, "UserEnabledAsLocalAdministrator": True, "EnableMaintenanceMode": True})
    eq("directory SelfservicePermissions", d.get("SelfservicePermissions"),
       {"RestartWorkspace": "ENABLED", "IncreaseVolumeSize": "DISABLED", "ChangeComputeType": "DISABLED",
        "SwitchRunningMode": "DISABLED", "RebuildWorkspace": "DISABLED"})
    eq("directory WorkspaceAccessProperties Web/Linux DENY",
       ((d.get("WorkspaceAccessProperties") or {}).get("DeviceTypeWeb"), (d.get("WorkspaceAccessProperties") or {}).get("DeviceTypeLinux")),
       ("DENY", "DENY"))
    eq("directory ipGroupIds empty", d.get("ipGroupIds", []), [])
    eq("DescribeTags on directory shows registration tags", wsA.describe_tags(ResourceId=did)["TagList"], [{"Key": "env", "Value": "test"}])

    expect_error("RegisterWorkspaceDirectory again -> ResourceAlreadyExistsException",
                 lambda: wsA.register_workspace_directory(DirectoryId=did), "ResourceAlreadyExistsException", 400)
    expect_error("RegisterWorkspaceDirectory malformed id -> ValidationException",
                 lambda: wsA.register_workspace_directory(DirectoryId="x-1234567890"), "ValidationException", 400)
    eq("DescribeWorkspaceDirectories unknown id -> empty", wsA.describe_workspace_directories(DirectoryIds=[rand_dir_id()])["Directories"], [])
    expect_error("DescribeWorkspaceDirectories Limit 26 -> ValidationException",
                 lambda: wsA.describe_workspace_directories(Limit=26), "ValidationException", 400)
    expect_error("DescribeWorkspaceDirectories garbled NextToken -> InvalidParameterValuesException",
                 lambda: wsA.describe_workspace_directories(NextToken="garbage-token"), "InvalidParameterValuesException", 400)

    # pagination over >1 page
    more = []
    for i in range(4):
        x = rand_dir_id()
        if ok(f"RegisterWorkspaceDirectory extra {i}", lambda: wsA.register_workspace_directory(DirectoryId=x)):
            more.append(x)
            CLEANUP_DIRS.append((wsA, x))
    pages = list(wsA.get_paginator("describe_workspace_directories").paginate(Limit=2))
    ids = [x["DirectoryId"] for p in pages for x in p["Directories"]]
    check("describe_workspace_directories paginator (Limit 2; the paginator has no PageSize) spans more than one page", len(pages) > 1, f"{len(pages)} page(s)")
    check("paginator returns all five directories", set([did] + more) <= set(ids), f"missing {set([did] + more) - set(ids)}")
    eq("paginator returns no duplicates", len(ids), len(set(ids)))
    check("every page but the last is full", all(len(p["Directories"]) == 2 for p in pages[:-1]),
          f"page sizes {[len(p['Directories']) for p in pages]}")
    pages = list(wsA.get_paginator("describe_workspace_directories").paginate(DirectoryIds=[did] + more, Limit=2))
    eq("filtered directory paginator: page sizes", [len(p["Directories"]) for p in pages], [2, 2, 1])
    eq("filtered directory paginator: registration order", [x["DirectoryId"] for p in pages for x in p["Directories"]], [did] + more)

    # associations
    g1 = ok("CreateIpGroup for association", lambda: wsA.create_ip_group(GroupName=f"assoc1-{RUN}", UserRules=[{"ipRule": "10.0.0.0/8"}]))
    g2 = ok("CreateIpGroup for association (2)", lambda: wsA.create_ip_group(GroupName=f"assoc2-{RUN}"))
    if not (g1 and g2):
        return
    g1, g2 = g1["GroupId"], g2["GroupId"]
    CLEANUP_GROUPS.extend([(wsA, g1), (wsA, g2)])
    ok("AssociateIpGroups", lambda: wsA.associate_ip_groups(DirectoryId=did, GroupIds=[g1]))
    eq("directory ipGroupIds after associate", (describe_dir(wsA, did) or {}).get("ipGroupIds"), [g1])
    ok("AssociateIpGroups again (already associated) is a no-op", lambda: wsA.associate_ip_groups(DirectoryId=did, GroupIds=[g1]))
    eq("no duplicate association", (describe_dir(wsA, did) or {}).get("ipGroupIds"), [g1])
    expect_error("AssociateIpGroups unknown group -> ResourceNotFoundException",
                 lambda: wsA.associate_ip_groups(DirectoryId=did, GroupIds=[g2, "wsipg-zzzzzzzz7"]), "ResourceNotFoundException", 400)
    eq("failed AssociateIpGroups is atomic", (describe_dir(wsA, did) or {}).get("ipGroupIds"), [g1])
    expect_error("AssociateIpGroups unknown directory -> ResourceNotFoundException",
                 lambda: wsA.associate_ip_groups(DirectoryId=rand_dir_id(), GroupIds=[g1]), "ResourceNotFoundException", 400)
    expect_error("AssociateIpGroups malformed directory id -> ValidationException",
                 lambda: wsA.associate_ip_groups(DirectoryId="dir-12345678", GroupIds=[g1]), "ValidationException", 400)
    ok("AssociateIpGroups second group", lambda: wsA.associate_ip_groups(DirectoryId=did, GroupIds=[g2]))
    eq("ipGroupIds in association order", (describe_dir(wsA, did) or {}).get("ipGroupIds"), [g1, g2])
    expect_error("DeleteIpGroup associated -> ResourceAssociatedException",
                 lambda: wsA.delete_ip_group(GroupId=g1), "ResourceAssociatedException", 400)
    ok("AuthorizeIpRules on a group associated with a REGISTERED directory",
       lambda: wsA.authorize_ip_rules(GroupId=g1, UserRules=[{"ipRule": "192.168.0.0/16"}]))
    ok("DisassociateIpGroups", lambda: wsA.disassociate_ip_groups(DirectoryId=did, GroupIds=[g1, "wsipg-zzzzzzzz6"]))
    eq("ipGroupIds after disassociate", (describe_dir(wsA, did) or {}).get("ipGroupIds"), [g2])
    expect_error("DisassociateIpGroups unknown directory -> ResourceNotFoundException",
                 lambda: wsA.disassociate_ip_groups(DirectoryId=rand_dir_id(), GroupIds=[g1]), "ResourceNotFoundException", 400)
    ok("DeleteIpGroup after disassociation", lambda: wsA.delete_ip_group(GroupId=g1))

    # deregistration
    expect_error("DeregisterWorkspaceDirectory unknown -> ResourceNotFoundException",
                 lambda: wsA.deregister_workspace_directory(DirectoryId=rand_dir_id()), "ResourceNotFoundException", 400)
    ok("DeregisterWorkspaceDirectory", lambda: wsA.deregister_workspace_directory(DirectoryId=did))
    d = describe_dir(wsA, did)
    check("deregistered directory is DEREGISTERED or gone", d is None or d.get("State") == "DEREGISTERED", f"got {d!r}")
    expect_error("DeregisterWorkspaceDirectory again -> ResourceNotFoundException",
                 lambda: wsA.deregister_workspace_directory(DirectoryId=did), "ResourceNotFoundException", 400)
    expect_error("DescribeTags on a deregistered directory -> ResourceNotFoundException",
                 lambda: wsA.describe_tags(ResourceId=did), "ResourceNotFoundException", 400)
    ok("DeleteIpGroup whose directory was deregistered (association dropped)", lambda: wsA.delete_ip_group(GroupId=g2))
    out = ok("RegisterWorkspaceDirectory again after deregistration", lambda: wsA.register_workspace_directory(DirectoryId=did))
    if out:
        eq("re-registered directory has no associations", (describe_dir(wsA, did) or {}).get("ipGroupIds", []), [])
        eq("re-registered directory has no tags", wsA.describe_tags(ResourceId=did)["TagList"], [])
    for x in [did] + more:
        ok(f"DeregisterWorkspaceDirectory {x}", lambda: wsA.deregister_workspace_directory(DirectoryId=x))


def directory_settings():
    """Directory-level settings: merge semantics, read-back, errors (spec §7.4–§7.9)."""
    did = rand_dir_id()
    if not ok("settings: RegisterWorkspaceDirectory", lambda: wsA.register_workspace_directory(DirectoryId=did)):
        return
    CLEANUP_DIRS.append((wsA, did))
    ok("ModifySelfservicePermissions (two members)", lambda: wsA.modify_selfservice_permissions(
        ResourceId=did, SelfservicePermissions={"IncreaseVolumeSize": "ENABLED", "RebuildWorkspace": "ENABLED"}))
    ok("ModifySelfservicePermissions (one member)", lambda: wsA.modify_selfservice_permissions(
        ResourceId=did, SelfservicePermissions={"RestartWorkspace": "DISABLED"}))
    eq("SelfservicePermissions merged", (describe_dir(wsA, did) or {}).get("SelfservicePermissions"),
       {"RestartWorkspace": "DISABLED", "IncreaseVolumeSize": "ENABLED", "ChangeComputeType": "DISABLED",
        "SwitchRunningMode": "DISABLED", "RebuildWorkspace": "ENABLED"})
    ok("ModifyWorkspaceAccessProperties", lambda: wsA.modify_workspace_access_properties(
        ResourceId=did, WorkspaceAccessProperties={"DeviceTypeWeb": "ALLOW", "DeviceTypeWorkSpacesThinClient": "ALLOW"}))
    ap = (describe_dir(wsA, did) or {}).get("WorkspaceAccessProperties") or {}
    eq("WorkspaceAccessProperties merged", (ap.get("DeviceTypeWeb"), ap.get("DeviceTypeWorkSpacesThinClient"), ap.get("DeviceTypeWindows"), ap.get("DeviceTypeLinux")),
       ("ALLOW", "ALLOW", "ALLOW", "DENY"))
    ok("ModifyWorkspaceCreationProperties", lambda: wsA.modify_workspace_creation_properties(
        ResourceId=did, WorkspaceCreationProperties={"EnableInternetAccess": True, "DefaultOu": "OU=WorkSpaces,DC=corp,DC=example,DC=com",
                                                     "CustomSecurityGroupId": "sg-0123456789abcdef0"}))
    eq("WorkspaceCreationProperties merged", (describe_dir(wsA, did) or {}).get("WorkspaceCreationProperties"),
       {"EnableInternetAccess": True, "DefaultOu": "OU=WorkSpaces,DC=corp,DC=example,DC=com", "CustomSecurityGroupId": "sg-0123456789abcdef0",
        "UserEnabledAsLocalAdministrator": True, "EnableMaintenanceMode": True})
    expect_error("ModifyWorkspaceCreationProperties DefaultOu not a DN -> InvalidParameterValuesException",
                 lambda: wsA.modify_workspace_creation_properties(ResourceId=did, WorkspaceCreationProperties={"DefaultOu": "workspaces"}),
                 "InvalidParameterValuesException", 400)
    expect_error("ModifySamlProperties ENABLED without UserAccessUrl -> InvalidParameterValuesException",
                 lambda: wsA.modify_saml_properties(ResourceId=did, SamlProperties={"Status": "ENABLED"}), "InvalidParameterValuesException", 400)
    ok("ModifySamlProperties ENABLED with UserAccessUrl", lambda: wsA.modify_saml_properties(
        ResourceId=did, SamlProperties={"Status": "ENABLED", "UserAccessUrl": "https://idp.example.com/sso"}))
    eq("SamlProperties read back", (describe_dir(wsA, did) or {}).get("SamlProperties"),
       {"Status": "ENABLED", "UserAccessUrl": "https://idp.example.com/sso", "RelayStateParameterName": "RelayState"})
    ok("ModifySamlProperties PropertiesToDelete user access URL", lambda: wsA.modify_saml_properties(
        ResourceId=did, SamlProperties={"Status": "DISABLED"}, PropertiesToDelete=["SAML_PROPERTIES_USER_ACCESS_URL"]))
    check("SamlProperties UserAccessUrl deleted", "UserAccessUrl" not in ((describe_dir(wsA, did) or {}).get("SamlProperties") or {}))
    ok("ModifyCertificateBasedAuthProperties", lambda: wsA.modify_certificate_based_auth_properties(
        ResourceId=did, CertificateBasedAuthProperties={"Status": "ENABLED",
            "CertificateAuthorityArn": f"arn:aws:acm-pca:{REGION}:{ACCT_A}:certificate-authority/11111111-2222-3333-4444-555555555555"}))
    eq("CertificateBasedAuthProperties Status", ((describe_dir(wsA, did) or {}).get("CertificateBasedAuthProperties") or {}).get("Status"), "ENABLED")
    eq("DescribeClientProperties defaults", wsA.describe_client_properties(ResourceIds=[did])["ClientPropertiesList"],
       [{"ResourceId": did, "ClientProperties": {"ReconnectEnabled": "ENABLED", "LogUploadEnabled": "ENABLED"}}])
    ok("ModifyClientProperties ReconnectEnabled only", lambda: wsA.modify_client_properties(
        ResourceId=did, ClientProperties={"ReconnectEnabled": "DISABLED"}))
    eq("ClientProperties merged", wsA.describe_client_properties(ResourceIds=[did])["ClientPropertiesList"][0]["ClientProperties"],
       {"ReconnectEnabled": "DISABLED", "LogUploadEnabled": "ENABLED"})
    expect_error("DescribeClientProperties with an unknown directory -> ResourceNotFoundException",
                 lambda: wsA.describe_client_properties(ResourceIds=[did, rand_dir_id()]), "ResourceNotFoundException", 400)
    expect_error("ModifySelfservicePermissions unknown directory -> ResourceNotFoundException",
                 lambda: wsA.modify_selfservice_permissions(ResourceId=rand_dir_id(), SelfservicePermissions={"RestartWorkspace": "ENABLED"}),
                 "ResourceNotFoundException", 400)
    expect_error("ModifySelfservicePermissions bad enum -> ValidationException",
                 lambda: wsA.modify_selfservice_permissions(ResourceId=did, SelfservicePermissions={"RestartWorkspace": "MAYBE"}),
                 "ValidationException", 400)
    expect_error("ModifyClientProperties from another account -> ResourceNotFoundException",
                 lambda: wsB.modify_client_properties(ResourceId=did, ClientProperties={"ReconnectEnabled": "DISABLED"}),
                 "ResourceNotFoundException", 400)
    ok("settings: DeregisterWorkspaceDirectory", lambda: wsA.deregister_workspace_directory(DirectoryId=did))


def connection_aliases():
    """Connection aliases: lifecycle, association, sharing, tags, errors."""
    cs = f"desktop-{RUN}.example.com"
    out = ok("CreateConnectionAlias with tags", lambda: wsA.create_connection_alias(
        ConnectionString=cs, Tags=[{"Key": "team", "Value": "euc"}]))
    if not out:
        return
    aid = out["AliasId"]
    check("alias id is wsca-", re.match(r"^wsca-[0-9a-z]{8,63}$", aid) is not None, aid)
    a = wsA.describe_connection_aliases(AliasIds=[aid])["ConnectionAliases"]
    eq("DescribeConnectionAliases by id", [(x["AliasId"], x["ConnectionString"], x["OwnerAccountId"], x["State"]) for x in a],
       [(aid, cs, ACCT_A, "CREATED")])
    eq("alias tags", wsA.describe_tags(ResourceId=aid)["TagList"], [{"Key": "team", "Value": "euc"}])
    expect_error("CreateConnectionAlias same string -> ResourceAlreadyExistsException",
                 lambda: wsA.create_connection_alias(ConnectionString=cs), "ResourceAlreadyExistsException", 400)
    did = rand_dir_id()
    if not ok("alias: RegisterWorkspaceDirectory", lambda: wsA.register_workspace_directory(DirectoryId=did)):
        return
    CLEANUP_DIRS.append((wsA, did))
    conn = ok("AssociateConnectionAlias", lambda: wsA.associate_connection_alias(AliasId=aid, ResourceId=did))
    check("AssociateConnectionAlias returns a ConnectionIdentifier", bool((conn or {}).get("ConnectionIdentifier")))
    a = wsA.describe_connection_aliases(ResourceId=did)["ConnectionAliases"]
    eq("DescribeConnectionAliases by ResourceId shows the association",
       [(x["AliasId"], [(y.get("AssociationStatus"), y.get("ResourceId"), y.get("AssociatedAccountId")) for y in x.get("Associations", [])]) for x in a],
       [(aid, [("ASSOCIATED_WITH_OWNER_ACCOUNT", did, ACCT_A)])])
    expect_error("AssociateConnectionAlias twice -> ResourceAssociatedException",
                 lambda: wsA.associate_connection_alias(AliasId=aid, ResourceId=did), "ResourceAssociatedException", 400)
    expect_error("DeleteConnectionAlias while associated -> ResourceAssociatedException",
                 lambda: wsA.delete_connection_alias(AliasId=aid), "ResourceAssociatedException", 400)
    ok("UpdateConnectionAliasPermission share with B", lambda: wsA.update_connection_alias_permission(
        AliasId=aid, ConnectionAliasPermission={"SharedAccountId": ACCT_B, "AllowAssociation": True}))
    eq("DescribeConnectionAliasPermissions", wsA.describe_connection_alias_permissions(AliasId=aid)["ConnectionAliasPermissions"],
       [{"SharedAccountId": ACCT_B, "AllowAssociation": True}])
    expect_error("DescribeConnectionAliasPermissions by B -> AccessDeniedException",
                 lambda: wsB.describe_connection_alias_permissions(AliasId=aid), "AccessDeniedException")
    expect_error("UpdateConnectionAliasPermission share with self -> InvalidParameterValuesException",
                 lambda: wsA.update_connection_alias_permission(AliasId=aid, ConnectionAliasPermission={"SharedAccountId": ACCT_A, "AllowAssociation": True}),
                 "InvalidParameterValuesException", 400)
    ok("UpdateConnectionAliasPermission unshare", lambda: wsA.update_connection_alias_permission(
        AliasId=aid, ConnectionAliasPermission={"SharedAccountId": ACCT_B, "AllowAssociation": False}))
    ok("DisassociateConnectionAlias", lambda: wsA.disassociate_connection_alias(AliasId=aid))
    ok("DeleteConnectionAlias", lambda: wsA.delete_connection_alias(AliasId=aid))
    eq("deleted alias gone (zero delays)", wsA.describe_connection_aliases(AliasIds=[aid])["ConnectionAliases"], [])
    expect_error("DeleteConnectionAlias again -> ResourceNotFoundException",
                 lambda: wsA.delete_connection_alias(AliasId=aid), "ResourceNotFoundException", 400)
    expect_error("CreateConnectionAlias malformed string -> ValidationException",
                 lambda: wsA.create_connection_alias(ConnectionString="not a domain!"), "ValidationException", 400)
    ok("alias: DeregisterWorkspaceDirectory", lambda: wsA.deregister_workspace_directory(DirectoryId=did))


def clock_advance(duration):
    req = urllib.request.Request(CLOCK_ENDPOINT.rstrip("/") + "/_local/clock", method="POST",
                                 data=json.dumps({"advance": duration}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def directory_states():
    """REGISTERING / DEREGISTERING are only observable with non-zero delays:
    uses the manual-clock server (default delays: 1 s each)."""
    if not CLOCK_ENDPOINT:
        skip("directory state checks (REGISTERING/DEREGISTERING)", "WSL_MANUAL_CLOCK_ENDPOINT_URL not set")
        return
    ws = client("workspaces", ACCT_A, endpoint=CLOCK_ENDPOINT)
    did = rand_dir_id()
    g = ok("[clock] CreateIpGroup", lambda: ws.create_ip_group(GroupName=f"clock-{RUN}", UserRules=[{"ipRule": "10.0.0.0/8"}]))
    out = ok("[clock] RegisterWorkspaceDirectory", lambda: ws.register_workspace_directory(DirectoryId=did))
    if not (g and out):
        return
    gid = g["GroupId"]
    eq("[clock] directory REGISTERING before the delay", (describe_dir(ws, did) or {}).get("State"), "REGISTERING")
    expect_error("[clock] AssociateIpGroups while REGISTERING -> InvalidResourceStateException",
                 lambda: ws.associate_ip_groups(DirectoryId=did, GroupIds=[gid]), "InvalidResourceStateException", 400)
    expect_error("[clock] DeregisterWorkspaceDirectory while REGISTERING -> InvalidResourceStateException",
                 lambda: ws.deregister_workspace_directory(DirectoryId=did), "InvalidResourceStateException", 400)
    clock_advance("2s")
    eq("[clock] directory REGISTERED after the delay", (describe_dir(ws, did) or {}).get("State"), "REGISTERED")
    ok("[clock] AssociateIpGroups once REGISTERED", lambda: ws.associate_ip_groups(DirectoryId=did, GroupIds=[gid]))
    ok("[clock] DeregisterWorkspaceDirectory", lambda: ws.deregister_workspace_directory(DirectoryId=did))
    eq("[clock] directory DEREGISTERING", (describe_dir(ws, did) or {}).get("State"), "DEREGISTERING")
    expect_error("[clock] AssociateIpGroups while DEREGISTERING -> InvalidResourceStateException",
                 lambda: ws.associate_ip_groups(DirectoryId=did, GroupIds=[gid]), "InvalidResourceStateException", 400)
    expect_error("[clock] DeregisterWorkspaceDirectory while DEREGISTERING -> InvalidResourceStateException",
                 lambda: ws.deregister_workspace_directory(DirectoryId=did), "InvalidResourceStateException", 400)
    expect_error("[clock] RegisterWorkspaceDirectory while DEREGISTERING -> ResourceAlreadyExistsException",
                 lambda: ws.register_workspace_directory(DirectoryId=did), "ResourceAlreadyExistsException", 400)
    clock_advance("1500ms")
    d = describe_dir(ws, did)
    eq("[clock] directory DEREGISTERED after the delay", (d or {}).get("State"), "DEREGISTERED")
    expect_error("[clock] AssociateIpGroups with a DEREGISTERED directory -> ResourceNotFoundException",
                 lambda: ws.associate_ip_groups(DirectoryId=did, GroupIds=[gid]), "ResourceNotFoundException", 400)
    clock_advance("1500ms")
    eq("[clock] directory gone after cleanup", describe_dir(ws, did), None)
    ok("[clock] DeleteIpGroup (association dropped by deregistration)", lambda: ws.delete_ip_group(GroupId=gid))


def token_expiry():
    """NextTokens are valid for 24 hours (spec §1.4, thinclient §1.6)."""
    if not CLOCK_ENDPOINT:
        skip("NextToken expiry checks", "WSL_MANUAL_CLOCK_ENDPOINT_URL not set")
        return
    ws = client("workspaces", ACCT_A, endpoint=CLOCK_ENDPOINT)
    tc = client("workspaces-thin-client", ACCT_A, endpoint=CLOCK_ENDPOINT)
    made = []
    for i in range(3):
        out = ok(f"[clock] CreateIpGroup tok-{i}", lambda: ws.create_ip_group(GroupName=f"tok-{RUN}-{i}"))
        if out:
            made.append(out["GroupId"])
    tok = ws.describe_ip_groups(GroupIds=made, MaxResults=1).get("NextToken")
    ttok = tc.list_software_sets(maxResults=1).get("nextToken")
    check("[clock] both first pages carry a token", tok and ttok)
    clock_advance("23h")
    ok("[clock] DescribeIpGroups NextToken still valid after 23 h",
       lambda: ws.describe_ip_groups(GroupIds=made, MaxResults=1, NextToken=tok))
    ok("[clock] ListSoftwareSets nextToken still valid after 23 h",
       lambda: tc.list_software_sets(maxResults=1, nextToken=ttok))
    clock_advance("2h")
    expect_error("[clock] DescribeIpGroups NextToken older than 24 h -> InvalidParameterValuesException",
                 lambda: ws.describe_ip_groups(GroupIds=made, MaxResults=1, NextToken=tok), "InvalidParameterValuesException", 400)
    expect_error("[clock] ListSoftwareSets nextToken older than 24 h -> ValidationException",
                 lambda: tc.list_software_sets(maxResults=1, nextToken=ttok), "ValidationException", 400)
    for gid in made:
        safe(lambda: ws.delete_ip_group(GroupId=gid))


def foreign_tokens():
    made = []
    for i in range(3):
        out = safe(lambda: wsA.create_ip_group(GroupName=f"ftok-{RUN}-{i}"))
        if out:
            made.append(out["GroupId"])
            CLEANUP_GROUPS.append((wsA, out["GroupId"]))
    tok = wsA.describe_ip_groups(MaxResults=1).get("NextToken")
    if tok:
        expect_error("A's DescribeIpGroups NextToken used by B -> InvalidParameterValuesException",
                     lambda: wsB.describe_ip_groups(MaxResults=1, NextToken=tok), "InvalidParameterValuesException", 400)
        expect_error(f"A's DescribeIpGroups NextToken used in {REGION2} -> InvalidParameterValuesException",
                     lambda: wsA2.describe_ip_groups(MaxResults=1, NextToken=tok), "InvalidParameterValuesException", 400)
        expect_error("DescribeIpGroups NextToken used for DescribeWorkspaceDirectories -> InvalidParameterValuesException",
                     lambda: wsA.describe_workspace_directories(NextToken=tok), "InvalidParameterValuesException", 400)
    ttok = tcA.list_software_sets(maxResults=1).get("nextToken")
    check("ListSoftwareSets maxResults 1 returns a nextToken", bool(ttok))
    if ttok:
        e = expect_error("A's ListSoftwareSets nextToken used by B -> ValidationException",
                         lambda: tcB.list_software_sets(maxResults=1, nextToken=ttok), "ValidationException", 400)
        if e is not None:
            check("foreign-token ValidationException names nextToken",
                  any(f.get("name") == "nextToken" for f in e.response.get("fieldList") or []), f"got {e.response.get('fieldList')!r}")
        expect_error(f"A's ListSoftwareSets nextToken used in {REGION2} -> ValidationException",
                     lambda: tcA2.list_software_sets(maxResults=1, nextToken=ttok), "ValidationException", 400)
    out = ok("ListSoftwareSets with an empty nextToken means the first page", lambda: tcA.list_software_sets(nextToken=""))
    if out:
        eq("empty nextToken: first page", [s["id"] for s in out["softwareSets"]], ["1004", "1003", "1002", "1001"])
    for gid in made:
        safe(lambda: wsA.delete_ip_group(GroupId=gid))


def association_limit():
    """At most 25 IP groups per directory (spec §3, §5.7); runs as account B."""
    did = rand_dir_id()
    if not ok("B: RegisterWorkspaceDirectory", lambda: wsB.register_workspace_directory(DirectoryId=did)):
        return
    CLEANUP_DIRS.append((wsB, did))
    made = []
    for i in range(26):
        out = safe(lambda: wsB.create_ip_group(GroupName=f"lim-{RUN}-{i:02d}"))
        if out:
            made.append(out["GroupId"])
            CLEANUP_GROUPS.append((wsB, out["GroupId"]))
    eq("B: 26 groups created", len(made), 26)
    ok("B: AssociateIpGroups with an empty list is a no-op", lambda: wsB.associate_ip_groups(DirectoryId=did, GroupIds=[]))
    expect_error("B: AssociateIpGroups 26 groups -> ResourceLimitExceededException",
                 lambda: wsB.associate_ip_groups(DirectoryId=did, GroupIds=made), "ResourceLimitExceededException", 400)
    eq("B: rejected association applied nothing", (describe_dir(wsB, did) or {}).get("ipGroupIds", []), [])
    ok("B: AssociateIpGroups 25 groups", lambda: wsB.associate_ip_groups(DirectoryId=did, GroupIds=made[:25]))
    eq("B: directory lists the 25 groups in order", (describe_dir(wsB, did) or {}).get("ipGroupIds"), made[:25])
    expect_error("B: AssociateIpGroups the 26th -> ResourceLimitExceededException",
                 lambda: wsB.associate_ip_groups(DirectoryId=did, GroupIds=made[25:]), "ResourceLimitExceededException", 400)
    ok("B: AssociateIpGroups an already associated group at the limit is a no-op",
       lambda: wsB.associate_ip_groups(DirectoryId=did, GroupIds=made[:1]))
    eq("B: DescribeWorkspaceDirectories Filters WORKSPACE_TYPE PERS* matches",
       [d["DirectoryId"] for d in wsB.describe_workspace_directories(
           DirectoryIds=[did], Filters=[{"Name": "WORKSPACE_TYPE", "Values": ["PERS*"]}])["Directories"]], [did])
    eq("B: DescribeWorkspaceDirectories Filters WORKSPACE_TYPE POOLS excludes it",
       wsB.describe_workspace_directories(DirectoryIds=[did], Filters=[{"Name": "WORKSPACE_TYPE", "Values": ["POOLS"]}])["Directories"], [])
    ok("B: DeregisterWorkspaceDirectory", lambda: wsB.deregister_workspace_directory(DirectoryId=did))
    for gid in made:
        safe(lambda: wsB.delete_ip_group(GroupId=gid))
    eq("B: groups deleted after deregistration dropped the associations",
       wsB.describe_ip_groups(GroupIds=made)["Result"], [])


# --------------------------------------------------------------------------
# Isolation


def isolation():
    name = f"iso-{RUN}"
    out = ok("A: CreateIpGroup for isolation", lambda: wsA.create_ip_group(GroupName=name, UserRules=[{"ipRule": "10.9.0.0/16"}]))
    if not out:
        return
    gid = out["GroupId"]
    CLEANUP_GROUPS.append((wsA, gid))
    did = rand_dir_id()
    if ok("A: RegisterWorkspaceDirectory for isolation", lambda: wsA.register_workspace_directory(DirectoryId=did)):
        CLEANUP_DIRS.append((wsA, did))

    # account B
    eq("B: DescribeIpGroups of A's id -> empty", wsB.describe_ip_groups(GroupIds=[gid])["Result"], [])
    ids_b, _ = all_groups(wsB)
    check("B: full DescribeIpGroups does not list A's group", gid not in ids_b)
    expect_error("B: DeleteIpGroup of A's group -> ResourceNotFoundException",
                 lambda: wsB.delete_ip_group(GroupId=gid), "ResourceNotFoundException", 400)
    expect_error("B: AuthorizeIpRules on A's group -> ResourceNotFoundException",
                 lambda: wsB.authorize_ip_rules(GroupId=gid, UserRules=[{"ipRule": "1.1.1.1/32"}]), "ResourceNotFoundException", 400)
    expect_error("B: DescribeTags on A's group -> ResourceNotFoundException",
                 lambda: wsB.describe_tags(ResourceId=gid), "ResourceNotFoundException", 400)
    expect_error("B: CreateTags on A's group -> ResourceNotFoundException",
                 lambda: wsB.create_tags(ResourceId=gid, Tags=[{"Key": "x", "Value": "y"}]), "ResourceNotFoundException", 400)
    eq("B: DescribeWorkspaceDirectories of A's directory -> empty",
       wsB.describe_workspace_directories(DirectoryIds=[did])["Directories"], [])
    expect_error("B: AssociateIpGroups on A's directory -> ResourceNotFoundException",
                 lambda: wsB.associate_ip_groups(DirectoryId=did, GroupIds=[]), "ResourceNotFoundException", 400)
    expect_error("B: DeregisterWorkspaceDirectory of A's directory -> ResourceNotFoundException",
                 lambda: wsB.deregister_workspace_directory(DirectoryId=did), "ResourceNotFoundException", 400)
    outb = ok("B: CreateIpGroup with A's group name (names are per account)", lambda: wsB.create_ip_group(GroupName=name))
    if outb:
        CLEANUP_GROUPS.append((wsB, outb["GroupId"]))
        check("B's group has its own id", outb["GroupId"] != gid)
        expect_error("A: AssociateIpGroups with B's group -> ResourceNotFoundException",
                     lambda: wsA.associate_ip_groups(DirectoryId=did, GroupIds=[outb["GroupId"]]), "ResourceNotFoundException", 400)
    check("A still sees its group unchanged", (describe_group(wsA, gid) or {}).get("userRules") == [{"ipRule": "10.9.0.0/16"}])

    # region 2
    eq(f"A@{REGION2}: DescribeIpGroups of the {REGION} id -> empty", wsA2.describe_ip_groups(GroupIds=[gid])["Result"], [])
    expect_error(f"A@{REGION2}: DeleteIpGroup of the {REGION} group -> ResourceNotFoundException",
                 lambda: wsA2.delete_ip_group(GroupId=gid), "ResourceNotFoundException", 400)
    eq(f"A@{REGION2}: directory of {REGION} not described",
       wsA2.describe_workspace_directories(DirectoryIds=[did])["Directories"], [])
    out2 = ok(f"A@{REGION2}: CreateIpGroup with the same name", lambda: wsA2.create_ip_group(GroupName=name))
    if out2:
        CLEANUP_GROUPS.append((wsA2, out2["GroupId"]))
        check(f"A@{REGION}: the {REGION2} group is not visible",
              wsA.describe_ip_groups(GroupIds=[out2["GroupId"]])["Result"] == [])
    out3 = ok(f"A@{REGION2}: RegisterWorkspaceDirectory with the same id", lambda: wsA2.register_workspace_directory(DirectoryId=did))
    if out3:
        CLEANUP_DIRS.append((wsA2, did))
        d2 = describe_dir(wsA2, did) or {}
        check(f"A@{REGION2}: RegistrationCode differs per region", d2.get("RegistrationCode") != (describe_dir(wsA, did) or {}).get("RegistrationCode"))
        ok(f"A@{REGION2}: DeregisterWorkspaceDirectory", lambda: wsA2.deregister_workspace_directory(DirectoryId=did))
        check(f"A@{REGION}: directory still registered", (describe_dir(wsA, did) or {}).get("State") == "REGISTERED")
        if out2:
            ok(f"A@{REGION2}: DeleteIpGroup", lambda: wsA2.delete_ip_group(GroupId=out2["GroupId"]))
    if outb:
        ok("B: DeleteIpGroup", lambda: wsB.delete_ip_group(GroupId=outb["GroupId"]))
    ok("A: DeleteIpGroup", lambda: wsA.delete_ip_group(GroupId=gid))
    ok("A: DeregisterWorkspaceDirectory", lambda: wsA.deregister_workspace_directory(DirectoryId=did))


# --------------------------------------------------------------------------
# Scenario C.1 (adapted for zero delays)


def scenario_c1():
    did = rand_dir_id()
    out = ok("C.1.1 RegisterWorkspaceDirectory", lambda: wsA.register_workspace_directory(DirectoryId=did))
    if not out:
        return
    CLEANUP_DIRS.append((wsA, did))
    eq("C.1.1 returns State REGISTERING", (out.get("DirectoryId"), out.get("State")), (did, "REGISTERING"))
    skip("C.1.2 AssociateIpGroups before REGISTERED -> InvalidResourceStateException",
         "not observable with zero delays; covered by the [clock] checks")
    dirs = wsA.describe_workspace_directories(DirectoryIds=[did])["Directories"]
    eq("C.1.2 DescribeWorkspaceDirectories -> one item", len(dirs), 1)
    eq("C.1.2 State REGISTERED", (dirs or [{}])[0].get("State"), "REGISTERED")
    eq("C.1.2 defaults: Tenancy/Type", ((dirs or [{}])[0].get("Tenancy"), (dirs or [{}])[0].get("DirectoryType")), ("SHARED", "SIMPLE_AD"))

    name = f"office-{RUN}"
    out = ok("C.1.3 CreateIpGroup office", lambda: wsA.create_ip_group(GroupName=name, UserRules=[{"ipRule": "203.0.113.0/24", "ruleDesc": "hq"}]))
    if not out:
        return
    g = out["GroupId"]
    CLEANUP_GROUPS.append((wsA, g))
    check("C.1.3 GroupId is wsipg-…", GROUP_ID_RE.match(g), f"got {g!r}")
    expect_error("C.1.3 same name again -> ResourceAlreadyExistsException",
                 lambda: wsA.create_ip_group(GroupName=name), "ResourceAlreadyExistsException", 400)

    existing, _ = all_groups(wsA)
    fillers = []
    for i in range(100 - len(existing)):
        try:
            fillers.append(wsA.create_ip_group(GroupName=f"fill-{RUN}-{i:03d}")["GroupId"])
        except ClientError as e:
            check(f"C.1.3 filler group {i}", False, e.response["Error"]["Code"])
            break
    CLEANUP_GROUPS.extend((wsA, x) for x in fillers)
    ids, pages = all_groups(wsA, page_size=7)
    eq("C.1.3 account now has 100 groups (paginator, PageSize 7)", len(ids), 100)
    eq("C.1.3 paginator: 15 pages of at most 7", pages, 15)
    eq("C.1.3 paginator: no duplicates", len(set(ids)), len(ids))
    ids25, pages25 = all_groups(wsA, page_size=25)
    eq("C.1.3 paginator with default max page size 25: 4 pages", (len(ids25), pages25), (100, 4))
    expect_error("C.1.3 101st group -> ResourceLimitExceededException",
                 lambda: wsA.create_ip_group(GroupName=f"overflow-{RUN}"), "ResourceLimitExceededException", 400)
    for x in fillers:
        safe(lambda: wsA.delete_ip_group(GroupId=x))
    check("C.1.3 fillers deleted", len(all_groups(wsA)[0]) == len(existing), f"{len(all_groups(wsA)[0])} groups left, want {len(existing)}")

    ten = [{"ipRule": f"198.51.100.{i}/32", "ruleDesc": f"h{i}"} for i in range(10)]
    expect_error("C.1.4 AuthorizeIpRules +10 (11 > 10) -> ResourceLimitExceededException",
                 lambda: wsA.authorize_ip_rules(GroupId=g, UserRules=ten), "ResourceLimitExceededException", 400)
    ok("C.1.4 AuthorizeIpRules +9 -> ok", lambda: wsA.authorize_ip_rules(GroupId=g, UserRules=ten[:9]))
    eq("C.1.4 group has 10 rules", len((describe_group(wsA, g) or {}).get("userRules", [])), 10)

    out = ok("C.1.5 AssociateIpGroups", lambda: wsA.associate_ip_groups(DirectoryId=did, GroupIds=[g]))
    if out is not None:
        eq("C.1.5 AssociateIpGroups returns {}", strip_meta(out), {})
    eq("C.1.5 directory shows ipGroupIds [g]", (describe_dir(wsA, did) or {}).get("ipGroupIds"), [g])

    expect_error("C.1.6 DeleteIpGroup associated -> ResourceAssociatedException",
                 lambda: wsA.delete_ip_group(GroupId=g), "ResourceAssociatedException", 400)
    ok("C.1.6 DisassociateIpGroups", lambda: wsA.disassociate_ip_groups(DirectoryId=did, GroupIds=[g]))
    out = ok("C.1.6 DeleteIpGroup", lambda: wsA.delete_ip_group(GroupId=g))
    if out is not None:
        eq("C.1.6 DeleteIpGroup returns {}", strip_meta(out), {})
    expect_error("C.1.6 second DeleteIpGroup -> ResourceNotFoundException",
                 lambda: wsA.delete_ip_group(GroupId=g), "ResourceNotFoundException", 400)
    out = wsA.describe_ip_groups(GroupIds=[g])
    eq("C.1.7 DescribeIpGroups{[g]} -> Result []", strip_meta(out), {"Result": []})
    ok("C.1 cleanup: DeregisterWorkspaceDirectory", lambda: wsA.deregister_workspace_directory(DirectoryId=did))


# --------------------------------------------------------------------------
# WorkSpaces lifecycle (spec §1.8, §4.1, §6, §8, Appendix C.2): bundles,
# CreateWorkspaces per-item failures, describe filters and paginators,
# connection status on the zero-delay server; the full state machine on the
# manual-clock server (default delays: create 2 s, terminate 1 s, TERMINATED
# visible 2 s more, reboot 1 s, rebuild 2 s, start 1 s, stop 1 s, modify 2 s,
# directory register 1 s). Every part uses fresh random accounts.

WS_ID_RE = re.compile(r"^ws-[0-9a-z]{8,63}$")
IPV4_RE = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")
PUBLIC_BUNDLES = ["wsb-bh8rsxt14", "wsb-df76rqys9", "wsb-b0s22j3d7", "wsb-gm4d5tx2v"]
CLEANUP_WORKSPACES = []  # (client, workspace id)


def ws_client(account, endpoint=None):
    c = client("workspaces", account, endpoint=endpoint)
    c.wsl_account = account
    return c


def describe_ws(ws, wid):
    """The WorkSpace as DescribeWorkspaces{WorkspaceIds:[wid]} shows it, or None."""
    items = ws.describe_workspaces(WorkspaceIds=[wid])["Workspaces"]
    return items[0] if len(items) == 1 else None


def ws_state(ws, wid):
    return (describe_ws(ws, wid) or {}).get("State")


def all_workspace_ids(ws, page_size=None, **kw):
    cfg = {"PageSize": page_size} if page_size else {}
    return [w["WorkspaceId"] for p in ws.get_paginator("describe_workspaces").paginate(PaginationConfig=cfg, **kw)
            for w in p["Workspaces"]]


def ws_request(did, user, bundle="wsb-bh8rsxt14", **kw):
    r = {"DirectoryId": did, "UserName": user, "BundleId": bundle}
    r.update(kw)
    return r


def create_one(ws, name, req):
    """CreateWorkspaces with one item that must succeed; returns the pending
    WorkSpace (registered for cleanup) or None."""
    out = ok(name, lambda: ws.create_workspaces(Workspaces=[req]))
    if not out:
        return None
    pend, failed = out.get("PendingRequests", []), out.get("FailedRequests")
    if not check(f"{name}: one PendingRequest, FailedRequests []", len(pend) == 1 and failed == [],
                 f"got {strip_meta(out)!r}"):
        return None
    CLEANUP_WORKSPACES.append((ws, pend[0]["WorkspaceId"]))
    return pend[0]


def failed_codes(out):
    return [f.get("ErrorCode") for f in (out or {}).get("FailedRequests", [])]


def ws_cleanup():
    for ws, wid in CLEANUP_WORKSPACES:
        safe(lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="AVAILABLE"))
        safe(lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": wid}]))


def workspace_bundles():
    ws = ws_client(rand_account())
    out = ok("DescribeWorkspaceBundles Owner AMAZON", lambda: ws.describe_workspace_bundles(Owner="AMAZON"))
    if not out:
        return
    bundles = out.get("Bundles", [])
    by = {b.get("BundleId"): b for b in bundles}
    check("public catalogue has at least the 10 seed bundles", len(bundles) >= 10, f"{len(bundles)} bundles")
    check("public catalogue includes " + ", ".join(PUBLIC_BUNDLES), set(PUBLIC_BUNDLES) <= set(by),
          f"missing {set(PUBLIC_BUNDLES) - set(by)}")
    eq("public bundles answer Owner 'Amazon'", sorted({b.get("Owner") for b in bundles}), ["Amazon"])
    eq("public bundles are AVAILABLE REGULAR", sorted({(b.get("State"), b.get("BundleType")) for b in bundles}),
       [("AVAILABLE", "REGULAR")])
    v = by.get("wsb-bh8rsxt14", {})
    eq("wsb-bh8rsxt14 name, compute and storage (Capacity strings)",
       (v.get("Name"), v.get("ComputeType"), v.get("RootStorage"), v.get("UserStorage")),
       ("Value with Windows 10 (English)", {"Name": "VALUE"}, {"Capacity": "80"}, {"Capacity": "10"}))
    check("wsb-bh8rsxt14 ImageId is wsi-…", str(v.get("ImageId", "")).startswith("wsi-"), f"got {v.get('ImageId')!r}")
    check("bundle CreationTime / LastUpdatedTime parsed as datetimes",
          all(isinstance(b.get("CreationTime"), datetime.datetime) and isinstance(b.get("LastUpdatedTime"), datetime.datetime)
              for b in bundles), f"got {[(type(b.get('CreationTime')).__name__, type(b.get('LastUpdatedTime')).__name__) for b in bundles[:2]]}")
    p = by.get("wsb-gm4d5tx2v", {})
    eq("wsb-gm4d5tx2v PERFORMANCE 80/100",
       (p.get("ComputeType"), p.get("RootStorage"), p.get("UserStorage")),
       ({"Name": "PERFORMANCE"}, {"Capacity": "80"}, {"Capacity": "100"}))
    check("no NextToken on a single page", "NextToken" not in out or len(bundles) == 25, f"got {out.get('NextToken')!r}")

    out = ws.describe_workspace_bundles(BundleIds=PUBLIC_BUNDLES + ["wsb-zzzzzzzz9"])
    eq("DescribeWorkspaceBundles BundleIds: public bundles found, unknown omitted",
       sorted(b["BundleId"] for b in out["Bundles"]), sorted(PUBLIC_BUNDLES))
    eq("DescribeWorkspaceBundles by id answers Owner 'Amazon'", sorted({b.get("Owner") for b in out["Bundles"]}), ["Amazon"])
    eq("DescribeWorkspaceBundles without Owner -> the caller's custom bundles (none)", ws.describe_workspace_bundles()["Bundles"], [])
    eq("DescribeWorkspaceBundles Owner 'amazon' (case-sensitive) -> []", ws.describe_workspace_bundles(Owner="amazon")["Bundles"], [])
    eq("DescribeWorkspaceBundles Owner = caller's account -> [] (no custom bundles)",
       ws.describe_workspace_bundles(Owner=ws.wsl_account)["Bundles"], [])
    expect_error("DescribeWorkspaceBundles BundleIds with Owner -> InvalidParameterValuesException",
                 lambda: ws.describe_workspace_bundles(BundleIds=["wsb-bh8rsxt14"], Owner="AMAZON"),
                 "InvalidParameterValuesException", 400)
    expect_error("DescribeWorkspaceBundles malformed bundle id -> ValidationException",
                 lambda: ws.describe_workspace_bundles(BundleIds=["bundle-1"]), "ValidationException", 400)
    expect_error("DescribeWorkspaceBundles garbled NextToken -> InvalidParameterValuesException",
                 lambda: ws.describe_workspace_bundles(Owner="AMAZON", NextToken="garbage-token"),
                 "InvalidParameterValuesException", 400)
    pages = list(ws.get_paginator("describe_workspace_bundles").paginate(Owner="AMAZON"))
    ids = [b["BundleId"] for pg in pages for b in pg["Bundles"]]
    eq("describe_workspace_bundles paginator (Owner AMAZON): same bundles as one call", sorted(ids), sorted(by))
    eq("describe_workspace_bundles paginator: no duplicates", len(ids), len(set(ids)))
    check("describe_workspace_bundles paginator: last page has no NextToken", "NextToken" not in pages[-1],
          f"got {pages[-1].get('NextToken')!r}")
    limited = list(ws.get_paginator("describe_workspace_bundles").paginate(Owner="AMAZON", PaginationConfig={"MaxItems": 3}))
    eq("describe_workspace_bundles paginator MaxItems 3", [b["BundleId"] for pg in limited for b in pg["Bundles"]], ids[:3])
    expect_error("DescribeTags on a public bundle -> ResourceNotFoundException",
                 lambda: ws.describe_tags(ResourceId="wsb-bh8rsxt14"), "ResourceNotFoundException", 400)


def workspace_errors():
    """Per-item failures, whole-call errors, describe filters, paginators and
    connection status on the zero-delay server."""
    ws = ws_client(rand_account())
    other = ws_client(rand_account())
    did = rand_dir_id()
    if not ok("[ws] RegisterWorkspaceDirectory", lambda: ws.register_workspace_directory(DirectoryId=did)):
        return
    CLEANUP_DIRS.append((ws, did))
    eq("[ws] directory REGISTERED at next read (zero delays)", (describe_dir(ws, did) or {}).get("State"), "REGISTERED")

    # per-item failures of CreateWorkspaces
    missing_dir = rand_dir_id()
    req = ws_request(missing_dir, f"u-{RUN}")
    out = ok("CreateWorkspaces unknown directory (call succeeds)", lambda: ws.create_workspaces(Workspaces=[req]))
    if out:
        eq("unknown directory -> FailedRequests ResourceNotFound.Directory, nothing pending",
           (failed_codes(out), out.get("PendingRequests")), (["ResourceNotFound.Directory"], []))
        f = (out.get("FailedRequests") or [{}])[0]
        eq("FailedRequests echoes the WorkspaceRequest", f.get("WorkspaceRequest"), req)
        check("FailedRequests carries an ErrorMessage", bool(f.get("ErrorMessage")), f"got {f!r}")
    out = ok("CreateWorkspaces directory of another account (call succeeds)",
             lambda: other.create_workspaces(Workspaces=[ws_request(did, f"u-{RUN}")]))
    eq("another account's directory -> ResourceNotFound.Directory", failed_codes(out), ["ResourceNotFound.Directory"])
    req = ws_request(did, f"u-{RUN}", bundle="wsb-zzzzzzzz9", UserVolumeEncryptionEnabled=False, RootVolumeEncryptionEnabled=False,
                     WorkspaceProperties={"RunningMode": "AUTO_STOP", "RunningModeAutoStopTimeoutInMinutes": 120, "ComputeTypeName": "STANDARD"},
                     Tags=[{"Key": "k", "Value": "v"}])
    out = ok("CreateWorkspaces unknown bundle (call succeeds)", lambda: ws.create_workspaces(Workspaces=[req]))
    if out:
        eq("unknown bundle -> FailedRequests ResourceNotFound.Bundle, nothing pending",
           (failed_codes(out), out.get("PendingRequests")), (["ResourceNotFound.Bundle"], []))
        eq("ResourceNotFound.Bundle echoes every member of the request", (out.get("FailedRequests") or [{}])[0].get("WorkspaceRequest"), req)
    out = ok("CreateWorkspaces ALWAYS_ON with an AutoStop timeout (call succeeds)", lambda: ws.create_workspaces(Workspaces=[
        ws_request(did, f"u-{RUN}", WorkspaceProperties={"RunningMode": "ALWAYS_ON", "RunningModeAutoStopTimeoutInMinutes": 60})]))
    eq("ALWAYS_ON + timeout -> AutoStopTimeoutIsNotApplicableForAnAlwaysOnWorkspace", failed_codes(out),
       ["AutoStopTimeoutIsNotApplicableForAnAlwaysOnWorkspace"])
    out = ok("CreateWorkspaces AUTO_STOP timeout 45 (call succeeds)", lambda: ws.create_workspaces(Workspaces=[
        ws_request(did, f"u-{RUN}", WorkspaceProperties={"RunningMode": "AUTO_STOP", "RunningModeAutoStopTimeoutInMinutes": 45})]))
    eq("AUTO_STOP timeout not a multiple of 60 -> InvalidParameterValues", failed_codes(out), ["InvalidParameterValues"])
    eq("[ws] failed creates made nothing", all_workspace_ids(ws), [])

    expect_error("CreateWorkspaces same user twice in one request (C.2.1) -> InvalidParameterValuesException",
                 lambda: ws.create_workspaces(Workspaces=[ws_request(did, f"alice-{RUN}"),
                                                          ws_request(did, f"alice-{RUN}", bundle="wsb-gm4d5tx2v")]),
                 "InvalidParameterValuesException", 400)
    eq("rejected CreateWorkspaces created nothing", all_workspace_ids(ws), [])
    expect_error("CreateWorkspaces malformed directory id -> ValidationException",
                 lambda: ws.create_workspaces(Workspaces=[ws_request("x-1234567890", f"u-{RUN}")]), "ValidationException", 400)
    expect_error("CreateWorkspaces 26 items -> ValidationException",
                 lambda: ws.create_workspaces(Workspaces=[ws_request(did, f"m{i}-{RUN}") for i in range(26)]),
                 "ValidationException", 400)

    # a mixed request: the good items are created in request order
    users = [f"user{i}-{RUN}" for i in range(5)]
    out = ok("CreateWorkspaces five users plus one unknown bundle",
             lambda: ws.create_workspaces(Workspaces=[ws_request(did, users[0]), ws_request(did, f"nobundle-{RUN}", bundle="wsb-zzzzzzzz9")]
                                          + [ws_request(did, u) for u in users[1:]]))
    made = []
    if out:
        made = [w["WorkspaceId"] for w in out.get("PendingRequests", [])]
        CLEANUP_WORKSPACES.extend((ws, x) for x in made)
        eq("mixed request: one FailedRequest", failed_codes(out), ["ResourceNotFound.Bundle"])
        eq("mixed request: PendingRequests in request order", [w.get("UserName") for w in out.get("PendingRequests", [])], users)
        check("PendingRequests are PENDING with ws- ids",
              all(w.get("State") == "PENDING" and WS_ID_RE.match(w.get("WorkspaceId", "")) for w in out.get("PendingRequests", [])),
              f"got {[(w.get('WorkspaceId'), w.get('State')) for w in out.get('PendingRequests', [])]}")
    out = ok("CreateWorkspaces for an existing user, other case (call succeeds)",
             lambda: ws.create_workspaces(Workspaces=[ws_request(did, users[0].upper(), bundle="wsb-gm4d5tx2v")]))
    if out:
        eq("existing user (case-insensitive) -> FailedRequests ResourceExists.WorkSpace, nothing pending",
           (failed_codes(out), out.get("PendingRequests")), (["ResourceExists.WorkSpace"], []))

    # describe filters
    eq("DescribeWorkspaces (no filter) lists the five in creation order", all_workspace_ids(ws), made)
    eq("DescribeWorkspaces DirectoryId", all_workspace_ids(ws, DirectoryId=did), made)
    eq("DescribeWorkspaces DirectoryId + UserName (other case)",
       [w["WorkspaceId"] for w in ws.describe_workspaces(DirectoryId=did, UserName=users[2].upper())["Workspaces"]], made[2:3])
    eq("DescribeWorkspaces BundleId", all_workspace_ids(ws, BundleId="wsb-bh8rsxt14"), made)
    eq("DescribeWorkspaces BundleId without matches", all_workspace_ids(ws, BundleId="wsb-gm4d5tx2v"), [])
    eq("DescribeWorkspaces unknown id -> []", ws.describe_workspaces(WorkspaceIds=["ws-zzzzzzzz9"])["Workspaces"], [])
    eq("other account: DescribeWorkspaces of these ids -> []", other.describe_workspaces(WorkspaceIds=made[:2])["Workspaces"], [])
    for label, kw in [
        ("WorkspaceIds + DirectoryId", {"WorkspaceIds": made[:1], "DirectoryId": did}),
        ("WorkspaceIds + BundleId", {"WorkspaceIds": made[:1], "BundleId": "wsb-bh8rsxt14"}),
        ("DirectoryId + BundleId", {"DirectoryId": did, "BundleId": "wsb-bh8rsxt14"}),
        ("UserName without DirectoryId", {"UserName": users[0]}),
        ("WorkspaceName + DirectoryId", {"WorkspaceName": "named", "DirectoryId": did}),
    ]:
        expect_error(f"DescribeWorkspaces {label} -> InvalidParameterValuesException",
                     lambda: ws.describe_workspaces(**kw), "InvalidParameterValuesException", 400)
    expect_error("DescribeWorkspaces Limit 26 -> ValidationException",
                 lambda: ws.describe_workspaces(Limit=26), "ValidationException", 400)
    expect_error("DescribeWorkspaces garbled NextToken -> InvalidParameterValuesException",
                 lambda: ws.describe_workspaces(NextToken="garbage-token"), "InvalidParameterValuesException", 400)

    # paginator
    pages = list(ws.get_paginator("describe_workspaces").paginate(PaginationConfig={"PageSize": 2}))
    eq("describe_workspaces paginator PageSize 2: pages of 2, 2, 1", [len(p["Workspaces"]) for p in pages], [2, 2, 1])
    eq("describe_workspaces paginator: creation order, no duplicates", [w["WorkspaceId"] for p in pages for w in p["Workspaces"]], made)
    check("describe_workspaces paginator: last page has no NextToken", "NextToken" not in pages[-1], f"got {pages[-1].get('NextToken')!r}")
    pages = list(ws.get_paginator("describe_workspaces").paginate(DirectoryId=did, PaginationConfig={"PageSize": 3}))
    eq("describe_workspaces paginator DirectoryId, PageSize 3: pages of 3, 2", [len(p["Workspaces"]) for p in pages], [3, 2])
    first = ws.describe_workspaces(Limit=2)
    if check("DescribeWorkspaces Limit 2 returns a NextToken", bool(first.get("NextToken"))):
        expect_error("DescribeWorkspaces NextToken replayed with another filter -> InvalidParameterValuesException",
                     lambda: ws.describe_workspaces(Limit=2, DirectoryId=did, NextToken=first["NextToken"]),
                     "InvalidParameterValuesException", 400)
        expect_error("DescribeWorkspaces NextToken used by another account -> InvalidParameterValuesException",
                     lambda: other.describe_workspaces(Limit=2, NextToken=first["NextToken"]), "InvalidParameterValuesException", 400)

    # AVAILABLE at the next read with zero delays
    w = describe_ws(ws, made[0]) if made else None
    check("[ws] AVAILABLE at next read with IpAddress, SubnetId, ComputerName",
          w is not None and w.get("State") == "AVAILABLE" and w.get("IpAddress") and w.get("SubnetId") and w.get("ComputerName"),
          f"got {w!r}")

    # connection status
    out = ok("DescribeWorkspacesConnectionStatus (no ids)", lambda: ws.describe_workspaces_connection_status())
    if out:
        st = out.get("WorkspacesConnectionStatus", [])
        eq("connection status lists every WorkSpace", sorted(s.get("WorkspaceId") for s in st), sorted(made))
        eq("connection state DISCONNECTED (no sessions)", sorted({s.get("ConnectionState") for s in st}), ["DISCONNECTED"])
        check("ConnectionStateCheckTimestamp parsed as datetime",
              all(isinstance(s.get("ConnectionStateCheckTimestamp"), datetime.datetime) for s in st), f"got {st[:1]!r}")
        check("no LastKnownUserConnectionTimestamp without a session",
              all("LastKnownUserConnectionTimestamp" not in s for s in st), f"got {st[:1]!r}")
    out = ws.describe_workspaces_connection_status(WorkspaceIds=made[:2] + ["ws-zzzzzzzz9"])
    eq("connection status by ids: unknown id omitted", sorted(s["WorkspaceId"] for s in out["WorkspacesConnectionStatus"]), sorted(made[:2]))
    pages = list(ws.get_paginator("describe_workspaces_connection_status").paginate())
    eq("describe_workspaces_connection_status paginator", sorted(s["WorkspaceId"] for p in pages for s in p["WorkspacesConnectionStatus"]),
       sorted(made))
    eq("other account: connection status empty", other.describe_workspaces_connection_status()["WorkspacesConnectionStatus"], [])

    # whole-call errors of the single-WorkSpace operations
    expect_error("ModifyWorkspaceState unknown WorkSpace -> ResourceNotFoundException",
                 lambda: ws.modify_workspace_state(WorkspaceId="ws-zzzzzzzz9", WorkspaceState="AVAILABLE"), "ResourceNotFoundException", 400)
    expect_error("ModifyWorkspaceProperties unknown WorkSpace -> ResourceNotFoundException",
                 lambda: ws.modify_workspace_properties(WorkspaceId="ws-zzzzzzzz9", WorkspaceProperties={"RunningMode": "AUTO_STOP"}),
                 "ResourceNotFoundException", 400)
    if made:
        expect_error("other account: ModifyWorkspaceState -> ResourceNotFoundException",
                     lambda: other.modify_workspace_state(WorkspaceId=made[0], WorkspaceState="ADMIN_MAINTENANCE"),
                     "ResourceNotFoundException", 400)
        expect_error("ModifyWorkspaceProperties with no properties -> InvalidParameterValuesException",
                     lambda: ws.modify_workspace_properties(WorkspaceId=made[0], WorkspaceProperties={}),
                     "InvalidParameterValuesException", 400)
        expect_error("ModifyWorkspaceState bad enum -> ValidationException",
                     lambda: ws.modify_workspace_state(WorkspaceId=made[0], WorkspaceState="STOPPED"), "ValidationException", 400)
        out = ok("other account: TerminateWorkspaces of these ids (call succeeds)",
                 lambda: other.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": made[0]}]))
        eq("other account: terminate -> ResourceNotFound.Workspace", failed_codes(out), ["ResourceNotFound.Workspace"])
        expect_error("DeregisterWorkspaceDirectory with live WorkSpaces -> OperationNotSupportedException",
                     lambda: ws.deregister_workspace_directory(DirectoryId=did), "OperationNotSupportedException", 400)
    out = ok("TerminateWorkspaces unknown id (call succeeds)",
             lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": "ws-zzzzzzzz9"}]))
    if out:
        f = (out.get("FailedRequests") or [{}])[0]
        eq("unknown id -> FailedRequests ResourceNotFound.Workspace with WorkspaceId",
           (failed_codes(out), f.get("WorkspaceId")), (["ResourceNotFound.Workspace"], "ws-zzzzzzzz9"))
        check("ResourceNotFound.Workspace carries an ErrorMessage", bool(f.get("ErrorMessage")), f"got {f!r}")
    for name, fn in [
        ("RebootWorkspaces", lambda: ws.reboot_workspaces(RebootWorkspaceRequests=[{"WorkspaceId": "ws-zzzzzzzz9"}])),
        ("StartWorkspaces", lambda: ws.start_workspaces(StartWorkspaceRequests=[{"WorkspaceId": "ws-zzzzzzzz9"}])),
        ("StopWorkspaces", lambda: ws.stop_workspaces(StopWorkspaceRequests=[{"WorkspaceId": "ws-zzzzzzzz9"}])),
        ("RebuildWorkspaces", lambda: ws.rebuild_workspaces(RebuildWorkspaceRequests=[{"WorkspaceId": "ws-zzzzzzzz9"}])),
    ]:
        out = ok(f"{name} unknown id (call succeeds)", fn)
        eq(f"{name} unknown id -> FailedRequests ResourceNotFound.Workspace", failed_codes(out), ["ResourceNotFound.Workspace"])
    out = ok("StartWorkspaces item without WorkspaceId (call succeeds)", lambda: ws.start_workspaces(StartWorkspaceRequests=[{}]))
    eq("item without WorkspaceId -> FailedRequests InvalidParameterValues", failed_codes(out), ["InvalidParameterValues"])

    if len(made) >= 3:
        ok("ModifyWorkspaceState ADMIN_MAINTENANCE (zero delays)",
           lambda: ws.modify_workspace_state(WorkspaceId=made[1], WorkspaceState="ADMIN_MAINTENANCE"))
        ok("ModifyWorkspaceProperties AUTO_STOP (zero delays)",
           lambda: ws.modify_workspace_properties(WorkspaceId=made[2], WorkspaceProperties={"RunningMode": "AUTO_STOP"}))
        out = ok("StopWorkspaces (zero delays)", lambda: ws.stop_workspaces(StopWorkspaceRequests=[{"WorkspaceId": made[2]}]))
        eq("StopWorkspaces -> FailedRequests [], STOPPED at the next read", ((out or {}).get("FailedRequests"), ws_state(ws, made[2])), ([], "STOPPED"))
        out = ok("TerminateWorkspaces ADMIN_MAINTENANCE and STOPPED WorkSpaces",
                 lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": made[1]}, {"WorkspaceId": made[2]}]))
        eq("terminate from ADMIN_MAINTENANCE and STOPPED -> FailedRequests []", (out or {}).get("FailedRequests"), [])
        eq("both gone (zero delays)", ws.describe_workspaces(WorkspaceIds=made[1:3])["Workspaces"], [])
    # terminate everything: with zero delays the WorkSpaces are gone at the next read
    rest = [x for x in made if x not in made[1:3]]
    out = ok("TerminateWorkspaces the rest (duplicate id once more)",
             lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": x} for x in rest + rest[:1]]))
    if out:
        eq("TerminateWorkspaces -> FailedRequests []", out.get("FailedRequests"), [])
    eq("[ws] terminated WorkSpaces gone (zero delays)", all_workspace_ids(ws), [])
    eq("[ws] connection status empty after terminate", ws.describe_workspaces_connection_status()["WorkspacesConnectionStatus"], [])
    if made:
        expect_error("DescribeTags of a terminated WorkSpace -> ResourceNotFoundException",
                     lambda: ws.describe_tags(ResourceId=made[0]), "ResourceNotFoundException", 400)
        w = create_one(ws, "CreateWorkspaces for a user whose WorkSpace was terminated", ws_request(did, users[0]))
        if w:
            ok("TerminateWorkspaces the replacement", lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": w["WorkspaceId"]}]))
    ok("[ws] DeregisterWorkspaceDirectory once its WorkSpaces are gone", lambda: ws.deregister_workspace_directory(DirectoryId=did))


def workspace_lifecycle():
    """Appendix C.2 on the manual-clock server, one WorkSpace from
    registration to removal."""
    if not CLOCK_ENDPOINT:
        skip("WorkSpaces lifecycle states", "WSL_MANUAL_CLOCK_ENDPOINT_URL not set")
        return
    ws = ws_client(rand_account(), endpoint=CLOCK_ENDPOINT)
    did = rand_dir_id()
    user = f"alice-{RUN}"
    out = ok("[clock] RegisterWorkspaceDirectory", lambda: ws.register_workspace_directory(DirectoryId=did))
    if not out:
        return
    CLEANUP_DIRS.append((ws, did))
    eq("[clock] directory REGISTERING", (describe_dir(ws, did) or {}).get("State"), "REGISTERING")
    out = ok("[clock] CreateWorkspaces while the directory is REGISTERING (call succeeds)",
             lambda: ws.create_workspaces(Workspaces=[ws_request(did, user)]))
    eq("[clock] directory not REGISTERED -> InvalidResourceState.Directory", failed_codes(out), ["InvalidResourceState.Directory"])
    clock_advance("1s")
    eq("[clock] directory REGISTERED after 1 s", (describe_dir(ws, did) or {}).get("State"), "REGISTERED")

    # create: PENDING -> AVAILABLE after 2 s
    p = create_one(ws, "[clock] CreateWorkspaces", ws_request(did, user, Tags=[{"Key": "team", "Value": "qa"}]))
    if not p:
        return
    wid = p["WorkspaceId"]
    check("[clock] WorkspaceId is ws-…", WS_ID_RE.match(wid), f"got {wid!r}")
    eq("[clock] PendingRequests[0] State/DirectoryId/UserName/BundleId",
       (p.get("State"), p.get("DirectoryId"), p.get("UserName"), p.get("BundleId")), ("PENDING", did, user, "wsb-bh8rsxt14"))
    w = describe_ws(ws, wid) or {}
    eq("[clock] DescribeWorkspaces right after create -> PENDING", w.get("State"), "PENDING")
    check("[clock] PENDING has no IpAddress/ComputerName yet", "IpAddress" not in w and "ComputerName" not in w, f"got {w!r}")
    eq("[clock] DescribeTags on the WorkSpace shows the creation tags", ws.describe_tags(ResourceId=wid)["TagList"],
       [{"Key": "team", "Value": "qa"}])
    expect_error("[clock] ModifyWorkspaceState while PENDING -> InvalidResourceStateException",
                 lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="ADMIN_MAINTENANCE"), "InvalidResourceStateException", 400)
    expect_error("[clock] ModifyWorkspaceProperties while PENDING -> InvalidResourceStateException",
                 lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"RunningMode": "AUTO_STOP"}),
                 "InvalidResourceStateException", 400)
    clock_advance("1s")
    eq("[clock] still PENDING after 1 s", ws_state(ws, wid), "PENDING")
    clock_advance("1s")
    w = describe_ws(ws, wid) or {}
    eq("[clock] AVAILABLE after 2 s", w.get("State"), "AVAILABLE")
    check("[clock] AVAILABLE: IpAddress is an IPv4 address", IPV4_RE.match(w.get("IpAddress") or ""), f"got {w.get('IpAddress')!r}")
    check("[clock] AVAILABLE: ComputerName WSAMZN-…", str(w.get("ComputerName", "")).startswith("WSAMZN-"), f"got {w.get('ComputerName')!r}")
    check("[clock] AVAILABLE: SubnetId subnet-…", re.match(r"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", w.get("SubnetId") or ""),
          f"got {w.get('SubnetId')!r}")
    props = w.get("WorkspaceProperties") or {}
    eq("[clock] default WorkspaceProperties (ALWAYS_ON, 80, 10, VALUE, PCOIP)",
       (props.get("RunningMode"), props.get("RootVolumeSizeGib"), props.get("UserVolumeSizeGib"), props.get("ComputeTypeName"), props.get("Protocols")),
       ("ALWAYS_ON", 80, 10, "VALUE", ["PCOIP"]))
    check("[clock] ALWAYS_ON has no AutoStop timeout", "RunningModeAutoStopTimeoutInMinutes" not in props, f"got {props!r}")
    eq("[clock] ModificationStates [] when idle", w.get("ModificationStates"), [])
    ip = w.get("IpAddress")

    # stop refused while ALWAYS_ON
    out = ok("[clock] StopWorkspaces while ALWAYS_ON (call succeeds)",
             lambda: ws.stop_workspaces(StopWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        f = (out.get("FailedRequests") or [{}])[0]
        check("[clock] ALWAYS_ON stop -> FailedRequests[0] for the WorkSpace (InvalidResourceState.Workspace or OperationNotSupported)",
              len(out.get("FailedRequests", [])) == 1 and f.get("WorkspaceId") == wid
              and f.get("ErrorCode") in ("InvalidResourceState.Workspace", "OperationNotSupported") and f.get("ErrorMessage"),
              f"got {strip_meta(out)!r}")
    eq("[clock] refused stop left it AVAILABLE", ws_state(ws, wid), "AVAILABLE")
    expect_error("[clock] ModifyWorkspaceProperties timeout with ALWAYS_ON -> InvalidParameterValuesException",
                 lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"RunningModeAutoStopTimeoutInMinutes": 120}),
                 "InvalidParameterValuesException", 400)

    # AUTO_STOP, then stop and start
    out = ok("[clock] ModifyWorkspaceProperties RunningMode AUTO_STOP",
             lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"RunningMode": "AUTO_STOP"}))
    if out is not None:
        eq("[clock] ModifyWorkspaceProperties returns {}", strip_meta(out), {})
    w = describe_ws(ws, wid) or {}
    props = w.get("WorkspaceProperties") or {}
    eq("[clock] running mode applies at once: AUTO_STOP, timeout 60, still AVAILABLE",
       (props.get("RunningMode"), props.get("RunningModeAutoStopTimeoutInMinutes"), w.get("State")), ("AUTO_STOP", 60, "AVAILABLE"))
    out = ok("[clock] StopWorkspaces", lambda: ws.stop_workspaces(StopWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        eq("[clock] StopWorkspaces -> FailedRequests []", out.get("FailedRequests"), [])
    eq("[clock] STOPPING", ws_state(ws, wid), "STOPPING")
    clock_advance("1s")
    w = describe_ws(ws, wid) or {}
    eq("[clock] STOPPED after 1 s", w.get("State"), "STOPPED")
    eq("[clock] STOPPED keeps its IpAddress", w.get("IpAddress"), ip)
    eq("[clock] connection state UNKNOWN while STOPPED",
       [s.get("ConnectionState") for s in ws.describe_workspaces_connection_status(WorkspaceIds=[wid])["WorkspacesConnectionStatus"]],
       ["UNKNOWN"])
    expect_error("[clock] ModifyWorkspaceState ADMIN_MAINTENANCE while STOPPED -> InvalidResourceStateException",
                 lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="ADMIN_MAINTENANCE"), "InvalidResourceStateException", 400)
    out = ok("[clock] StopWorkspaces while STOPPED (no-op)", lambda: ws.stop_workspaces(StopWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        eq("[clock] stop while STOPPED -> FailedRequests []", out.get("FailedRequests"), [])
    out = ok("[clock] RebootWorkspaces while STOPPED (call succeeds)", lambda: ws.reboot_workspaces(RebootWorkspaceRequests=[{"WorkspaceId": wid}]))
    eq("[clock] reboot while STOPPED -> InvalidResourceState.Workspace", failed_codes(out), ["InvalidResourceState.Workspace"])
    ok("[clock] ModifyWorkspaceProperties ComputeTypeName STANDARD while STOPPED",
       lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"ComputeTypeName": "STANDARD"}))
    eq("[clock] compute change while STOPPED -> UPDATING", ws_state(ws, wid), "UPDATING")
    out = ok("[clock] StartWorkspaces while UPDATING (call succeeds)", lambda: ws.start_workspaces(StartWorkspaceRequests=[{"WorkspaceId": wid}]))
    check("[clock] start while UPDATING -> FailedRequests", len((out or {}).get("FailedRequests", [])) == 1, f"got {strip_meta(out)!r}")
    clock_advance("2s")
    w = describe_ws(ws, wid) or {}
    eq("[clock] back to STOPPED 2 s after the compute change, STANDARD",
       (w.get("State"), (w.get("WorkspaceProperties") or {}).get("ComputeTypeName"), w.get("ModificationStates")), ("STOPPED", "STANDARD", []))
    out = ok("[clock] StartWorkspaces", lambda: ws.start_workspaces(StartWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        eq("[clock] StartWorkspaces -> FailedRequests []", out.get("FailedRequests"), [])
    eq("[clock] STARTING", ws_state(ws, wid), "STARTING")
    clock_advance("1s")
    eq("[clock] AVAILABLE after 1 s", ws_state(ws, wid), "AVAILABLE")
    out = ok("[clock] StartWorkspaces while AVAILABLE (no-op)", lambda: ws.start_workspaces(StartWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        eq("[clock] start while AVAILABLE -> FailedRequests [], still AVAILABLE", (out.get("FailedRequests"), ws_state(ws, wid)), ([], "AVAILABLE"))
    eq("[clock] connection state DISCONNECTED once running",
       [s.get("ConnectionState") for s in ws.describe_workspaces_connection_status(WorkspaceIds=[wid])["WorkspacesConnectionStatus"]],
       ["DISCONNECTED"])

    # administrator maintenance
    out = ok("[clock] ModifyWorkspaceState ADMIN_MAINTENANCE", lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="ADMIN_MAINTENANCE"))
    if out is not None:
        eq("[clock] ModifyWorkspaceState returns {}", strip_meta(out), {})
    eq("[clock] ADMIN_MAINTENANCE at once", ws_state(ws, wid), "ADMIN_MAINTENANCE")
    ok("[clock] ModifyWorkspaceState ADMIN_MAINTENANCE again (no-op)",
       lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="ADMIN_MAINTENANCE"))
    out = ok("[clock] RebootWorkspaces in ADMIN_MAINTENANCE (call succeeds)",
             lambda: ws.reboot_workspaces(RebootWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        f = (out.get("FailedRequests") or [{}])[0]
        eq("[clock] reboot refused: FailedRequests InvalidResourceState.Workspace for the WorkSpace",
           (failed_codes(out), f.get("WorkspaceId")), (["InvalidResourceState.Workspace"], wid))
    for name, fn in [
        ("StopWorkspaces", lambda: ws.stop_workspaces(StopWorkspaceRequests=[{"WorkspaceId": wid}])),
        ("RebuildWorkspaces", lambda: ws.rebuild_workspaces(RebuildWorkspaceRequests=[{"WorkspaceId": wid}])),
    ]:
        out = ok(f"[clock] {name} in ADMIN_MAINTENANCE (call succeeds)", fn)
        eq(f"[clock] {name} refused in ADMIN_MAINTENANCE -> InvalidResourceState.Workspace", failed_codes(out), ["InvalidResourceState.Workspace"])
    expect_error("[clock] ModifyWorkspaceProperties in ADMIN_MAINTENANCE -> InvalidResourceStateException",
                 lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"ComputeTypeName": "STANDARD"}),
                 "InvalidResourceStateException", 400)
    eq("[clock] refused requests left it in ADMIN_MAINTENANCE", ws_state(ws, wid), "ADMIN_MAINTENANCE")
    ok("[clock] ModifyWorkspaceState AVAILABLE", lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="AVAILABLE"))
    eq("[clock] back to AVAILABLE", ws_state(ws, wid), "AVAILABLE")

    # reboot and rebuild
    out = ok("[clock] RebootWorkspaces", lambda: ws.reboot_workspaces(RebootWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        eq("[clock] RebootWorkspaces -> FailedRequests []", out.get("FailedRequests"), [])
    eq("[clock] REBOOTING", ws_state(ws, wid), "REBOOTING")
    clock_advance("1s")
    eq("[clock] AVAILABLE 1 s after reboot", ws_state(ws, wid), "AVAILABLE")
    out = ok("[clock] RebuildWorkspaces", lambda: ws.rebuild_workspaces(RebuildWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        eq("[clock] RebuildWorkspaces -> FailedRequests []", out.get("FailedRequests"), [])
    eq("[clock] REBUILDING", ws_state(ws, wid), "REBUILDING")
    expect_error("[clock] RebuildWorkspaces with 2 items -> ValidationException",
                 lambda: ws.rebuild_workspaces(RebuildWorkspaceRequests=[{"WorkspaceId": wid}, {"WorkspaceId": wid}]), "ValidationException", 400)
    clock_advance("1s")
    eq("[clock] still REBUILDING after 1 s", ws_state(ws, wid), "REBUILDING")
    clock_advance("1s")
    w = describe_ws(ws, wid) or {}
    eq("[clock] AVAILABLE 2 s after rebuild", w.get("State"), "AVAILABLE")
    check("[clock] rebuild gives a new IpAddress", IPV4_RE.match(w.get("IpAddress") or "") and w.get("IpAddress") != ip,
          f"got {w.get('IpAddress')!r}, before {ip!r}")
    eq("[clock] rebuild keeps WorkspaceProperties (AUTO_STOP 60)",
       ((w.get("WorkspaceProperties") or {}).get("RunningMode"), (w.get("WorkspaceProperties") or {}).get("RunningModeAutoStopTimeoutInMinutes")),
       ("AUTO_STOP", 60))

    # compute change: UPDATING, then back to AVAILABLE
    out = ok("[clock] ModifyWorkspaceProperties ComputeTypeName PERFORMANCE",
             lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"ComputeTypeName": "PERFORMANCE"}))
    w = describe_ws(ws, wid) or {}
    eq("[clock] compute change -> UPDATING", w.get("State"), "UPDATING")
    check("[clock] UPDATING: ModificationStates has COMPUTE_TYPE",
          [m.get("Resource") for m in w.get("ModificationStates") or []] == ["COMPUTE_TYPE"]
          and (w.get("ModificationStates") or [{}])[0].get("State") in ("UPDATE_INITIATED", "UPDATE_IN_PROGRESS"),
          f"got {w.get('ModificationStates')!r}")
    eq("[clock] new ComputeTypeName visible at once", (w.get("WorkspaceProperties") or {}).get("ComputeTypeName"), "PERFORMANCE")
    expect_error("[clock] second ModifyWorkspaceProperties while UPDATING -> OperationInProgressException",
                 lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"RunningModeAutoStopTimeoutInMinutes": 120}),
                 "OperationInProgressException", 400)
    out = ok("[clock] RebootWorkspaces while UPDATING (call succeeds)", lambda: ws.reboot_workspaces(RebootWorkspaceRequests=[{"WorkspaceId": wid}]))
    eq("[clock] reboot while UPDATING -> InvalidResourceState.Workspace", failed_codes(out), ["InvalidResourceState.Workspace"])
    clock_advance("1s")
    eq("[clock] still UPDATING after 1 s", ws_state(ws, wid), "UPDATING")
    clock_advance("1s")
    w = describe_ws(ws, wid) or {}
    eq("[clock] AVAILABLE 2 s after the compute change, PERFORMANCE, ModificationStates []",
       (w.get("State"), (w.get("WorkspaceProperties") or {}).get("ComputeTypeName"), w.get("ModificationStates")),
       ("AVAILABLE", "PERFORMANCE", []))
    ok("[clock] ModifyWorkspaceProperties AutoStop timeout 120 once idle",
       lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"RunningModeAutoStopTimeoutInMinutes": 120}))
    eq("[clock] timeout 120 stored", ((describe_ws(ws, wid) or {}).get("WorkspaceProperties") or {}).get("RunningModeAutoStopTimeoutInMinutes"), 120)

    # volume change: State unchanged, ModificationStates USER_VOLUME until done
    expect_error("[clock] ModifyWorkspaceProperties compute and volume together -> InvalidParameterValuesException",
                 lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"ComputeTypeName": "POWER", "UserVolumeSizeGib": 50}),
                 "InvalidParameterValuesException", 400)
    expect_error("[clock] ModifyWorkspaceProperties illegal volume pair (80, 20) -> InvalidParameterValuesException",
                 lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"UserVolumeSizeGib": 20}),
                 "InvalidParameterValuesException", 400)
    ok("[clock] ModifyWorkspaceProperties UserVolumeSizeGib 50",
       lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"UserVolumeSizeGib": 50}))
    w = describe_ws(ws, wid) or {}
    eq("[clock] volume change keeps State AVAILABLE, new size visible", (w.get("State"), (w.get("WorkspaceProperties") or {}).get("UserVolumeSizeGib")),
       ("AVAILABLE", 50))
    eq("[clock] volume change: ModificationStates USER_VOLUME", [m.get("Resource") for m in w.get("ModificationStates") or []], ["USER_VOLUME"])
    expect_error("[clock] ModifyWorkspaceProperties during a volume change -> OperationInProgressException",
                 lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"RunningModeAutoStopTimeoutInMinutes": 180}),
                 "OperationInProgressException", 400)
    clock_advance("2s")
    eq("[clock] ModificationStates cleared 2 s after the volume change", (describe_ws(ws, wid) or {}).get("ModificationStates"), [])
    expect_error("[clock] ModifyWorkspaceProperties shrinking the user volume -> InvalidParameterValuesException",
                 lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"UserVolumeSizeGib": 10}),
                 "InvalidParameterValuesException", 400)
    ok("[clock] ModifyWorkspaceProperties RunningMode ALWAYS_ON",
       lambda: ws.modify_workspace_properties(WorkspaceId=wid, WorkspaceProperties={"RunningMode": "ALWAYS_ON"}))
    props = (describe_ws(ws, wid) or {}).get("WorkspaceProperties") or {}
    check("[clock] switching to ALWAYS_ON clears the AutoStop timeout",
          props.get("RunningMode") == "ALWAYS_ON" and "RunningModeAutoStopTimeoutInMinutes" not in props, f"got {props!r}")

    # terminate: TERMINATING -> TERMINATED -> gone
    out = ok("[clock] TerminateWorkspaces", lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        eq("[clock] TerminateWorkspaces -> FailedRequests []", out.get("FailedRequests"), [])
    eq("[clock] TERMINATING", ws_state(ws, wid), "TERMINATING")
    out = ok("[clock] TerminateWorkspaces again while TERMINATING (no-op)",
             lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": wid}]))
    if out:
        eq("[clock] terminate while TERMINATING -> FailedRequests []", out.get("FailedRequests"), [])
    expect_error("[clock] ModifyWorkspaceState while TERMINATING -> InvalidResourceStateException",
                 lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="AVAILABLE"), "InvalidResourceStateException", 400)
    expect_error("[clock] DeregisterWorkspaceDirectory while a WorkSpace is TERMINATING -> OperationNotSupportedException",
                 lambda: ws.deregister_workspace_directory(DirectoryId=did), "OperationNotSupportedException", 400)
    w2 = create_one(ws, "[clock] CreateWorkspaces for the same user while the old one is TERMINATING (slot freed)", ws_request(did, user))
    if w2:
        eq("[clock] replacement is PENDING", ws_state(ws, w2["WorkspaceId"]), "PENDING")
        out = ok("[clock] TerminateWorkspaces the PENDING replacement",
                 lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": w2["WorkspaceId"]}]))
        if out:
            eq("[clock] terminate while PENDING -> FailedRequests [], TERMINATING",
               (out.get("FailedRequests"), ws_state(ws, w2["WorkspaceId"])), ([], "TERMINATING"))
    clock_advance("1s")
    eq("[clock] TERMINATED after 1 s", ws_state(ws, wid), "TERMINATED")
    clock_advance("1s")
    eq("[clock] TERMINATED still listed 1 s later", ws_state(ws, wid), "TERMINATED")
    clock_advance("1s")
    eq("[clock] gone 2 s after TERMINATED: DescribeWorkspaces{[id]} -> []", ws.describe_workspaces(WorkspaceIds=[wid])["Workspaces"], [])
    eq("[clock] gone from the unfiltered DescribeWorkspaces", all_workspace_ids(ws), [])
    eq("[clock] gone from DescribeWorkspacesConnectionStatus",
       ws.describe_workspaces_connection_status(WorkspaceIds=[wid])["WorkspacesConnectionStatus"], [])
    out = ok("[clock] TerminateWorkspaces once gone (call succeeds)",
             lambda: ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": wid}]))
    eq("[clock] terminate once gone -> ResourceNotFound.Workspace", failed_codes(out), ["ResourceNotFound.Workspace"])
    expect_error("[clock] ModifyWorkspaceState once gone -> ResourceNotFoundException",
                 lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="AVAILABLE"), "ResourceNotFoundException", 400)
    ok("[clock] DeregisterWorkspaceDirectory once the WorkSpace is gone", lambda: ws.deregister_workspace_directory(DirectoryId=did))


# --------------------------------------------------------------------------
# Thin Client software sets

UTC = datetime.timezone.utc


def software_sets():
    out = ok("ListSoftwareSets", lambda: tcA.list_software_sets())
    if not out:
        return
    sets = out.get("softwareSets", [])
    eq("ListSoftwareSets ids newest first", [s.get("id") for s in sets], ["1004", "1003", "1002", "1001"])
    check("ListSoftwareSets has no nextToken with the default page size", "nextToken" not in out, f"got {out.get('nextToken')!r}")
    check("ListSoftwareSets summaries have no software member", all("software" not in s for s in sets))
    check("releasedAt parsed as timezone-aware datetime",
          all(isinstance(s.get("releasedAt"), datetime.datetime) and s["releasedAt"].tzinfo is not None for s in sets),
          f"got {[type(s.get('releasedAt')).__name__ for s in sets]}")
    by = {s.get("id"): s for s in sets}
    eq("1004 releasedAt", by.get("1004", {}).get("releasedAt"), datetime.datetime(2025, 6, 16, tzinfo=UTC))
    check("1004 has no supportedUntil", "supportedUntil" not in by.get("1004", {}))
    eq("1003 supportedUntil parsed as datetime", by.get("1003", {}).get("supportedUntil"), datetime.datetime(2099, 12, 31, tzinfo=UTC))
    eq("1001 version", by.get("1001", {}).get("version"), "2024.04.1")
    eq("all NOT_VALIDATED initially", sorted({s.get("validationStatus") for s in sets}), ["NOT_VALIDATED"])

    pages = list(tcA.get_paginator("list_software_sets").paginate(PaginationConfig={"PageSize": 1}))
    eq("list_software_sets paginator PageSize 1: 4 pages", [len(p["softwareSets"]) for p in pages], [1, 1, 1, 1])
    eq("paginator keeps newest-first order", [s["id"] for p in pages for s in p["softwareSets"]], ["1004", "1003", "1002", "1001"])
    pages = list(tcA.get_paginator("list_software_sets").paginate(PaginationConfig={"PageSize": 3}))
    eq("list_software_sets paginator PageSize 3: pages of 3, 1", [len(p["softwareSets"]) for p in pages], [3, 1])
    check("last page has no nextToken", "nextToken" not in pages[-1], f"got {pages[-1].get('nextToken')!r}")
    limited = list(tcA.get_paginator("list_software_sets").paginate(PaginationConfig={"PageSize": 1, "MaxItems": 2}))
    eq("paginator MaxItems 2 stops after 2", [s["id"] for p in limited for s in p["softwareSets"]], ["1004", "1003"])
    e = expect_error("ListSoftwareSets maxResults 51 -> ValidationException",
                     lambda: tcA.list_software_sets(maxResults=51), "ValidationException", 400)
    if e is not None:
        eq("ValidationException reason fieldValidationFailed", e.response.get("reason"), "fieldValidationFailed")
        check("ValidationException fieldList names maxResults",
              any(f.get("name") == "maxResults" for f in e.response.get("fieldList") or []), f"got {e.response.get('fieldList')!r}")
    expect_error("ListSoftwareSets garbled nextToken -> ValidationException",
                 lambda: tcA.list_software_sets(nextToken="garbage"), "ValidationException", 400)

    s = ok("GetSoftwareSet 1003", lambda: tcA.get_software_set(id="1003"))
    s = (s or {}).get("softwareSet", {})
    eq("GetSoftwareSet version", s.get("version"), "2025.01.1")
    eq("GetSoftwareSet arn in caller's account", s.get("arn"), f"arn:aws:thinclient:{REGION}:{ACCT_A}:softwareset/1003")
    check("GetSoftwareSet software has 3 components with name and version",
          len(s.get("software", [])) == 3 and all(c.get("name") and c.get("version") for c in s.get("software", [])),
          f"got {s.get('software')!r}")
    eq("GetSoftwareSet releasedAt datetime", s.get("releasedAt"), datetime.datetime(2025, 1, 15, tzinfo=UTC))
    eq("GetSoftwareSet validationStatus", s.get("validationStatus"), "NOT_VALIDATED")
    e = expect_error("GetSoftwareSet 999999999 -> ResourceNotFoundException 404",
                     lambda: tcA.get_software_set(id="999999999"), "ResourceNotFoundException", 404)
    if e is not None:
        eq("ResourceNotFoundException resourceId", e.response.get("resourceId"), "999999999")
        eq("ResourceNotFoundException resourceType", e.response.get("resourceType"), "softwareset")
    expect_error("GetSoftwareSet 'abc' (no digits) -> ValidationException",
                 lambda: tcA.get_software_set(id="abc"), "ValidationException", 400)

    out = ok("UpdateSoftwareSet 1003 VALIDATED", lambda: tcA.update_software_set(id="1003", validationStatus="VALIDATED"))
    if out is not None:
        eq("UpdateSoftwareSet answers 204", out["ResponseMetadata"]["HTTPStatusCode"], 204)
    eq("GetSoftwareSet shows VALIDATED", tcA.get_software_set(id="1003")["softwareSet"].get("validationStatus"), "VALIDATED")
    eq("ListSoftwareSets shows VALIDATED for 1003 only",
       {x["id"]: x["validationStatus"] for x in tcA.list_software_sets()["softwareSets"]},
       {"1004": "NOT_VALIDATED", "1003": "VALIDATED", "1002": "NOT_VALIDATED", "1001": "NOT_VALIDATED"})
    ok("UpdateSoftwareSet same value again", lambda: tcA.update_software_set(id="1003", validationStatus="VALIDATED"))
    eq("B: validation mark is per account", tcB.get_software_set(id="1003")["softwareSet"].get("validationStatus"), "NOT_VALIDATED")
    eq("B: arn in B's account", tcB.get_software_set(id="1003")["softwareSet"].get("arn"),
       f"arn:aws:thinclient:{REGION}:{ACCT_B}:softwareset/1003")
    s2 = tcA2.get_software_set(id="1003")["softwareSet"]
    eq(f"A@{REGION2}: validation mark is per region", s2.get("validationStatus"), "NOT_VALIDATED")
    eq(f"A@{REGION2}: arn in {REGION2}", s2.get("arn"), f"arn:aws:thinclient:{REGION2}:{ACCT_A}:softwareset/1003")
    expect_error("UpdateSoftwareSet 999999999 -> ResourceNotFoundException 404",
                 lambda: tcA.update_software_set(id="999999999", validationStatus="VALIDATED"), "ResourceNotFoundException", 404)
    expect_error("UpdateSoftwareSet bad validationStatus -> ValidationException",
                 lambda: tcA.update_software_set(id="1003", validationStatus="MAYBE"), "ValidationException", 400)
    ok("UpdateSoftwareSet back to NOT_VALIDATED", lambda: tcA.update_software_set(id="1003", validationStatus="NOT_VALIDATED"))
    eq("GetSoftwareSet shows NOT_VALIDATED again", tcA.get_software_set(id="1003")["softwareSet"].get("validationStatus"), "NOT_VALIDATED")


# --------------------------------------------------------------------------
# Thin Client environments, devices, tags, idempotency, quotas
# (behaviour reference: thinclient spec §1, §5-§10, Appendix A; adapted to
# the zero-delay server, with the DEREGISTERING state observed on the
# manual-clock server).

ENV_ID_RE = re.compile(r"^[a-z0-9]{9}$")
DEVICE_ID_RE = re.compile(r"^[a-zA-Z0-9]{24}$")
ACTIVATION_RE = re.compile(r"^[a-z]{2}[a-z0-9]{6}$")
TC_CLEANUP_ENVS = []  # (client, environment id)
TC_CLEANUP_DEVICES = []  # (client, device id)


def rand_account():
    """A fresh 12-digit account per use, so counts and pages are exact on re-runs."""
    return "9" + "".join(random.choice(string.digits) for _ in range(11))


def desk(account, region=REGION):
    return f"arn:aws:workspaces:{region}:{account}:directory/d-9067a1b2c3"


def fresh_token(label):
    return f"{label}-{RUN}-{random.randrange(10 ** 9)}"


def status_of(out):
    return (out or {}).get("ResponseMetadata", {}).get("HTTPStatusCode")


def tc_client(account, region=REGION, endpoint=None):
    c = client("workspaces-thin-client", account, region, endpoint)
    c.wsl_account = account  # the caller's account, for ARNs and desktop ARNs
    return c


def local_call(path, body=None, endpoint=None):
    """POST to an emulator-only /_local endpoint (unsigned JSON); returns
    (HTTP status, parsed JSON body or raw bytes)."""
    url = (endpoint or ENDPOINT).rstrip("/") + path
    data = b"" if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, (json.loads(raw) if raw else None)
    except ValueError:
        return status, raw


def register_device(code, endpoint=None, **members):
    body = {"activationCode": code}
    body.update(members)
    return local_call("/_local/thinclient/devices", body, endpoint)


def checkin(device_id, endpoint=None, **members):
    return local_call(f"/_local/thinclient/devices/{device_id}/checkin", members, endpoint)


def new_env(tc, label, **kw):
    """CreateEnvironment with an explicit clientToken; registers it for cleanup.
    Returns the environment summary or None (failure counted)."""
    kw.setdefault("desktopArn", desk(tc.wsl_account, tc.meta.region_name))
    kw.setdefault("clientToken", fresh_token(label))
    out = ok(label, lambda: tc.create_environment(**kw))
    if not out:
        return None
    env = out["environment"]
    TC_CLEANUP_ENVS.append((tc, env["id"]))
    return env


def new_device(name, code, endpoint=None, tc=None, **members):
    """Registers a simulated device; returns the device object or None."""
    st, dev = register_device(code, endpoint, **members)
    if not check(name, st == 201 and isinstance(dev, dict) and dev.get("id"), f"HTTP {st}: {dev!r}"):
        return None
    if tc is not None:
        TC_CLEANUP_DEVICES.append((tc, dev["id"]))
    return dev


def all_env_ids(tc, page_size=50):
    return [e["id"] for p in tc.get_paginator("list_environments").paginate(PaginationConfig={"PageSize": page_size})
            for e in p["environments"]]


def all_device_ids(tc, page_size=50):
    return [d["id"] for p in tc.get_paginator("list_devices").paginate(PaginationConfig={"PageSize": page_size})
            for d in p["devices"]]


def field_names(e):
    return [f.get("name") for f in (e.response.get("fieldList") or [])] if e is not None else []


def tc_cleanup():
    for tc, did in TC_CLEANUP_DEVICES:
        safe(lambda: tc.deregister_device(id=did))
        safe(lambda: tc.delete_device(id=did))
    for tc, eid in TC_CLEANUP_ENVS:
        safe(lambda: tc.delete_environment(id=eid))


ENV_SUMMARY_KEYS = {"id", "name", "desktopArn", "desktopEndpoint", "desktopType", "activationCode",
                    "softwareSetUpdateSchedule", "maintenanceWindow", "softwareSetUpdateMode",
                    "desiredSoftwareSetId", "pendingSoftwareSetId", "createdAt", "updatedAt", "arn"}
DEVICE_SUMMARY_KEYS = {"id", "serialNumber", "name", "model", "environmentId", "status", "currentSoftwareSetId",
                       "desiredSoftwareSetId", "pendingSoftwareSetId", "softwareSetUpdateSchedule", "lastConnectedAt",
                       "lastPostureAt", "createdAt", "updatedAt", "arn", "lastUserId"}


def tc_scenario_a1():
    acct = rand_account()
    tc, tcb = tc_client(acct), tc_client(rand_account())
    D = desk(acct)
    t1 = fresh_token("t1")
    # 1. create
    out = ok("A.1.1 CreateEnvironment lobby", lambda: tc.create_environment(name="lobby", desktopArn=D, tags={"team": "it"}, clientToken=t1))
    if not out:
        return
    env = out["environment"]
    eid = env.get("id", "")
    TC_CLEANUP_ENVS.append((tc, eid))
    eq("A.1.1 CreateEnvironment answers HTTP 201", status_of(out), 201)
    check("A.1.1 id is 9 characters [a-z0-9]", ENV_ID_RE.match(eid), f"got {eid!r}")
    check("A.1.1 activationCode is [a-z]{2}[a-z0-9]{6}", ACTIVATION_RE.match(env.get("activationCode", "")), f"got {env.get('activationCode')!r}")
    eq("A.1.1 stored defaults and identity",
       {k: env.get(k) for k in ("name", "desktopArn", "desktopType", "softwareSetUpdateSchedule", "maintenanceWindow", "softwareSetUpdateMode", "arn")},
       {"name": "lobby", "desktopArn": D, "desktopType": "workspaces", "softwareSetUpdateSchedule": "USE_MAINTENANCE_WINDOW",
        "maintenanceWindow": {"type": "SYSTEM"}, "softwareSetUpdateMode": "USE_LATEST",
        "arn": f"arn:aws:thinclient:{REGION}:{acct}:environment/{eid}"})
    check("A.1.1 createdAt/updatedAt are equal timezone-aware datetimes",
          isinstance(env.get("createdAt"), datetime.datetime) and env["createdAt"].tzinfo is not None and env.get("createdAt") == env.get("updatedAt"),
          f"got {env.get('createdAt')!r} / {env.get('updatedAt')!r}")
    check("A.1.1 summary has only EnvironmentSummary members, no pendingSoftwareSetId (no devices)",
          set(env) <= ENV_SUMMARY_KEYS and "pendingSoftwareSetId" not in env, f"got keys {sorted(env)}")
    # 2. idempotency
    again = ok("A.1.2 same call, same clientToken", lambda: tc.create_environment(name="lobby", desktopArn=D, tags={"team": "it"}, clientToken=t1))
    if again:
        eq("A.1.2 replay answers HTTP 201", status_of(again), 201)
        eq("A.1.2 replay returns the identical environment", again["environment"], env)
    eq("A.1.2 still one environment in ListEnvironments", all_env_ids(tc), [eid])
    expect_error("A.1.2 same clientToken with name 'hall' -> ConflictException 409",
                 lambda: tc.create_environment(name="hall", desktopArn=D, tags={"team": "it"}, clientToken=t1),
                 "ConflictException", 409, resourceId=eid)
    # 3. get
    g = (ok("A.1.3 GetEnvironment", lambda: tc.get_environment(id=eid)) or {}).get("environment", {})
    eq("A.1.3 GetEnvironment = summary + registeredDevicesCount 0 + NO_REGISTERED_DEVICES",
       g, dict(env, registeredDevicesCount=0, softwareSetComplianceStatus="NO_REGISTERED_DEVICES"))
    # 4. invalid requests
    e = expect_error("A.1.4 desktopArn arn:aws:s3:::not-a-desktop-bucket -> ValidationException 400",
                     lambda: tc.create_environment(desktopArn="arn:aws:s3:::not-a-desktop-bucket"), "ValidationException", 400,
                     reason="fieldValidationFailed")
    check("A.1.4 fieldList names desktopArn", "desktopArn" in field_names(e), f"got {field_names(e)!r}")
    e = expect_error("A.1.4 CUSTOM window without endTimeHour -> ValidationException 400",
                     lambda: tc.create_environment(desktopArn=D, maintenanceWindow={"type": "CUSTOM", "startTimeHour": 1}),
                     "ValidationException", 400)
    check("A.1.4 fieldList names maintenanceWindow.endTimeHour", "maintenanceWindow.endTimeHour" in field_names(e), f"got {field_names(e)!r}")
    expect_error("A.1.4 softwareSetUpdateMode USE_DESIRED alone -> ValidationException 400 (reason other)",
                 lambda: tc.create_environment(desktopArn=D, softwareSetUpdateMode="USE_DESIRED"), "ValidationException", 400, reason="other")
    expect_error("A.1.4 desiredSoftwareSetId 999999999 -> ResourceNotFoundException 404",
                 lambda: tc.create_environment(desktopArn=D, desiredSoftwareSetId="999999999"), "ResourceNotFoundException", 404,
                 resourceId="999999999", resourceType="softwareset")
    e = expect_error("A.1.4 ListEnvironments maxResults 51 -> ValidationException 400",
                     lambda: tc.list_environments(maxResults=51), "ValidationException", 400, reason="fieldValidationFailed")
    check("A.1.4 fieldList names maxResults", "maxResults" in field_names(e), f"got {field_names(e)!r}")
    expect_error("A.1.4 GetEnvironment zzzzzzzzz -> ResourceNotFoundException 404",
                 lambda: tc.get_environment(id="zzzzzzzzz"), "ResourceNotFoundException", 404, resourceId="zzzzzzzzz", resourceType="environment")
    expect_error("A.1.4 B: GetEnvironment of A's id -> ResourceNotFoundException 404",
                 lambda: tcb.get_environment(id=eid), "ResourceNotFoundException", 404, resourceId=eid, resourceType="environment")
    eq("A.1.4 rejected creates created nothing", all_env_ids(tc), [eid])
    # 5. update name and window
    time.sleep(0.01)
    win = {"type": "CUSTOM", "startTimeHour": 1, "startTimeMinute": 0, "endTimeHour": 5, "endTimeMinute": 0,
           "daysOfTheWeek": ["SATURDAY"], "applyTimeOf": "UTC"}
    out = ok("A.1.5 UpdateEnvironment name and CUSTOM window", lambda: tc.update_environment(id=eid, name="front desk", maintenanceWindow=win))
    if out:
        u = out["environment"]
        eq("A.1.5 UpdateEnvironment answers HTTP 200", status_of(out), 200)
        eq("A.1.5 new name and window", (u.get("name"), u.get("maintenanceWindow")), ("front desk", win))
        check("A.1.5 updatedAt advanced, createdAt kept", u.get("updatedAt") and u["updatedAt"] > env["updatedAt"] and u.get("createdAt") == env["createdAt"],
              f"createdAt {u.get('createdAt')!r}, updatedAt {u.get('updatedAt')!r} (was {env['updatedAt']!r})")
        check("A.1.5 UpdateEnvironment returns a summary", set(u) <= ENV_SUMMARY_KEYS, f"got keys {sorted(u)}")
    # 6. software set mode
    out = ok("A.1.6 UpdateEnvironment USE_DESIRED 1003", lambda: tc.update_environment(id=eid, softwareSetUpdateMode="USE_DESIRED", desiredSoftwareSetId="1003"))
    if out:
        eq("A.1.6 mode and desired set", (out["environment"].get("softwareSetUpdateMode"), out["environment"].get("desiredSoftwareSetId")), ("USE_DESIRED", "1003"))
    expect_error("A.1.6 desiredSoftwareSetId '' alone -> ValidationException 400",
                 lambda: tc.update_environment(id=eid, desiredSoftwareSetId=""), "ValidationException", 400)
    out = ok("A.1.6 UpdateEnvironment USE_LATEST", lambda: tc.update_environment(id=eid, softwareSetUpdateMode="USE_LATEST"))
    if out:
        check("A.1.6 USE_LATEST clears the desired set",
              out["environment"].get("softwareSetUpdateMode") == "USE_LATEST" and "desiredSoftwareSetId" not in out["environment"], f"got {out['environment']!r}")
    g = tc.get_environment(id=eid)["environment"]
    eq("A.1.6 GetEnvironment after updates", (g.get("name"), g.get("maintenanceWindow"), g.get("softwareSetUpdateMode"), g.get("desiredSoftwareSetId")),
       ("front desk", win, "USE_LATEST", None))
    # 7. tags
    arn = env.get("arn", "")
    out = ok("A.1.7 TagResource env {'env': 'prod'}", lambda: tc.tag_resource(resourceArn=arn, tags={"env": "prod"}))
    if out is not None:
        eq("A.1.7 TagResource answers HTTP 200 with no members", (status_of(out), strip_meta(out)), (200, {}))
    eq("A.1.7 ListTagsForResource shows creation and added tags", tc.list_tags_for_resource(resourceArn=arn).get("tags"), {"team": "it", "env": "prod"})
    out = ok("A.1.7 UntagResource team", lambda: tc.untag_resource(resourceArn=arn, tagKeys=["team"]))
    if out is not None:
        eq("A.1.7 UntagResource answers HTTP 200", status_of(out), 200)
    eq("A.1.7 ListTagsForResource after untag", tc.list_tags_for_resource(resourceArn=arn).get("tags"), {"env": "prod"})
    missing_arn = f"arn:aws:thinclient:{REGION}:{acct}:environment/zzzzzzzzz"
    expect_error("A.1.7 TagResource on environment/zzzzzzzzz -> ResourceNotFoundException 404",
                 lambda: tc.tag_resource(resourceArn=missing_arn, tags={"a": "b"}), "ResourceNotFoundException", 404, resourceId=missing_arn)
    # 8. pagination over 13 environments
    more = []
    for i in range(12):
        x = new_env(tc, f"A.1.8 CreateEnvironment extra {i}", name=f"extra-{i}")
        if x:
            more.append(x["id"])
    pages = list(tc.get_paginator("list_environments").paginate(PaginationConfig={"PageSize": 5}))
    eq("A.1.8 list_environments paginator PageSize 5: pages of 5, 5, 3", [len(p["environments"]) for p in pages], [5, 5, 3])
    eq("A.1.8 paginator: all 13, creation order, no duplicates", [x["id"] for p in pages for x in p["environments"]], [eid] + more)
    check("A.1.8 nextToken on every page but the last", all(p.get("nextToken") for p in pages[:-1]) and "nextToken" not in pages[-1],
          f"tokens {[p.get('nextToken') for p in pages]!r}")
    check("A.1.8 list items are EnvironmentSummary (no registeredDevicesCount)",
          all(set(x) <= ENV_SUMMARY_KEYS for p in pages for x in p["environments"]))
    first = tc.list_environments(maxResults=5)
    if first.get("nextToken"):
        second = tc.list_environments(maxResults=5, nextToken=first["nextToken"])
        eq("A.1.8 manual nextToken paging continues after the first page", [x["id"] for x in second["environments"]], more[4:9])
    limited = tc.get_paginator("list_environments").paginate(PaginationConfig={"PageSize": 5, "MaxItems": 7}).build_full_result()
    eq("A.1.8 paginator MaxItems 7", [x["id"] for x in limited.get("environments", [])], ([eid] + more)[:7])
    if limited.get("NextToken"):
        rest = tc.get_paginator("list_environments").paginate(
            PaginationConfig={"PageSize": 5, "StartingToken": limited["NextToken"]}).build_full_result()
        eq("A.1.8 paginator StartingToken resumes after item 7", [x["id"] for x in rest.get("environments", [])], ([eid] + more)[7:])
    else:
        check("A.1.8 paginator MaxItems 7 returns a NextToken", False)
    e = expect_error("A.1.8 garbled nextToken -> ValidationException 400",
                     lambda: tc.list_environments(nextToken="garbage-token"), "ValidationException", 400)
    check("A.1.8 fieldList names nextToken", "nextToken" in field_names(e), f"got {field_names(e)!r}")
    # 9. delete with and without devices
    code = env.get("activationCode", "")
    dev = new_device("A.1.9 register a device with the environment's code", code, tc=tc)
    expect_error("A.1.9 DeleteEnvironment with a REGISTERED device -> ConflictException 409",
                 lambda: tc.delete_environment(id=eid), "ConflictException", 409, resourceId=eid, resourceType="environment")
    if dev:
        out = ok("A.1.9 DeregisterDevice", lambda: tc.deregister_device(id=dev["id"]))
        eq("A.1.9 DeregisterDevice answers HTTP 202", status_of(out), 202)
    out = ok("A.1.9 DeleteEnvironment once the device is deregistered", lambda: tc.delete_environment(id=eid))
    if out is not None:
        eq("A.1.9 DeleteEnvironment answers HTTP 204 with no members", (status_of(out), strip_meta(out)), (204, {}))
    expect_error("A.1.9 GetEnvironment after delete -> ResourceNotFoundException 404",
                 lambda: tc.get_environment(id=eid), "ResourceNotFoundException", 404)
    st, body = register_device(code)
    eq("A.1.9 registering with the old code -> 404", st, 404)
    expect_error("A.1.9 ListTagsForResource of the deleted environment -> ResourceNotFoundException 404",
                 lambda: tc.list_tags_for_resource(resourceArn=arn), "ResourceNotFoundException", 404)
    if dev:
        d = tc.get_device(id=dev["id"])["device"]
        eq("A.1.9 deregistered device stays, keeping environmentId", (d.get("status"), d.get("environmentId")), ("DEREGISTERED", eid))
        out = ok("A.1.9 DeleteDevice", lambda: tc.delete_device(id=dev["id"]))
        eq("A.1.9 DeleteDevice answers HTTP 204", status_of(out), 204)
    for x in more:
        safe(lambda: tc.delete_environment(id=x))
    eq("A.1 cleanup: account has no environments", all_env_ids(tc), [])


def tc_scenario_a2():
    acct = rand_account()
    tc, tcb = tc_client(acct), tc_client(rand_account())
    env = new_env(tc, "A.2.1 CreateEnvironment APPLY_IMMEDIATELY / USE_DESIRED 1003 / deviceCreationTags",
                  softwareSetUpdateSchedule="APPLY_IMMEDIATELY", softwareSetUpdateMode="USE_DESIRED",
                  desiredSoftwareSetId="1003", deviceCreationTags={"site": "hq"})
    if not env:
        return
    eid, code = env["id"], env.get("activationCode", "")
    check("A.2.1 CreateEnvironment output has no deviceCreationTags", "deviceCreationTags" not in env)
    eq("A.2.1 GetEnvironment shows deviceCreationTags", tc.get_environment(id=eid)["environment"].get("deviceCreationTags"), {"site": "hq"})
    serial = f"SN-{RUN}-0001"
    dev = new_device("A.2.2 register SN-0001 running 1002", code, tc=tc, serialNumber=serial, model="TC-1", currentSoftwareSetId="1002")
    if not dev:
        return
    did = dev["id"]
    check("A.2.2 device id is 24 [a-zA-Z0-9]", DEVICE_ID_RE.match(did), f"got {did!r}")
    want = {"serialNumber": serial, "model": "TC-1", "environmentId": eid, "status": "REGISTERED",
            "currentSoftwareSetId": "1002", "currentSoftwareSetVersion": "2024.07.1", "desiredSoftwareSetId": "1003",
            "pendingSoftwareSetId": "1003", "pendingSoftwareSetVersion": "2025.01.1",
            "softwareSetUpdateSchedule": "APPLY_IMMEDIATELY", "softwareSetComplianceStatus": "NOT_COMPLIANT",
            "softwareSetUpdateStatus": "AVAILABLE", "arn": f"arn:aws:thinclient:{REGION}:{acct}:device/{did}"}
    eq("A.2.2 registration returns the device (unwrapped)", {k: dev.get(k) for k in want}, want)
    check("A.2.2 numeric createdAt/updatedAt/lastPostureAt; no lastConnectedAt/lastUserId yet",
          all(isinstance(dev.get(k), (int, float)) for k in ("createdAt", "updatedAt", "lastPostureAt"))
          and "lastConnectedAt" not in dev and "lastUserId" not in dev, f"got {dev!r}")
    st, _ = register_device("zz000000")
    eq("A.2.2 unknown activation code -> 404", st, 404)
    st, _ = register_device(code, serialNumber=serial)
    eq("A.2.2 same serial again -> 409", st, 409)
    st, _ = register_device(code, serialNumber=f"SN-{RUN}-badset", currentSoftwareSetId="999999")
    eq("A.2.2 unknown currentSoftwareSetId -> 400", st, 400)
    st, _ = local_call("/_local/thinclient/devices", {"serialNumber": "x"})
    eq("A.2.2 registration without activationCode -> 400", st, 400)
    st, _ = checkin("Q" * 24)
    eq("A.2.2 check-in of an unknown device -> 404", st, 404)
    # 3
    gd = (ok("A.2.2 GetDevice", lambda: tc.get_device(id=did)) or {}).get("device", {})
    eq("A.2.2 GetDevice matches the registration output",
       {k: (round(v.timestamp(), 3) if isinstance(v, datetime.datetime) else v) for k, v in gd.items()},
       {k: (round(v, 3) if k.endswith("At") else v) for k, v in dev.items()})
    g = tc.get_environment(id=eid)["environment"]
    eq("A.2.3 GetEnvironment count 1, pending 1003, NOT_COMPLIANT",
       (g.get("registeredDevicesCount"), g.get("pendingSoftwareSetId"), g.get("pendingSoftwareSetVersion"), g.get("softwareSetComplianceStatus")),
       (1, "1003", "2025.01.1", "NOT_COMPLIANT"))
    lst = ok("A.2.3 ListDevices", lambda: tc.list_devices())
    if lst:
        eq("A.2.3 ListDevices contains the device", [x["id"] for x in lst["devices"]], [did])
        check("A.2.3 ListDevices items are DeviceSummary", all(set(x) <= DEVICE_SUMMARY_KEYS for x in lst["devices"]),
              f"got keys {[sorted(x) for x in lst['devices']]}")
    out = tcb.list_devices()
    check("A.2.3 B: ListDevices -> devices [] (present, empty)", "devices" in out and out["devices"] == [], f"got {strip_meta(out)!r}")
    eq("A.2.3 device tags copied from deviceCreationTags", tc.list_tags_for_resource(resourceArn=dev["arn"]).get("tags"), {"site": "hq"})
    # 4. check-in
    st, ck = checkin(did, userId="alice")
    eq("A.2.4 check-in with a user session -> 200", st, 200)
    ck = ck if isinstance(ck, dict) else {}
    eq("A.2.4 set 1003 installed, UP_TO_DATE, COMPLIANT, lastUserId alice",
       (ck.get("currentSoftwareSetId"), ck.get("pendingSoftwareSetId"), ck.get("softwareSetUpdateStatus"),
        ck.get("softwareSetComplianceStatus"), ck.get("lastUserId"), isinstance(ck.get("lastConnectedAt"), (int, float))),
       ("1003", None, "UP_TO_DATE", "COMPLIANT", "alice", True))
    gd = tc.get_device(id=did)["device"]
    check("A.2.4 GetDevice lastConnectedAt parsed as datetime, lastUserId alice",
          isinstance(gd.get("lastConnectedAt"), datetime.datetime) and gd.get("lastUserId") == "alice", f"got {gd!r}")
    g = tc.get_environment(id=eid)["environment"]
    check("A.2.4 environment COMPLIANT with no pending set",
          g.get("softwareSetComplianceStatus") == "COMPLIANT" and "pendingSoftwareSetId" not in g, f"got {g!r}")
    # 5. update
    out = ok("A.2.5 UpdateDevice name kiosk-1", lambda: tc.update_device(id=did, name="kiosk-1"))
    if out:
        eq("A.2.5 UpdateDevice answers 200 with the new name", (status_of(out), out["device"].get("name")), (200, "kiosk-1"))
        check("A.2.5 UpdateDevice returns a DeviceSummary", set(out["device"]) <= DEVICE_SUMMARY_KEYS, f"got keys {sorted(out['device'])}")
    out = ok("A.2.5 UpdateDevice desired 1004 override and schedule override",
             lambda: tc.update_device(id=did, desiredSoftwareSetId="1004", softwareSetUpdateSchedule="USE_MAINTENANCE_WINDOW"))
    if out:
        eq("A.2.5 device override wins over the environment",
           (out["device"].get("desiredSoftwareSetId"), out["device"].get("pendingSoftwareSetId"), out["device"].get("softwareSetUpdateSchedule")),
           ("1004", "1004", "USE_MAINTENANCE_WINDOW"))
    expect_error("A.2.5 UpdateDevice desired 999999999 -> ResourceNotFoundException 404",
                 lambda: tc.update_device(id=did, desiredSoftwareSetId="999999999"), "ResourceNotFoundException", 404, resourceType="softwareset")
    expect_error("A.2.5 UpdateDevice desired 1001 (expired) -> ValidationException 400",
                 lambda: tc.update_device(id=did, desiredSoftwareSetId="1001"), "ValidationException", 400)
    st, ck = checkin(did, install="now")
    eq("A.2.5 check-in install now -> 1004", (st, (ck or {}).get("currentSoftwareSetId") if isinstance(ck, dict) else ck), (200, "1004"))
    # 6-8
    expect_error("A.2.6 DeleteDevice while REGISTERED -> ConflictException 409",
                 lambda: tc.delete_device(id=did), "ConflictException", 409, resourceId=did, resourceType="device")
    out = ok("A.2.7 DeregisterDevice targetDeviceStatus ARCHIVED", lambda: tc.deregister_device(id=did, targetDeviceStatus="ARCHIVED"))
    if out is not None:
        eq("A.2.7 DeregisterDevice answers HTTP 202 with no members", (status_of(out), strip_meta(out)), (202, {}))
    gd = tc.get_device(id=did)["device"]
    eq("A.2.7 device ARCHIVED at the next read (zero delays); no pending set or update status",
       (gd.get("status"), gd.get("pendingSoftwareSetId"), gd.get("pendingSoftwareSetVersion"), gd.get("softwareSetUpdateStatus")),
       ("ARCHIVED", None, None, None))
    eq("A.2.7 ARCHIVED device softwareSetComplianceStatus NONE", gd.get("softwareSetComplianceStatus"), "NONE")
    g = tc.get_environment(id=eid)["environment"]
    eq("A.2.7 environment count 0, NO_REGISTERED_DEVICES", (g.get("registeredDevicesCount"), g.get("softwareSetComplianceStatus")), (0, "NO_REGISTERED_DEVICES"))
    expect_error("A.2.7 DeregisterDevice again -> ConflictException 409",
                 lambda: tc.deregister_device(id=did), "ConflictException", 409, resourceId=did)
    st, _ = checkin(did)
    eq("A.2.7 check-in of an ARCHIVED device -> 409", st, 409)
    eq("A.2.7 ListDevices still lists the ARCHIVED device", [(x["id"], x["status"]) for x in tc.list_devices()["devices"]], [(did, "ARCHIVED")])
    d1 = fresh_token("d1")
    out = ok("A.2.8 DeleteDevice clientToken d1", lambda: tc.delete_device(id=did, clientToken=d1))
    if out is not None:
        eq("A.2.8 DeleteDevice answers HTTP 204", status_of(out), 204)
    expect_error("A.2.8 GetDevice after delete -> ResourceNotFoundException 404",
                 lambda: tc.get_device(id=did), "ResourceNotFoundException", 404, resourceId=did, resourceType="device")
    out = ok("A.2.8 DeleteDevice replay with d1 -> 204", lambda: tc.delete_device(id=did, clientToken=d1))
    if out is not None:
        eq("A.2.8 replay answers HTTP 204", status_of(out), 204)
    expect_error("A.2.8 DeleteDevice with a new token -> ResourceNotFoundException 404",
                 lambda: tc.delete_device(id=did, clientToken=fresh_token("d2")), "ResourceNotFoundException", 404)
    expect_error("A.2.8 ListTagsForResource of the deleted device -> ResourceNotFoundException 404",
                 lambda: tc.list_tags_for_resource(resourceArn=dev["arn"]), "ResourceNotFoundException", 404)
    ok("A.2 cleanup: DeleteEnvironment", lambda: tc.delete_environment(id=eid))


def tc_idempotency():
    acct = rand_account()
    tc = tc_client(acct)
    D = desk(acct)
    tok = fresh_token("idem")
    a = ok("CreateEnvironment with an explicit ClientToken", lambda: tc.create_environment(desktopArn=D, name="idem", clientToken=tok))
    b = ok("CreateEnvironment same ClientToken, same parameters", lambda: tc.create_environment(desktopArn=D, name="idem", clientToken=tok))
    if not (a and b):
        return
    eid = a["environment"]["id"]
    TC_CLEANUP_ENVS.append((tc, eid))
    eq("same token twice -> same environment, byte-identical replay", b["environment"], a["environment"])
    eq("same token twice -> one environment", all_env_ids(tc), [eid])
    expect_error("same token, other desktopArn -> ConflictException 409",
                 lambda: tc.create_environment(desktopArn=desk(acct).replace("d-9067a1b2c3", "d-0000000001"), name="idem", clientToken=tok),
                 "ConflictException", 409, resourceId=eid)
    expect_error("same token, extra member (explicit default) -> ConflictException 409",
                 lambda: tc.create_environment(desktopArn=D, name="idem", softwareSetUpdateMode="USE_LATEST", clientToken=tok),
                 "ConflictException", 409)
    ok("same token, same tags in another key order -> replay",
       lambda: tc.create_environment(desktopArn=D, name="idem2", tags={"a": "1", "b": "2"}, clientToken=tok + "-tags"))
    out = ok("same token, same tags in another key order (second call)",
             lambda: tc.create_environment(desktopArn=D, name="idem2", tags={"b": "2", "a": "1"}, clientToken=tok + "-tags"))
    ids = all_env_ids(tc)
    eq("map key order does not make parameters differ", len(ids), 2)
    if out:
        TC_CLEANUP_ENVS.append((tc, out["environment"]["id"]))
    # token scope is per account
    acct2 = rand_account()
    tc2 = tc_client(acct2)
    c = ok("B: same token in another account creates its own environment",
           lambda: tc2.create_environment(desktopArn=desk(acct2), name="idem", clientToken=tok))
    if c:
        TC_CLEANUP_ENVS.append((tc2, c["environment"]["id"]))
        check("B's environment has another id", c["environment"]["id"] != eid)
    # failed requests are not recorded
    bad = fresh_token("bad")
    expect_error("invalid CreateEnvironment with token X -> ValidationException",
                 lambda: tc.create_environment(desktopArn="arn:aws:s3:::bucket-x", clientToken=bad), "ValidationException", 400)
    out = ok("valid CreateEnvironment reusing token X after the failure -> 201",
             lambda: tc.create_environment(desktopArn=D, name="after-failure", clientToken=bad))
    if out:
        TC_CLEANUP_ENVS.append((tc, out["environment"]["id"]))
        eq("it re-executed (HTTP 201, name after-failure)", (status_of(out), out["environment"].get("name")), (201, "after-failure"))
    # boto3 auto-fills a fresh token per call
    x = ok("CreateEnvironment without ClientToken (boto3 auto-fills)", lambda: tc.create_environment(desktopArn=D, name="auto"))
    y = ok("CreateEnvironment without ClientToken again", lambda: tc.create_environment(desktopArn=D, name="auto"))
    if x and y:
        TC_CLEANUP_ENVS.extend([(tc, x["environment"]["id"]), (tc, y["environment"]["id"])])
        check("auto-filled tokens -> two environments", x["environment"]["id"] != y["environment"]["id"])
    # DeleteEnvironment
    z = fresh_token("del")
    out = ok("DeleteEnvironment with token Z", lambda: tc.delete_environment(id=eid, clientToken=z))
    eq("DeleteEnvironment -> 204", status_of(out), 204)
    out = ok("DeleteEnvironment replay with token Z -> 204", lambda: tc.delete_environment(id=eid, clientToken=z))
    eq("replayed DeleteEnvironment -> 204", status_of(out), 204)
    expect_error("DeleteEnvironment with a new token -> ResourceNotFoundException 404",
                 lambda: tc.delete_environment(id=eid, clientToken=fresh_token("del2")), "ResourceNotFoundException", 404)
    if x:
        expect_error("token Z reused to delete another environment -> ConflictException 409",
                     lambda: tc.delete_environment(id=x["environment"]["id"], clientToken=z), "ConflictException", 409)
    # DeregisterDevice / DeleteDevice
    env = new_env(tc, "CreateEnvironment for device idempotency")
    if not env:
        return
    dev = new_device("register a device", env["activationCode"], tc=tc)
    if not dev:
        return
    w = fresh_token("dereg")
    out = ok("DeregisterDevice with token W", lambda: tc.deregister_device(id=dev["id"], targetDeviceStatus="DEREGISTERED", clientToken=w))
    eq("DeregisterDevice -> 202", status_of(out), 202)
    out = ok("DeregisterDevice replay with token W -> 202 (no conflict)",
             lambda: tc.deregister_device(id=dev["id"], targetDeviceStatus="DEREGISTERED", clientToken=w))
    eq("replayed DeregisterDevice -> 202", status_of(out), 202)
    expect_error("token W with targetDeviceStatus ARCHIVED -> ConflictException 409",
                 lambda: tc.deregister_device(id=dev["id"], targetDeviceStatus="ARCHIVED", clientToken=w), "ConflictException", 409)
    eq("device DEREGISTERED", tc.get_device(id=dev["id"])["device"].get("status"), "DEREGISTERED")
    expect_error("DeregisterDevice DEREGISTERED -> DEREGISTERED (new token) -> ConflictException 409",
                 lambda: tc.deregister_device(id=dev["id"], targetDeviceStatus="DEREGISTERED"), "ConflictException", 409)
    ok("DeregisterDevice DEREGISTERED -> ARCHIVED (new token)", lambda: tc.deregister_device(id=dev["id"], targetDeviceStatus="ARCHIVED"))
    eq("device ARCHIVED at once", tc.get_device(id=dev["id"])["device"].get("status"), "ARCHIVED")
    v = fresh_token("deldev")
    ok("DeleteDevice with token V", lambda: tc.delete_device(id=dev["id"], clientToken=v))
    out = ok("DeleteDevice replay with token V -> 204", lambda: tc.delete_device(id=dev["id"], clientToken=v))
    eq("replayed DeleteDevice -> 204", status_of(out), 204)


def tc_pagination():
    acct = rand_account()
    tc = tc_client(acct)
    env = new_env(tc, "CreateEnvironment for device paging")
    if not env:
        return
    made = []
    for i in range(5):
        # the activation code is matched case-insensitively
        code = env["activationCode"].upper() if i == 4 else env["activationCode"]
        d = new_device(f"register device {i}", code, tc=tc, serialNumber=f"PG-{RUN}-{i}")
        if d:
            made.append(d["id"])
    if made:
        ok("DeregisterDevice one of them (ListDevices lists every status)", lambda: tc.deregister_device(id=made[0]))
    pages = list(tc.get_paginator("list_devices").paginate(PaginationConfig={"PageSize": 2}))
    eq("list_devices paginator PageSize 2: pages of 2, 2, 1", [len(p["devices"]) for p in pages], [2, 2, 1])
    eq("list_devices paginator: registration order, every device once", [d["id"] for p in pages for d in p["devices"]], made)
    eq("list_devices paginator: statuses", [d["status"] for p in pages for d in p["devices"]], ["DEREGISTERED"] + ["REGISTERED"] * 4)
    check("list_devices: last page has no nextToken", "nextToken" not in pages[-1], f"got {pages[-1].get('nextToken')!r}")
    full = tc.get_paginator("list_devices").paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3}).build_full_result()
    eq("list_devices MaxItems 3", [d["id"] for d in full.get("devices", [])], made[:3])
    if full.get("NextToken"):
        rest = tc.get_paginator("list_devices").paginate(PaginationConfig={"PageSize": 2, "StartingToken": full["NextToken"]}).build_full_result()
        eq("list_devices StartingToken resumes", [d["id"] for d in rest.get("devices", [])], made[3:])
    # deletion between pages neither skips nor repeats
    p1 = tc.list_devices(maxResults=2)
    if p1.get("nextToken") and len(made) == 5:
        ok("DeleteDevice of an item already returned", lambda: tc.delete_device(id=made[0]))
        p2 = tc.list_devices(maxResults=2, nextToken=p1["nextToken"])
        eq("page after a deletion continues where it stopped", [d["id"] for d in p2["devices"]], made[2:4])
    expect_error("ListDevices maxResults 51 -> ValidationException 400",
                 lambda: tc.list_devices(maxResults=51), "ValidationException", 400, reason="fieldValidationFailed")
    expect_error("ListDevices garbled nextToken -> ValidationException 400",
                 lambda: tc.list_devices(nextToken="not-a-token"), "ValidationException", 400)
    etok = tc.list_environments(maxResults=1).get("nextToken")
    dtok = tc.list_devices(maxResults=1).get("nextToken")
    if dtok:
        expect_error("ListDevices nextToken used for ListEnvironments -> ValidationException 400",
                     lambda: tc.list_environments(nextToken=dtok), "ValidationException", 400)
        expect_error("A's ListDevices nextToken used by another account -> ValidationException 400",
                     lambda: tc_client(rand_account()).list_devices(nextToken=dtok), "ValidationException", 400)
    check("ListEnvironments of a single environment has no nextToken", etok is None, f"got {etok!r}")
    out = tc.list_environments(maxResults=1)
    eq("ListEnvironments maxResults 1 of 1", [x["id"] for x in out["environments"]], [env["id"]])


def tc_errors():
    acct = rand_account()
    tc = tc_client(acct)
    D = desk(acct)
    env = new_env(tc, "CreateEnvironment for error checks")
    if not env:
        return
    eid = env["id"]
    dev = new_device("register a device for error checks", env["activationCode"], tc=tc)
    nodev = "Z" * 24
    # 404
    for name, fn, rtype, rid in [
        ("UpdateEnvironment unknown id", lambda: tc.update_environment(id="zzzzzzzzz", name="x"), "environment", "zzzzzzzzz"),
        ("DeleteEnvironment unknown id", lambda: tc.delete_environment(id="zzzzzzzzz"), "environment", "zzzzzzzzz"),
        ("GetDevice unknown id", lambda: tc.get_device(id=nodev), "device", nodev),
        ("UpdateDevice unknown id", lambda: tc.update_device(id=nodev, name="x"), "device", nodev),
        ("DeregisterDevice unknown id", lambda: tc.deregister_device(id=nodev), "device", nodev),
        ("DeleteDevice unknown id", lambda: tc.delete_device(id=nodev), "device", nodev),
        ("GetSoftwareSet unknown id", lambda: tc.get_software_set(id="999999999"), "softwareset", "999999999"),
    ]:
        expect_error(f"{name} -> ResourceNotFoundException 404 (resourceId, resourceType)", fn, "ResourceNotFoundException", 404,
                     resourceId=rid, resourceType=rtype)
    # 400
    e = expect_error("GetEnvironment id 'ABC' -> ValidationException 400", lambda: tc.get_environment(id="ABC"), "ValidationException", 400,
                     reason="fieldValidationFailed")
    check("ValidationException fieldList entries have name and message",
          e is not None and all(f.get("name") and f.get("message") for f in e.response.get("fieldList") or [{}]),
          f"got {e.response.get('fieldList') if e is not None else None!r}")
    expect_error("GetEnvironment id '' -> ValidationException 400 (not a List)", lambda: tc.get_environment(id=""), "ValidationException", 400)
    expect_error("GetDevice id 'short' -> ValidationException 400", lambda: tc.get_device(id="short"), "ValidationException", 400)
    expect_error("DeregisterDevice targetDeviceStatus GONE -> ValidationException 400",
                 lambda: tc.deregister_device(id=nodev, targetDeviceStatus="GONE"), "ValidationException", 400)
    expect_error("CreateEnvironment desktopEndpoint with a WorkSpaces directory -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, desktopEndpoint="https://example.com"), "ValidationException", 400)
    expect_error("CreateEnvironment desktopArn in another region -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=desk(acct, REGION2)), "ValidationException", 400)
    expect_error("CreateEnvironment desktopArn of another account -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=desk(ACCT_B)), "ValidationException", 400)
    expect_error("CreateEnvironment WorkSpace ARN as desktopArn -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=f"arn:aws:workspaces:{REGION}:{acct}:workspace/ws-abc123def"), "ValidationException", 400)
    expect_error("CreateEnvironment name of 65 chars -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, name="n" * 65), "ValidationException", 400)
    expect_error("CreateEnvironment duplicate days -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, maintenanceWindow={"type": "CUSTOM", "startTimeHour": 1, "endTimeHour": 2,
                                                                                "daysOfTheWeek": ["MONDAY", "MONDAY"]}), "ValidationException", 400)
    expect_error("CreateEnvironment window start == end -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, maintenanceWindow={"type": "CUSTOM", "startTimeHour": 3, "endTimeHour": 3}),
                 "ValidationException", 400)
    expect_error("CreateEnvironment startTimeHour 24 -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, maintenanceWindow={"type": "CUSTOM", "startTimeHour": 24, "endTimeHour": 3}),
                 "ValidationException", 400)
    expect_error("CreateEnvironment USE_LATEST with a desired set -> ValidationException 400 (reason other)",
                 lambda: tc.create_environment(desktopArn=D, softwareSetUpdateMode="USE_LATEST", desiredSoftwareSetId="1003"),
                 "ValidationException", 400, reason="other")
    expect_error("CreateEnvironment desired set 1001 (expired) -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, desiredSoftwareSetId="1001"), "ValidationException", 400)
    expect_error("CreateEnvironment tag key aws:x -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, tags={"aws:x": "1"}), "ValidationException", 400)
    expect_error("CreateEnvironment deviceCreationTags value '' -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, deviceCreationTags={"k": ""}), "ValidationException", 400)
    expect_error("CreateEnvironment kmsKeyArn not a KMS key -> ValidationException 400",
                 lambda: tc.create_environment(desktopArn=D, kmsKeyArn="arn:aws:s3:::some-bucket-name"), "ValidationException", 400)
    expect_error("UpdateSoftwareSet validationStatus MAYBE -> ValidationException 400",
                 lambda: tc.update_software_set(id="1003", validationStatus="MAYBE"), "ValidationException", 400)
    eq("rejected creates created nothing", all_env_ids(tc), [eid])
    # 409
    if dev:
        expect_error("DeleteDevice of a REGISTERED device -> ConflictException 409",
                     lambda: tc.delete_device(id=dev["id"]), "ConflictException", 409, resourceId=dev["id"], resourceType="device")
        expect_error("DeleteEnvironment with a REGISTERED device -> ConflictException 409",
                     lambda: tc.delete_environment(id=eid), "ConflictException", 409, resourceId=eid, resourceType="environment")
    # headers on Thin Client errors
    e = expect_error("GetEnvironment unknown (error headers)", lambda: tc.get_environment(id="zzzzzzzzz"), "ResourceNotFoundException", 404)
    if e is not None:
        hdrs = e.response["ResponseMetadata"].get("HTTPHeaders", {})
        eq("X-Amzn-ErrorType header on a Thin Client error", hdrs.get("x-amzn-errortype", "").split(":")[0], "ResourceNotFoundException")
        check("x-amzn-RequestId header on a Thin Client error", bool(hdrs.get("x-amzn-requestid")), f"headers {hdrs!r}")
        check("error Message present", bool(e.response.get("Error", {}).get("Message")))
    # accepted variants
    out = ok("CreateEnvironment AppStream stack with desktopEndpoint and kmsKeyArn",
             lambda: tc.create_environment(desktopArn=f"arn:aws:appstream:{REGION}:{acct}:stack/lobby-stack",
                                           desktopEndpoint="https://appstream.example.com/saml",
                                           kmsKeyArn=f"arn:aws:kms:{REGION}:{acct}:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
    if out:
        a = out["environment"]
        TC_CLEANUP_ENVS.append((tc, a["id"]))
        eq("desktopType appstream, desktopEndpoint echoed", (a.get("desktopType"), a.get("desktopEndpoint")), ("appstream", "https://appstream.example.com/saml"))
        check("CreateEnvironment output has no kmsKeyArn", "kmsKeyArn" not in a)
        eq("GetEnvironment shows kmsKeyArn", tc.get_environment(id=a["id"])["environment"].get("kmsKeyArn"),
           f"arn:aws:kms:{REGION}:{acct}:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        ok("UpdateEnvironment desktopArn to a WorkSpaces directory", lambda: tc.update_environment(id=a["id"], desktopArn=D))
        g = tc.get_environment(id=a["id"])["environment"]
        eq("desktopType recomputed, desktopEndpoint dropped", (g.get("desktopType"), g.get("desktopEndpoint")), ("workspaces", None))
    out = ok("CreateEnvironment Secure Browser portal", lambda: tc.create_environment(
        desktopArn=f"arn:aws:workspaces-web:{REGION}:{acct}:portal/0123abcd-0000-1111-2222-333344445555"))
    if out:
        TC_CLEANUP_ENVS.append((tc, out["environment"]["id"]))
        eq("desktopType workspaces-web", out["environment"].get("desktopType"), "workspaces-web")
    out = ok("CreateEnvironment CUSTOM window with defaults", lambda: tc.create_environment(
        desktopArn=D, maintenanceWindow={"type": "CUSTOM", "startTimeHour": 22, "endTimeHour": 2}))
    if out:
        TC_CLEANUP_ENVS.append((tc, out["environment"]["id"]))
        eq("CUSTOM window defaults stored", out["environment"].get("maintenanceWindow"),
           {"type": "CUSTOM", "startTimeHour": 22, "startTimeMinute": 0, "endTimeHour": 2, "endTimeMinute": 0,
            "daysOfTheWeek": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], "applyTimeOf": "UTC"})
    out = ok("UpdateEnvironment with no changes still answers 200", lambda: tc.update_environment(id=eid))
    out = ok("UpdateEnvironment name '' clears the name", lambda: tc.update_environment(id=eid, name=""))
    if out:
        check("name omitted after clearing", "name" not in out["environment"], f"got {out['environment']!r}")


def tc_quota():
    """100 environments per account and region; the 101st -> ServiceQuotaExceededException 402."""
    acct = rand_account()
    tc = tc_client(acct)
    D = desk(acct)
    made, failed = [], None
    for i in range(100):
        try:
            made.append(tc.create_environment(desktopArn=D, name=f"q{i}", clientToken=fresh_token("q"))["environment"]["id"])
        except ClientError as e:
            failed = f"#{i}: {e.response['Error']}"
            break
    TC_CLEANUP_ENVS.extend((tc, x) for x in made)
    check("quota: 100 environments created", len(made) == 100, failed or f"{len(made)} created")
    eq("quota: paginator PageSize 50 lists 100 in 2 pages",
       [len(p["environments"]) for p in tc.get_paginator("list_environments").paginate(PaginationConfig={"PageSize": 50})], [50, 50])
    e = expect_error("quota: 101st CreateEnvironment -> ServiceQuotaExceededException 402",
                     lambda: tc.create_environment(desktopArn=D, name="overflow"), "ServiceQuotaExceededException", 402,
                     resourceType="environment", serviceCode="thinclient")
    if e is not None:
        check("quota: quotaCode present at the top level of the error", bool(e.response.get("quotaCode")), f"got {e.response!r}")
    eq("quota: still 100", len(all_env_ids(tc)), 100)
    other = tc_client(rand_account())
    x = ok("quota is per account: another account can still create", lambda: other.create_environment(desktopArn=desk(other.wsl_account)))
    if x:
        TC_CLEANUP_ENVS.append((other, x["environment"]["id"]))
    if made:
        ok("quota: DeleteEnvironment frees a slot", lambda: tc.delete_environment(id=made[0]))
        y = ok("quota: CreateEnvironment after a delete", lambda: tc.create_environment(desktopArn=D, name="refill"))
        if y:
            made.append(y["environment"]["id"])
            TC_CLEANUP_ENVS.append((tc, y["environment"]["id"]))
    for x in made[1:]:
        safe(lambda: tc.delete_environment(id=x))
    eq("quota: cleanup removed every environment", all_env_ids(tc), [])


def tc_isolation():
    acct, bacct = rand_account(), rand_account()
    tc, tcb, tc2 = tc_client(acct), tc_client(bacct), tc_client(acct, REGION2)
    env = new_env(tc, "A: CreateEnvironment for isolation", tags={"owner": "a"})
    if not env:
        return
    eid, earn = env["id"], env["arn"]
    dev = new_device("A: register a device", env["activationCode"], tc=tc)
    benv = new_env(tcb, "B: CreateEnvironment")
    for name, fn in [
        ("GetEnvironment", lambda: tcb.get_environment(id=eid)),
        ("UpdateEnvironment", lambda: tcb.update_environment(id=eid, name="stolen")),
        ("DeleteEnvironment", lambda: tcb.delete_environment(id=eid)),
        ("ListTagsForResource env", lambda: tcb.list_tags_for_resource(resourceArn=earn)),
        ("TagResource env", lambda: tcb.tag_resource(resourceArn=earn, tags={"x": "y"})),
        ("UntagResource env", lambda: tcb.untag_resource(resourceArn=earn, tagKeys=["owner"])),
    ]:
        expect_error(f"B: {name} of A's environment -> ResourceNotFoundException 404", fn, "ResourceNotFoundException", 404)
    if dev:
        for name, fn in [
            ("GetDevice", lambda: tcb.get_device(id=dev["id"])),
            ("UpdateDevice", lambda: tcb.update_device(id=dev["id"], name="stolen")),
            ("DeregisterDevice", lambda: tcb.deregister_device(id=dev["id"])),
            ("DeleteDevice", lambda: tcb.delete_device(id=dev["id"])),
            ("ListTagsForResource device", lambda: tcb.list_tags_for_resource(resourceArn=dev["arn"])),
        ]:
            expect_error(f"B: {name} of A's device -> ResourceNotFoundException 404", fn, "ResourceNotFoundException", 404)
    check("B: ListEnvironments does not show A's", eid not in all_env_ids(tcb) and (not benv or all_env_ids(tcb) == [benv["id"]]))
    eq("B: ListDevices is empty", all_device_ids(tcb), [])
    expect_error(f"A@{REGION2}: GetEnvironment of the {REGION} environment -> ResourceNotFoundException 404",
                 lambda: tc2.get_environment(id=eid), "ResourceNotFoundException", 404)
    expect_error(f"A@{REGION2}: ListTagsForResource of the {REGION} ARN -> ResourceNotFoundException 404",
                 lambda: tc2.list_tags_for_resource(resourceArn=earn), "ResourceNotFoundException", 404)
    eq(f"A@{REGION2}: ListEnvironments empty", all_env_ids(tc2), [])
    eq("A: tags unchanged by B", tc.list_tags_for_resource(resourceArn=earn)["tags"], {"owner": "a"})
    eq("A: name unchanged by B", tc.get_environment(id=eid)["environment"].get("name"), None)
    # the activation code is the credential: B's caller registers into A's environment
    if benv:
        st, d2 = register_device(env["activationCode"], serialNumber=f"X-{RUN}")
        if check("registration via A's code -> 201", st == 201, f"HTTP {st}: {d2!r}"):
            TC_CLEANUP_DEVICES.append((tc, d2["id"]))
            eq("device registered with A's code belongs to A", (d2.get("environmentId"), d2.get("arn", "").split(":")[4]), (eid, acct))
            check("A's ListDevices shows it, B's does not", d2["id"] in all_device_ids(tc) and d2["id"] not in all_device_ids(tcb))
    if dev:
        ok("A: DeregisterDevice", lambda: tc.deregister_device(id=dev["id"]))
        ok("A: DeleteDevice", lambda: tc.delete_device(id=dev["id"]))


def tc_tags():
    acct = rand_account()
    tc = tc_client(acct)
    env = new_env(tc, "CreateEnvironment for tags", deviceCreationTags={"fleet": "north", "k:with/chars": "v 1"})
    if not env:
        return
    earn = env["arn"]
    check("environment ARN contains ':' and '/'", ":" in earn and "/" in earn)
    eq("ListTagsForResource with no tags -> {}", tc.list_tags_for_resource(resourceArn=earn).get("tags"), {})
    ok("TagResource env: keys with spaces, ':' and '/'", lambda: tc.tag_resource(resourceArn=earn, tags={"a b": "1", "x:y/z": "2", "plain": "", "c": "3"}))
    eq("ListTagsForResource env", tc.list_tags_for_resource(resourceArn=earn)["tags"], {"a b": "1", "x:y/z": "2", "plain": "", "c": "3"})
    ok("TagResource overwrites a key", lambda: tc.tag_resource(resourceArn=earn, tags={"c": "three"}))
    ok("TagResource with an empty map is a no-op", lambda: tc.tag_resource(resourceArn=earn, tags={}))
    ok("UntagResource several keys (repeated tagKeys, encoded)", lambda: tc.untag_resource(resourceArn=earn, tagKeys=["a b", "x:y/z", "missing"]))
    eq("ListTagsForResource after untag", tc.list_tags_for_resource(resourceArn=earn)["tags"], {"plain": "", "c": "three"})
    expect_error("TagResource key aws:reserved -> ValidationException 400",
                 lambda: tc.tag_resource(resourceArn=earn, tags={"aws:reserved": "1"}), "ValidationException", 400)
    expect_error("TagResource key of 129 chars -> ValidationException 400",
                 lambda: tc.tag_resource(resourceArn=earn, tags={"k" * 129: "1"}), "ValidationException", 400)
    expect_error("TagResource value of 257 chars -> ValidationException 400",
                 lambda: tc.tag_resource(resourceArn=earn, tags={"k": "v" * 257}), "ValidationException", 400)
    expect_error("TagResource to 51 tags -> ValidationException 400",
                 lambda: tc.tag_resource(resourceArn=earn, tags={f"t{i}": "v" for i in range(49)}), "ValidationException", 400)
    ok("TagResource to exactly 50 tags", lambda: tc.tag_resource(resourceArn=earn, tags={f"t{i}": "v" for i in range(48)}))
    eq("50 tags stored", len(tc.list_tags_for_resource(resourceArn=earn)["tags"]), 50)
    expect_error("UntagResource with no tagKeys -> ValidationException 400",
                 lambda: tc.untag_resource(resourceArn=earn, tagKeys=[]), "ValidationException", 400)
    for bad in ("not-an-arn", f"arn:aws:workspaces:{REGION}:{acct}:directory/d-9067a1b2c3", f"arn:aws:thinclient:{REGION}:{acct}:widget/abc"):
        e = expect_error(f"ListTagsForResource {bad!r} -> ValidationException 400",
                         lambda: tc.list_tags_for_resource(resourceArn=bad), "ValidationException", 400)
        check(f"fieldList names resourceArn ({bad})", "resourceArn" in field_names(e), f"got {field_names(e)!r}")
    # devices
    dev = new_device("register a device (inherits deviceCreationTags)", env["activationCode"], tc=tc)
    if dev:
        darn = dev["arn"]
        eq("device ARN form", darn, f"arn:aws:thinclient:{REGION}:{acct}:device/{dev['id']}")
        eq("device tags = deviceCreationTags", tc.list_tags_for_resource(resourceArn=darn)["tags"], {"fleet": "north", "k:with/chars": "v 1"})
        ok("TagResource device", lambda: tc.tag_resource(resourceArn=darn, tags={"room": "101"}))
        ok("UntagResource device key with ':' and '/'", lambda: tc.untag_resource(resourceArn=darn, tagKeys=["k:with/chars"]))
        eq("device tags after tag/untag", tc.list_tags_for_resource(resourceArn=darn)["tags"], {"fleet": "north", "room": "101"})
        ok("UpdateEnvironment deviceCreationTags {}", lambda: tc.update_environment(id=env["id"], deviceCreationTags={}))
        eq("existing device tags untouched by deviceCreationTags changes", tc.list_tags_for_resource(resourceArn=darn)["tags"], {"fleet": "north", "room": "101"})
        check("GetEnvironment omits deviceCreationTags once empty", "deviceCreationTags" not in tc.get_environment(id=env["id"])["environment"])
        dev2 = new_device("register a second device after clearing deviceCreationTags", env["activationCode"], tc=tc)
        if dev2:
            eq("second device has no tags", tc.list_tags_for_resource(resourceArn=dev2["arn"])["tags"], {})
        expect_error("TagResource device/ZZZ... -> ResourceNotFoundException 404",
                     lambda: tc.tag_resource(resourceArn=f"arn:aws:thinclient:{REGION}:{acct}:device/{'Z' * 24}", tags={"a": "b"}),
                     "ResourceNotFoundException", 404)
    # software sets
    sarn = f"arn:aws:thinclient:{REGION}:{acct}:softwareset/1004"
    ok("TagResource software set", lambda: tc.tag_resource(resourceArn=sarn, tags={"ring": "pilot"}))
    eq("ListTagsForResource software set", tc.list_tags_for_resource(resourceArn=sarn)["tags"], {"ring": "pilot"})
    other = tc_client(rand_account())
    eq("software set tags are per account", other.list_tags_for_resource(
        resourceArn=f"arn:aws:thinclient:{REGION}:{other.wsl_account}:softwareset/1004")["tags"], {})
    ok("UntagResource software set", lambda: tc.untag_resource(resourceArn=sarn, tagKeys=["ring"]))
    expect_error("ListTagsForResource softwareset/999999999 -> ResourceNotFoundException 404",
                 lambda: tc.list_tags_for_resource(resourceArn=f"arn:aws:thinclient:{REGION}:{acct}:softwareset/999999999"),
                 "ResourceNotFoundException", 404)


def tc_clock():
    """DEREGISTERING is only observable with a delay (default 2 s on the manual-clock server)."""
    if not CLOCK_ENDPOINT:
        skip("Thin Client deregistration states", "WSL_MANUAL_CLOCK_ENDPOINT_URL not set")
        return
    acct = rand_account()
    tc = tc_client(acct, endpoint=CLOCK_ENDPOINT)
    env = new_env(tc, "[clock] CreateEnvironment")
    if not env:
        return
    eid = env["id"]
    dev = new_device("[clock] register a device", env["activationCode"], endpoint=CLOCK_ENDPOINT, tc=tc)
    if not dev:
        return
    did = dev["id"]
    out = ok("[clock] DeregisterDevice ARCHIVED", lambda: tc.deregister_device(id=did, targetDeviceStatus="ARCHIVED"))
    eq("[clock] DeregisterDevice -> 202", status_of(out), 202)
    eq("[clock] A.2.7 GetDevice -> DEREGISTERING", tc.get_device(id=did)["device"].get("status"), "DEREGISTERING")
    g = tc.get_environment(id=eid)["environment"]
    eq("[clock] A.2.7 count 0 at once, NO_REGISTERED_DEVICES", (g.get("registeredDevicesCount"), g.get("softwareSetComplianceStatus")), (0, "NO_REGISTERED_DEVICES"))
    expect_error("[clock] DeregisterDevice while DEREGISTERING -> ConflictException 409",
                 lambda: tc.deregister_device(id=did), "ConflictException", 409)
    expect_error("[clock] DeleteDevice while DEREGISTERING -> ConflictException 409",
                 lambda: tc.delete_device(id=did), "ConflictException", 409)
    expect_error("[clock] A.1.9 DeleteEnvironment while a device is DEREGISTERING -> ConflictException 409",
                 lambda: tc.delete_environment(id=eid), "ConflictException", 409)
    st, _ = checkin(did, endpoint=CLOCK_ENDPOINT)
    eq("[clock] check-in while DEREGISTERING -> 409", st, 409)
    eq("[clock] ListDevices shows DEREGISTERING", [x["status"] for x in tc.list_devices()["devices"]], ["DEREGISTERING"])
    clock_advance("1s")
    eq("[clock] still DEREGISTERING after 1 s", tc.get_device(id=did)["device"].get("status"), "DEREGISTERING")
    clock_advance("1s")
    eq("[clock] ARCHIVED after 2 s", tc.get_device(id=did)["device"].get("status"), "ARCHIVED")
    out = ok("[clock] DeleteEnvironment once the device is ARCHIVED", lambda: tc.delete_environment(id=eid))
    eq("[clock] DeleteEnvironment -> 204", status_of(out), 204)
    ok("[clock] DeleteDevice", lambda: tc.delete_device(id=did))


# --------------------------------------------------------------------------
# BYOL (spec §4.3-§4.5, §9, §10, §11, Appendix C.3 and C.4): account
# configuration, the management CIDR ranges, images (import, create, copy,
# share, delete) and account links. The issue's acceptance scenario runs on
# the manual-clock server as the fixed accounts A and B in a fresh region per
# run (BYOL enablement and links are permanent, so a fixed region could run it
# only once per server); C.3 and C.4 run on the zero-delay server with random
# accounts. Default delays: account.modify 2 s, image import 3 s, image create
# and copy 2 s.

IMAGE_ID_RE = re.compile(r"^wsi-[0-9a-z]{9,63}$")
LINK_ID_RE = re.compile(r"^link-.{8,24}$")
PENDING_LINK = "PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT"
BYOL_CLEANUP_IMAGES = []  # (client, image id)


def rand_ami():
    return "ami-" + "".join(random.choice("0123456789abcdef") for _ in range(17))


def describe_image(ws, iid, **kw):
    """The image as DescribeWorkspaceImages{ImageIds:[iid]} shows it to ws, or None."""
    items = ws.describe_workspace_images(ImageIds=[iid], **kw)["Images"]
    return items[0] if len(items) == 1 else None


def image_ids(ws, **kw):
    return [i["ImageId"] for p in ws.get_paginator("describe_workspace_images").paginate(**kw) for i in p["Images"]]


def account_view(ws):
    return strip_meta(ws.describe_account())


def modifications(ws):
    return [(m.get("ModificationState"), m.get("DedicatedTenancySupport"), m.get("DedicatedTenancyManagementCidrRange"))
            for m in ws.describe_account_modifications()["AccountModifications"]]


def enable_byol(name, ws, cidr):
    return ok(name, lambda: ws.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange=cidr))


def import_image(name, ws, image_name, ami=None, **kw):
    """ImportWorkspaceImage that must succeed; returns the image id (registered for cleanup) or None."""
    kw.setdefault("IngestionProcess", "BYOL_REGULAR")
    kw.setdefault("ImageDescription", "Imported image")
    out = ok(name, lambda: ws.import_workspace_image(Ec2ImageId=ami or rand_ami(), ImageName=image_name, **kw))
    if not out:
        return None
    iid = out.get("ImageId")
    check(f"{name}: ImageId is wsi-…", IMAGE_ID_RE.match(iid or ""), f"got {strip_meta(out)!r}")
    BYOL_CLEANUP_IMAGES.append((ws, iid))
    return iid


def links_of(ws, **kw):
    return [(l.get("AccountLinkId"), l.get("AccountLinkStatus"))
            for p in ws.get_paginator("list_account_links").paginate(**kw) for l in p["AccountLinks"]]


def link_view(out):
    l = (out or {}).get("AccountLink") or {}
    return (l.get("AccountLinkStatus"), l.get("SourceAccountId"), l.get("TargetAccountId"))


def byol_cleanup():
    for ws, iid in reversed(BYOL_CLEANUP_IMAGES):
        perms = safe(lambda: ws.describe_workspace_image_permissions(ImageId=iid)["ImagePermissions"]) or []
        for p in perms:
            safe(lambda: ws.update_workspace_image_permission(ImageId=iid, AllowCopyImage=False, SharedAccountId=p["SharedAccountId"]))
        safe(lambda: ws.delete_workspace_image(ImageId=iid))


def byol_acceptance():
    """The issue's acceptance test, on the manual-clock server as accounts
    111111111111 (A) and 222222222222 (B) in a fresh region: A enables BYOL
    (PENDING -> COMPLETED), imports an image (PENDING -> AVAILABLE), shares it
    (B must be BYOL-enabled first), B sees it as SHARED with A's id, A cannot
    delete it until unshared; A invites B, B accepts, DescribeAccount shows
    SOURCE_ACCOUNT for A and TARGET_ACCOUNT for B."""
    if not CLOCK_ENDPOINT:
        skip("BYOL acceptance scenario", "WSL_MANUAL_CLOCK_ENDPOINT_URL not set")
        return
    # A real region (the server refuses made-up ones, as AWS does), picked
    # at random among those no other check uses.
    region = random.choice(FRESH_REGIONS)
    print(f"acceptance region {region}", flush=True)
    a = ws_client_in(ACCT_A, region, CLOCK_ENDPOINT)
    b = ws_client_in(ACCT_B, region, CLOCK_ENDPOINT)
    P = "[clock] acceptance: "
    eq(P + "A DescribeAccount in a fresh region -> DISABLED only", account_view(a), {"DedicatedTenancySupport": "DISABLED"})
    eq(P + "B DescribeAccount in a fresh region -> DISABLED only", account_view(b), {"DedicatedTenancySupport": "DISABLED"})

    # B imports before enabling BYOL: accepted, PENDING, then ERROR after 3 s.
    early = import_image(P + "B ImportWorkspaceImage without BYOL (call succeeds)", b, f"early-{RUN}")
    if early:
        eq(P + "B's early image PENDING right after import", (describe_image(b, early) or {}).get("State"), "PENDING")

    # A: ranges, then ModifyAccount PENDING -> COMPLETED after 2 s.
    out = ok(P + "A ListAvailableManagementCidrRanges 10.0.0.0/8 MaxResults 5",
             lambda: a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="10.0.0.0/8", MaxResults=5))
    if out:
        eq(P + "first page 10.0-10.4", out.get("ManagementCidrRanges"), [f"10.{i}.0.0/16" for i in range(5)])
        check(P + "first page has a NextToken", bool(out.get("NextToken")), f"got {strip_meta(out)!r}")
    if not enable_byol(P + "A ModifyAccount ENABLED 10.200.0.0/16", a, "10.200.0.0/16"):
        return
    eq(P + "A DescribeAccountModifications -> one PENDING modification", modifications(a), [("PENDING", "ENABLED", "10.200.0.0/16")])
    eq(P + "A DescribeAccount still DISABLED while the modification is PENDING", account_view(a), {"DedicatedTenancySupport": "DISABLED"})
    expect_error(P + "A ModifyAccount while PENDING -> InvalidResourceStateException",
                 lambda: a.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange="10.201.0.0/16"),
                 "InvalidResourceStateException", 400)
    expect_error(P + "A CreateAccountLinkInvitation before BYOL is ENABLED -> AccessDeniedException",
                 lambda: a.create_account_link_invitation(TargetAccountId=ACCT_B), "AccessDeniedException", 400)
    clock_advance("1s")
    eq(P + "A modification still PENDING after 1 s", modifications(a), [("PENDING", "ENABLED", "10.200.0.0/16")])
    clock_advance("1s")
    eq(P + "A modification COMPLETED after 2 s", modifications(a), [("COMPLETED", "ENABLED", "10.200.0.0/16")])
    eq(P + "A DescribeAccount -> ENABLED with the management range", account_view(a),
       {"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.200.0.0/16"})
    if early:
        eq(P + "B's early image still PENDING after 2 s", (describe_image(b, early) or {}).get("State"), "PENDING")

    # A imports: PENDING -> AVAILABLE after 3 s.
    img = import_image(P + "A ImportWorkspaceImage", a, f"win11-byol-{RUN}", ami="ami-0123456789abcdef0",
                       IngestionProcess="BYOL_REGULAR_WSP", ImageDescription="Golden image")
    if not img:
        return
    im = describe_image(a, img) or {}
    eq(P + "A's image PENDING, DEDICATED, owned by A", (im.get("State"), im.get("RequiredTenancy"), im.get("OwnerAccountId")),
       ("PENDING", "DEDICATED", ACCT_A))
    e = expect_error(P + "UpdateWorkspaceImagePermission while PENDING -> ResourceUnavailableException",
                     lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=ACCT_B),
                     "ResourceUnavailableException", 400)
    if e is not None:
        eq(P + "ResourceUnavailableException carries ResourceId", e.response.get("ResourceId"), img)
    expect_error(P + "CopyWorkspaceImage of a PENDING image -> ResourceUnavailableException",
                 lambda: a.copy_workspace_image(Name=f"early-copy-{RUN}", SourceImageId=img, SourceRegion=region),
                 "ResourceUnavailableException", 400)
    expect_error(P + "DeleteWorkspaceImage while PENDING -> InvalidResourceStateException",
                 lambda: a.delete_workspace_image(ImageId=img), "InvalidResourceStateException", 400)
    clock_advance("2s")
    eq(P + "A's image still PENDING after 2 s", (describe_image(a, img) or {}).get("State"), "PENDING")
    if early:
        bi = describe_image(b, early) or {}
        eq(P + "B's early image ERROR WorkspacesBYOLAccountDisabled after 3 s",
           (bi.get("State"), bi.get("ErrorCode"), [d.get("ErrorCode") for d in bi.get("ErrorDetails", [])]),
           ("ERROR", "WorkspacesBYOLAccountDisabled", ["WorkspacesBYOLAccountDisabled"]))
    clock_advance("1s")
    im = describe_image(a, img) or {}
    eq(P + "A's image AVAILABLE after 3 s (DEDICATED, WINDOWS, owner A)",
       (im.get("State"), im.get("RequiredTenancy"), (im.get("OperatingSystem") or {}).get("Type"), im.get("OwnerAccountId")),
       ("AVAILABLE", "DEDICATED", "WINDOWS", ACCT_A))

    # Sharing a BYOL image needs a BYOL-enabled recipient.
    e = expect_error(P + "A shares the BYOL image with B (not BYOL-enabled) -> OperationNotSupportedException",
                     lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=ACCT_B),
                     "OperationNotSupportedException", 400)
    if e is not None:
        check(P + "OperationNotSupportedException carries a reason", bool(e.response.get("reason")), f"got {e.response!r}")
    if not enable_byol(P + "B ModifyAccount ENABLED 10.201.0.0/16", b, "10.201.0.0/16"):
        return
    eq(P + "B modification PENDING", modifications(b), [("PENDING", "ENABLED", "10.201.0.0/16")])
    clock_advance("2s")
    eq(P + "B modification COMPLETED after 2 s", modifications(b), [("COMPLETED", "ENABLED", "10.201.0.0/16")])
    eq(P + "B DescribeAccount -> ENABLED", account_view(b),
       {"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.201.0.0/16"})
    ok(P + "A shares the image with B", lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=ACCT_B))
    eq(P + "DescribeWorkspaceImagePermissions -> [B]",
       strip_meta(a.describe_workspace_image_permissions(ImageId=img)), {"ImageId": img, "ImagePermissions": [{"SharedAccountId": ACCT_B}]})
    shared = b.describe_workspace_images(ImageType="SHARED")["Images"]
    eq(P + "B DescribeWorkspaceImages SHARED -> A's image", [i.get("ImageId") for i in shared], [img])
    if shared:
        eq(P + "B sees OwnerAccountId A and A's Created time",
           (shared[0].get("OwnerAccountId"), shared[0].get("Created")), (ACCT_A, im.get("Created")))
    check(P + "the shared image is not among B's OWNED images", img not in image_ids(b, ImageType="OWNED"))
    expect_error(P + "A DeleteWorkspaceImage while shared -> ResourceAssociatedException",
                 lambda: a.delete_workspace_image(ImageId=img), "ResourceAssociatedException", 400)
    eq(P + "the image survives the refused delete", (describe_image(a, img) or {}).get("State"), "AVAILABLE")
    ok(P + "A unshares (AllowCopyImage false)", lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=False, SharedAccountId=ACCT_B))
    eq(P + "B DescribeWorkspaceImages SHARED after unsharing -> []", b.describe_workspace_images(ImageType="SHARED")["Images"], [])
    ok(P + "A DeleteWorkspaceImage once unshared", lambda: a.delete_workspace_image(ImageId=img))
    eq(P + "deleted image no longer described", a.describe_workspace_images(ImageIds=[img])["Images"], [])

    # The account link.
    out = ok(P + "A CreateAccountLinkInvitation to B", lambda: a.create_account_link_invitation(TargetAccountId=ACCT_B))
    if not out:
        return
    lid = out["AccountLink"].get("AccountLinkId")
    eq(P + "invitation PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT from A to B", link_view(out), (PENDING_LINK, ACCT_A, ACCT_B))
    check(P + "AccountLinkId is link-…", LINK_ID_RE.match(lid or ""), f"got {lid!r}")
    eq(P + "B ListAccountLinks -> the invitation", links_of(b), [(lid, PENDING_LINK)])
    check(P + "A has no DedicatedTenancyAccountType while the invitation is pending",
          "DedicatedTenancyAccountType" not in account_view(a), f"got {account_view(a)!r}")
    out = ok(P + "B AcceptAccountLinkInvitation", lambda: b.accept_account_link_invitation(LinkId=lid))
    eq(P + "accepted link LINKED", link_view(out), ("LINKED", ACCT_A, ACCT_B))
    eq(P + "A DescribeAccount -> SOURCE_ACCOUNT", account_view(a),
       {"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.200.0.0/16",
        "DedicatedTenancyAccountType": "SOURCE_ACCOUNT"})
    eq(P + "B DescribeAccount -> TARGET_ACCOUNT with A's configuration", account_view(b),
       {"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.200.0.0/16",
        "DedicatedTenancyAccountType": "TARGET_ACCOUNT"})
    eq(P + "A GetAccountLink LinkedAccountId B -> LINKED", link_view(safe(lambda: a.get_account_link(LinkedAccountId=ACCT_B))),
       ("LINKED", ACCT_A, ACCT_B))
    expect_error(P + "B (LINKED target) ModifyAccount -> InvalidResourceStateException",
                 lambda: b.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange="10.202.0.0/16"),
                 "InvalidResourceStateException", 400)
    if early:
        ok(P + "B deletes its ERROR image", lambda: b.delete_workspace_image(ImageId=early))


def ws_client_in(account, region, endpoint=None):
    c = client("workspaces", account, region, endpoint)
    c.wsl_account = account
    return c


def byol_image_from_workspace_clock():
    """CreateWorkspaceImage and CopyWorkspaceImage on the manual-clock server:
    the image is PENDING for 2 s while its WorkSpace is SUSPENDED."""
    if not CLOCK_ENDPOINT:
        skip("CreateWorkspaceImage states", "WSL_MANUAL_CLOCK_ENDPOINT_URL not set")
        return
    ws = ws_client(rand_account(), endpoint=CLOCK_ENDPOINT)
    did = rand_dir_id()
    if not ok("[clock] image: RegisterWorkspaceDirectory", lambda: ws.register_workspace_directory(DirectoryId=did)):
        return
    CLEANUP_DIRS.append((ws, did))
    clock_advance("1s")
    p = create_one(ws, "[clock] image: CreateWorkspaces", ws_request(did, f"img-{RUN}"))
    if not p:
        return
    wid = p["WorkspaceId"]
    clock_advance("2s")
    eq("[clock] image: WorkSpace AVAILABLE", ws_state(ws, wid), "AVAILABLE")
    out = ok("[clock] CreateWorkspaceImage", lambda: ws.create_workspace_image(
        Name=f"std-{RUN}", Description="From a WorkSpace", WorkspaceId=wid, Tags=[{"Key": "src", "Value": "ws"}]))
    if not out:
        return
    iid = out.get("ImageId")
    BYOL_CLEANUP_IMAGES.append((ws, iid))
    eq("[clock] CreateWorkspaceImage output (PENDING, DEFAULT, WINDOWS, owner, name, description)",
       (out.get("State"), out.get("RequiredTenancy"), (out.get("OperatingSystem") or {}).get("Type"), out.get("OwnerAccountId"),
        out.get("Name"), out.get("Description")),
       ("PENDING", "DEFAULT", "WINDOWS", ws.wsl_account, f"std-{RUN}", "From a WorkSpace"))
    check("[clock] CreateWorkspaceImage ImageId is wsi-… and Created a datetime",
          IMAGE_ID_RE.match(iid or "") and isinstance(out.get("Created"), datetime.datetime), f"got {strip_meta(out)!r}")
    eq("[clock] source WorkSpace SUSPENDED while the image is PENDING", ws_state(ws, wid), "SUSPENDED")
    eq("[clock] DescribeWorkspaceImages -> PENDING", (describe_image(ws, iid) or {}).get("State"), "PENDING")
    expect_error("[clock] CreateWorkspaceImage from a SUSPENDED WorkSpace -> InvalidResourceStateException",
                 lambda: ws.create_workspace_image(Name=f"std2-{RUN}", Description="again", WorkspaceId=wid),
                 "InvalidResourceStateException", 400)
    clock_advance("2s")
    eq("[clock] image AVAILABLE after 2 s", (describe_image(ws, iid) or {}).get("State"), "AVAILABLE")
    eq("[clock] WorkSpace back to AVAILABLE", ws_state(ws, wid), "AVAILABLE")
    out = ok("[clock] CopyWorkspaceImage (same region)", lambda: ws.copy_workspace_image(
        Name=f"std-copy-{RUN}", SourceImageId=iid, SourceRegion=REGION))
    if out:
        cid = out.get("ImageId")
        BYOL_CLEANUP_IMAGES.append((ws, cid))
        c = describe_image(ws, cid) or {}
        eq("[clock] copy PENDING, DEFAULT, description copied", (c.get("State"), c.get("RequiredTenancy"), c.get("Description")),
           ("PENDING", "DEFAULT", "From a WorkSpace"))
        clock_advance("2s")
        eq("[clock] copy AVAILABLE after 2 s", (describe_image(ws, cid) or {}).get("State"), "AVAILABLE")


def byol_c3():
    """Appendix C.3 on the zero-delay server with random accounts: a enables
    BYOL and imports, b is BYOL-enabled too, c never is."""
    a, b, c = (ws_client(rand_account()) for _ in range(3))
    A, B, C = a.wsl_account, b.wsl_account, c.wsl_account

    # §9.1 / §9.3 fresh account
    eq("C.3 DescribeAccount of a fresh account -> DISABLED only", account_view(a), {"DedicatedTenancySupport": "DISABLED"})
    eq("C.3 DescribeAccountModifications of a fresh account -> []", strip_meta(a.describe_account_modifications()), {"AccountModifications": []})

    # §9.4 ListAvailableManagementCidrRanges
    first = a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="10.0.0.0/8", MaxResults=5)
    eq("C.3 ranges 10.0.0.0/8 page 1 -> 10.0-10.4", first.get("ManagementCidrRanges"), [f"10.{i}.0.0/16" for i in range(5)])
    tok = first.get("NextToken")
    check("C.3 ranges page 1 has a NextToken", bool(tok), f"got {strip_meta(first)!r}")
    if tok:
        second = a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="10.0.0.0/8", MaxResults=5, NextToken=tok)
        eq("C.3 ranges page 2 continues at 10.5", second.get("ManagementCidrRanges"), [f"10.{i}.0.0/16" for i in range(5, 10)])
        expect_error("C.3 ranges NextToken with another constraint -> InvalidParameterValuesException",
                     lambda: a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="172.16.0.0/12", NextToken=tok),
                     "InvalidParameterValuesException", 400)
        expect_error("C.3 ranges NextToken of another account -> InvalidParameterValuesException",
                     lambda: b.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="10.0.0.0/8", MaxResults=5, NextToken=tok),
                     "InvalidParameterValuesException", 400)
    expect_error("C.3 ranges garbled NextToken -> InvalidParameterValuesException",
                 lambda: a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="10.0.0.0/8", NextToken="garbage-token"),
                 "InvalidParameterValuesException", 400)
    default = a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="10.0.0.0/8")
    eq("C.3 ranges default page size 5", len(default.get("ManagementCidrRanges", [])), 5)
    pag = a.get_paginator("list_available_management_cidr_ranges")
    pages = list(pag.paginate(ManagementCidrRangeConstraint="10.0.0.0/8", PaginationConfig={"PageSize": 5}))
    got = [r for p in pages for r in p["ManagementCidrRanges"]]
    eq("C.3 ranges paginator 10.0.0.0/8: all 256 /16 blocks in order", got, [f"10.{i}.0.0/16" for i in range(256)])
    eq("C.3 ranges paginator 10.0.0.0/8: 52 pages of at most 5", (len(pages), max(len(p["ManagementCidrRanges"]) for p in pages)), (52, 5))
    check("C.3 ranges paginator: last page has no NextToken", "NextToken" not in pages[-1], f"got {pages[-1].get('NextToken')!r}")
    pages = list(pag.paginate(ManagementCidrRangeConstraint="172.16.0.0/12", PaginationConfig={"PageSize": 5}))
    eq("C.3 ranges paginator 172.16.0.0/12: pages of 5, 5, 5, 1", [len(p["ManagementCidrRanges"]) for p in pages], [5, 5, 5, 1])
    every = [r for p in pag.paginate(ManagementCidrRangeConstraint="0.0.0.0/0") for r in p["ManagementCidrRanges"]]
    want_all = ([f"10.{i}.0.0/16" for i in range(256)] + [f"100.{i}.0.0/16" for i in range(64, 128)] +
                [f"172.{i}.0.0/16" for i in range(16, 32)] + ["192.168.0.0/16", "198.18.0.0/16", "198.19.0.0/16"])
    eq("C.3 ranges paginator 0.0.0.0/0: the five supernets' 339 blocks, ascending", every, want_all)
    limited = list(pag.paginate(ManagementCidrRangeConstraint="10.0.0.0/8", PaginationConfig={"MaxItems": 7, "PageSize": 5}))
    eq("C.3 ranges paginator MaxItems 7", [r for p in limited for r in p["ManagementCidrRanges"]], [f"10.{i}.0.0/16" for i in range(7)])

    def ranges(constraint):
        return [r for p in pag.paginate(ManagementCidrRangeConstraint=constraint) for r in p["ManagementCidrRanges"]]
    for constraint, want in (("10.0.0.0/24", []), ("10.0.0.0/17", []), ("8.8.0.0/16", []), ("0.0.0.0/8", []),
                             ("10.1.2.3/16", ["10.1.0.0/16"]), ("192.168.0.0/16", ["192.168.0.0/16"]),
                             ("198.18.0.0/15", ["198.18.0.0/16", "198.19.0.0/16"]),
                             ("172.0.0.0/8", [f"172.{i}.0.0/16" for i in range(16, 32)]),
                             ("100.64.0.0/10", [f"100.{i}.0.0/16" for i in range(64, 128)]),
                             ("10.128.0.0/14", [f"10.{i}.0.0/16" for i in range(128, 132)])):
        eq(f"C.3 ranges inside {constraint}", ranges(constraint), want)
    out = a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="10.0.0.0/24")
    eq("C.3 ranges narrower than /16 -> [] without NextToken", strip_meta(out), {"ManagementCidrRanges": []})
    for bad in ("not-a-cidr", "10.0.0.0/33", "10.0.0.0", "256.0.0.0/8"):
        expect_error(f"C.3 ranges constraint {bad!r} -> ValidationException",
                     lambda: a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint=bad), "ValidationException", 400)
    expect_error("C.3 ranges MaxResults 6 -> ValidationException",
                 lambda: a.list_available_management_cidr_ranges(ManagementCidrRangeConstraint="10.0.0.0/8", MaxResults=6),
                 "ValidationException", 400)

    # §9.2 ModifyAccount errors (nothing recorded), then enable
    ipv = "InvalidParameterValuesException"
    expect_error("C.3 ModifyAccount without members -> InvalidParameterValuesException", lambda: a.modify_account(), ipv, 400)
    expect_error("C.3 ModifyAccount ENABLED without a range -> InvalidParameterValuesException",
                 lambda: a.modify_account(DedicatedTenancySupport="ENABLED"), ipv, 400)
    expect_error("C.3 ModifyAccount range without ENABLED -> InvalidParameterValuesException",
                 lambda: a.modify_account(DedicatedTenancyManagementCidrRange="10.200.0.0/16"), ipv, 400)
    for cidr in ("8.8.0.0/16", "11.0.0.0/16", "172.32.0.0/16", "100.128.0.0/16", "192.169.0.0/16", "198.20.0.0/16"):
        expect_error(f"C.3 ModifyAccount {cidr} (outside the allowed space) -> InvalidParameterValuesException",
                     lambda: a.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange=cidr), ipv, 400)
    for cidr in ("10.0.0.0/8", "10.0.1.0/16", "10.0.0.0/24", "not-a-cidr"):
        expect_error(f"C.3 ModifyAccount {cidr!r} (not x.y.0.0/16) -> ValidationException",
                     lambda: a.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange=cidr),
                     "ValidationException", 400)
    expect_error("C.3 ModifyAccount DedicatedTenancySupport DISABLED (enum is ENABLED only) -> ValidationException",
                 lambda: a.modify_account(DedicatedTenancySupport="DISABLED", DedicatedTenancyManagementCidrRange="10.200.0.0/16"),
                 "ValidationException", 400)
    eq("C.3 refused ModifyAccount calls recorded nothing", modifications(a), [])
    eq("C.3 refused ModifyAccount calls left the account DISABLED", account_view(a), {"DedicatedTenancySupport": "DISABLED"})
    if not enable_byol("C.3 ModifyAccount ENABLED 10.200.0.0/16", a, "10.200.0.0/16"):
        return
    mods = a.describe_account_modifications()["AccountModifications"]
    eq("C.3 DescribeAccountModifications -> COMPLETED (zero delays)", modifications(a), [("COMPLETED", "ENABLED", "10.200.0.0/16")])
    check("C.3 modification StartTime is a datetime", mods and isinstance(mods[0].get("StartTime"), datetime.datetime), f"got {mods!r}")
    eq("C.3 DescribeAccount -> ENABLED + range", account_view(a),
       {"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.200.0.0/16"})
    expect_error("C.3 ModifyAccount once ENABLED (range is immutable) -> InvalidResourceStateException",
                 lambda: a.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange="10.201.0.0/16"),
                 "InvalidResourceStateException", 400)
    eq("C.3 still one modification", len(a.describe_account_modifications()["AccountModifications"]), 1)
    expect_error("C.3 ModifyAccount 8.8.0.0/16 on another account -> InvalidParameterValuesException",
                 lambda: b.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange="8.8.0.0/16"), ipv, 400)
    enable_byol("C.3 b ModifyAccount ENABLED 172.20.0.0/16", b, "172.20.0.0/16")
    eq("C.3 b DescribeAccount -> ENABLED", account_view(b),
       {"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "172.20.0.0/16"})
    eq("C.3 a's range is not b's", account_view(a).get("DedicatedTenancyManagementCidrRange"), "10.200.0.0/16")

    # §10.3 ImportWorkspaceImage
    ami = rand_ami()
    img = import_image("C.3 ImportWorkspaceImage (BYOL_REGULAR_WSP, Office 2019, tags)", a, f"win11-byol-{RUN}", ami=ami,
                       IngestionProcess="BYOL_REGULAR_WSP", ImageDescription="Golden image",
                       Applications=["Microsoft_Office_2019"], Tags=[{"Key": "os", "Value": "win11"}])
    if not img:
        return
    im = describe_image(a, img) or {}
    eq("C.3 imported image fields", {k: im.get(k) for k in ("ImageId", "Name", "Description", "OperatingSystem", "State",
                                                             "RequiredTenancy", "OwnerAccountId")},
       {"ImageId": img, "Name": f"win11-byol-{RUN}", "Description": "Golden image", "OperatingSystem": {"Type": "WINDOWS"},
        "State": "AVAILABLE", "RequiredTenancy": "DEDICATED", "OwnerAccountId": A})
    check("C.3 imported image Created is a datetime, no error fields",
          isinstance(im.get("Created"), datetime.datetime) and not {"ErrorCode", "ErrorMessage", "ErrorDetails"} & set(im), f"got {im!r}")
    eq("C.3 DescribeTags on the imported image", a.describe_tags(ResourceId=img)["TagList"], [{"Key": "os", "Value": "win11"}])
    rae = "ResourceAlreadyExistsException"
    expect_error("C.3 ImportWorkspaceImage same AMI again -> ResourceAlreadyExistsException",
                 lambda: a.import_workspace_image(Ec2ImageId=ami, IngestionProcess="BYOL_REGULAR", ImageName=f"other-{RUN}",
                                                  ImageDescription="x"), rae, 400)
    expect_error("C.3 ImportWorkspaceImage same name -> ResourceAlreadyExistsException",
                 lambda: a.import_workspace_image(Ec2ImageId=rand_ami(), IngestionProcess="BYOL_REGULAR", ImageName=f"win11-byol-{RUN}",
                                                  ImageDescription="x"), rae, 400)
    expect_error("C.3 ImportWorkspaceImage two Applications -> InvalidParameterValuesException",
                 lambda: a.import_workspace_image(Ec2ImageId=rand_ami(), IngestionProcess="BYOL_REGULAR", ImageName=f"apps-{RUN}",
                                                  ImageDescription="x", Applications=["Microsoft_Office_2016", "Microsoft_Office_2019"]), ipv, 400)
    for proc in ("BYOL_REGULAR_WSP", "BYOL_GRAPHICS_G4DN"):
        expect_error(f"C.3 ImportWorkspaceImage Office 2016 with {proc} -> InvalidParameterValuesException",
                     lambda: a.import_workspace_image(Ec2ImageId=rand_ami(), IngestionProcess=proc, ImageName=f"o16-{RUN}",
                                                      ImageDescription="x", Applications=["Microsoft_Office_2016"]), ipv, 400)
    for label, kw in (("Ec2ImageId 'ami-123'", {"Ec2ImageId": "ami-123"}),
                      ("IngestionProcess 'BYOL_BOGUS'", {"IngestionProcess": "BYOL_BOGUS"}),
                      ("ImageName with a space", {"ImageName": "bad name"}),
                      ("ImageDescription with '!'", {"ImageDescription": "bad!"})):
        req = {"Ec2ImageId": rand_ami(), "IngestionProcess": "BYOL_REGULAR", "ImageName": f"val-{RUN}", "ImageDescription": "x"}
        req.update(kw)
        expect_error(f"C.3 ImportWorkspaceImage {label} -> ValidationException",
                     lambda: a.import_workspace_image(**req), "ValidationException", 400)
    eq("C.3 refused imports created nothing", image_ids(a, ImageType="OWNED"), [img])

    # §10.3 import without BYOL: accepted, then ERROR
    bad = import_image("C.3 ImportWorkspaceImage on a non-BYOL account (call succeeds)", c, f"nobyol-{RUN}")
    if bad:
        bi = describe_image(c, bad) or {}
        details = bi.get("ErrorDetails") or [{}]
        eq("C.3 non-BYOL import -> ERROR WorkspacesBYOLAccountDisabled",
           (bi.get("State"), bi.get("ErrorCode"), [d.get("ErrorCode") for d in details]),
           ("ERROR", "WorkspacesBYOLAccountDisabled", ["WorkspacesBYOLAccountDisabled"]))
        check("C.3 ERROR image has ErrorMessage and ErrorDetails[0].ErrorMessage",
              bi.get("ErrorMessage") and details[0].get("ErrorMessage"), f"got {bi!r}")
        expect_error("C.3 share an ERROR image -> ResourceUnavailableException",
                     lambda: c.update_workspace_image_permission(ImageId=bad, AllowCopyImage=True, SharedAccountId=B),
                     "ResourceUnavailableException", 400)
        ok("C.3 DeleteWorkspaceImage of an ERROR image", lambda: c.delete_workspace_image(ImageId=bad))
        eq("C.3 ERROR image gone", c.describe_workspace_images(ImageIds=[bad])["Images"], [])

    d = ws_client(rand_account())
    for proc, extra in (("BYOL_REGULAR_BYOP", {}), ("BYOL_GRAPHICS_G4DN", {"Applications": ["Microsoft_Office_2019"]}),
                        ("BYOL_GRAPHICS_G4DN_WSP", {})):
        import_image(f"C.3 ImportWorkspaceImage {proc} accepted (no allow-list by default)", d, f"{proc.lower().replace('_', '-')}-{RUN}",
                     IngestionProcess=proc, **extra)

    # §10.2 a non-BYOL image, created from a WorkSpace
    did = rand_dir_id()
    std = None
    if ok("C.3 RegisterWorkspaceDirectory", lambda: a.register_workspace_directory(DirectoryId=did)):
        CLEANUP_DIRS.append((a, did))
        p = create_one(a, "C.3 CreateWorkspaces", ws_request(did, f"golden-{RUN}"))
        if p:
            wid = p["WorkspaceId"]
            out = ok("C.3 CreateWorkspaceImage", lambda: a.create_workspace_image(Name=f"std-{RUN}", Description="From a WorkSpace", WorkspaceId=wid))
            if out:
                std = out.get("ImageId")
                BYOL_CLEANUP_IMAGES.append((a, std))
                eq("C.3 CreateWorkspaceImage output: DEFAULT tenancy, WINDOWS, owner a",
                   (out.get("RequiredTenancy"), (out.get("OperatingSystem") or {}).get("Type"), out.get("OwnerAccountId")),
                   ("DEFAULT", "WINDOWS", A))
                eq("C.3 created image AVAILABLE (zero delays)", (describe_image(a, std) or {}).get("State"), "AVAILABLE")
                expect_error("C.3 CreateWorkspaceImage same name -> ResourceAlreadyExistsException",
                             lambda: a.create_workspace_image(Name=f"std-{RUN}", Description="dup", WorkspaceId=wid), rae, 400)
            e = expect_error("C.3 CreateWorkspaceImage unknown WorkSpace -> ResourceNotFoundException",
                             lambda: a.create_workspace_image(Name=f"nows-{RUN}", Description="x", WorkspaceId="ws-zzzzzzzz9"),
                             "ResourceNotFoundException", 400)
            if e is not None:
                eq("C.3 ResourceNotFoundException carries the WorkspaceId", e.response.get("ResourceId"), "ws-zzzzzzzz9")
            expect_error("C.3 CreateWorkspaceImage another account's WorkSpace -> ResourceNotFoundException",
                         lambda: b.create_workspace_image(Name=f"steal-{RUN}", Description="x", WorkspaceId=wid),
                         "ResourceNotFoundException", 400)

    # §10.6 / §10.7 sharing
    e = expect_error("C.3 share the BYOL image with a non-BYOL account -> OperationNotSupportedException",
                     lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=C),
                     "OperationNotSupportedException", 400)
    if e is not None:
        check("C.3 OperationNotSupportedException carries a reason", bool(e.response.get("reason")), f"got {e.response!r}")
    ok("C.3 share the BYOL image with a BYOL-enabled account", lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=B))
    ok("C.3 share it again (no-op)", lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=B))
    eq("C.3 DescribeWorkspaceImagePermissions -> [b]", strip_meta(a.describe_workspace_image_permissions(ImageId=img)),
       {"ImageId": img, "ImagePermissions": [{"SharedAccountId": B}]})
    if std:
        ok("C.3 share the non-BYOL image with the non-BYOL account", lambda: a.update_workspace_image_permission(ImageId=std, AllowCopyImage=True, SharedAccountId=C))
        ok("C.3 share the non-BYOL image with b", lambda: a.update_workspace_image_permission(ImageId=std, AllowCopyImage=True, SharedAccountId=B))
        eq("C.3 permissions sorted by account id", [p["SharedAccountId"] for p in a.describe_workspace_image_permissions(ImageId=std)["ImagePermissions"]],
           sorted([B, C]))
        p1 = a.describe_workspace_image_permissions(ImageId=std, MaxResults=1)
        eq("C.3 permissions MaxResults 1: one item and a NextToken", (len(p1["ImagePermissions"]), bool(p1.get("NextToken"))), (1, True))
        if p1.get("NextToken"):
            p2 = a.describe_workspace_image_permissions(ImageId=std, MaxResults=1, NextToken=p1["NextToken"])
            eq("C.3 permissions page 2: the other account, no NextToken",
               ([p["SharedAccountId"] for p in p1["ImagePermissions"] + p2["ImagePermissions"]], "NextToken" in p2), (sorted([B, C]), False))
    expect_error("C.3 share with the owner itself -> InvalidParameterValuesException",
                 lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=A), ipv, 400)
    expect_error("C.3 unshare from an account it is not shared with -> InvalidParameterValuesException",
                 lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=False, SharedAccountId=C), ipv, 400)
    e = expect_error("C.3 share an unknown image -> ResourceNotFoundException",
                     lambda: a.update_workspace_image_permission(ImageId="wsi-zzzzzzzz9", AllowCopyImage=True, SharedAccountId=B),
                     "ResourceNotFoundException", 400)
    if e is not None:
        eq("C.3 ResourceNotFoundException carries the ImageId", e.response.get("ResourceId"), "wsi-zzzzzzzz9")
    expect_error("C.3 share an image of another account that is not shared with the caller -> ResourceNotFoundException",
                 lambda: c.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=B),
                 "ResourceNotFoundException", 400)
    expect_error("C.3 share with a malformed account id -> ValidationException",
                 lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId="12345"), "ValidationException", 400)
    expect_error("C.3 share a malformed image id -> ValidationException",
                 lambda: a.update_workspace_image_permission(ImageId="img-1", AllowCopyImage=True, SharedAccountId=B), "ValidationException", 400)
    expect_error("C.3 recipient re-shares -> OperationNotSupportedException",
                 lambda: b.update_workspace_image_permission(ImageId=img, AllowCopyImage=True, SharedAccountId=C),
                 "OperationNotSupportedException", 400)
    expect_error("C.3 recipient DescribeWorkspaceImagePermissions -> ResourceNotFoundException",
                 lambda: b.describe_workspace_image_permissions(ImageId=img), "ResourceNotFoundException", 400)
    expect_error("C.3 DescribeWorkspaceImagePermissions unknown image -> ResourceNotFoundException",
                 lambda: a.describe_workspace_image_permissions(ImageId="wsi-zzzzzzzz9"), "ResourceNotFoundException", 400)
    expect_error("C.3 DescribeWorkspaceImagePermissions malformed id -> ValidationException",
                 lambda: a.describe_workspace_image_permissions(ImageId="img-1"), "ValidationException", 400)

    # §10.1 DescribeWorkspaceImages from both sides
    mine = describe_image(a, img) or {}
    theirs = describe_image(b, img) or {}
    eq("C.3 recipient sees the same fields as the owner (OwnerAccountId a, original Created)", theirs, mine)
    eq("C.3 b SHARED -> the images shared with b, in creation order", image_ids(b, ImageType="SHARED"), [img] + ([std] if std else []))
    if std:
        eq("C.3 c SHARED -> the non-BYOL image only", image_ids(c, ImageType="SHARED"), [std])
    eq("C.3 b OWNED -> []", image_ids(b, ImageType="OWNED"), [])
    eq("C.3 b without ImageType -> owned only ([])", image_ids(b), [])
    eq("C.3 a SHARED -> []", image_ids(a, ImageType="SHARED"), [])
    eq("C.3 a without ImageType -> its own images", image_ids(a), [img] + ([std] if std else []))
    eq("C.3 b ImageIds [shared image] -> found", [i["ImageId"] for i in b.describe_workspace_images(ImageIds=[img])["Images"]], [img])
    eq("C.3 b ImageIds [shared image] + OWNED -> []", b.describe_workspace_images(ImageIds=[img], ImageType="OWNED")["Images"], [])
    eq("C.3 c ImageIds [image not shared with c] -> []", c.describe_workspace_images(ImageIds=[img])["Images"], [])
    eq("C.3 ImageIds [unknown] -> []", a.describe_workspace_images(ImageIds=["wsi-zzzzzzzz9"])["Images"], [])
    if std:
        pages = list(a.get_paginator("describe_workspace_images").paginate(PaginationConfig={"PageSize": 1}))
        eq("C.3 describe_workspace_images paginator PageSize 1", [[i["ImageId"] for i in p["Images"]] for p in pages], [[img], [std]])
    eq("C.3 a ImageIds [own image] + SHARED -> []", a.describe_workspace_images(ImageIds=[img], ImageType="SHARED")["Images"], [])
    b2 = ws_client_in(B, REGION2)
    eq(f"C.3 b in {REGION2} SHARED -> [] (sharing is per region)", image_ids(b2, ImageType="SHARED"), [])
    base = (ws_client(rand_account()).describe_workspace_bundles(BundleIds=["wsb-bh8rsxt14"])["Bundles"] or [{}])[0].get("ImageId")
    if base:
        eq("C.3 the Amazon image behind a public bundle is not described", a.describe_workspace_images(ImageIds=[base])["Images"], [])
    expect_error("C.3 DescribeWorkspaceImages garbled NextToken -> ValidationException",
                 lambda: a.describe_workspace_images(NextToken="garbage-token"), "ValidationException", 400)
    tok = a.describe_workspace_images(MaxResults=1).get("NextToken")
    if tok:
        expect_error("C.3 DescribeWorkspaceImages NextToken with another ImageType -> ValidationException",
                     lambda: a.describe_workspace_images(MaxResults=1, ImageType="SHARED", NextToken=tok), "ValidationException", 400)
    expect_error("C.3 DescribeWorkspaceImages 26 ImageIds -> ValidationException",
                 lambda: a.describe_workspace_images(ImageIds=[f"wsi-zzzzzzz{i:02d}" for i in range(26)]), "ValidationException", 400)
    expect_error("C.3 DescribeWorkspaceImages MaxResults 26 -> ValidationException",
                 lambda: a.describe_workspace_images(MaxResults=26), "ValidationException", 400)
    expect_error("C.3 DescribeWorkspaceImages ImageType 'PUBLIC' -> ValidationException",
                 lambda: a.describe_workspace_images(ImageType="PUBLIC"), "ValidationException", 400)
    expect_error("C.3 recipient DescribeTags on a shared image -> ResourceNotFoundException",
                 lambda: b.describe_tags(ResourceId=img), "ResourceNotFoundException", 400)
    expect_error("C.3 recipient CreateTags on a shared image -> ResourceNotFoundException",
                 lambda: b.create_tags(ResourceId=img, Tags=[{"Key": "mine", "Value": "no"}]), "ResourceNotFoundException", 400)
    ok("C.3 owner CreateTags on the image", lambda: a.create_tags(ResourceId=img, Tags=[{"Key": "tier", "Value": "gold"}]))
    eq("C.3 owner DescribeTags after CreateTags", a.describe_tags(ResourceId=img)["TagList"],
       [{"Key": "os", "Value": "win11"}, {"Key": "tier", "Value": "gold"}])
    expect_error("C.3 DescribeAccountModifications garbled NextToken -> ValidationException",
                 lambda: a.describe_account_modifications(NextToken="garbage-token"), "ValidationException", 400)

    # §10.4 CopyWorkspaceImage
    out = ok("C.3 b CopyWorkspaceImage of the shared image", lambda: b.copy_workspace_image(
        Name=f"mine-{RUN}", SourceImageId=img, SourceRegion=REGION, Tags=[{"Key": "copied", "Value": "yes"}]))
    copy = out and out.get("ImageId")
    if copy:
        BYOL_CLEANUP_IMAGES.append((b, copy))
        ci = describe_image(b, copy) or {}
        eq("C.3 copy: new id owned by b, DEDICATED, AVAILABLE, description copied",
           (copy != img, ci.get("OwnerAccountId"), ci.get("RequiredTenancy"), ci.get("State"), ci.get("Name"), ci.get("Description")),
           (True, B, "DEDICATED", "AVAILABLE", f"mine-{RUN}", "Golden image"))
        eq("C.3 copy tags", b.describe_tags(ResourceId=copy)["TagList"], [{"Key": "copied", "Value": "yes"}])
        eq("C.3 the copy is not shared", b.describe_workspace_image_permissions(ImageId=copy)["ImagePermissions"], [])
        eq("C.3 b OWNED -> the copy", image_ids(b, ImageType="OWNED"), [copy])
    expect_error("C.3 copy again under the same name -> ResourceAlreadyExistsException",
                 lambda: b.copy_workspace_image(Name=f"mine-{RUN}", SourceImageId=img, SourceRegion=REGION), rae, 400)
    expect_error("C.3 copy an image not shared with the caller -> ResourceNotFoundException",
                 lambda: c.copy_workspace_image(Name=f"nope-{RUN}", SourceImageId=img, SourceRegion=REGION), "ResourceNotFoundException", 400)
    expect_error("C.3 copy an unknown image -> ResourceNotFoundException",
                 lambda: b.copy_workspace_image(Name=f"nope-{RUN}", SourceImageId="wsi-zzzzzzzz9", SourceRegion=REGION), "ResourceNotFoundException", 400)
    expect_error("C.3 copy with the wrong SourceRegion -> ResourceNotFoundException",
                 lambda: b.copy_workspace_image(Name=f"nope-{RUN}", SourceImageId=img, SourceRegion=REGION2), "ResourceNotFoundException", 400)
    a2 = ws_client_in(A, REGION2)
    expect_error(f"C.3 copy the BYOL image into {REGION2} (not BYOL-enabled there) -> OperationNotSupportedException",
                     lambda: a2.copy_workspace_image(Name=f"far-{RUN}", SourceImageId=img, SourceRegion=REGION),
                     "OperationNotSupportedException", 400)
    if std:
        out = ok("C.3 c copies the shared non-BYOL image", lambda: c.copy_workspace_image(Name=f"ccopy-{RUN}", SourceImageId=std, SourceRegion=REGION))
        if out:
            BYOL_CLEANUP_IMAGES.append((c, out["ImageId"]))
        out = ok(f"C.3 a copies its non-BYOL image into {REGION2}", lambda: a2.copy_workspace_image(
            Name=f"std-{RUN}", Description="Far copy", SourceImageId=std, SourceRegion=REGION))
        if out:
            BYOL_CLEANUP_IMAGES.append((a2, out["ImageId"]))
            fi = describe_image(a2, out["ImageId"]) or {}
            eq(f"C.3 the {REGION2} copy: owner a, DEFAULT, given description",
               (fi.get("OwnerAccountId"), fi.get("RequiredTenancy"), fi.get("Description")), (A, "DEFAULT", "Far copy"))
            src_created = (describe_image(a, std) or {}).get("Created")
            check(f"C.3 the {REGION2} copy has its own Created time", fi.get("Created") and src_created and fi.get("Created") >= src_created,
                  f"copy {fi.get('Created')!r}, source {src_created!r}")
            eq(f"C.3 the source image is not visible in {REGION2}", a2.describe_workspace_images(ImageIds=[std])["Images"], [])

    # §10.5 DeleteWorkspaceImage
    expect_error("C.3 delete a shared image -> ResourceAssociatedException",
                 lambda: a.delete_workspace_image(ImageId=img), "ResourceAssociatedException", 400)
    expect_error("C.3 recipient deletes the shared image -> AccessDeniedException",
                 lambda: b.delete_workspace_image(ImageId=img), "AccessDeniedException", 400)
    ok("C.3 an account the image is not shared with deletes it -> no-op (as if unknown)", lambda: c.delete_workspace_image(ImageId=img))
    eq("C.3 the image survives the stranger's delete", (describe_image(a, img) or {}).get("State"), "AVAILABLE")
    ok("C.3 unshare from b", lambda: a.update_workspace_image_permission(ImageId=img, AllowCopyImage=False, SharedAccountId=B))
    eq("C.3 permissions after unsharing -> []", a.describe_workspace_image_permissions(ImageId=img)["ImagePermissions"], [])
    eq("C.3 b SHARED after unsharing -> no BYOL image", image_ids(b, ImageType="SHARED"), [std] if std else [])
    expect_error("C.3 b copies the unshared image -> ResourceNotFoundException",
                 lambda: b.copy_workspace_image(Name=f"late-{RUN}", SourceImageId=img, SourceRegion=REGION), "ResourceNotFoundException", 400)
    ok("C.3 delete the unshared image", lambda: a.delete_workspace_image(ImageId=img))
    eq("C.3 deleted image not described", a.describe_workspace_images(ImageIds=[img])["Images"], [])
    expect_error("C.3 DescribeTags of a deleted image -> ResourceNotFoundException",
                 lambda: a.describe_tags(ResourceId=img), "ResourceNotFoundException", 400)
    ok("C.3 delete it again (unknown image: no-op)", lambda: a.delete_workspace_image(ImageId=img))
    ok("C.3 delete a never-existing image (no-op)", lambda: a.delete_workspace_image(ImageId="wsi-zzzzzzzz9"))
    if copy:
        eq("C.3 b's copy survives the source's deletion", (describe_image(b, copy) or {}).get("State"), "AVAILABLE")
    if std:
        expect_error("C.3 delete the non-BYOL image shared with two accounts -> ResourceAssociatedException",
                     lambda: a.delete_workspace_image(ImageId=std), "ResourceAssociatedException", 400)
        for acct in (B, C):
            ok(f"C.3 unshare the non-BYOL image from {acct}", lambda: a.update_workspace_image_permission(ImageId=std, AllowCopyImage=False, SharedAccountId=acct))
        ok("C.3 delete the non-BYOL image", lambda: a.delete_workspace_image(ImageId=std))
        eq("C.3 c SHARED after the delete -> []", image_ids(c, ImageType="SHARED"), [])


def byol_image_quota():
    """Images in any state count against the 40-image quota (spec §3)."""
    q = ws_client(rand_account())
    enable_byol("quota: ModifyAccount ENABLED 10.220.0.0/16", q, "10.220.0.0/16")
    made = []
    for i in range(40):
        try:
            made.append(q.import_workspace_image(Ec2ImageId=rand_ami(), IngestionProcess="BYOL_REGULAR",
                                                 ImageName=f"quota-{RUN}-{i}", ImageDescription="quota")["ImageId"])
        except ClientError as e:
            check(f"quota: import {i}", False, str(e))
            break
    BYOL_CLEANUP_IMAGES.extend((q, iid) for iid in made)
    eq("quota: 40 imports accepted", len(made), 40)
    expect_error("quota: 41st ImportWorkspaceImage -> ResourceLimitExceededException",
                 lambda: q.import_workspace_image(Ec2ImageId=rand_ami(), IngestionProcess="BYOL_REGULAR",
                                                  ImageName=f"quota-{RUN}-40", ImageDescription="quota"), "ResourceLimitExceededException", 400)
    if made:
        expect_error("quota: CopyWorkspaceImage at the quota -> ResourceLimitExceededException",
                     lambda: q.copy_workspace_image(Name=f"quota-copy-{RUN}", SourceImageId=made[0], SourceRegion=REGION),
                     "ResourceLimitExceededException", 400)
        ok("quota: delete one image", lambda: q.delete_workspace_image(ImageId=made[0]))
        ok("quota: an import fits again", lambda: q.import_workspace_image(
            Ec2ImageId=rand_ami(), IngestionProcess="BYOL_REGULAR", ImageName=f"quota-{RUN}-again", ImageDescription="quota"))
    for iid in made[1:]:
        safe(lambda: q.delete_workspace_image(ImageId=iid))
    q2 = ws_client_in(q.wsl_account, REGION2)
    ok(f"quota: the same account in {REGION2} is not affected", lambda: q2.import_workspace_image(
        Ec2ImageId=rand_ami(), IngestionProcess="BYOL_REGULAR", ImageName=f"quota-{RUN}", ImageDescription="quota"))


def byol_c4():
    """Appendix C.4 on the zero-delay server with random accounts: s (source),
    t (target, accepts), u (rejects), x (another BYOL source)."""
    s, t, u, x = (ws_client(rand_account()) for _ in range(4))
    S, T, U, X = s.wsl_account, t.wsl_account, u.wsl_account, x.wsl_account
    ve, ce, ade, rnf = "ValidationException", "ConflictException", "AccessDeniedException", "ResourceNotFoundException"

    expect_error("C.4 CreateAccountLinkInvitation by a non-BYOL account -> AccessDeniedException",
                 lambda: s.create_account_link_invitation(TargetAccountId=T), ade, 400)
    enable_byol("C.4 s ModifyAccount ENABLED 10.210.0.0/16", s, "10.210.0.0/16")
    enable_byol("C.4 x ModifyAccount ENABLED 10.211.0.0/16", x, "10.211.0.0/16")
    expect_error("C.4 invite oneself -> ValidationException",
                 lambda: s.create_account_link_invitation(TargetAccountId=S), ve, 400)
    expect_error("C.4 invite a malformed account -> ValidationException",
                 lambda: s.create_account_link_invitation(TargetAccountId="12345"), ve, 400)
    eq("C.4 no links yet", links_of(s), [])
    token = f"inv-{RUN}"
    out = ok("C.4 s invites t (ClientToken)", lambda: s.create_account_link_invitation(TargetAccountId=T, ClientToken=token))
    if not out:
        return
    link = out["AccountLink"]
    lid = link.get("AccountLinkId")
    check("C.4 AccountLinkId is link-…", LINK_ID_RE.match(lid or ""), f"got {lid!r}")
    eq("C.4 invitation PENDING from s to t", link_view(out), (PENDING_LINK, S, T))
    out2 = ok("C.4 same ClientToken and target -> the original invitation",
              lambda: s.create_account_link_invitation(TargetAccountId=T, ClientToken=token))
    eq("C.4 replay returns the same link", (out2 or {}).get("AccountLink"), link)
    expect_error("C.4 same ClientToken, other target -> ConflictException",
                 lambda: s.create_account_link_invitation(TargetAccountId=U, ClientToken=token), ce, 400)
    out3 = ok("C.4 another account may use the same ClientToken (scope: caller account)",
              lambda: x.create_account_link_invitation(TargetAccountId=U, ClientToken=token))
    if out3:
        eq("C.4 x's invitation is a new link to u", link_view(out3), (PENDING_LINK, X, U))
        ok("C.4 x deletes its invitation to u", lambda: x.delete_account_link_invitation(LinkId=out3["AccountLink"]["AccountLinkId"]))
    expect_error("C.4 invite t again -> ConflictException",
                 lambda: s.create_account_link_invitation(TargetAccountId=T), ce, 400)
    expect_error("C.4 another source invites t (already invited) -> ConflictException",
                 lambda: x.create_account_link_invitation(TargetAccountId=T), ce, 400)
    expect_error("C.4 a source cannot become a target -> ConflictException",
                 lambda: x.create_account_link_invitation(TargetAccountId=S), ce, 400)
    expect_error("C.4 an invited target cannot invite -> ConflictException",
                 lambda: t.create_account_link_invitation(TargetAccountId=U), ce, 400)
    eq("C.4 t ListAccountLinks -> the invitation", links_of(t), [(lid, PENDING_LINK)])
    eq("C.4 s ListAccountLinks -> the invitation", links_of(s), [(lid, PENDING_LINK)])
    eq("C.4 u ListAccountLinks -> []", links_of(u), [])
    eq("C.4 t ListAccountLinks LinkStatusFilter [LINKED] -> []", links_of(t, LinkStatusFilter=["LINKED"]), [])
    eq("C.4 t ListAccountLinks LinkStatusFilter [PENDING…] -> the invitation",
       links_of(t, LinkStatusFilter=[PENDING_LINK]), [(lid, PENDING_LINK)])
    check("C.4 s has no account type while the invitation is pending", "DedicatedTenancyAccountType" not in account_view(s),
          f"got {account_view(s)!r}")
    check("C.4 t has no account type while invited", account_view(t) == {"DedicatedTenancySupport": "DISABLED"}, f"got {account_view(t)!r}")
    expect_error("C.4 the source accepts its own invitation -> AccessDeniedException",
                 lambda: s.accept_account_link_invitation(LinkId=lid), ade, 400)
    e = expect_error("C.4 a third account accepts -> ResourceNotFoundException",
                     lambda: u.accept_account_link_invitation(LinkId=lid), rnf, 400)
    if e is not None:
        eq("C.4 ResourceNotFoundException carries the LinkId", e.response.get("ResourceId"), lid)
    expect_error("C.4 accept an unknown link -> ResourceNotFoundException",
                 lambda: t.accept_account_link_invitation(LinkId="link-doesnotexist0000"), rnf, 400)
    expect_error("C.4 accept a malformed LinkId -> ValidationException",
                 lambda: t.accept_account_link_invitation(LinkId="bogus"), ve, 400)
    expect_error("C.4 reject an unknown link -> ResourceNotFoundException",
                 lambda: t.reject_account_link_invitation(LinkId="link-doesnotexist0000"), rnf, 400)
    expect_error("C.4 delete an unknown link -> ResourceNotFoundException",
                 lambda: s.delete_account_link_invitation(LinkId="link-doesnotexist0000"), rnf, 400)
    expect_error("C.4 a third account deletes the invitation -> ResourceNotFoundException",
                 lambda: u.delete_account_link_invitation(LinkId=lid), rnf, 400)
    expect_error("C.4 a third account GetAccountLink by id -> ResourceNotFoundException",
                 lambda: u.get_account_link(LinkId=lid), rnf, 400)

    acc_token = f"acc-{RUN}"
    out = ok("C.4 t accepts (ClientToken)", lambda: t.accept_account_link_invitation(LinkId=lid, ClientToken=acc_token))
    eq("C.4 accepted link LINKED", link_view(out), ("LINKED", S, T))
    eq("C.4 accept replay with the same ClientToken -> LINKED",
       link_view(safe(lambda: t.accept_account_link_invitation(LinkId=lid, ClientToken=acc_token))), ("LINKED", S, T))
    expect_error("C.4 the accept ClientToken reused for another link -> ConflictException",
                 lambda: t.accept_account_link_invitation(LinkId="link-doesnotexist0000", ClientToken=acc_token), ce, 400)
    eq("C.4 accept again (no token) -> LINKED", link_view(safe(lambda: t.accept_account_link_invitation(LinkId=lid))), ("LINKED", S, T))
    expect_error("C.4 reject a LINKED link -> ConflictException", lambda: t.reject_account_link_invitation(LinkId=lid), ce, 400)
    eq("C.4 s DescribeAccount -> SOURCE_ACCOUNT", account_view(s),
       {"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.210.0.0/16", "DedicatedTenancyAccountType": "SOURCE_ACCOUNT"})
    eq("C.4 t DescribeAccount -> TARGET_ACCOUNT with s's configuration", account_view(t),
       {"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.210.0.0/16", "DedicatedTenancyAccountType": "TARGET_ACCOUNT"})
    expect_error("C.4 LINKED target ModifyAccount -> InvalidResourceStateException",
                 lambda: t.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange="10.212.0.0/16"),
                 "InvalidResourceStateException", 400)
    eq("C.4 t DescribeAccountModifications -> [] (its own)", modifications(t), [])
    expect_error("C.4 delete a LINKED link -> ConflictException", lambda: s.delete_account_link_invitation(LinkId=lid), ce, 400)
    expect_error("C.4 the target deletes the link -> AccessDeniedException", lambda: t.delete_account_link_invitation(LinkId=lid), ade, 400)
    expect_error("C.4 a LINKED target cannot invite -> ConflictException",
                 lambda: t.create_account_link_invitation(TargetAccountId=U), ce, 400)
    full = {"AccountLinkId": lid, "AccountLinkStatus": "LINKED", "SourceAccountId": S, "TargetAccountId": T}
    for who, c, kw in (("s by LinkId", s, {"LinkId": lid}), ("t by LinkId", t, {"LinkId": lid}),
                       ("s by LinkedAccountId t", s, {"LinkedAccountId": T}), ("t by LinkedAccountId s", t, {"LinkedAccountId": S}),
                       ("s by LinkId and LinkedAccountId t", s, {"LinkId": lid, "LinkedAccountId": T})):
        out = ok(f"C.4 GetAccountLink {who}", lambda: c.get_account_link(**kw))
        if out:
            eq(f"C.4 GetAccountLink {who} -> the LINKED link", out.get("AccountLink"), full)
    expect_error("C.4 GetAccountLink without members -> ValidationException", lambda: s.get_account_link(), ve, 400)
    expect_error("C.4 GetAccountLink LinkId with a LinkedAccountId it does not link -> ValidationException",
                 lambda: s.get_account_link(LinkId=lid, LinkedAccountId=U), ve, 400)
    expect_error("C.4 GetAccountLink LinkedAccountId without a link -> ResourceNotFoundException",
                 lambda: s.get_account_link(LinkedAccountId=U), rnf, 400)
    expect_error("C.4 GetAccountLink unknown LinkId -> ResourceNotFoundException",
                 lambda: s.get_account_link(LinkId="link-doesnotexist0000"), rnf, 400)
    expect_error("C.4 GetAccountLink malformed LinkedAccountId -> ValidationException",
                 lambda: s.get_account_link(LinkedAccountId="abc"), ve, 400)

    # A LINKED target uses the source's BYOL configuration: it can receive BYOL images.
    img = import_image("C.4 s imports a BYOL image", s, f"linked-{RUN}")
    if img:
        ok("C.4 s shares the BYOL image with its LINKED target", lambda: s.update_workspace_image_permission(
            ImageId=img, AllowCopyImage=True, SharedAccountId=T))
        eq("C.4 t SHARED -> the image", image_ids(t, ImageType="SHARED"), [img])

    timg = import_image("C.4 the LINKED target (not BYOL-enabled itself) imports an image", t, f"target-{RUN}")
    if timg:
        eq("C.4 the target's import uses the source's BYOL configuration -> AVAILABLE",
           (describe_image(t, timg) or {}).get("State"), "AVAILABLE")

    # Reject path
    out = ok("C.4 s invites u", lambda: s.create_account_link_invitation(TargetAccountId=U))
    if not out:
        return
    l2 = out["AccountLink"]["AccountLinkId"]
    out = ok("C.4 u rejects", lambda: u.reject_account_link_invitation(LinkId=l2))
    eq("C.4 rejected link REJECTED", link_view(out), ("REJECTED", S, U))
    eq("C.4 reject again -> REJECTED", link_view(safe(lambda: u.reject_account_link_invitation(LinkId=l2))), ("REJECTED", S, U))
    expect_error("C.4 accept a REJECTED link -> ConflictException", lambda: u.accept_account_link_invitation(LinkId=l2), ce, 400)
    expect_error("C.4 the source rejects -> AccessDeniedException", lambda: s.reject_account_link_invitation(LinkId=l2), ade, 400)
    eq("C.4 s ListAccountLinks -> both, creation order", links_of(s), [(lid, "LINKED"), (l2, "REJECTED")])
    eq("C.4 s ListAccountLinks [REJECTED]", links_of(s, LinkStatusFilter=["REJECTED"]), [(l2, "REJECTED")])
    eq("C.4 s ListAccountLinks [LINKED, REJECTED]", links_of(s, LinkStatusFilter=["LINKED", "REJECTED"]), [(lid, "LINKED"), (l2, "REJECTED")])
    eq("C.4 s ListAccountLinks [] (empty filter = all)", links_of(s, LinkStatusFilter=[]), [(lid, "LINKED"), (l2, "REJECTED")])
    pages = list(s.get_paginator("list_account_links").paginate(PaginationConfig={"PageSize": 1}))
    eq("C.4 list_account_links paginator PageSize 1 -> two pages",
       [[l["AccountLinkId"] for l in p["AccountLinks"]] for p in pages], [[lid], [l2]])
    check("C.4 last page has no NextToken", "NextToken" not in pages[-1], f"got {pages[-1].get('NextToken')!r}")
    first = s.list_account_links(MaxResults=1)
    if first.get("NextToken"):
        expect_error("C.4 ListAccountLinks NextToken with another filter -> ValidationException",
                     lambda: s.list_account_links(MaxResults=1, LinkStatusFilter=["LINKED"], NextToken=first["NextToken"]), ve, 400)
    expect_error("C.4 ListAccountLinks MaxResults 26 -> ValidationException", lambda: s.list_account_links(MaxResults=26), ve, 400)
    expect_error("C.4 ListAccountLinks garbled NextToken -> ValidationException",
                 lambda: s.list_account_links(NextToken="garbage-token"), ve, 400)
    expect_error("C.4 ListAccountLinks LinkStatusFilter ['BOGUS'] -> ValidationException",
                 lambda: s.list_account_links(LinkStatusFilter=["BOGUS"]), ve, 400)
    eq("C.4 u DescribeAccount has no account type after rejecting", account_view(u), {"DedicatedTenancySupport": "DISABLED"})

    out = ok("C.4 a REJECTED link does not block a new invitation", lambda: s.create_account_link_invitation(TargetAccountId=U))
    l3 = (out or {}).get("AccountLink", {}).get("AccountLinkId")
    eq("C.4 GetAccountLink LinkedAccountId u -> the newest link", (safe(lambda: s.get_account_link(LinkedAccountId=U)) or {}).get("AccountLink", {}).get("AccountLinkId"), l3)
    out = ok("C.4 delete the REJECTED link", lambda: s.delete_account_link_invitation(LinkId=l2))
    eq("C.4 delete returns the link as it was (REJECTED)", link_view(out), ("REJECTED", S, U))
    expect_error("C.4 GetAccountLink of the deleted link -> ResourceNotFoundException", lambda: s.get_account_link(LinkId=l2), rnf, 400)
    if l3:
        expect_error("C.4 the target deletes a pending invitation -> AccessDeniedException",
                     lambda: u.delete_account_link_invitation(LinkId=l3), ade, 400)
        del_token = f"del-{RUN}"
        out = ok("C.4 delete the pending invitation (ClientToken)", lambda: s.delete_account_link_invitation(LinkId=l3, ClientToken=del_token))
        eq("C.4 delete returns the pending link", link_view(out), (PENDING_LINK, S, U))
        out2 = ok("C.4 delete replay with the same ClientToken -> the original answer",
                  lambda: s.delete_account_link_invitation(LinkId=l3, ClientToken=del_token))
        eq("C.4 replayed delete answer", (out2 or {}).get("AccountLink"), (out or {}).get("AccountLink"))
        expect_error("C.4 delete it again (new token) -> ResourceNotFoundException",
                     lambda: s.delete_account_link_invitation(LinkId=l3), rnf, 400)
        expect_error("C.4 u GetAccountLink of the deleted invitation -> ResourceNotFoundException",
                     lambda: u.get_account_link(LinkId=l3), rnf, 400)
    eq("C.4 s ListAccountLinks after the deletes -> the LINKED link only", links_of(s), [(lid, "LINKED")])
    eq("C.4 u ListAccountLinks -> []", links_of(u), [])
    expect_error("C.4 GetAccountLink LinkedAccountId u after the deletes -> ResourceNotFoundException",
                 lambda: s.get_account_link(LinkedAccountId=U), rnf, 400)
    eq("C.4 s still SOURCE_ACCOUNT", account_view(s).get("DedicatedTenancyAccountType"), "SOURCE_ACCOUNT")


# --------------------------------------------------------------------------
# WorkSpaces API part 2 (issue 17): applications, client branding, Amazon
# Connect client add-ins — the acceptance scenarios of workspaces-more §20.8,
# §21.7 and §22.5, with random accounts.

APP_TYPES = ["APPLICATION"]


def p2_workspace(ws, did, user, bundle, name, advance=None, **props):
    """Registers did (once) and creates one WorkSpace; returns its id once
    AVAILABLE (on the manual-clock server, advance moves the clock)."""
    if not describe_dir(ws, did):
        if not ok(f"{name}: RegisterWorkspaceDirectory", lambda: ws.register_workspace_directory(DirectoryId=did)):
            return None
        CLEANUP_DIRS.append((ws, did))
        if advance:
            advance("1s")
    req = ws_request(did, user, bundle)
    if props:
        req["WorkspaceProperties"] = props
    p = create_one(ws, f"{name}: CreateWorkspaces", req)
    if not p:
        return None
    if advance:
        advance("2s")
    eq(f"{name}: WorkSpace AVAILABLE", ws_state(ws, p["WorkspaceId"]), "AVAILABLE")
    return p["WorkspaceId"]


def p2_states(ws, wid):
    out = ws.describe_workspace_associations(WorkspaceId=wid, AssociatedResourceTypes=APP_TYPES)
    return {a["AssociatedResourceId"]: a["State"] for a in out["Associations"]}


def p2_applications_catalogue():
    ws = ws_client(rand_account())
    apps = ok("§20.8.1 describe_applications()", lambda: ws.describe_applications())
    if not apps:
        return
    eq("§20.8.1 10 applications, all Owner AMAZON", [a["Owner"] for a in apps["Applications"]], ["AMAZON"] * 10)
    check("§20.8.1 no NextToken on one page", "NextToken" not in apps, f"got {apps.get('NextToken')!r}")
    eq("§20.8.1 LicenseType UNLICENSED -> []", ws.describe_applications(LicenseType="UNLICENSED")["Applications"], [])
    eq("§20.8.1 Owner 111111111111 -> []", ws.describe_applications(Owner="111111111111")["Applications"], [])
    vals = [a["ApplicationId"] for a in ws.describe_applications(ComputeTypeNames=["VALUE"])["Applications"]]
    check("§20.8.1 ComputeTypeNames [VALUE] -> 8, no Visual Studio", len(vals) == 8 and not any("vs22" in v for v in vals), f"got {vals!r}")
    p1 = ws.describe_applications(MaxResults=3)
    check("§20.8.1 MaxResults 3 -> 3 and a NextToken", len(p1["Applications"]) == 3 and p1.get("NextToken"), f"got {strip_meta(p1)!r}")
    if p1.get("NextToken"):
        p2 = ws.describe_applications(MaxResults=3, NextToken=p1["NextToken"])
        eq("§20.8.1 the NextToken yields the next 3", [a["ApplicationId"] for a in p2["Applications"]],
           [a["ApplicationId"] for a in apps["Applications"][3:6]])
    expect_error("DescribeApplications bad NextToken -> InvalidParameterValuesException",
                 lambda: ws.describe_applications(NextToken="garbage"), "InvalidParameterValuesException", 400)
    expect_error("DescribeApplications MaxResults 26 -> ValidationException",
                 lambda: ws.describe_applications(MaxResults=26), "ValidationException", 400)


def p2_applications_clock():
    """§20.8 scenarios 2–9 on the manual-clock server (application.deploy 2 s)."""
    if not CLOCK_ENDPOINT:
        skip("§20.8 application scenarios", "WSL_MANUAL_CLOCK_ENDPOINT_URL not set")
        return
    ws = ws_client(rand_account(), endpoint=CLOCK_ENDPOINT)
    did = rand_dir_id()
    wid = p2_workspace(ws, did, f"app-{RUN}", "wsb-3t36q0xfc", "[clock] §20.8.2", clock_advance, RunningMode="AUTO_STOP")
    if not wid:
        return
    out = ok("[clock] §20.8.2 associate Visio Pro", lambda: ws.associate_workspace_application(WorkspaceId=wid, ApplicationId="wsa-vis21pro1"))
    eq("[clock] §20.8.2 State PENDING_INSTALL_DEPLOYMENT", (out or {}).get("Association", {}).get("State"), "PENDING_INSTALL_DEPLOYMENT")
    expect_error("[clock] §20.8.2 again -> ResourceAlreadyExistsException",
                 lambda: ws.associate_workspace_application(WorkspaceId=wid, ApplicationId="wsa-vis21pro1"), "ResourceAlreadyExistsException", 400)
    expect_error("[clock] §20.8.2 Visio Standard -> IncompatibleApplicationsException",
                 lambda: ws.associate_workspace_application(WorkspaceId=wid, ApplicationId="wsa-vis21std1"), "IncompatibleApplicationsException", 400)
    expect_error("[clock] §20.8.2 Office 2019 -> ApplicationNotSupportedException",
                 lambda: ws.associate_workspace_application(WorkspaceId=wid, ApplicationId="wsa-off2019p1"), "ApplicationNotSupportedException", 400)
    expect_error("[clock] §20.8.2 wsa-doesnotexist -> ResourceNotFoundException",
                 lambda: ws.associate_workspace_application(WorkspaceId=wid, ApplicationId="wsa-doesnotexist"), "ResourceNotFoundException", 400)

    lin = p2_workspace(ws, did, f"lin-{RUN}", "wsb-clj85qzj1", "[clock] §20.8.3 Linux", clock_advance)
    if lin:
        expect_error("[clock] §20.8.3 Linux WorkSpace -> OperatingSystemNotCompatibleException",
                     lambda: ws.associate_workspace_application(WorkspaceId=lin, ApplicationId="wsa-vis21pro1"), "OperatingSystemNotCompatibleException", 400)
    val = p2_workspace(ws, did, f"val-{RUN}", "wsb-bh8rsxt14", "[clock] §20.8.3 VALUE", clock_advance)
    if val:
        expect_error("[clock] §20.8.3 VALUE + Visual Studio -> ComputeNotCompatibleException",
                     lambda: ws.associate_workspace_application(WorkspaceId=val, ApplicationId="wsa-vs22pro01"), "ComputeNotCompatibleException", 400)

    out = ok("[clock] §20.8.4 deploy", lambda: ws.deploy_workspace_applications(WorkspaceId=wid))
    eq("[clock] §20.8.4 Deployment.Associations[0].State PENDING_INSTALL",
       [a["State"] for a in (out or {}).get("Deployment", {}).get("Associations", [])], ["PENDING_INSTALL"])
    expect_error("[clock] §20.8.4 second deploy at once -> ResourceInUseException",
                 lambda: ws.deploy_workspace_applications(WorkspaceId=wid), "ResourceInUseException", 400)
    clock_advance("1s")
    eq("[clock] §20.8.4 INSTALLING after 1 s", p2_states(ws, wid), {"wsa-vis21pro1": "INSTALLING"})
    clock_advance("1s")
    eq("[clock] §20.8.4 COMPLETED after 2 s", p2_states(ws, wid), {"wsa-vis21pro1": "COMPLETED"})

    out = ws.describe_application_associations(ApplicationId="wsa-vis21pro1", AssociatedResourceTypes=["WORKSPACE"])
    eq("[clock] §20.8.5 describe_application_associations -> the WorkSpace",
       [(a["AssociatedResourceType"], a["AssociatedResourceId"]) for a in out["Associations"]], [("WORKSPACE", wid)])

    img = ok("[clock] §20.8.6 create_workspace_image", lambda: ws.create_workspace_image(Name=f"apps-{RUN}", Description="apps", WorkspaceId=wid))
    if img:
        clock_advance("2s")
        out = ws.describe_image_associations(ImageId=img["ImageId"], AssociatedResourceTypes=APP_TYPES)
        eq("[clock] §20.8.6 image carries Visio Pro COMPLETED",
           [(a["AssociatedResourceId"], a["State"]) for a in out["Associations"]], [("wsa-vis21pro1", "COMPLETED")])
        safe(lambda: ws.delete_workspace_image(ImageId=img["ImageId"]))

    out = ok("[clock] §20.8.7 disassociate Visio Pro", lambda: ws.disassociate_workspace_application(WorkspaceId=wid, ApplicationId="wsa-vis21pro1"))
    eq("[clock] §20.8.7 PENDING_UNINSTALL_DEPLOYMENT", (out or {}).get("Association", {}).get("State"), "PENDING_UNINSTALL_DEPLOYMENT")
    ok("[clock] §20.8.7 deploy", lambda: ws.deploy_workspace_applications(WorkspaceId=wid))
    clock_advance("2s")
    eq("[clock] §20.8.7 REMOVED after 2 s", p2_states(ws, wid), {"wsa-vis21pro1": "REMOVED"})

    off = p2_workspace(ws, did, f"off-{RUN}", "wsb-df76rqys9", "[clock] §20.8.8 Office 2016 bundle", clock_advance)
    if off:
        eq("[clock] §20.8.8 Office 2016 COMPLETED", p2_states(ws, off), {"wsa-off2016p1": "COMPLETED"})
        expect_error("[clock] §20.8.8 Office 2021 -> IncompatibleApplicationsException",
                     lambda: ws.associate_workspace_application(WorkspaceId=off, ApplicationId="wsa-off21pro1"), "IncompatibleApplicationsException", 400)
        ok("[clock] §20.8.8 disassociate Office 2016", lambda: ws.disassociate_workspace_application(WorkspaceId=off, ApplicationId="wsa-off2016p1"))
        ok("[clock] §20.8.8 then associate Office 2021", lambda: ws.associate_workspace_application(WorkspaceId=off, ApplicationId="wsa-off21pro1"))
        out = ok("[clock] §20.8.8 one deploy", lambda: ws.deploy_workspace_applications(WorkspaceId=off))
        eq("[clock] §20.8.8 uninstalls one, installs the other",
           {a["AssociatedResourceId"]: a["State"] for a in (out or {}).get("Deployment", {}).get("Associations", [])},
           {"wsa-off2016p1": "PENDING_UNINSTALL", "wsa-off21pro1": "PENDING_INSTALL"})
        clock_advance("2s")
        eq("[clock] §20.8.8 after 2 s", p2_states(ws, off), {"wsa-off2016p1": "REMOVED", "wsa-off21pro1": "COMPLETED"})
        bundles = ws.describe_application_associations(ApplicationId="wsa-off2016p1", AssociatedResourceTypes=["BUNDLE"])
        office = [b["BundleId"] for page in ws.get_paginator("describe_workspace_bundles").paginate(Owner="AMAZON")
                  for b in page["Bundles"] if "Office 2016" in b["Name"]]
        got = [a["AssociatedResourceId"] for a in bundles["Associations"]]
        check("[clock] Office 2016 bundle associations: every public Office 2016 bundle",
              "wsb-df76rqys9" in got and sorted(got) == sorted(office), f"got {got}, Office 2016 bundles {office}")

    ok("[clock] §20.8.9 ADMIN_MAINTENANCE", lambda: ws.modify_workspace_state(WorkspaceId=wid, WorkspaceState="ADMIN_MAINTENANCE"))
    expect_error("[clock] §20.8.9 associate -> OperationNotSupportedException",
                 lambda: ws.associate_workspace_application(WorkspaceId=wid, ApplicationId="wsa-prj21pro1"), "OperationNotSupportedException", 400)
    other = ws_client(rand_account(), endpoint=CLOCK_ENDPOINT)
    expect_error("[clock] another account: describe_workspace_associations -> ResourceNotFoundException",
                 lambda: other.describe_workspace_associations(WorkspaceId=wid, AssociatedResourceTypes=APP_TYPES), "ResourceNotFoundException", 400)
    expect_error("describe_application_associations unknown application -> ResourceNotFoundException",
                 lambda: ws.describe_application_associations(ApplicationId="wsa-unknown001", AssociatedResourceTypes=["WORKSPACE"]),
                 "ResourceNotFoundException", 400)


P2_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAC0lEQVR42mNgQAcAABIAAeRVjecAAAAASUVORK5CYII=")


def p2_platforms(out):
    return sorted(k for k in out if k.startswith("DeviceType"))


def p2_branding():
    """§21.7 on the zero-delay server."""
    ws = ws_client(rand_account())
    did = rand_dir_id()
    if not ok("§21.7 RegisterWorkspaceDirectory", lambda: ws.register_workspace_directory(DirectoryId=did)):
        return
    CLEANUP_DIRS.append((ws, did))
    eq("§21.7.1 describe_client_branding -> no platforms", p2_platforms(ws.describe_client_branding(ResourceId=did)), [])
    osx = {"Logo": P2_PNG, "SupportLink": "https://example.com/help", "ForgotPasswordLink": "https://example.com/reset",
           "LoginMessage": {"en_US": "Hello <b>team</b>"}}
    out = ok("§21.7.2 import_client_branding DeviceTypeOsx", lambda: ws.import_client_branding(ResourceId=did, DeviceTypeOsx=osx))
    if out:
        eq("§21.7.2 response has only DeviceTypeOsx", p2_platforms(out), ["DeviceTypeOsx"])
        o = out.get("DeviceTypeOsx", {})
        url = o.get("LogoUrl", "")
        check("§21.7.2 LogoUrl https:// and <= 200 characters", url.startswith("https://") and len(url) <= 200, f"got {url!r}")
        eq("§21.7.2 links and message", (o.get("SupportLink"), o.get("ForgotPasswordLink"), o.get("LoginMessage")),
           (osx["SupportLink"], osx["ForgotPasswordLink"], osx["LoginMessage"]))
        d = ws.describe_client_branding(ResourceId=did)
        eq("§21.7.3 describe -> only DeviceTypeOsx, same values", (p2_platforms(d), d.get("DeviceTypeOsx")), (["DeviceTypeOsx"], o))
    ipv = "InvalidParameterValuesException"
    expect_error("§21.7.4 SupportEmail and SupportLink -> InvalidParameterValuesException",
                 lambda: ws.import_client_branding(ResourceId=did, DeviceTypeWindows={"SupportEmail": "help@example.com", "SupportLink": "https://example.com"}), ipv, 400)
    expect_error("§21.7.4 LoginMessage fr_FR -> InvalidParameterValuesException",
                 lambda: ws.import_client_branding(ResourceId=did, DeviceTypeWindows={"LoginMessage": {"fr_FR": "Bonjour"}}), ipv, 400)
    expect_error("§21.7.4 GIF logo -> InvalidParameterValuesException",
                 lambda: ws.import_client_branding(ResourceId=did, DeviceTypeWindows={"Logo": b"GIF89a..."}), ipv, 400)
    expect_error("§21.7.4 no platform -> InvalidParameterValuesException", lambda: ws.import_client_branding(ResourceId=did), ipv, 400)
    expect_error("§21.7.4 d-0000000000 -> ResourceNotFoundException",
                 lambda: ws.import_client_branding(ResourceId="d-0000000000", DeviceTypeWeb={"SupportEmail": "help@example.com"}), "ResourceNotFoundException", 400)
    ok("§21.7.5 import macOS with SupportEmail only", lambda: ws.import_client_branding(ResourceId=did, DeviceTypeOsx={"SupportEmail": "help@example.com"}))
    eq("§21.7.5 describe -> SupportEmail only", ws.describe_client_branding(ResourceId=did).get("DeviceTypeOsx"), {"SupportEmail": "help@example.com"})
    out = ok("§21.7.6 import iOS with three logos", lambda: ws.import_client_branding(ResourceId=did, DeviceTypeIos={"Logo": P2_PNG, "Logo2x": P2_PNG, "Logo3x": P2_PNG}))
    i = (out or {}).get("DeviceTypeIos", {})
    check("§21.7.6 LogoUrl, Logo2xUrl, Logo3xUrl", all(i.get(k) for k in ("LogoUrl", "Logo2xUrl", "Logo3xUrl")), f"got {i!r}")
    big = {"Logo": P2_PNG + b"\0" * 1_300_000}
    expect_error("§21.7.7 five 1.3 MB logos -> ResourceLimitExceededException",
                 lambda: ws.import_client_branding(ResourceId=did, DeviceTypeWindows=big, DeviceTypeOsx=big, DeviceTypeAndroid=big,
                                                   DeviceTypeLinux=big, DeviceTypeWeb=big), "ResourceLimitExceededException", 400)
    ok("§21.7.8 delete_client_branding Osx, Linux", lambda: ws.delete_client_branding(ResourceId=did, Platforms=["DeviceTypeOsx", "DeviceTypeLinux"]))
    eq("§21.7.8 describe -> only iOS", p2_platforms(ws.describe_client_branding(ResourceId=did)), ["DeviceTypeIos"])
    expect_error("delete_client_branding d-0000000000 -> ResourceNotFoundException",
                 lambda: ws.delete_client_branding(ResourceId="d-0000000000", Platforms=["DeviceTypeOsx"]), "ResourceNotFoundException", 400)
    ok("§21.7.9 deregister", lambda: ws.deregister_workspace_directory(DirectoryId=did))
    ws.describe_workspace_directories(DirectoryIds=[did])  # zero delays: DEREGISTERED, then gone
    ws.describe_workspace_directories(DirectoryIds=[did])
    ok("§21.7.9 register again", lambda: ws.register_workspace_directory(DirectoryId=did))
    eq("§21.7.9 describe -> no platforms", p2_platforms(ws.describe_client_branding(ResourceId=did)), [])


def p2_connect_addins():
    """§22.5 on the zero-delay server."""
    ws = ws_client(rand_account())
    did = rand_dir_id()
    if not ok("§22.5 RegisterWorkspaceDirectory", lambda: ws.register_workspace_directory(DirectoryId=did)):
        return
    CLEANUP_DIRS.append((ws, did))
    url = "https://example.my.connect.aws/ccp-v2"
    out = ok("§22.5.1 create_connect_client_add_in", lambda: ws.create_connect_client_add_in(ResourceId=did, Name="Contact Control Panel", URL=url))
    aid = (out or {}).get("AddInId", "")
    check("§22.5.1 AddInId is a UUID", re.match(r"^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$", aid), f"got {aid!r}")
    expect_error("§22.5.2 again -> ResourceAlreadyExistsException",
                 lambda: ws.create_connect_client_add_in(ResourceId=did, Name="Other", URL=url), "ResourceAlreadyExistsException", 400)
    expect_error("§22.5.2 d-0000000000 -> ResourceNotFoundException",
                 lambda: ws.create_connect_client_add_in(ResourceId="d-0000000000", Name="CCP", URL=url), "ResourceNotFoundException", 400)
    eq("§22.5.3 describe -> one add-in", ws.describe_connect_client_add_ins(ResourceId=did)["AddIns"],
       [{"AddInId": aid, "ResourceId": did, "Name": "Contact Control Panel", "URL": url}])
    out = ok("§22.5.4 update Name", lambda: ws.update_connect_client_add_in(AddInId=aid, ResourceId=did, Name="CCP"))
    eq("§22.5.4 update returns {}", strip_meta(out), {})
    eq("§22.5.4 describe -> Name CCP, URL unchanged", [(a["Name"], a["URL"]) for a in ws.describe_connect_client_add_ins(ResourceId=did)["AddIns"]],
       [("CCP", url)])
    expect_error("§22.5.4 update without Name and URL -> InvalidParameterValuesException",
                 lambda: ws.update_connect_client_add_in(AddInId=aid, ResourceId=did), "InvalidParameterValuesException", 400)
    expect_error("§22.5.4 update a random UUID -> ResourceNotFoundException",
                 lambda: ws.update_connect_client_add_in(AddInId="0f6a1c55-7b8e-4d2a-9c3b-1e2f3a4b5c6d", ResourceId=did, Name="x"),
                 "ResourceNotFoundException", 400)
    out = ok("§22.5.5 delete", lambda: ws.delete_connect_client_add_in(AddInId=aid, ResourceId=did))
    eq("§22.5.5 delete returns {}", strip_meta(out), {})
    eq("§22.5.5 describe -> AddIns []", ws.describe_connect_client_add_ins(ResourceId=did)["AddIns"], [])
    expect_error("§22.5.5 delete again -> ResourceNotFoundException",
                 lambda: ws.delete_connect_client_add_in(AddInId=aid, ResourceId=did), "ResourceNotFoundException", 400)
    ok("§22.5.5 create succeeds again", lambda: ws.create_connect_client_add_in(ResourceId=did, Name="CCP", URL=url))
    ok("§22.5.6 deregister", lambda: ws.deregister_workspace_directory(DirectoryId=did))
    ws.describe_workspace_directories(DirectoryIds=[did])
    ws.describe_workspace_directories(DirectoryIds=[did])
    ok("§22.5.6 register again", lambda: ws.register_workspace_directory(DirectoryId=did))
    eq("§22.5.6 describe -> AddIns []", ws.describe_connect_client_add_ins(ResourceId=did)["AddIns"], [])


# --------------------------------------------------------------------------


def local_request(method, path, body=None):
    """Any method on a /_local endpoint of ENDPOINT; returns (status, JSON or raw)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(ENDPOINT.rstrip("/") + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, (json.loads(raw) if raw else None)
    except ValueError:
        return status, raw


def test_control():
    """Test control (issue 12): a scoped POST /_local/reset empties one
    account and region and nothing else; an injected ThrottlingException is
    retried by boto3's standard retry mode until the call succeeds; the
    request journal shows the attempts. Uses fresh accounts so other sections
    are untouched."""
    acct, other = rand_account(), rand_account()
    ws, ws_other = client("workspaces", acct), client("workspaces", other)
    tc = tc_client(acct)
    ok("control: CreateIpGroup in the account to reset", lambda: ws.create_ip_group(GroupName="reset-me"))
    ok("control: CreateIpGroup in another account", lambda: ws_other.create_ip_group(GroupName="keep-me"))
    env = ok("control: CreateEnvironment in the account to reset", lambda: tc.create_environment(desktopArn=desk(acct)))
    status, body = local_call("/_local/reset", {"account": acct, "region": REGION})
    eq("control: scoped reset -> 200", status, 200)
    eq("control: reset account has no IP groups", len(ws.describe_ip_groups()["Result"]), 0)
    eq("control: reset account has no environments", len(tc.list_environments()["environments"]), 0)
    eq("control: other account keeps its IP group", [g["groupName"] for g in ws_other.describe_ip_groups()["Result"]], ["keep-me"])
    if env:
        status, _ = register_device(env["environment"]["activationCode"])
        eq("control: the reset environment's activation code is gone (404)", status, 404)
    status, _ = local_call("/_local/reset", {"acount": acct})
    eq("control: reset with an unknown member -> 400", status, 400)

    retrying = boto3.session.Session(aws_access_key_id=acct, aws_secret_access_key="x", region_name=REGION).client(
        "workspaces", endpoint_url=ENDPOINT, config=Config(retries={"max_attempts": 4, "mode": "standard"}))
    status, rule = local_call("/_local/faults", {"service": "workspaces", "operation": "DescribeIpGroups", "account": acct,
                                                 "error": "ThrottlingException", "count": 2})
    eq("control: POST /_local/faults -> 201", status, 201)
    out = ok("control: DescribeIpGroups succeeds through two injected throttles (boto3 retries)", lambda: retrying.describe_ip_groups())
    if out:
        eq("control: boto3 made 2 retries", out["ResponseMetadata"].get("RetryAttempts"), 2)
    status, body = local_request("GET", "/_local/requests?operation=DescribeIpGroups&account=" + acct + "&limit=3")
    eq("control: journal shows success after two 400 ThrottlingExceptions",
       [(r["status"], r.get("errorCode", "")) for r in (body or {}).get("requests", [])],
       [(200, ""), (400, "ThrottlingException"), (400, "ThrottlingException")])
    status, body = local_request("GET", "/_local/faults")
    check("control: the count-2 rule is gone", rule is None or all(r["id"] != rule.get("id") for r in (body or {}).get("faults", [])), f"{body!r}")
    local_call("/_local/faults", {"service": "thinclient", "operation": "ListEnvironments", "account": acct, "error": "ThrottlingException"})
    expect_error("control: injected Thin Client throttle -> ThrottlingException 429 (retries off)",
                 lambda: tc.list_environments(), "ThrottlingException", 429)
    status, body = local_request("DELETE", "/_local/faults")
    eq("control: DELETE /_local/faults -> 200", status, 200)
    ok("control: ListEnvironments after DELETE /_local/faults", lambda: tc.list_environments())
    status, _ = local_call("/_local/faults", {"service": "workspaces", "operation": "NoSuchOperation", "error": "ThrottlingException"})
    eq("control: a fault on an unknown operation -> 400", status, 400)


def main():
    global wsA, wsB, wsA2, tcA, tcB, tcA2
    if not ENDPOINT:
        print("AWS_ENDPOINT_URL is not set", file=sys.stderr)
        return 2
    print(f"endpoint {ENDPOINT}; manual-clock endpoint {CLOCK_ENDPOINT or '(none)'}; run {RUN}", flush=True)
    wsA = client("workspaces", ACCT_A)
    wsB = client("workspaces", ACCT_B)
    wsA2 = client("workspaces", ACCT_A, REGION2)
    tcA = client("workspaces-thin-client", ACCT_A)
    tcB = client("workspaces-thin-client", ACCT_B)
    tcA2 = client("workspaces-thin-client", ACCT_A, REGION2)
    try:
        section("IP groups", ip_groups_basic)
        section("IP group edge cases", ip_group_edge_cases)
        section("IP group pagination", ip_group_pagination)
        section("Tags", tags)
        section("Directories", directories)
        section("Directory settings (merge semantics)", directory_settings)
        section("Connection aliases", connection_aliases)
        section("Directory states (manual clock)", directory_states)
        section("NextToken expiry (manual clock)", token_expiry)
        section("Foreign NextTokens", foreign_tokens)
        section("IP groups per directory limit", association_limit)
        section("Account and region isolation", isolation)
        section("Scenario C.1", scenario_c1)
        section("WorkSpace bundles", workspace_bundles)
        section("WorkSpaces: per-item failures, filters, paginators, connection status", workspace_errors)
        section("WorkSpace lifecycle, scenario C.2 (manual clock)", workspace_lifecycle)
        section("BYOL acceptance scenario: accounts A and B, fresh region (manual clock)", byol_acceptance)
        section("BYOL images from WorkSpaces and copies (manual clock)", byol_image_from_workspace_clock)
        section("BYOL scenario C.3: account, CIDR ranges, import, share, copy, delete", byol_c3)
        section("BYOL image quota", byol_image_quota)
        section("BYOL scenario C.4: account links", byol_c4)
        section("Thin Client software sets", software_sets)
        section("Thin Client scenario A.1 (environment life)", tc_scenario_a1)
        section("Thin Client scenario A.2 (device life)", tc_scenario_a2)
        section("Thin Client clientToken idempotency", tc_idempotency)
        section("Thin Client paginators", tc_pagination)
        section("Thin Client errors, statuses and modelled members", tc_errors)
        section("Thin Client tags", tc_tags)
        section("Thin Client account and region isolation", tc_isolation)
        section("Thin Client deregistration states (manual clock)", tc_clock)
        section("Thin Client environment quota", tc_quota)
        section("Test control: reset, faults, journal", test_control)
        i16_sections()
        section("Applications: catalogue (§20.8.1)", p2_applications_catalogue)
        section("Applications: scenarios §20.8.2-9 (manual clock)", p2_applications_clock)
        section("Client branding (§21.7)", p2_branding)
        section("Amazon Connect client add-ins (§22.5)", p2_connect_addins)
    finally:
        cleanup()
    if KNOWN_HIT:
        print("known server bugs (not counted):")
        for f in KNOWN_HIT:
            print(f"  - {f}: {KNOWN_BUGS[f]}")
    if FAILURES:
        print("failed checks:")
        for f in FAILURES:
            print(f"  - {f}")
    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0



# --------------------------------------------------------------------------
# Issue 16: pools, custom bundles, disaster recovery, image updates and
# custom imports, endpoint encryption (spec workspaces-more §18, §19, §23,
# §24, §25). All on the manual-clock server (default delays) with fresh
# random accounts; skipped without it.

POOL_BUNDLE = "wsb-93xk71ss4"  # Standard with Windows 10 (Server 2022 based) (WSP)


def i16_clients(region=REGION):
    acct = rand_account()
    return acct, client("workspaces", acct, region, CLOCK_ENDPOINT)


def i16_directory(ws, did=None, **kw):
    if did:
        ws.register_workspace_directory(DirectoryId=did, **kw)
    else:
        did = ws.register_workspace_directory(**kw)["DirectoryId"]
    clock_advance("1s")
    return did


def i16_workspace(ws, did, user, bundle="wsb-bh8rsxt14", **kw):
    req = {"DirectoryId": did, "UserName": user, "BundleId": bundle}
    req.update(kw)
    out = ws.create_workspaces(Workspaces=[req])
    wid = out["PendingRequests"][0]["WorkspaceId"]
    clock_advance("2s")
    return wid


def i16_pool(ws, pid):
    pools = ws.describe_workspaces_pools(PoolIds=[pid])["WorkspacesPools"]
    return pools[0] if pools else None


def i16_pools():
    if not CLOCK_ENDPOINT:
        skip("pools", "no manual-clock server")
        return
    _, ws = i16_clients()
    wsd = i16_directory(ws, WorkspaceType="POOLS", UserIdentityType="CUSTOMER_MANAGED",
                        WorkspaceDirectoryName="pools-dir", WorkspaceDirectoryDescription="pools")
    i16_directory(ws, "d-1234567890")
    bundles = ws.describe_workspace_bundles(Owner="AMAZON")["Bundles"]
    named = [b["BundleId"] for b in bundles if b["Name"] == "Standard with Windows 10 (Server 2022 based) (WSP)"]
    eq("18.12 the WSP pool bundle is in the catalogue by name", named, [POOL_BUNDLE])
    args = dict(PoolName="support", Description="Support desks", BundleId=POOL_BUNDLE, DirectoryId=wsd,
                Capacity={"DesiredUserSessions": 2}, RunningMode="AUTO_STOP")
    out = ok("18.12 CreateWorkspacesPool", lambda: ws.create_workspaces_pool(**args))
    if not out:
        return
    p = out["WorkspacesPool"]
    pid = p["PoolId"]
    check("18.12 pool CREATING, wspool- id, ARN", p["State"] == "CREATING" and re.match(r"^wspool-[0-9a-z]{9}$", pid)
          and p["PoolArn"].endswith(":workspacespool/" + pid), str(p))
    eq("18.12 ApplicationSettings DISABLED", p.get("ApplicationSettings"), {"Status": "DISABLED"})
    eq("18.12 TimeoutSettings defaults", p.get("TimeoutSettings"),
       {"DisconnectTimeoutInSeconds": 900, "IdleDisconnectTimeoutInSeconds": 900, "MaxUserDurationInSeconds": 57600})
    expect_error("18.12 same pool again -> ResourceAlreadyExistsException", lambda: ws.create_workspaces_pool(**args), "ResourceAlreadyExistsException", 400)
    expect_error("18.12 PERSONAL directory -> OperationNotSupportedException",
                 lambda: ws.create_workspaces_pool(**dict(args, PoolName="p2", DirectoryId="d-1234567890")), "OperationNotSupportedException", 400)
    expect_error("18.12 unknown bundle -> ResourceNotFoundException",
                 lambda: ws.create_workspaces_pool(**dict(args, PoolName="p2", BundleId="wsb-doesnotexist")), "ResourceNotFoundException", 400)
    expect_error("18.12 Linux bundle -> OperationNotSupportedException",
                 lambda: ws.create_workspaces_pool(**dict(args, PoolName="p2", BundleId="wsb-clj85qzj1")), "OperationNotSupportedException", 400)
    clock_advance("2s")
    p = i16_pool(ws, pid)
    eq("18.12 after 2s RUNNING with capacity 2/2/0/2", (p["State"], p["CapacityStatus"]),
       ("RUNNING", {"DesiredUserSessions": 2, "ActualUserSessions": 2, "ActiveUserSessions": 0, "AvailableUserSessions": 2}))
    f = lambda op, v: len(ws.describe_workspaces_pools(Filters=[{"Name": "PoolName", "Values": [v], "Operator": op}])["WorkspacesPools"])
    eq("18.12 filters CONTAINS supp / NOTEQUALS support", (f("CONTAINS", "supp"), f("NOTEQUALS", "support")), (1, 0))
    eq("18.12 unknown PoolIds -> []", ws.describe_workspaces_pools(PoolIds=["wspool-000000000"])["WorkspacesPools"], [])
    expect_error("18.12 RunningMode change while RUNNING -> InvalidResourceStateException",
                 lambda: ws.update_workspaces_pool(PoolId=pid, RunningMode="ALWAYS_ON"), "InvalidResourceStateException", 400)
    up = ok("18.12 UpdateWorkspacesPool capacity 3", lambda: ws.update_workspaces_pool(PoolId=pid, Capacity={"DesiredUserSessions": 3}, RunningMode="AUTO_STOP"))
    eq("18.12 update -> UPDATING, Desired 3", ((up or {}).get("WorkspacesPool", {}).get("State"),
       (up or {}).get("WorkspacesPool", {}).get("CapacityStatus", {}).get("DesiredUserSessions")), ("UPDATING", 3))
    clock_advance("1s")
    eq("18.12 after 1s RUNNING, Actual 3", (i16_pool(ws, pid)["State"], i16_pool(ws, pid)["CapacityStatus"]["ActualUserSessions"]), ("RUNNING", 3))
    st, sess = local_call(f"/_local/workspaces/pools/{pid}/sessions", {"userId": "alice"}, CLOCK_ENDPOINT)
    eq("18.12 simulated session -> 201", st, 201)
    eq("18.12 Active 1, Available 2", (i16_pool(ws, pid)["CapacityStatus"]["ActiveUserSessions"], i16_pool(ws, pid)["CapacityStatus"]["AvailableUserSessions"]), (1, 2))
    ss = ws.describe_workspaces_pool_sessions(PoolId=pid)["Sessions"]
    check("18.12 one CONNECTED SAML session for alice, 57600 s", len(ss) == 1 and ss[0]["UserId"] == "alice" and ss[0]["ConnectionState"] == "CONNECTED"
          and ss[0]["AuthenticationType"] == "SAML" and ss[0]["InstanceId"].startswith("i-")
          and (ss[0]["ExpirationTime"] - ss[0]["StartTime"]).total_seconds() == 57600, str(ss))
    eq("18.12 UserId bob -> []", ws.describe_workspaces_pool_sessions(PoolId=pid, UserId="bob")["Sessions"], [])
    if ss:
        ok("18.12 TerminateWorkspacesPoolSession", lambda: ws.terminate_workspaces_pool_session(SessionId=ss[0]["SessionId"]))
        eq("18.12 Active 0", i16_pool(ws, pid)["CapacityStatus"]["ActiveUserSessions"], 0)
        expect_error("18.12 terminate it again -> ResourceNotFoundException",
                     lambda: ws.terminate_workspaces_pool_session(SessionId=ss[0]["SessionId"]), "ResourceNotFoundException", 400)
    ok("18.12 StopWorkspacesPool", lambda: ws.stop_workspaces_pool(PoolId=pid))
    eq("18.12 STOPPING", i16_pool(ws, pid)["State"], "STOPPING")
    clock_advance("1s")
    eq("18.12 STOPPED, Actual 0", (i16_pool(ws, pid)["State"], i16_pool(ws, pid)["CapacityStatus"]["ActualUserSessions"]), ("STOPPED", 0))
    expect_error("18.12 stop again -> InvalidResourceStateException", lambda: ws.stop_workspaces_pool(PoolId=pid), "InvalidResourceStateException", 400)
    ok("18.12 RunningMode ALWAYS_ON while STOPPED", lambda: ws.update_workspaces_pool(PoolId=pid, RunningMode="ALWAYS_ON"))
    clock_advance("1s")
    eq("18.12 STOPPED with ALWAYS_ON", (i16_pool(ws, pid)["State"], i16_pool(ws, pid)["RunningMode"]), ("STOPPED", "ALWAYS_ON"))
    ok("18.12 StartWorkspacesPool", lambda: ws.start_workspaces_pool(PoolId=pid))
    eq("18.12 STARTING", i16_pool(ws, pid)["State"], "STARTING")
    clock_advance("1s")
    eq("18.12 RUNNING again", i16_pool(ws, pid)["State"], "RUNNING")
    expect_error("18.12 deregister the pool directory -> OperationNotSupportedException",
                 lambda: ws.deregister_workspace_directory(DirectoryId=wsd), "OperationNotSupportedException", 400)
    ok("18.12 CreateTags on the pool", lambda: ws.create_tags(ResourceId=pid, Tags=[{"Key": "team", "Value": "support"}]))
    eq("18.12 DescribeTags on the pool", ws.describe_tags(ResourceId=pid)["TagList"], [{"Key": "team", "Value": "support"}])
    ok("18.12 TerminateWorkspacesPool", lambda: ws.terminate_workspaces_pool(PoolId=pid))
    eq("18.12 STOPPING (terminate)", i16_pool(ws, pid)["State"], "STOPPING")
    clock_advance("1s")
    eq("18.12 DELETING", i16_pool(ws, pid)["State"], "DELETING")
    clock_advance("1s")
    eq("18.12 gone", i16_pool(ws, pid), None)
    expect_error("18.12 terminate again -> ResourceNotFoundException", lambda: ws.terminate_workspaces_pool(PoolId=pid), "ResourceNotFoundException", 400)
    ok("18.12 the name is free again", lambda: ws.create_workspaces_pool(**args))


def i16_bundles():
    if not CLOCK_ENDPOINT:
        skip("custom bundles", "no manual-clock server")
        return
    acct, ws = i16_clients()
    did = i16_directory(ws, "d-1234567890")
    w = i16_workspace(ws, did, "alice")
    img = ws.create_workspace_image(Name="golden", Description="golden", WorkspaceId=w)["ImageId"]
    clock_advance("2s")
    args = dict(BundleName="golden-std", BundleDescription="golden on standard", ImageId=img, ComputeType={"Name": "STANDARD"},
                UserStorage={"Capacity": "50"}, RootStorage={"Capacity": "80"})
    out = ok("19.7 CreateWorkspaceBundle", lambda: ws.create_workspace_bundle(**args))
    if not out:
        return
    b = out["WorkspaceBundle"]
    bid = b["BundleId"]
    eq("19.7 Owner, State, BundleType, RootStorage", (b.get("Owner"), b.get("State"), b.get("BundleType"), b.get("RootStorage")),
       (acct, "AVAILABLE", "REGULAR", {"Capacity": "80"}))
    expect_error("19.7 same name -> ResourceAlreadyExistsException", lambda: ws.create_workspace_bundle(**args), "ResourceAlreadyExistsException", 400)
    expect_error("19.7 user 20 GiB -> InvalidParameterValuesException",
                 lambda: ws.create_workspace_bundle(**dict(args, BundleName="b2", UserStorage={"Capacity": "20"})), "InvalidParameterValuesException", 400)
    expect_error("19.7 GRAPHICS_G4DN with a non-graphics image -> InvalidParameterValuesException",
                 lambda: ws.create_workspace_bundle(**dict(args, BundleName="b2", ComputeType={"Name": "GRAPHICS_G4DN"},
                                                           RootStorage={"Capacity": "100"}, UserStorage={"Capacity": "100"})), "InvalidParameterValuesException", 400)
    w2 = i16_workspace(ws, did, "bob")
    img2 = ws.create_workspace_image(Name="golden2", Description="golden2", WorkspaceId=w2)["ImageId"]
    expect_error("19.7 PENDING image -> ResourceUnavailableException",
                 lambda: ws.create_workspace_bundle(**dict(args, BundleName="b2", ImageId=img2)), "ResourceUnavailableException", 400)
    clock_advance("2s")
    eq("19.7 DescribeWorkspaceBundles() -> the custom bundle", [x["BundleId"] for x in ws.describe_workspace_bundles()["Bundles"]], [bid])
    check("19.7 Owner AMAZON has no custom bundle", bid not in [x["BundleId"] for x in ws.describe_workspace_bundles(Owner="AMAZON")["Bundles"]])
    eq("19.7 BundleIds mixing custom and public", sorted(x["BundleId"] for x in ws.describe_workspace_bundles(BundleIds=[bid, "wsb-bh8rsxt14"])["Bundles"]),
       sorted([bid, "wsb-bh8rsxt14"]))
    cw = ws.create_workspaces(Workspaces=[{"DirectoryId": did, "UserName": "carol", "BundleId": bid}])
    cwid = cw["PendingRequests"][0]["WorkspaceId"] if cw["PendingRequests"] else None
    eq("19.7 CreateWorkspaces on the custom bundle", [x.get("BundleId") for x in cw["PendingRequests"]], [bid])
    clock_advance("2s")
    if cwid:
        p = describe_ws(ws, cwid)
        eq("19.7 the WorkSpace: AVAILABLE STANDARD 80/50", (p.get("State"), p["WorkspaceProperties"].get("ComputeTypeName"),
           p["WorkspaceProperties"].get("RootVolumeSizeGib"), p["WorkspaceProperties"].get("UserVolumeSizeGib")), ("AVAILABLE", "STANDARD", 80, 50))
    expect_error("19.7 DeleteWorkspaceBundle in use -> ResourceAssociatedException",
                 lambda: ws.delete_workspace_bundle(BundleId=bid), "ResourceAssociatedException", 400)
    expect_error("19.7 DeleteWorkspaceImage used by a bundle -> ResourceAssociatedException",
                 lambda: ws.delete_workspace_image(ImageId=img), "ResourceAssociatedException", 400)
    clock_advance("1s")
    ok("19.7 UpdateWorkspaceBundle to img2", lambda: ws.update_workspace_bundle(BundleId=bid, ImageId=img2))
    nb = ws.describe_workspace_bundles(BundleIds=[bid])["Bundles"][0]
    check("19.7 ImageId img2 and a later LastUpdatedTime", nb["ImageId"] == img2 and nb["LastUpdatedTime"] > nb["CreationTime"], str(nb))
    ok("19.7 DeleteWorkspaceImage of the old image now", lambda: ws.delete_workspace_image(ImageId=img))
    expect_error("19.7 UpdateWorkspaceBundle of a public bundle -> OperationNotSupportedException",
                 lambda: ws.update_workspace_bundle(BundleId="wsb-bh8rsxt14", ImageId=img2), "OperationNotSupportedException", 400)
    expect_error("19.7 UpdateWorkspaceBundle without ImageId -> InvalidParameterValuesException",
                 lambda: ws.update_workspace_bundle(BundleId=bid), "InvalidParameterValuesException", 400)
    expect_error("19.7 DeleteWorkspaceBundle without BundleId -> InvalidParameterValuesException",
                 lambda: ws.delete_workspace_bundle(), "InvalidParameterValuesException", 400)
    out = ok("19.7 DescribeBundleAssociations", lambda: ws.describe_bundle_associations(BundleId=bid, AssociatedResourceTypes=["APPLICATION"]))
    img_apps = sorted(a["AssociatedResourceId"] for a in ws.describe_image_associations(ImageId=img2, AssociatedResourceTypes=["APPLICATION"])["Associations"])
    eq("19.7 the bundle carries its image's applications", sorted(a["AssociatedResourceId"] for a in (out or {}).get("Associations", [])), img_apps)
    expect_error("19.7 DescribeBundleAssociations unknown bundle -> ResourceNotFoundException",
                 lambda: ws.describe_bundle_associations(BundleId="wsb-000000000", AssociatedResourceTypes=["APPLICATION"]), "ResourceNotFoundException", 400)
    ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": cwid}])
    clock_advance("3s")
    ok("19.7 DeleteWorkspaceBundle after the WorkSpace is gone", lambda: ws.delete_workspace_bundle(BundleId=bid))
    eq("19.7 deleted bundle not listed", ws.describe_workspace_bundles(BundleIds=[bid])["Bundles"], [])
    expect_error("19.7 delete again -> ResourceNotFoundException", lambda: ws.delete_workspace_bundle(BundleId=bid), "ResourceNotFoundException", 400)
    acct_b, wsb = i16_clients()
    ws.update_workspace_image_permission(ImageId=img2, AllowCopyImage=True, SharedAccountId=acct_b)
    expect_error("19.7 B: bundle from a shared image -> InvalidParameterValuesException",
                 lambda: wsb.create_workspace_bundle(**dict(args, ImageId=img2)), "InvalidParameterValuesException", 400)
    cp = wsb.copy_workspace_image(Name="copy", SourceImageId=img2, SourceRegion=REGION)["ImageId"]
    clock_advance("2s")
    ok("19.7 B: bundle from its copy", lambda: wsb.create_workspace_bundle(**dict(args, ImageId=cp)))


def i16_recovery():
    if not CLOCK_ENDPOINT:
        skip("disaster recovery", "no manual-clock server")
        return
    acct, east = i16_clients()
    west = client("workspaces", acct, "us-west-2", CLOCK_ENDPOINT)
    i16_directory(east, "d-1111111111")
    i16_directory(west, "d-2222222222")
    p = i16_workspace(east, "d-1111111111", "alice")
    avail = describe_ws(east, p)
    req = [{"PrimaryWorkspaceId": p, "DirectoryId": "d-2222222222"}]
    out = ok("23.6 CreateStandbyWorkspaces", lambda: west.create_standby_workspaces(PrimaryRegion=REGION, StandbyWorkspaces=req))
    pend = (out or {}).get("PendingStandbyRequests", [{}])[0]
    eq("23.6 pending standby", (pend.get("UserName"), pend.get("DirectoryId"), pend.get("State"), (out or {}).get("FailedStandbyRequests")),
       ("alice", "d-2222222222", "PENDING", []))
    s = pend.get("WorkspaceId")
    clock_advance("2s")
    sw = describe_ws(west, s)
    eq("23.6 standby STOPPED AUTO_STOP related to the primary", (sw.get("State"), sw["WorkspaceProperties"]["RunningMode"], sw.get("RelatedWorkspaces"),
       sw.get("DataReplicationSettings", {}).get("DataReplication")),
       ("STOPPED", "AUTO_STOP", [{"WorkspaceId": p, "Region": REGION, "State": "AVAILABLE", "Type": "PRIMARY"}], "NO_REPLICATION"))
    pw = describe_ws(east, p)
    eq("23.6 primary related to the standby", (pw.get("RelatedWorkspaces"), [x["StandbyWorkspaceId"] for x in pw.get("StandbyWorkspacesProperties", [])]),
       ([{"WorkspaceId": s, "Region": "us-west-2", "State": "STOPPED", "Type": "STANDBY"}], [s]))
    eq("23.6 one STANDBY bundle in us-west-2", [b["BundleType"] for b in west.describe_workspace_bundles()["Bundles"]], ["STANDBY"])
    again = west.create_standby_workspaces(PrimaryRegion=REGION, StandbyWorkspaces=req)
    eq("23.6 again -> ResourceExists.StandbyWorkspace", [f["ErrorCode"] for f in again["FailedStandbyRequests"]], ["ResourceExists.StandbyWorkspace"])
    expect_error("23.6 PrimaryRegion = this region -> InvalidParameterValuesException",
                 lambda: west.create_standby_workspaces(PrimaryRegion="us-west-2", StandbyWorkspaces=req), "InvalidParameterValuesException", 400)
    unk = west.create_standby_workspaces(PrimaryRegion=REGION, StandbyWorkspaces=[{"PrimaryWorkspaceId": "ws-doesnotexist1", "DirectoryId": "d-2222222222"}])
    eq("23.6 unknown primary -> ResourceNotFound.Workspace", [f["ErrorCode"] for f in unk["FailedStandbyRequests"]], ["ResourceNotFound.Workspace"])
    ok("23.6 DataReplication PRIMARY_AS_SOURCE", lambda: east.modify_workspace_properties(WorkspaceId=p, DataReplication="PRIMARY_AS_SOURCE"))
    sp = describe_ws(east, p).get("StandbyWorkspacesProperties", [{}])[0]
    ds = describe_ws(west, s).get("DataReplicationSettings", {})
    check("23.6 replication on both sides with a RecoverySnapshotTime", sp.get("DataReplication") == "PRIMARY_AS_SOURCE" and sp.get("RecoverySnapshotTime")
          and ds.get("DataReplication") == "PRIMARY_AS_SOURCE" and ds.get("RecoverySnapshotTime") == sp.get("RecoverySnapshotTime"), f"{sp} / {ds}")
    lone = i16_workspace(east, "d-1111111111", "bob")
    expect_error("23.6 DataReplication without a standby -> InvalidParameterValuesException",
                 lambda: east.modify_workspace_properties(WorkspaceId=lone, DataReplication="PRIMARY_AS_SOURCE"), "InvalidParameterValuesException", 400)
    snaps = east.describe_workspace_snapshots(WorkspaceId=lone)
    lone_ws = describe_ws(east, lone)
    check("23.6 one rebuild and one restore snapshot", len(snaps["RebuildSnapshots"]) == 1 and len(snaps["RestoreSnapshots"]) == 1, str(snaps))
    t0 = snaps["RebuildSnapshots"][0]["SnapshotTime"] if snaps["RebuildSnapshots"] else None
    clock_advance("12h")
    t1 = east.describe_workspace_snapshots(WorkspaceId=lone)["RebuildSnapshots"][0]["SnapshotTime"]
    check("23.6 after 12h the snapshot is 12h later", t0 and (t1 - t0).total_seconds() == 43200, f"{t0} -> {t1}")
    ok("23.6 RestoreWorkspace", lambda: east.restore_workspace(WorkspaceId=lone))
    eq("23.6 RESTORING", describe_ws(east, lone).get("State"), "RESTORING")
    clock_advance("2s")
    eq("23.6 AVAILABLE after 2s", describe_ws(east, lone).get("State"), "AVAILABLE")
    east.modify_workspace_state(WorkspaceId=lone, WorkspaceState="ADMIN_MAINTENANCE")
    expect_error("23.6 restore in ADMIN_MAINTENANCE -> OperationNotSupportedException",
                 lambda: east.restore_workspace(WorkspaceId=lone), "OperationNotSupportedException", 400)
    expect_error("23.6 restore unknown -> ResourceNotFoundException",
                 lambda: east.restore_workspace(WorkspaceId="ws-doesnotexist1"), "ResourceNotFoundException", 400)
    w = i16_workspace(east, "d-1111111111", "mary", WorkspaceProperties={"RunningMode": "AUTO_STOP"}, Tags=[{"Key": "team", "Value": "a"}])
    out = ok("23.6 MigrateWorkspace", lambda: east.migrate_workspace(SourceWorkspaceId=w, BundleId="wsb-3t36q0xfc"))
    t = (out or {}).get("TargetWorkspaceId")
    check("23.6 target differs from source", t and t != w and out.get("SourceWorkspaceId") == w, str(out))
    tw = describe_ws(east, t) if t else {}
    eq("23.6 target PENDING on the new bundle", (tw.get("State"), tw.get("BundleId"), tw.get("UserName"), tw.get("WorkspaceProperties", {}).get("RunningMode")),
       ("PENDING", "wsb-3t36q0xfc", "mary", "AUTO_STOP"))
    eq("23.6 target has the source's tags", east.describe_tags(ResourceId=t)["TagList"] if t else None, [{"Key": "team", "Value": "a"}])
    expect_error("23.6 second migrate -> OperationInProgressException",
                 lambda: east.migrate_workspace(SourceWorkspaceId=w, BundleId="wsb-3t36q0xfc"), "OperationInProgressException", 400)
    clock_advance("2s")
    eq("23.6 target AVAILABLE, source TERMINATING", (describe_ws(east, t).get("State"), describe_ws(east, w).get("State")), ("AVAILABLE", "TERMINATING"))
    clock_advance("3s")
    eq("23.6 source gone", east.describe_workspaces(WorkspaceIds=[w])["Workspaces"], [])
    expect_error("23.6 migrate to the same bundle -> InvalidParameterValuesException",
                 lambda: east.migrate_workspace(SourceWorkspaceId=t, BundleId="wsb-3t36q0xfc"), "InvalidParameterValuesException", 400)
    expect_error("23.6 migrate to Windows 7 -> OperationNotSupportedException",
                 lambda: east.migrate_workspace(SourceWorkspaceId=t, BundleId="wsb-b0s22j3d7"), "OperationNotSupportedException", 400)
    expect_error("23.6 migrate to Linux -> OperationNotSupportedException",
                 lambda: east.migrate_workspace(SourceWorkspaceId=t, BundleId="wsb-clj85qzj1"), "OperationNotSupportedException", 400)
    expect_error("23.6 migrate to an unknown bundle -> ResourceNotFoundException",
                 lambda: east.migrate_workspace(SourceWorkspaceId=t, BundleId="wsb-doesnotexist1"), "ResourceNotFoundException", 400)
    east.reboot_workspaces(RebootWorkspaceRequests=[{"WorkspaceId": t}])
    expect_error("23.6 migrate a REBOOTING WorkSpace -> ResourceUnavailableException",
                 lambda: east.migrate_workspace(SourceWorkspaceId=t, BundleId="wsb-8vbljg4r6"), "ResourceUnavailableException", 400)
    _ = (avail, lone_ws)


def i16_images():
    if not CLOCK_ENDPOINT:
        skip("image updates and imports", "no manual-clock server")
        return
    acct, ws = i16_clients()
    ws.modify_account(DedicatedTenancySupport="ENABLED", DedicatedTenancyManagementCidrRange="10.200.0.0/16")
    clock_advance("2s")
    args = dict(ImageName="win11-ib", ImageDescription="Windows 11 golden", ComputeType="BASE", Protocol="DCV",
                ImageSource={"Ec2ImageId": "ami-0123456789abcdef0"},
                InfrastructureConfigurationArn=f"arn:aws:imagebuilder:{REGION}:{acct}:infrastructure-configuration/ws-byol",
                Platform="WINDOWS", OsVersion="Windows_11")
    out = ok("24.4 ImportCustomWorkspaceImage", lambda: ws.import_custom_workspace_image(**args))
    img = (out or {}).get("ImageId")
    eq("24.4 import answers PENDING", (out or {}).get("State"), "PENDING")
    if img:
        d = ws.describe_custom_workspace_image_import(ImageId=img)
        eq("24.4 describe at start", (d["State"], d["ProgressPercentage"], d["ImageSource"]), ("PENDING", 0, {"Ec2ImageId": "ami-0123456789abcdef0"}))
        clock_advance("1500ms")
        d = ws.describe_custom_workspace_image_import(ImageId=img)
        check("24.4 halfway: a working state", d["State"] not in ("PENDING", "COMPLETED", "ERROR") and 0 < d["ProgressPercentage"] < 100, str(d))
        clock_advance("1500ms")
        d = ws.describe_custom_workspace_image_import(ImageId=img)
        eq("24.4 COMPLETED 100", (d["State"], d["ProgressPercentage"]), ("COMPLETED", 100))
        im = ws.describe_workspace_images(ImageIds=[img])["Images"][0]
        eq("24.4 image AVAILABLE DEDICATED", (im["State"], im["RequiredTenancy"]), ("AVAILABLE", "DEDICATED"))
    expect_error("24.4 Windows 11 with PCOIP -> InvalidParameterValuesException",
                 lambda: ws.import_custom_workspace_image(**dict(args, ImageName="x", Protocol="PCOIP", ImageSource={"Ec2ImageId": "ami-0123456789abcdef1"})),
                 "InvalidParameterValuesException", 400)
    expect_error("24.4 same name -> ResourceAlreadyExistsException",
                 lambda: ws.import_custom_workspace_image(**dict(args, ImageSource={"Ec2ImageId": "ami-0123456789abcdef1"})), "ResourceAlreadyExistsException", 400)
    try:
        ws.import_custom_workspace_image(**dict(args, ImageName="y", ImageSource={}))
        check("24.4 empty union -> ParamValidationError", False, "request was sent")
    except ParamValidationError:
        check("24.4 empty union -> ParamValidationError", True)
    acct_b, wsb = i16_clients()
    bo = wsb.import_custom_workspace_image(**dict(args, InfrastructureConfigurationArn=f"arn:aws:imagebuilder:{REGION}:{acct_b}:infrastructure-configuration/ws-byol"))
    clock_advance("3s")
    d = wsb.describe_custom_workspace_image_import(ImageId=bo["ImageId"])
    eq("24.4 without BYOL: ERROR WorkspacesBYOLAccountDisabled", (d["State"], [e.get("ErrorCode") for e in d.get("ErrorDetails", [])]),
       ("ERROR", ["WorkspacesBYOLAccountDisabled"]))
    eq("24.4 without BYOL the image is ERROR", wsb.describe_workspace_images(ImageIds=[bo["ImageId"]])["Images"][0]["State"], "ERROR")
    did = i16_directory(ws, "d-1234567890")
    w = i16_workspace(ws, did, "alice")
    src = ws.create_workspace_image(Name="golden", Description="golden", WorkspaceId=w)["ImageId"]
    expect_error("24.4 CreateUpdatedWorkspaceImage of a PENDING source -> InvalidResourceStateException",
                 lambda: ws.create_updated_workspace_image(Name="golden-v2", Description="updated", SourceImageId=src), "InvalidResourceStateException", 400)
    clock_advance("2s")
    expect_error("24.4 CreateUpdatedWorkspaceImage without an update -> OperationNotSupportedException",
                 lambda: ws.create_updated_workspace_image(Name="golden-v2", Description="updated", SourceImageId=src), "OperationNotSupportedException", 400)
    if img:
        expect_error("24.4 DescribeCustomWorkspaceImageImport of a CreateWorkspaceImage image -> ResourceNotFoundException",
                     lambda: ws.describe_custom_workspace_image_import(ImageId=src), "ResourceNotFoundException", 400)
    st, _ = local_call(f"/_local/workspaces/images/{src}/updates", {"updateAvailable": True}, CLOCK_ENDPOINT)
    eq("24.4 /_local mark update available -> 200", st, 200)
    out = ok("24.4 CreateUpdatedWorkspaceImage", lambda: ws.create_updated_workspace_image(Name="golden-v2", Description="updated", SourceImageId=src))
    new = (out or {}).get("ImageId")
    if new:
        eq("24.4 updated image PENDING", ws.describe_workspace_images(ImageIds=[new])["Images"][0]["State"], "PENDING")
        clock_advance("2s")
        n = ws.describe_workspace_images(ImageIds=[new])["Images"][0]
        eq("24.4 updated image AVAILABLE without updates", (n["State"], n["Updates"]["UpdateAvailable"]), ("AVAILABLE", False))
        eq("24.4 the source still exists", len(ws.describe_workspace_images(ImageIds=[src])["Images"]), 1)
    expect_error("24.4 CreateUpdatedWorkspaceImage unknown source -> ResourceNotFoundException",
                 lambda: ws.create_updated_workspace_image(Name="z", Description="z", SourceImageId="wsi-000000000"), "ResourceNotFoundException", 400)
    lw = i16_workspace(ws, did, "linus", bundle="wsb-clj85qzj1")
    lim = ws.create_workspace_image(Name="linux", Description="linux", WorkspaceId=lw)["ImageId"]
    clock_advance("2s")
    local_call(f"/_local/workspaces/images/{lim}/updates", {"updateAvailable": True}, CLOCK_ENDPOINT)
    expect_error("24.4 CreateUpdatedWorkspaceImage of an Amazon Linux image -> OperationNotSupportedException",
                 lambda: ws.create_updated_workspace_image(Name="linux-v2", Description="z", SourceImageId=lim), "OperationNotSupportedException", 400)


def i16_encryption():
    if not CLOCK_ENDPOINT:
        skip("endpoint encryption", "no manual-clock server")
        return
    _, ws = i16_clients()
    ws.register_workspace_directory(DirectoryId="d-3333333333")
    expect_error("25 REGISTERING directory -> OperationNotSupportedException",
                 lambda: ws.modify_endpoint_encryption_mode(DirectoryId="d-3333333333", EndpointEncryptionMode="FIPS_VALIDATED"), "OperationNotSupportedException", 400)
    clock_advance("1s")
    d = i16_directory(ws, "d-1234567890")
    ok("25 FIPS_VALIDATED", lambda: ws.modify_endpoint_encryption_mode(DirectoryId=d, EndpointEncryptionMode="FIPS_VALIDATED"))
    eq("25 directory shows FIPS_VALIDATED", describe_dir(ws, d).get("EndpointEncryptionMode"), "FIPS_VALIDATED")
    ok("25 repeating it", lambda: ws.modify_endpoint_encryption_mode(DirectoryId=d, EndpointEncryptionMode="FIPS_VALIDATED"))
    i16_workspace(ws, d, "alice")
    expect_error("25 back to STANDARD_TLS with a FIPS WorkSpace -> OperationNotSupportedException",
                 lambda: ws.modify_endpoint_encryption_mode(DirectoryId=d, EndpointEncryptionMode="STANDARD_TLS"), "OperationNotSupportedException", 400)
    w = i16_workspace(ws, "d-3333333333", "bob")
    expect_error("25 FIPS with a STANDARD_TLS WorkSpace -> OperationNotSupportedException",
                 lambda: ws.modify_endpoint_encryption_mode(DirectoryId="d-3333333333", EndpointEncryptionMode="FIPS_VALIDATED"), "OperationNotSupportedException", 400)
    ws.terminate_workspaces(TerminateWorkspaceRequests=[{"WorkspaceId": w}])
    clock_advance("3s")
    ok("25 FIPS after the WorkSpace is gone", lambda: ws.modify_endpoint_encryption_mode(DirectoryId="d-3333333333", EndpointEncryptionMode="FIPS_VALIDATED"))
    expect_error("25 unregistered directory -> ResourceNotFoundException",
                 lambda: ws.modify_endpoint_encryption_mode(DirectoryId="d-0000000000", EndpointEncryptionMode="FIPS_VALIDATED"), "ResourceNotFoundException", 400)


def i16_catalogue():
    ws = ws_client(rand_account())
    by = {b["BundleId"]: b for b in ws.describe_workspace_bundles(BundleIds=["wsb-0zsvgp8fc", "wsb-j4dky1gs4"])["Bundles"]}
    eq("catalogue has wsb-0zsvgp8fc and wsb-j4dky1gs4", sorted(by), ["wsb-0zsvgp8fc", "wsb-j4dky1gs4"])
    west = client("workspaces", rand_account(), "us-west-2")
    did = rand_dir_id()
    west.register_workspace_directory(DirectoryId=did)
    code = describe_dir(west, did).get("RegistrationCode", "")
    check("us-west-2 RegistrationCode starts WSpdx+", code.startswith("WSpdx+"), code)
    safe(lambda: west.deregister_workspace_directory(DirectoryId=did))


def i16_sections():
    section("Issue 16: catalogue fidelity", i16_catalogue)
    section("Issue 16: WorkSpaces Pools, scenario 18.12 (manual clock)", i16_pools)
    section("Issue 16: custom bundles, scenario 19.7 (manual clock)", i16_bundles)
    section("Issue 16: disaster recovery, scenario 23.6 (manual clock)", i16_recovery)
    section("Issue 16: image updates and custom imports, scenario 24.4 (manual clock)", i16_images)
    section("Issue 16: endpoint encryption mode, §25 (manual clock)", i16_encryption)


if __name__ == "__main__":
    sys.exit(main())
