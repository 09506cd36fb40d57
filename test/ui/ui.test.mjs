// Dashboard tests: /_local/ui in Debian's headless Chromium, driven by
// playwright-core (never a downloaded browser). Resources are made through
// the JS SDK v3; the server is the real binary, in memory, manual clock.
//
//   WSL_BIN=path/to/workspaces-local CHROMIUM=/usr/bin/chromium node --test ui.test.mjs
//
// Screenshots go to test/ui/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import {
  WorkSpacesClient, RegisterWorkspaceDirectoryCommand, CreateIpGroupCommand, CreateWorkspacesCommand,
  DescribeWorkspacesCommand, DescribeIpGroupsCommand, CreateConnectionAliasCommand,
} from "@aws-sdk/client-workspaces";
import { WorkSpacesThinClientClient, CreateEnvironmentCommand, GetEnvironmentCommand } from "@aws-sdk/client-workspaces-thin-client";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });
const BIN = process.env.WSL_BIN;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const A = "111111111111", B = "222222222222", REGION = "us-east-1", REGION_B = "eu-west-1";
const DIR = "d-9067a1b2c3";

let server, url, browser;
const fx = {};

function startServer(...extra) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ["serve", "--in-memory", "--manual-clock", "--addr", "127.0.0.1:0", "--log-level", "warn", ...extra],
      { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error("server did not print its address in 15 s:\n" + out)), 15000);
    const onData = (b) => {
      out += b;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) { clearTimeout(timer); resolve({ p, url: "http://127.0.0.1:" + m[1] }); }
    };
    p.stdout.on("data", onData);
    p.stderr.on("data", (b) => { out += b; });
    p.on("exit", (code) => { clearTimeout(timer); reject(new Error("server exited with " + code + ":\n" + out)); });
  });
}

const creds = (account) => ({ accessKeyId: account, secretAccessKey: "local" });
const ws = (account, region = REGION) => new WorkSpacesClient({ endpoint: url, region, credentials: creds(account), maxAttempts: 1 });
const tc = (account, region = REGION) => new WorkSpacesThinClientClient({ endpoint: url, region, credentials: creds(account), disableHostPrefix: true, maxAttempts: 1 });

