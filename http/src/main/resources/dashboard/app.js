// The Mysos dashboard: reads the API every second and draws it. Read-only; plain DOM, no libraries.
// Every text from the API goes through textContent (never innerHTML): names and reasons are data.
"use strict";

const POLL_MS = 1000;
const EVENTS_POLL_MS = 2000;
const SVG_NS = "http://www.w3.org/2000/svg";

let generation = 0; // bumped on every navigation, so a late answer for the previous page is dropped
let lastEventsSeq = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  return node;
}

function when(iso) {
  if (!iso) return "unknown";
  const date = new Date(iso);
  return isNaN(date) ? String(iso) : date.toLocaleString();
}

function seconds(millis) {
  return (millis / 1000).toFixed(millis < 10000 ? 1 : 0) + " s";
}

function size(s) {
  return s ? `${s.cpus} cpus, ${s.mem} mem, ${s.disk} disk` : "";
}

function lagText(instance) {
  if (instance.role !== "replica") return "\u2014";
  const parts = [];
  parts.push(instance.lag_seconds === null || instance.lag_seconds === undefined ? "?" : instance.lag_seconds + " s");
  if (instance.behind) parts.push(instance.behind.transactions + " trx");
  return parts.join(", ");
}

function replicatingCell(instance) {
  if (instance.role !== "replica") return el("td", {}, "\u2014");
  if (instance.state !== "RUNNING" || instance.replicating === null) return el("td", { class: "muted" }, "not yet");
  return instance.replicating
    ? el("td", { class: "yes" }, "yes")
    : el("td", { class: "no" }, "no");
}

function instanceRows(cluster) {
  const rows = [];
  const all = (cluster.master ? [cluster.master] : []).concat(cluster.replicas || []);
  for (const i of all) {
    rows.push(el("tr", { class: i.role, "data-task": i.task_id, "data-role": i.role },
      el("td", {}, i.task_id), el("td", {}, i.role), el("td", {}, i.state),
      el("td", {}, `${i.host}:${i.port}`), el("td", {}, lagText(i)), replicatingCell(i)));
  }
  return el("table", { class: "instances" },
    el("thead", {}, el("tr", {}, ["task", "role", "task state", "host:port", "lag", "replicating"].map(h => el("th", {}, h)))),
    el("tbody", {}, rows));
}

function lastFailover(f) {
  if (!f) return el("span", {}, el("b", {}, "last failover: "), "none");
  const from = f.from ? `${f.from} \u2192 ` : "";
  // A cause may carry the last lines of mysqld's log: the first sentence here, all of it on hover.
  const cause = f.cause.length > 90 ? f.cause.slice(0, 90).replace(/[:;,]?\s*\S*$/, "") + "\u2026" : f.cause;
  return el("span", { class: "last-failover", title: f.cause }, el("b", {}, "last failover: "),
    `${when(f.started_at)}, ${seconds(f.millis)}, ${from}${f.to} (${cause})`);
}

// Fields other features add to the view (backups, endpoints): drawn as they come, whatever their shape.
function generic(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) {
    if (value.length === 0) return el("span", { class: "muted" }, "none");
    if (value.every(v => v && typeof v === "object" && !Array.isArray(v))) {
      const keys = [...new Set(value.flatMap(v => Object.keys(v)))];
      return el("table", {}, el("thead", {}, el("tr", {}, keys.map(k => el("th", {}, k)))),
        el("tbody", {}, value.map(v => el("tr", {}, keys.map(k => el("td", {}, scalar(v[k])))))));
    }
    return value.map(scalar).join(", ");
  }
  if (typeof value === "object") {
    return el("div", { class: "facts" }, Object.entries(value).map(([k, v]) => el("span", {}, el("b", {}, k + ": "), scalar(v))));
  }
  return scalar(value);
}

