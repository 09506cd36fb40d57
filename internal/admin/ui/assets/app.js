// workspaces-local dashboard: plain JavaScript, no build step, no external
// requests. It reads /_local/ui/api/* (which calls the services' own read
// operations), /_local/clock and, where the server has them,
// /_local/requests, /_local/faults and /_local/reset, and refreshes every
// second.
"use strict";

const REFRESH_MS = 1000;
const $ = (id) => document.getElementById(id);
const state = {
  scope: null,          // {account, region}
  scopes: [],
  kinds: null,          // last /resources answer
  rendered: "",         // JSON of what the tables show
  detail: null,         // {kind, id}
  detailJSON: "",
  features: {journal: null, faults: null, reset: null},
  busy: false,
};

// ---- admin token -------------------------------------------------------
const TOKEN_KEY = "workspaces-local-admin-token";
(function takeTokenFromURL() {
  const u = new URL(location.href);
  const t = u.searchParams.get("token");
  if (t !== null) {
    sessionStorage.setItem(TOKEN_KEY, t);
    u.searchParams.delete("token");
    history.replaceState(null, "", u.pathname + u.search + u.hash);
  }
})();

class HTTPError extends Error {
  constructor(status, body) {
    super((body && body.message) || "HTTP " + status);
    this.status = status;
    this.body = body;
  }
}

async function api(path, opts = {}) {
  const headers = Object.assign({"Accept": "application/json"}, opts.headers || {});
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers["Authorization"] = "Bearer " + token;
  if (opts.json !== undefined) {
    headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(opts.json);
  }
  const res = await fetch(path, {method: opts.method || "GET", headers, body: opts.body, cache: "no-store"});
  let body = null;
  const text = await res.text();
  if (text) { try { body = JSON.parse(text); } catch { body = {message: text}; } }
  if (res.status === 401 || res.status === 403) askToken();
  if (!res.ok) throw new HTTPError(res.status, body);
  return body;
}

function askToken() {
  const f = $("token-form");
  if (!f.hidden) return;
  f.hidden = false;
  $("token-input").focus();
}

// ---- helpers -------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function badgeClass(s) {
  const v = String(s || "").toUpperCase();
  if (!v) return "none";
  if (/(ERROR|FAIL|UNHEALTHY|IMPAIRED|INVALID|NOT_COMPLIANT|REJECTED)/.test(v)) return "bad";
  if (/(PENDING|ING$|IN_PROGRESS|REQUESTED)/.test(v)) return "wait";
  if (/^(AVAILABLE|REGISTERED|CREATED|COMPLETED|ENABLED|LINKED|VALIDATED|COMPLIANT|ACTIVE|UP_TO_DATE|ASSOCIATED)$/.test(v)) return "ok";
  if (/(STOPPED|SUSPENDED|DISABLED|DEREGISTERED|TERMINATED|ARCHIVED|DELETED|NOT_APPLICABLE|UNKNOWN)/.test(v)) return "off";
  return "info";
}

function badge(s) {
  return el("span", {class: "badge " + badgeClass(s), text: s || "—"});
}

function banner(msg) {
  const b = $("banner");
  b.hidden = !msg;
  b.textContent = msg || "";
}

function scopeKey(s) { return s.account + "/" + s.region; }

// ---- scopes ----------------------------------------------------------------
async function loadScopes() {
  const r = await api("/_local/ui/api/scopes");
  const list = r.scopes || [];
  const json = JSON.stringify(list);
  if (!state.scope) {
    const h = decodeURIComponent(location.hash.slice(1)).split("/");
    if (h.length === 2 && h[0]) state.scope = {account: h[0], region: h[1]};
    else if (list.length) state.scope = list[0];
    if (state.scope) selectScope(state.scope);
  }
  if (json === JSON.stringify(state.scopes) && $("scope-list").dataset.sel === (state.scope ? scopeKey(state.scope) : "")) return;
  state.scopes = list;
  renderScopes();
}

function renderScopes() {
  const ul = $("scope-list");
  const sel = state.scope ? scopeKey(state.scope) : "";
  ul.dataset.sel = sel;
  const items = state.scopes.slice();
  if (state.scope && !items.some((s) => scopeKey(s) === sel)) items.push(state.scope);
  ul.replaceChildren(...(items.length ? items.map((s) => el("li", {},
    el("button", {type: "button", class: "scope" + (scopeKey(s) === sel ? " selected" : ""), "aria-current": scopeKey(s) === sel ? "true" : null,
      "data-scope": scopeKey(s), onclick: () => selectScope(s)},
    el("span", {class: "acct", text: s.account}), el("span", {class: "region", text: s.region})))) :
    [el("li", {class: "muted", text: "No resources yet. Create some with an SDK, or enter an account below."})]));
}