async function local(path, body) {
  const res = await fetch(url + path, body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
  const text = await res.text();
  assert.ok(res.ok, `${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}
const advance = (by) => local("/_local/clock", { advance: by });

// newPage opens the dashboard and records every console error, page error
// and failed response, checked by the test at its end.
async function newPage(t, viewport = { width: 1400, height: 900 }, path = "/_local/ui") {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on("request", (r) => { if (!r.url().startsWith(url)) problems.push("request outside the server: " + r.url()); });
  t.after(async () => { await ctx.close(); });
  await page.goto(url + path);
  page.problems = problems;
  return page;
}

function noProblems(page) {
  assert.deepEqual(page.problems, [], "the page logged errors or made failed requests");
}

// has skips t unless the server has an optional endpoint (issue 12's journal,
// faults, reset), as the page itself finds out.
async function has(t, feature, why) {
  const ok = (await local("/_local/ui/api/features"))[feature];
  if (!ok) t.skip(why);
  return ok;
}

const row = (page, kind, id) => page.locator(`section[data-kind="${kind}"] tr[data-key="${kind}:${id}"]`);

before(async () => {
  assert.ok(BIN, "WSL_BIN must name the workspaces-local binary");
  ({ p: server, url } = await startServer());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  const a = ws(A);
  await a.send(new RegisterWorkspaceDirectoryCommand({ DirectoryId: DIR }));
  await advance("1s");
  fx.group = (await a.send(new CreateIpGroupCommand({ GroupName: "office", GroupDesc: "head office",
    UserRules: [{ ipRule: "203.0.113.0/24", ruleDesc: "hq" }], Tags: [{ Key: "team", Value: "blue" }] }))).GroupId;
  const out = await a.send(new CreateWorkspacesCommand({ Workspaces: [{ DirectoryId: DIR, UserName: "alice", BundleId: "wsb-bh8rsxt14",
    Tags: [{ Key: "owner", Value: "alice" }] }] }));
  assert.equal(out.FailedRequests.length, 0, JSON.stringify(out.FailedRequests));
  fx.workspace = out.PendingRequests[0].WorkspaceId;
  fx.env = (await tc(A).send(new CreateEnvironmentCommand({ name: "lobby",
    desktopArn: `arn:aws:workspaces:${REGION}:${A}:directory/${DIR}` }))).environment.id;
  fx.alias = (await a.send(new CreateConnectionAliasCommand({ ConnectionString: "desktops.example.com" }))).AliasId;
  const envCode = (await tc(A).send(new GetEnvironmentCommand({ id: fx.env }))).environment.activationCode;
  fx.device = (await local("/_local/thinclient/devices", { activationCode: envCode, serialNumber: "SN-UI-1", name: "kiosk" })).id;
  fx.groupB = (await ws(B, REGION_B).send(new CreateIpGroupCommand({ GroupName: "b-office" }))).GroupId;
});

after(async () => {
  if (browser) await browser.close();
  if (server) { server.removeAllListeners("exit"); server.kill(); }
});

test("resources made through the SDK appear, each with id, name and a state badge", async (t) => {
  const page = await newPage(t);
  await page.locator(`button[data-scope="${A}/${REGION}"]`).waitFor();
  await page.locator(`button[data-scope="${B}/${REGION_B}"]`).waitFor();
  const w = row(page, "workspaces", fx.workspace);
  await w.waitFor();
  assert.equal((await w.locator("td").nth(1).textContent()).trim(), "alice");
  assert.equal((await w.locator(".badge").textContent()).trim(), "PENDING");
  assert.match(await w.locator(".badge").getAttribute("class"), /\bwait\b/);
  const d = row(page, "directories", DIR);
  assert.equal((await d.locator(".badge").textContent()).trim(), "REGISTERED");
  assert.match(await d.locator(".badge").getAttribute("class"), /\bok\b/);
  assert.equal((await row(page, "ipgroups", fx.group).locator("td").nth(1).textContent()).trim(), "office");
  assert.equal((await row(page, "environments", fx.env).locator("td").nth(1).textContent()).trim(), "lobby");
  assert.equal((await row(page, "aliases", fx.alias).locator(".badge").textContent()).trim(), "CREATING");
  assert.equal((await row(page, "devices", fx.device).locator(".badge").textContent()).trim(), "REGISTERED");
  assert.ok(await page.locator('section[data-kind="account"] .badge').count() === 1, "the BYOL account row");
  assert.ok(await page.locator('section[data-kind="softwaresets"] tr[data-key]').count() > 0, "software sets listed");
  assert.equal(await row(page, "ipgroups", fx.groupB).count(), 0, "account B's group is not under account A");
  await page.screenshot({ path: join(artifacts, "dashboard-1400x900.png") });
  noProblems(page);
});

test("a state change shows without a reload once the clock moves", async (t) => {
  const page = await newPage(t);
  const badge = row(page, "workspaces", fx.workspace).locator(".badge");
  await badge.waitFor();
  assert.equal((await badge.textContent()).trim(), "PENDING");
  await page.evaluate(() => { window.__notReloaded = true; });
  await advance("2s"); // workspace.create: PENDING → AVAILABLE
  const t0 = Date.now();
  await page.waitForFunction((sel) => { const b = document.querySelector(sel); return b && b.textContent.trim() === "AVAILABLE"; },
    `section[data-kind="workspaces"] tr[data-key="workspaces:${fx.workspace}"] .badge`, { timeout: 2500, polling: 50 });
  t.diagnostic(`AVAILABLE on screen ${Date.now() - t0} ms after the clock moved`);
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was reloaded");
  assert.match(await badge.getAttribute("class"), /\bok\b/);
  // The page's own clock control moves it too.
  const before = await page.locator("#clock-now").getAttribute("datetime");
  await page.getByRole("button", { name: "+1m" }).click();
  await page.waitForFunction((b) => document.querySelector("#clock-now").getAttribute("datetime") !== b, before, { timeout: 2500 });
  const now = (await local("/_local/clock")).now;
  assert.equal(Date.parse(now) - Date.parse(before), 60000);
  noProblems(page);
});

test("clicking a resource shows its description as DescribeWorkspaces returns it, and its tags", async (t) => {
  const page = await newPage(t);
  const link = row(page, "workspaces", fx.workspace).locator("button.link");
  await link.waitFor();
  await link.click();
  const pre = page.locator('#detail pre[data-operation="DescribeWorkspaces"]');
  await pre.waitFor();
  const shown = JSON.parse(await pre.textContent());
  const sdk = (await ws(A).send(new DescribeWorkspacesCommand({ WorkspaceIds: [fx.workspace] }))).Workspaces[0];
  const got = shown.Workspaces[0];
  assert.deepEqual(Object.keys(got).sort(), Object.keys(sdk).sort(), "the members the SDK read");
  for (const k of ["WorkspaceId", "DirectoryId", "UserName", "BundleId", "State", "IpAddress", "ComputerName", "SubnetId"]) {
    assert.equal(got[k], sdk[k], k);
  }
  assert.deepEqual(got.WorkspaceProperties, sdk.WorkspaceProperties);
  assert.equal(await page.locator("#detail table.tags th").first().textContent(), "owner");
  assert.equal(await page.locator("#detail table.tags td").first().textContent(), "alice");
  await page.locator('#detail pre[data-operation="DescribeTags"]').waitFor();
  await page.screenshot({ path: join(artifacts, "dashboard-detail.png") });
  // Keyboard: Escape closes, focus returns to the row; Enter on it reopens.
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#detail").isHidden(), true);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.key), `workspaces:${fx.workspace}`);
  await page.keyboard.press("Enter");
  await page.locator('#detail pre[data-operation="DescribeWorkspaces"]').waitFor();
  noProblems(page);
});

test("the controls are reachable with the keyboard", async (t) => {
  const page = await newPage(t);
  await row(page, "ipgroups", fx.group).waitFor();
  const seen = new Set();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const what = await page.evaluate(() => {
      const e = document.activeElement;
      return e ? (e.dataset.key || e.dataset.scope || e.id || e.getAttribute("name") || e.textContent.trim()) : "";
    });
    seen.add(what);
  }
  for (const want of [`${A}/${REGION}`, `ipgroups:${fx.group}`, `workspaces:${fx.workspace}`, "+5s", "show-empty"]) {
    assert.ok(seen.has(want), `${want} not reached by Tab (reached: ${[...seen].join(", ")})`);
  }
  noProblems(page);
});

test("another account's resources, and a narrow window", async (t) => {
  const page = await newPage(t, { width: 420, height: 860 });
  const scope = page.locator(`button[data-scope="${B}/${REGION_B}"]`);
  await scope.waitFor();
  await scope.click();
  await row(page, "ipgroups", fx.groupB).waitFor();
  assert.equal(await row(page, "workspaces", fx.workspace).count(), 0, "account A's WorkSpace is not under account B");
  assert.match(await page.locator("#scope-title").textContent(), new RegExp(`${B} in ${REGION_B}`));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than a 420px window`);
  await page.screenshot({ path: join(artifacts, "dashboard-narrow.png"), fullPage: true });
  // On a narrow window the description covers the page; closing it returns.
  await row(page, "ipgroups", fx.groupB).locator("button.link").click();
  await page.locator('#detail pre[data-operation="DescribeIpGroups"]').waitFor();
  const box = await page.locator("#detail").boundingBox();
  assert.ok(box.x <= 1 && box.width >= 419, `description at x=${box.x} width ${box.width}`);
  await page.screenshot({ path: join(artifacts, "dashboard-narrow-detail.png") });
  await page.getByRole("button", { name: "Close the description" }).click();
  assert.equal(await page.locator("#detail").isHidden(), true);
  // An account typed in shows even when it holds nothing yet.
  await page.fill("#scope-account", "333333333333");
  await page.fill("#scope-region", REGION);
  await page.getByRole("button", { name: "Show" }).click();
  await page.locator(`button[data-scope="333333333333/${REGION}"]`).waitFor();
  noProblems(page);
});

