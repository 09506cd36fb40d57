// JS SDK v3 compatibility check for workspaces-local (Amazon WorkSpaces Thin Client).
//
// Runs every Thin Client operation through @aws-sdk/client-workspaces-thin-client
// against the server named by AWS_ENDPOINT_URL (started with --delays zero), and
// registers a simulated device through the emulator's unsigned
// /_local/thinclient/devices endpoint. Prints one line per check and ends with
// `N passed, M failed`; exits non-zero when a check failed. Re-runnable against
// the same server: names and client tokens are random per run, and list checks
// only look at the resources this run created.
import { randomBytes } from "node:crypto";
import {
  WorkSpacesThinClientClient,
  CreateEnvironmentCommand,
  GetEnvironmentCommand,
  UpdateEnvironmentCommand,
  DeleteEnvironmentCommand,
  GetDeviceCommand,
  UpdateDeviceCommand,
  DeregisterDeviceCommand,
  DeleteDeviceCommand,
  GetSoftwareSetCommand,
  UpdateSoftwareSetCommand,
  ListSoftwareSetsCommand,
  ListEnvironmentsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListTagsForResourceCommand,
  paginateListEnvironments,
  paginateListDevices,
  paginateListSoftwareSets,
} from "@aws-sdk/client-workspaces-thin-client";

const endpoint = process.env.AWS_ENDPOINT_URL;
if (!endpoint) {
  console.error("AWS_ENDPOINT_URL is not set");
  process.exit(2);
}
const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const RUN = randomBytes(4).toString("hex");
const DESK = `arn:aws:workspaces:${REGION}:${ACCOUNT}:directory/d-9067a1b2c3`;

// Checks that fail because of a known server bug: the correct assertion stays
// in; a failure prints "KNOWN BUG" and is not counted.
const KNOWN_BUGS = {};

let passed = 0;
let failed = 0;
const failures = [];
const knownHit = [];

function check(name, cond, detail = "") {
  if (cond) {
    passed++;
    console.log(`PASS ${name}${name in KNOWN_BUGS ? " -- listed in KNOWN_BUGS but passes now: remove the entry" : ""}`);
  } else if (name in KNOWN_BUGS) {
    knownHit.push(name);
    console.log(`KNOWN BUG ${name} -- ${KNOWN_BUGS[name]}; ${detail}`);
  } else {
    failed++;
    failures.push(name);
    console.log(`FAIL ${name}${detail ? " -- " + detail : ""}`);
  }
  return Boolean(cond);
}

// show: canonical JSON (object keys sorted, $metadata dropped) for comparisons and messages.
const show = (v) =>
  JSON.stringify(v, (k, x) => {
    if (k === "$metadata") return undefined;
    if (x && typeof x === "object" && !Array.isArray(x) && !(x instanceof Date)) {
      return Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]]));
    }
    return x;
  });

function eq(name, got, want) {
  return check(name, show(got) === show(want), `got ${show(got)}, want ${show(want)}`);
}

function describeError(e) {
  return `${e?.name}: ${e?.message} (HTTP ${e?.$metadata?.httpStatusCode})`;
}

// ok(name, promiseFn): the call must succeed; returns its output or undefined.
async function ok(name, fn) {
  try {
    const out = await fn();
    check(name, true);
    return out;
  } catch (e) {
    check(name, false, describeError(e));
    return undefined;
  }
}

// expectError(name, fn, errName, status, members): the call must fail with the
// given exception name, HTTP status and modelled members; returns the error.
async function expectError(name, fn, errName, status, members = {}) {
  let out;
  try {
    out = await fn();
  } catch (e) {
    const problems = [];
    if (e?.name !== errName) problems.push(`name ${e?.name} (${e?.message}), want ${errName}`);
    if (e?.$metadata?.httpStatusCode !== status) problems.push(`HTTP ${e?.$metadata?.httpStatusCode}, want ${status}`);
    for (const [k, v] of Object.entries(members)) {
      if (show(e?.[k]) !== show(v)) problems.push(`member ${k}=${show(e?.[k])}, want ${show(v)}`);
    }
    check(name, problems.length === 0, problems.join("; "));
    return e;
  }
  check(name, false, `call succeeded with ${show(out)}, want ${errName}`);
  return undefined;
}