function selectScope(s) {
  state.scope = {account: s.account, region: s.region};
  state.rendered = "";
  history.replaceState(null, "", "#" + scopeKey(s));
  $("scope-title").textContent = "Resources of " + s.account + " in " + s.region;
  renderScopes();
  refreshResources();
}

// ---- resources -------------------------------------------------------------
async function refreshResources() {
  if (!state.scope) return;
  const s = state.scope;
  const r = await api("/_local/ui/api/resources?account=" + encodeURIComponent(s.account) + "&region=" + encodeURIComponent(s.region));
  if (!state.scope || scopeKey(state.scope) !== scopeKey(s)) return;
  state.kinds = r.kinds;
  renderKinds();
}

function renderKinds() {
  const showEmpty = $("show-empty").checked;
  const json = JSON.stringify([state.kinds, showEmpty, state.detail]);
  if (json === state.rendered) return;
  const prevStates = {};
  document.querySelectorAll("#kinds tr[data-key]").forEach((tr) => { prevStates[tr.dataset.key] = tr.dataset.state; });
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
  state.rendered = json;
  const box = $("kinds");
  const sections = [];
  const empty = [];
  for (const k of state.kinds) {
    if (!k.rows.length && !k.error && !showEmpty) { empty.push(k.label); continue; }
    sections.push(renderKind(k, prevStates));
  }
  if (empty.length) sections.push(el("p", {class: "muted empty-kinds", text: "No " + empty.join(", ").toLowerCase() + "."}));
  box.replaceChildren(...sections);
  if (focused) {
    const again = box.querySelector('[data-key="' + CSS.escape(focused) + '"] button');
    if (again) again.focus();
  }
}

function renderKind(k, prevStates) {
  const rows = k.rows.map((r) => {
    const key = k.key + ":" + r.id;
    const changed = prevStates[key] !== undefined && prevStates[key] !== (r.state || "");
    const selected = state.detail && state.detail.kind === k.key && state.detail.id === r.id;
    return el("tr", {"data-key": key, "data-state": r.state || "", class: (changed ? "changed " : "") + (selected ? "selected" : "")},
      el("td", {}, el("button", {type: "button", class: "link", "data-key": key, title: "Describe " + r.id,
        onclick: () => openDetail(k.key, r.id)}, r.id)),
      el("td", {text: r.name || ""}),
      el("td", {}, k.rows.some((x) => x.state) ? badge(r.state) : ""),
      el("td", {class: "info", text: (r.info || []).join(" · ")}));
  });
  const hasState = k.rows.some((x) => x.state);
  return el("section", {class: "kind", "data-kind": k.key, "aria-label": k.label},
    el("h3", {}, k.label, " ", el("span", {class: "count", text: String(k.rows.length) + (k.truncated ? "+" : "")}),
      el("span", {class: "op", text: k.operation})),
    k.error ? el("p", {class: "error", text: k.operation + " answered " + k.error.code + ": " + k.error.message}) : null,
    k.rows.length ? el("table", {class: "rows"},
      el("thead", {}, el("tr", {}, el("th", {text: "ID"}), el("th", {text: "Name"}), el("th", {text: hasState ? "State" : ""}), el("th", {text: "Details"}))),
      el("tbody", {}, rows)) : el("p", {class: "muted", text: "None."}),
    k.truncated ? el("p", {class: "muted", text: "Only the first " + k.rows.length + " are listed."}) : null);
}

// ---- detail ---------------------------------------------------------------
async function openDetail(kind, id) {
  state.detail = {kind, id};
  state.detailJSON = "";
  $("detail").hidden = false;
  $("detail-h").textContent = id;
  $("detail-body").replaceChildren(el("p", {class: "muted", text: "Loading…"}));
  renderKinds();
  await refreshDetail();
  $("detail").focus();
}

function closeDetail() {
  const prev = state.detail;
  state.detail = null;
  $("detail").hidden = true;
  renderKinds();
  if (prev) {
    const b = document.querySelector('#kinds [data-key="' + CSS.escape(prev.kind + ":" + prev.id) + '"] button');
    if (b) b.focus();
  }
}

