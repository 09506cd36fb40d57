#!/usr/bin/env python3
"""boto3 compatibility check for workspaces-local.

Self-contained (stdlib + boto3). Talks to the server named by AWS_ENDPOINT_URL,
which should run with `--delays zero` (REGISTERING -> REGISTERED completes at
the next read). Optionally WSL_MANUAL_CLOCK_ENDPOINT_URL names a second server
started with `--manual-clock` and the default delays; the checks that need to
observe the REGISTERING / DEREGISTERING states run against it (they are
skipped, not failed, when it is not given).

Every check prints one line (PASS/FAIL/SKIP); the last line is
`N passed, M failed`. Exit status is non-zero when any check failed.

The script is re-runnable against the same server: names and directory ids are
random per run and it cleans up after itself.
"""

import datetime
import json
import os
import random
import re
import string
import sys
import traceback
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
RUN = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(8))

PASSED = 0
FAILED = 0
FAILURES = []


def log(status, name, detail=""):
    line = f"{status} {name}"
    if detail:
        line += f" -- {detail}"
    print(line, flush=True)


def check(name, cond, detail=""):
    global PASSED, FAILED
    if cond:
        PASSED += 1
        log("PASS", name)
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
        section("Directory states (manual clock)", directory_states)
        section("NextToken expiry (manual clock)", token_expiry)
        section("Foreign NextTokens", foreign_tokens)
        section("IP groups per directory limit", association_limit)
        section("Account and region isolation", isolation)
        section("Scenario C.1", scenario_c1)
        section("Thin Client software sets", software_sets)
    finally:
        cleanup()
    if FAILURES:
        print("failed checks:")
        for f in FAILURES:
            print(f"  - {f}")
    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