test("the journal lists calls and filters them", async (t) => {
  if (!(await has(t, "journal", "this server has no request journal (GET /_local/requests)"))) return;
  const page = await newPage(t);
  const rows = page.locator("#journal-rows tr");
  await page.waitForFunction(() => [...document.querySelectorAll("#journal-rows td")].some((td) => td.textContent === "CreateWorkspaces"), null, { timeout: 3000 });
  await page.fill('#journal-filters input[name="operation"]', "CreateIpGroup");
  await page.waitForFunction(() => {
    const ops = [...document.querySelectorAll("#journal-rows tr")].map((tr) => tr.children[2] && tr.children[2].textContent);
    return ops.length === 2 && ops.every((o) => o === "CreateIpGroup");
  }, null, { timeout: 3000 });
  await page.fill('#journal-filters input[name="account"]', B);
  await page.waitForFunction((b) => {
    const trs = [...document.querySelectorAll("#journal-rows tr")];
    return trs.length === 1 && trs[0].children[3].textContent === b;
  }, B, { timeout: 3000 });
  assert.equal(await rows.count(), 1);
  await page.screenshot({ path: join(artifacts, "dashboard-journal.png"), fullPage: true });
  // The whole page with a description open (the README's picture).
  await page.fill('#journal-filters input[name="operation"]', "");
  await page.fill('#journal-filters input[name="account"]', "");
  await row(page, "workspaces", fx.workspace).locator("button.link").click();
  await page.locator('#detail pre[data-operation="DescribeWorkspaces"]').waitFor();
  await page.waitForTimeout(1200);
  // A window as tall as the page, so the sticky panels sit where a reader sees them.
  await page.setViewportSize({ width: 1400, height: await page.evaluate(() => document.documentElement.scrollHeight) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, "dashboard-full.png") });
  noProblems(page);
});