async function refreshDetail() {
  const d = state.detail;
  if (!d || !state.scope) return;
  const s = state.scope;
  const r = await api("/_local/ui/api/resource?account=" + encodeURIComponent(s.account) + "&region=" + encodeURIComponent(s.region) +
    "&kind=" + encodeURIComponent(d.kind) + "&id=" + encodeURIComponent(d.id));
  if (state.detail !== d) return;
  const json = JSON.stringify(r);
  if (json === state.detailJSON) return;
  state.detailJSON = json;
  if (!r.found) {
    $("detail-body").replaceChildren(el("p", {class: "muted", text: r.message || "This resource no longer exists."}));
    return;
  }
  const parts = [];
  const tags = r.tags ? Object.entries(r.tagMap || {}) : null;
  if (tags) {
    parts.push(el("h3", {text: "Tags"}),
      tags.length ? el("table", {class: "tags"}, el("tbody", {}, tags.map(([k, v]) => el("tr", {}, el("th", {text: k}), el("td", {text: v})))))
        : el("p", {class: "muted", text: "No tags."}));
  }
  for (const rd of r.reads.concat(r.tags ? [r.tags] : [])) {
    parts.push(el("h3", {}, rd.operation, " ", el("code", {class: "input", text: JSON.stringify(rd.input)})));
    if (rd.error) parts.push(el("p", {class: "error", text: rd.error.code + " (" + rd.error.status + "): " + rd.error.message}));
    else parts.push(el("pre", {class: "json", "data-operation": rd.operation, text: JSON.stringify(rd.output, null, 2)}));
  }
  $("detail-body").replaceChildren(...parts);
}

// ---- clock ----------------------------------------------------------------
async function refreshClock() {
  const c = await api("/_local/clock");
  $("clock-now").textContent = c.now.replace("T", " ").replace(/(\.\d{3})\d*/, "$1");
  $("clock-now").setAttribute("datetime", c.now);
  $("clock-mode").textContent = c.mode;
  $("clock-controls").hidden = c.mode !== "manual";
}

async function advance(by) {
  try {
    await api("/_local/clock", {method: "POST", json: {advance: by}});
    banner("");
  } catch (e) { banner("Advancing the clock failed: " + e.message); }
  tick();
}

// ---- journal --------------------------------------------------------------
async function refreshJournal(force) {
  if (state.features.journal !== true) return;
  const f = $("journal-filters");
  if (!force && !f.elements.live.checked) return;
  const q = new URLSearchParams({limit: "100"});
  for (const n of ["operation", "account", "status"]) {
    const v = f.elements[n].value.trim();
    if (v && (n !== "status" || /^\d+$/.test(v))) q.set(n, v); // the journal takes an HTTP status number
  }
  let r;
  try {
    r = await api("/_local/requests?" + q);
  } catch (e) {
    if (e.status === 400) { $("journal-rows").replaceChildren(el("tr", {}, el("td", {colspan: 9, class: "error", text: e.message}))); return; }
    throw e;
  }
  const entries = Array.isArray(r) ? r : (r.requests || r.entries || []);
  const rows = entries.map((e) => {
    const ms = e.durationMs !== undefined ? e.durationMs : (typeof e.duration === "number" ? e.duration / 1e6 : e.duration);
    return el("tr", {class: e.status >= 400 ? "failed" : ""},
      el("td", {text: String(e.time || "").replace("T", " ").replace(/(\.\d{3})\d*/, "$1")}),
      el("td", {text: e.service || ""}), el("td", {text: e.operation || ""}), el("td", {text: e.account || ""}),
      el("td", {text: e.region || ""}), el("td", {}, el("span", {class: "badge " + (e.status >= 400 ? "bad" : "ok"), text: String(e.status)})),
      el("td", {text: e.errorCode || ""}), el("td", {class: "num", text: typeof ms === "number" ? ms.toFixed(2) : (ms || "")}),
      el("td", {class: "rid", text: e.requestId || ""}));
  });
  $("journal-rows").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", {colspan: 9, class: "muted", text: "No calls match."}))]));
}

// ---- faults ---------------------------------------------------------------
async function refreshFaults() {
  if (state.features.faults !== true) return;
  let r;
  try {
    r = await api("/_local/faults");
  } catch (e) {
    throw e;
  }
  const rules = Array.isArray(r) ? r : (r.faults || r.rules || []);
  const list = $("faults-list");
  const text = rules.length ? JSON.stringify(rules, null, 2) : "No rules.";
  if (list.textContent !== text) list.textContent = text;
}