function scalar(v) {
  if (v === null || v === undefined) return "\u2014";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function extras(cluster) {
  return ["backups", "endpoints"].filter(k => k in cluster).map(k =>
    el("div", { class: "extra " + k }, el("h3", {}, k), generic(cluster[k])));
}

function facts(c) {
  return el("div", { class: "facts" },
    el("span", {}, el("b", {}, "epoch "), String(c.epoch)),
    el("span", {}, el("b", {}, "nodes "), String(c.num_nodes)),
    el("span", {}, el("b", {}, "size "), size(c.size)),
    el("span", {}, el("b", {}, "semi-sync "), c.semi_sync ? "on" : "off"),
    el("span", {}, el("b", {}, "user "), c.user || ""),
    lastFailover(c.last_failover));
}

function clusterCard(c) {
  return el("section", { class: "card", "data-cluster": c.name, "data-state": c.state,
      "data-master": c.master ? c.master.task_id : "" },
    el("h2", {}, el("a", { href: "#/clusters/" + encodeURIComponent(c.name) }, c.name),
      el("span", { class: "badge " + c.state }, c.state)),
    c.reason ? el("div", { class: "reason" }, c.reason) : null,
    facts(c), instanceRows(c), extras(c));
}

// ------------------------------------------------------------------ pages

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store", headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

function heard(ok, text) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.classList.toggle("stale", !ok);
}

function replace(node) {
  const main = document.getElementById("main");
  main.replaceChildren(node);
}

async function showList(gen) {
  const { status, body } = await getJson("/clusters");
  if (gen !== generation) return;
  if (status !== 200) throw new Error(body.error || "HTTP " + status);
  const clusters = body.clusters || [];
  replace(clusters.length === 0
    ? el("p", { class: "muted", id: "clusters" }, "No clusters yet. Create one with POST /clusters/{name}.")
    : el("div", { class: "cards", id: "clusters" }, clusters.map(clusterCard)));
}

function topology(c) {
  const replicas = c.replicas || [];
  const boxW = 200, boxH = 44, gap = 24;
  const width = Math.max(boxW + 40, replicas.length * (boxW + gap) + gap);
  const height = replicas.length ? 190 : 80;
  const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "topology" });
  const mx = width / 2 - boxW / 2, my = 12;
  replicas.forEach((r, i) => {
    const x = gap + i * (boxW + gap), y = 130;
    const stopped = r.state === "RUNNING" && r.replicating === false;
    const starting = r.state !== "RUNNING";
    root.appendChild(svg("line", { class: "edge" + (stopped ? " stopped" : ""), x1: width / 2, y1: my + boxH, x2: x + boxW / 2, y2: y }));
    const label = starting ? "starting" : stopped ? "not replicating" : "lag " + lagText(r);
    root.appendChild(svg("text", { class: "lag", x: (width / 2 + x + boxW / 2) / 2 + 4, y: (my + boxH + y) / 2 + 4 }, label));
    root.appendChild(node(r, x, y, boxW, boxH, "replica" + (r.state !== "RUNNING" ? " starting" : "")));
  });
  if (c.master) root.appendChild(node(c.master, mx, my, boxW, boxH, "master" + (c.master.state !== "RUNNING" ? " down" : "")));
  else root.appendChild(svg("text", { x: mx, y: my + 24 }, "no master"));
  return el("div", { class: "topology" }, root);
}

function node(i, x, y, w, h, kind) {
  return svg("g", { class: "node " + kind, "data-task": i.task_id },
    svg("rect", { x, y, width: w, height: h, rx: 6 }),
    svg("text", { x: x + 8, y: y + 18, "font-weight": "600" }, i.task_id),
    svg("text", { x: x + 8, y: y + 35 }, `${i.state} ${i.host}:${i.port}`));
}

async function showCluster(gen, name) {
  const { status, body } = await getJson("/clusters/" + encodeURIComponent(name));
  if (gen !== generation) return;
  if (status === 404) {
    replace(el("div", { class: "panel", id: "cluster", "data-cluster": name }, el("p", {}, `No cluster '${name}'. `),
      el("a", { href: "#/" }, "All clusters")));
    return;
  }
  if (status !== 200) throw new Error(body.error || "HTTP " + status);
  const c = body;
  const timeline = document.getElementById("timeline") || el("div", { class: "panel", id: "timeline" },
    el("h3", {}, "timeline"), el("p", { class: "muted" }, "loading..."));
  replace(el("div", { id: "cluster", "data-cluster": c.name, "data-state": c.state, "data-master": c.master ? c.master.task_id : "" },
    el("p", {}, el("a", { href: "#/" }, "\u2190 all clusters")),
    el("div", { class: "panel" },
      el("h2", {}, c.name, " ", el("span", { class: "badge " + c.state }, c.state)),
      c.reason ? el("div", { class: "reason" }, c.reason) : null,
      facts(c), topology(c), instanceRows(c), extras(c)),
    timeline));
}