test("fault rules are added, listed and deleted from the page", async (t) => {
  if (!(await has(t, "faults", "this server has no fault injection (/_local/faults)"))) return;
  const page = await newPage(t);
  await page.locator("#fault-rule").waitFor();
  await page.fill("#fault-rule", JSON.stringify({ service: "workspaces", operation: "DescribeIpGroups", error: "ThrottlingException", status: 400, count: 1 }));
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.waitForFunction(() => document.querySelector("#faults-list").textContent.includes("DescribeIpGroups"), null, { timeout: 3000 });
  // The rule acts on SDK calls; the dashboard's own reads are not API calls.
  await assert.rejects(ws(A).send(new DescribeIpGroupsCommand({})), (e) => e.name === "ThrottlingException");
  await row(page, "ipgroups", fx.group).waitFor();
  // A rule the server refuses shows its message.
  await page.fill("#fault-rule", JSON.stringify({ service: "workspaces", operation: "NoSuchOperation", error: "X" }));
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.waitForFunction(() => /Refused: .*NoSuchOperation/.test(document.querySelector("#fault-msg").textContent), null, { timeout: 3000 });
  page.problems = page.problems.filter((p) => !/HTTP 400 .*\/_local\/faults$/.test(p) && !/status of 400/.test(p)); // that refusal was the point
  await page.getByRole("button", { name: "Delete all rules" }).click();
  await page.waitForFunction(() => document.querySelector("#faults-list").textContent === "No rules.", null, { timeout: 3000 });
  noProblems(page);
});

test("the admin token given as ?token= is sent as a bearer token and kept out of the URL", async (t) => {
  const page = await newPage(t, undefined, "/_local/ui?token=s3cret#" + A + "/" + REGION);
  const auth = [];
  // Every data request carries the token; the document and its static
  // assets (no data in them) are loaded by the browser itself, without it.
  page.on("request", (r) => {
    if (r.resourceType() === "fetch" || r.resourceType() === "xhr") auth.push(r.url() + " " + r.headers()["authorization"]);
  });
  await page.waitForTimeout(1500);
  assert.ok(auth.length > 0);
  assert.ok(auth.every((h) => h.endsWith(" Bearer s3cret")), JSON.stringify(auth));
  assert.ok(!page.url().includes("s3cret"), page.url());
  noProblems(page);
});

test("a server started with --admin-token: the page works with the token, its API refuses calls without it", async (t) => {
  const { p, url: guarded } = await startServer("--admin-token", "s3cret");
  t.after(() => { p.removeAllListeners("exit"); p.kill(); });
  const group = (await new WorkSpacesClient({ endpoint: guarded, region: REGION, credentials: creds(A), maxAttempts: 1 })
    .send(new CreateIpGroupCommand({ GroupName: "guarded" }))).GroupId;
  const bare = await fetch(guarded + "/_local/ui/api/scopes");
  assert.equal(bare.status, 401, "the dashboard API without the token");
  const page0 = await fetch(guarded + "/_local/ui");
  assert.equal(page0.status, 200, "the page itself needs no token");
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  t.after(async () => { await ctx.close(); });
  const page = await ctx.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(guarded + "/_local/ui?token=s3cret#" + A + "/" + REGION);
  await row(page, "ipgroups", group).waitFor({ timeout: 5000 });
  await page.screenshot({ path: join(artifacts, "admin-token.png") });
  assert.deepEqual(problems, []);
});

// Last: it empties the server.
test("reset empties the server from the page", async (t) => {
  if (!(await has(t, "reset", "this server has no reset (POST /_local/reset)"))) return;
  const page = await newPage(t);
  await row(page, "ipgroups", fx.group).waitFor();
  await page.getByRole("button", { name: "Reset…" }).click();
  await page.getByRole("button", { name: /Confirm reset/ }).click();
  await page.waitForFunction(() => document.querySelector("#scope-list").textContent.includes("No resources yet"), null, { timeout: 3000 });
  await row(page, "ipgroups", fx.group).waitFor({ state: "detached", timeout: 3000 });
  const groups = await ws(A).send(new DescribeIpGroupsCommand({}));
  assert.equal(groups.Result.length, 0);
  noProblems(page);
});