async function localPost(path, body) {
  const res = await fetch(endpoint.replace(/\/$/, "") + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

const client = new WorkSpacesThinClientClient({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: ACCOUNT, secretAccessKey: "x" },
  disableHostPrefix: true,
  maxAttempts: 1,
});
const send = (cmd) => client.send(cmd);
const status = (out) => out?.$metadata?.httpStatusCode;

const envIds = [];
const deviceIds = [];

async function main() {
  console.log(`endpoint ${endpoint}; run ${RUN}`);

  // ---- CreateEnvironment / GetEnvironment
  const created = await ok("CreateEnvironment", () =>
    send(new CreateEnvironmentCommand({ name: `js-${RUN}`, desktopArn: DESK, tags: { team: "js" }, clientToken: `js-${RUN}-1` })),
  );
  if (!created) return;
  const env = created.environment;
  envIds.push(env.id);
  eq("CreateEnvironment HTTP 201", status(created), 201);
  check("environment id is 9 [a-z0-9]", /^[a-z0-9]{9}$/.test(env.id ?? ""), `got ${env.id}`);
  eq("environment ARN", env.arn, `arn:aws:thinclient:${REGION}:${ACCOUNT}:environment/${env.id}`);
  check("createdAt parsed as a Date", env.createdAt instanceof Date && !isNaN(env.createdAt), `got ${env.createdAt}`);
  eq("stored defaults", [env.desktopType, env.softwareSetUpdateMode, env.maintenanceWindow], ["workspaces", "USE_LATEST", { type: "SYSTEM" }]);
  const replay = await ok("CreateEnvironment same clientToken", () =>
    send(new CreateEnvironmentCommand({ name: `js-${RUN}`, desktopArn: DESK, tags: { team: "js" }, clientToken: `js-${RUN}-1` })),
  );
  eq("same clientToken returns the same environment", replay?.environment?.id, env.id);
  await expectError(
    "CreateEnvironment same clientToken, other name -> ConflictException 409",
    () => send(new CreateEnvironmentCommand({ name: `other-${RUN}`, desktopArn: DESK, clientToken: `js-${RUN}-1` })),
    "ConflictException",
    409,
    { resourceId: env.id },
  );
  const got = await ok("GetEnvironment", () => send(new GetEnvironmentCommand({ id: env.id })));
  eq("GetEnvironment count 0, NO_REGISTERED_DEVICES", [got?.environment?.registeredDevicesCount, got?.environment?.softwareSetComplianceStatus], [0, "NO_REGISTERED_DEVICES"]);

  // ---- ListEnvironments with paginateListEnvironments over more than one page
  for (const i of [2, 3]) {
    const more = await ok(`CreateEnvironment ${i}`, () =>
      send(new CreateEnvironmentCommand({ name: `js-${RUN}-${i}`, desktopArn: DESK })),
    );
    if (more) envIds.push(more.environment.id);
  }
  const pages = [];
  const listed = [];
  try {
    for await (const page of paginateListEnvironments({ client, pageSize: 2 }, {})) {
      pages.push(page.environments.length);
      listed.push(...page.environments.map((e) => e.id));
    }
    check("paginateListEnvironments pageSize 2 spans more than one page", pages.length > 1, `pages ${show(pages)}`);
    check("every page but the last is full", pages.slice(0, -1).every((n) => n === 2), `pages ${show(pages)}`);
    check("paginateListEnvironments returns this run's environments", envIds.every((id) => listed.includes(id)), `listed ${show(listed)}`);
    eq("paginateListEnvironments returns no duplicates", new Set(listed).size, listed.length);
  } catch (e) {
    check("paginateListEnvironments", false, describeError(e));
  }

  // ---- UpdateEnvironment
  const upd = await ok("UpdateEnvironment name and CUSTOM window", () =>
    send(new UpdateEnvironmentCommand({
      id: env.id,
      name: `front-${RUN}`,
      maintenanceWindow: { type: "CUSTOM", startTimeHour: 1, endTimeHour: 5, daysOfTheWeek: ["SATURDAY"] },
    })),
  );
  eq("UpdateEnvironment returns the new name", upd?.environment?.name, `front-${RUN}`);
  eq("CUSTOM window defaults filled in", upd?.environment?.maintenanceWindow,
    { type: "CUSTOM", startTimeHour: 1, startTimeMinute: 0, endTimeHour: 5, endTimeMinute: 0, daysOfTheWeek: ["SATURDAY"], applyTimeOf: "UTC" });

  // ---- device registration (emulator endpoint) and device operations
  const reg = await localPost("/_local/thinclient/devices", {
    activationCode: env.activationCode, serialNumber: `JS-${RUN}`, model: "TC-1", currentSoftwareSetId: "1003",
  });
  check("register a device via fetch -> 201", reg.status === 201 && reg.body?.id, `HTTP ${reg.status}: ${show(reg.body)}`);
  const dev = reg.status === 201 ? reg.body : undefined;
  if (dev) {
    deviceIds.push(dev.id);
    const gd = await ok("GetDevice", () => send(new GetDeviceCommand({ id: dev.id })));
    const d = gd?.device ?? {};
    eq("GetDevice status, environment, sets", [d.status, d.environmentId, d.currentSoftwareSetId, d.pendingSoftwareSetId], ["REGISTERED", env.id, "1003", "1004"]);
    check("GetDevice lastPostureAt parsed as a Date", d.lastPostureAt instanceof Date, `got ${d.lastPostureAt}`);
    eq("GetDevice arn", d.arn, `arn:aws:thinclient:${REGION}:${ACCOUNT}:device/${dev.id}`);
    const devs = [];
    try {
      for await (const page of paginateListDevices({ client, pageSize: 50 }, {})) devs.push(...page.devices);
      check("paginateListDevices lists the device", devs.some((x) => x.id === dev.id && x.status === "REGISTERED"), `got ${show(devs.map((x) => x.id))}`);
    } catch (e) {
      check("paginateListDevices", false, describeError(e));
    }
    const ud = await ok("UpdateDevice name", () => send(new UpdateDeviceCommand({ id: dev.id, name: `kiosk-${RUN}` })));
    eq("UpdateDevice returns the new name", ud?.device?.name, `kiosk-${RUN}`);
    await expectError("DeleteEnvironment with a REGISTERED device -> ConflictException 409",
      () => send(new DeleteEnvironmentCommand({ id: env.id })), "ConflictException", 409, { resourceId: env.id, resourceType: "environment" });
    await expectError("DeleteDevice while REGISTERED -> ConflictException 409",
      () => send(new DeleteDeviceCommand({ id: dev.id })), "ConflictException", 409, { resourceId: dev.id, resourceType: "device" });
  }

  // ---- tags (ARNs with ':' and '/' in the URI label)
  const tr = await ok("TagResource environment ARN", () => send(new TagResourceCommand({ resourceArn: env.arn, tags: { env: "prod", "a:b/c": "d e" } })));
  eq("TagResource HTTP 200", status(tr), 200);
  const lt = await ok("ListTagsForResource", () => send(new ListTagsForResourceCommand({ resourceArn: env.arn })));
  eq("ListTagsForResource tags", lt?.tags, { team: "js", env: "prod", "a:b/c": "d e" });
  await ok("UntagResource", () => send(new UntagResourceCommand({ resourceArn: env.arn, tagKeys: ["team", "a:b/c"] })));
  const lt2 = await ok("ListTagsForResource after untag", () => send(new ListTagsForResourceCommand({ resourceArn: env.arn })));
  eq("tags after untag", lt2?.tags, { env: "prod" });
  if (dev) {
    await ok("TagResource device ARN", () => send(new TagResourceCommand({ resourceArn: dev.arn, tags: { room: "101" } })));
    const dt = await ok("ListTagsForResource device ARN", () => send(new ListTagsForResourceCommand({ resourceArn: dev.arn })));
    eq("device tags", dt?.tags, { room: "101" });
  }

  // ---- deregister and delete
  if (dev) {
    const dr = await ok("DeregisterDevice", () => send(new DeregisterDeviceCommand({ id: dev.id, targetDeviceStatus: "DEREGISTERED" })));
    eq("DeregisterDevice HTTP 202", status(dr), 202);
    const gd = await ok("GetDevice after deregistration", () => send(new GetDeviceCommand({ id: dev.id })));
    eq("device DEREGISTERED (zero delays)", gd?.device?.status, "DEREGISTERED");
    const dd = await ok("DeleteDevice", () => send(new DeleteDeviceCommand({ id: dev.id })));
    eq("DeleteDevice HTTP 204", status(dd), 204);
    await expectError("GetDevice after delete -> ResourceNotFoundException 404",
      () => send(new GetDeviceCommand({ id: dev.id })), "ResourceNotFoundException", 404, { resourceId: dev.id, resourceType: "device" });
  }
  for (const id of [...envIds]) {
    const de = await ok(`DeleteEnvironment ${id}`, () => send(new DeleteEnvironmentCommand({ id })));
    eq(`DeleteEnvironment ${id} HTTP 204`, status(de), 204);
    if (de) envIds.splice(envIds.indexOf(id), 1);
  }

  // ---- expected errors with modelled members
  const rnf = await expectError("GetEnvironment after delete -> ResourceNotFoundException 404",
    () => send(new GetEnvironmentCommand({ id: env.id })), "ResourceNotFoundException", 404, { resourceId: env.id, resourceType: "environment" });
  check("ResourceNotFoundException has a message", Boolean(rnf?.message));
  const ve = await expectError("ListEnvironments maxResults 51 -> ValidationException 400",
    () => send(new ListEnvironmentsCommand({ maxResults: 51 })), "ValidationException", 400, { reason: "fieldValidationFailed" });
  check("ValidationException fieldList names maxResults", Array.isArray(ve?.fieldList) && ve.fieldList.some((f) => f.name === "maxResults" && f.message),
    `got ${show(ve?.fieldList)}`);
  await expectError("CreateEnvironment s3 desktop ARN -> ValidationException 400",
    () => send(new CreateEnvironmentCommand({ desktopArn: "arn:aws:s3:::not-a-desktop-bucket" })), "ValidationException", 400, { reason: "fieldValidationFailed" });
  await expectError("TagResource unknown environment ARN -> ResourceNotFoundException 404",
    () => send(new TagResourceCommand({ resourceArn: `arn:aws:thinclient:${REGION}:${ACCOUNT}:environment/zzzzzzzzz`, tags: { a: "b" } })),
    "ResourceNotFoundException", 404, { resourceId: `arn:aws:thinclient:${REGION}:${ACCOUNT}:environment/zzzzzzzzz` });

  // ---- software sets
  const sets = [];
  try {
    for await (const page of paginateListSoftwareSets({ client, pageSize: 3 }, {})) sets.push(page.softwareSets.map((s) => s.id));
    eq("paginateListSoftwareSets pageSize 3: pages", sets, [["1004", "1003", "1002"], ["1001"]]);
  } catch (e) {
    check("paginateListSoftwareSets", false, describeError(e));
  }
  const ls = await ok("ListSoftwareSets", () => send(new ListSoftwareSetsCommand({})));
  check("releasedAt parsed as Dates", (ls?.softwareSets ?? []).every((s) => s.releasedAt instanceof Date), `got ${show(ls?.softwareSets)}`);
  const gs = await ok("GetSoftwareSet 1003", () => send(new GetSoftwareSetCommand({ id: "1003" })));
  eq("GetSoftwareSet version and components", [gs?.softwareSet?.version, gs?.softwareSet?.software?.length], ["2025.01.1", 3]);
  const us = await ok("UpdateSoftwareSet VALIDATED", () => send(new UpdateSoftwareSetCommand({ id: "1002", validationStatus: "VALIDATED" })));
  eq("UpdateSoftwareSet HTTP 204", status(us), 204);
  const gs2 = await ok("GetSoftwareSet 1002", () => send(new GetSoftwareSetCommand({ id: "1002" })));
  eq("validation mark stored", gs2?.softwareSet?.validationStatus, "VALIDATED");
  await ok("UpdateSoftwareSet back to NOT_VALIDATED", () => send(new UpdateSoftwareSetCommand({ id: "1002", validationStatus: "NOT_VALIDATED" })));
  await expectError("GetSoftwareSet 999999999 -> ResourceNotFoundException 404",
    () => send(new GetSoftwareSetCommand({ id: "999999999" })), "ResourceNotFoundException", 404, { resourceId: "999999999", resourceType: "softwareset" });
}

async function cleanup() {
  for (const id of deviceIds) {
    await send(new DeregisterDeviceCommand({ id })).catch(() => {});
    await send(new DeleteDeviceCommand({ id })).catch(() => {});
  }
  for (const id of envIds) await send(new DeleteEnvironmentCommand({ id })).catch(() => {});
}

try {
  await main();
} catch (e) {
  check("no unexpected exception", false, `${describeError(e)}\n${e?.stack}`);
} finally {
  await cleanup();
}
if (knownHit.length) {
  console.log("known server bugs (not counted):");
  for (const f of knownHit) console.log(`  - ${f}: ${KNOWN_BUGS[f]}`);
}
if (failures.length) {
  console.log("failed checks:");
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