// The timeline comes from GET /clusters/{name}/events; a Mysos without that route says so.
async function showEvents(gen, name) {
  const panel = document.getElementById("timeline");
  const { status, body } = await getJson("/clusters/" + encodeURIComponent(name) + "/events");
  if (gen !== generation || !document.getElementById("timeline")) return;
  const target = document.getElementById("timeline");
  if (status !== 200) {
    lastEventsSeq = null;
    target.replaceChildren(el("h3", {}, "timeline"),
      el("p", { class: "muted", id: "timeline-unavailable" }, status === 404 ? "timeline unavailable" : (body.error || "HTTP " + status)));
    return;
  }
  if (lastEventsSeq === body.next_seq && panel && panel.querySelector("ul")) return;
  lastEventsSeq = body.next_seq;
  const events = (body.events || []).slice().reverse();
  target.replaceChildren(el("h3", {}, `timeline (incarnation ${body.incarnation ?? "?"}, newest first)`),
    el("ul", { class: "timeline" }, events.map(e => el("li", { "data-seq": e.seq },
      el("span", { class: "when" }, when(e.timestamp)),
      el("span", { class: "type " + eventKind(e.type) }, e.type),
      summary(e)))));
}

function eventKind(type) {
  if (/Failover|Elect|MasterLost|Diverged/.test(type)) return "failover";
  if (/Lost|Terminated/.test(type)) return "lost";
  return "";
}

function summary(e) {
  const f = e.fields || {};
  const pick = (...names) => names.map(n => f[n]).find(v => v !== undefined && v !== null);
  const task = () => scalar(pick("task_id", "taskId"));
  const cause = () => (pick("cause") !== undefined ? ": " + scalar(pick("cause")) : "");
  switch (e.type) {
    case "FailoverCompleted": {
      const millis = pick("millis");
      return `${scalar(pick("new_master", "newMaster"))} is master (epoch ${scalar(pick("epoch"))})` +
        (millis !== undefined ? ` after ${seconds(millis)}` : "") + ` (${scalar(pick("cause"))})`;
    }
    case "ReplicaAdded": return `${task()} placed on ${scalar(pick("host"))}:${scalar(pick("port"))}`;
    case "ReplicaLost": return `${task()} lost${cause()}`;
    case "MasterLost": return `master ${task()} lost (epoch ${scalar(pick("epoch"))})${cause()}`;
    case "MasterElected": return `${task()} elected master for epoch ${scalar(pick("epoch"))}`;
    case "TaskStateChanged": return `${task()} ${scalar(pick("state"))} ${scalar(pick("message"))}`.trim();
    case "ClusterResized": return `${scalar(pick("from"))} \u2192 ${scalar(pick("to"))} nodes`;
    default: break;
  }
  return Object.entries(f).filter(([, v]) => v === null || typeof v !== "object" || Array.isArray(v))
    .map(([k, v]) => `${k}=${scalar(v)}`).join(" ");
}

// ------------------------------------------------------------------ the loop

function route() {
  const match = location.hash.match(/^#\/clusters\/([^/]+)$/);
  return match ? { page: "cluster", name: decodeURIComponent(match[1]) } : { page: "list" };
}

async function tick(gen) {
  const r = route();
  try {
    await (r.page === "cluster" ? showCluster(gen, r.name) : showList(gen));
    if (gen === generation) heard(true, "updated " + new Date().toLocaleTimeString());
  } catch (e) {
    if (gen === generation) heard(false, "scheduler unreachable: " + e.message);
  }
  if (gen === generation) setTimeout(() => tick(gen), POLL_MS);
}

async function eventsTick(gen) {
  const r = route();
  if (r.page !== "cluster" || gen !== generation) return;
  try {
    await showEvents(gen, r.name);
  } catch (e) {
    // The next tick tries again; the status line already says when the scheduler is unreachable.
  }
  if (gen === generation) setTimeout(() => eventsTick(gen), EVENTS_POLL_MS);
}

function start() {
  generation += 1;
  lastEventsSeq = null;
  const gen = generation;
  document.getElementById("main").replaceChildren(el("p", { class: "muted" }, "Loading..."));
  tick(gen).then(() => eventsTick(gen));
}

window.addEventListener("hashchange", start);
start();