async function addFault(ev) {
  ev.preventDefault();
  let rule;
  try { rule = JSON.parse($("fault-rule").value); } catch (e) { $("fault-msg").textContent = "Not JSON: " + e.message; return; }
  try {
    const r = await api("/_local/faults", {method: "POST", json: rule});
    $("fault-msg").textContent = "Added rule " + (r && r.id ? r.id : "") + ".";
  } catch (e) { $("fault-msg").textContent = "Refused: " + e.message; }
  refreshFaults();
}

async function clearFaults() {
  try {
    await api("/_local/faults", {method: "DELETE"});
    $("fault-msg").textContent = "Every rule deleted.";
  } catch (e) { $("fault-msg").textContent = "Failed: " + e.message; }
  refreshFaults();
}

// ---- optional endpoints ---------------------------------------------------
// The server says which of the journal, faults and reset it has, so the page
// never requests an endpoint that is absent (no 404 in the console).
async function detectFeatures() {
  const f = await api("/_local/ui/api/features");
  setFeature("journal", !!f.journal);
  setFeature("faults", !!f.faults);
  state.features.reset = !!f.reset;
  $("reset-box").hidden = !f.reset;
}

// ---- reset ----------------------------------------------------------------
async function doReset() {
  $("reset-confirm").hidden = true;
  try {
    await api("/_local/reset", {method: "POST", json: {}});
    banner("");
  } catch (e) { banner("Reset failed: " + e.message); }
  closeDetail();
  state.scope = null;
  state.kinds = null;
  state.rendered = "";
  history.replaceState(null, "", location.pathname + location.search);
  $("scope-title").textContent = "Resources";
  $("kinds").replaceChildren(el("p", {class: "muted", text: "The server was reset. Pick an account and region once it holds resources."}));
  tick();
}

function setFeature(name, on) {
  state.features[name] = on;
  $(name + "-absent").hidden = on;
  if (name === "journal") {
    $("journal-filters").hidden = !on;
    document.querySelector("#journal-panel .scroll").hidden = !on;
  }
  if (name === "faults") $("faults-body").hidden = !on;
}

// ---- loop -----------------------------------------------------------------
async function tick() {
  if (state.busy) return;
  state.busy = true;
  try {
    await Promise.all([refreshClock(), loadScopes()]);
    await Promise.all([refreshResources(), refreshDetail(), refreshJournal(false), refreshFaults()]);
    $("live").classList.remove("stale");
    if (!$("banner").dataset.sticky) banner("");
  } catch (e) {
    $("live").classList.add("stale");
    banner(e.status === 401 || e.status === 403 ? "The server refused the admin token: enter it above." : "Refresh failed: " + e.message);
  } finally {
    state.busy = false;
  }
}

function init() {
  document.querySelectorAll("[data-advance]").forEach((b) => b.addEventListener("click", () => advance(b.dataset.advance)));
  $("advance-form").addEventListener("submit", (ev) => { ev.preventDefault(); const v = $("advance-by").value.trim(); if (v) advance(v); });
  $("show-empty").addEventListener("change", renderKinds);
  $("detail-close").addEventListener("click", closeDetail);
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && state.detail) closeDetail(); });
  $("journal-filters").addEventListener("input", () => refreshJournal(true).catch(() => {}));
  $("journal-filters").addEventListener("submit", (ev) => ev.preventDefault());
  $("fault-form").addEventListener("submit", addFault);
  $("faults-clear").addEventListener("click", clearFaults);
  $("reset").addEventListener("click", () => { $("reset-confirm").hidden = false; $("reset-confirm").focus(); });
  $("reset-confirm").addEventListener("click", doReset);
  $("reset-confirm").addEventListener("blur", () => setTimeout(() => { $("reset-confirm").hidden = true; }, 200));
  $("scope-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    selectScope({account: $("scope-account").value.trim(), region: $("scope-region").value.trim()});
  });
  $("token-button").addEventListener("click", () => { $("token-form").hidden = !$("token-form").hidden; if (!$("token-form").hidden) $("token-input").focus(); });
  $("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token-input").value);
    $("token-input").value = "";
    $("token-form").hidden = true;
    detectFeatures().catch(() => {});
    tick();
  });
  $("token-clear").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); $("token-form").hidden = true; });
  detectFeatures().catch((e) => banner("Reading /_local/ui/api/features failed: " + e.message));
  tick();
  setInterval(tick, REFRESH_MS);
}

document.addEventListener("DOMContentLoaded", init);
