/**
 * `npm run bench` — CloudNotes against its references (the bare Next.js app, the node:http floor, the original
 * FastAPI service; support.ts describes them), side by side, plus argon2id throughput and the scale test.
 * Needs `npm run build` and `npm run bench:build-refs` first (it builds nothing). Starts its own PostgreSQL
 * (embedded) and S3 (s3rver), seeds, runs each server in turn pinned to core 0 with PostgreSQL, wrk on core 1.
 *
 * Options (after `--`):
 *   --only=a,b     run these parts only: scenarios (healthz, get_notes, get_notes_files, search, post_notes,
 *                  put_title, uploads, login, page, page_c1), argon2, scale
 *   --seconds=N    measured seconds per scenario, server and round (default 10; a 3 s warm-up precedes each)
 *   --rounds=N     rounds (default 3): the servers take turns; reported are the round with the median req/s, and
 *                  the median p50, p99 and CPU per request over the rounds
 *   --servers=app,barenext,barenext_b,barenext_libs,floor,original,baseline,app@20,...  (support.ts: ServerKind;
 *                  a server that cannot run here is skipped with one line saying why)
 *   --out=FILE     raw JSON results (default bench/out/results.json; bench/out/ is not committed)
 *   --app-env=K=V,K=V  extra environment for CloudNotes only (experiments, e.g. LOG_LEVEL=silent)
 *   --rate=N       offer about N req/s in all instead of as many as the server takes (API scenarios), to compare
 *                  latency below saturation, where it is not only the queue of a server at its limit
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { signInCookie } from "../e2e/support/browser-session";
import {
  accessToken,
  createUsers,
  migrateDatabase,
  PASSWORD,
  SEARCH_WORD,
  seedMarkdownNotes,
  seedNotes,
  withClient,
} from "./seed";
import {
  CPUS,
  loadAverage,
  log,
  machineInfo,
  pinSelf,
  postgresVersion,
  type RunningServer,
  ROOT,
  runWrk,
  secretKey,
  startPostgres,
  startS3,
  startServer,
  type BenchPostgres,
  type ServerKind,
  baseKind,
  commandLine,
  cpuSeconds,
  nodeOf,
  unavailable,
  type WrkRequest,
  type WrkResult,
} from "./support";

const args = commandLine().options;
const SECONDS = Number(args.seconds ?? 10);
const WARMUP_SECONDS = Number(args.warmup ?? 3);
const ROUNDS = Number(args.rounds ?? 3);
const RATE = args.rate ? Number(args.rate) : undefined;
const SCENARIOS = [
  "healthz",
  "get_notes",
  "get_notes_files",
  "search",
  "post_notes",
  "put_title",
  "uploads",
  "login",
  "page",
  "page_c1",
] as const;
/**
 * wrk -t2 -c32 (as the FastAPI figures were measured) except the page: 16 connections (issue 11's measure),
 * and page_c1: one connection, the page's own latency.
 */
const CONNECTIONS: Partial<Record<string, { connections: number; threads: number }>> = {
  page: { connections: 16, threads: 2 },
  page_c1: { connections: 1, threads: 1 },
};
export type Scenario = (typeof SCENARIOS)[number];
const ONLY = args.only ? String(args.only).split(",") : [...SCENARIOS, "argon2", "scale"];
const SERVERS = (
  args.servers ? String(args.servers).split(",") : ["app", "barenext", "floor", "original"]
) as ServerKind[];

/** What each kind of server can answer: the references implement the API scenarios only, the original fewer. */
function serves(kind: ServerKind, s: Scenario): boolean {
  const base = baseKind(kind);
  if (base === "app" || base === "baseline" || base === "app_nginx") return true;
  if (s.startsWith("page")) return false;
  if (base === "original" || base === "original_nginx")
    return ["healthz", "get_notes", "get_notes_files", "post_notes", "put_title"].includes(s);
  return true;
}
const APP_ENV: Record<string, string> = Object.fromEntries(
  (args["app-env"]?.split(",") ?? [])
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);
const OUT = path.resolve(ROOT, String(args.out ?? "bench/out/results.json"));
mkdirSync(path.dirname(OUT), { recursive: true });

/**
 * Accounts the login scenario signs in to in turn. The limiter counts an attempt before checking it, so 32
 * sign-ins in flight to one account from one address would be refused past the 10th (LOGIN_MAX_FAILURES_*).
 */
const LOGIN_ACCOUNTS = 64;

interface Fixture {
  secret: string;
  readerToken: string;
  plainReaderToken: string;
  writerToken: string;
  titlerToken: string;
  titlerNoteIds: number[];
  uploaderTokens: string[];
  loginEmails: string[];
  readerEmail: string;
  searchMatches: number;
  /** The notes page's reader: 50 notes of Markdown (the page shows 20). */
  pagerEmail: string;
}

async function seedScenarioDb(url: string, secret: string): Promise<Fixture> {
  await migrateDatabase(url);
  return withClient(url, async (c) => {
    const [reader] = await createUsers(c, "reader", 1);
    const [plainReader] = await createUsers(c, "plain", 1);
    const [writer] = await createUsers(c, "writer", 1);
    const [titler] = await createUsers(c, "titler", 1);
    const loginUsers = await createUsers(c, "login", LOGIN_ACCOUNTS);
    const uploaders = await createUsers(c, "uploader", 500);
    const [pager] = await createUsers(c, "pager", 1);
    await seedNotes(c, [reader!.id], 50, { fileEvery: 5 });
    await seedMarkdownNotes(c, pager!.id, 50);
    await seedNotes(c, [plainReader!.id], 50, { fileEvery: 1_000_000, seed: 0.3 });
    await seedNotes(c, [titler!.id], 50, { fileEvery: 5, seed: 0.7 });
    const ids = (await c.query(`SELECT id FROM notes WHERE owner_id = $1 ORDER BY id`, [titler!.id])).rows.map(
      (r) => r.id,
    );
    const matches = (
      await c.query(
        `SELECT count(*)::int AS n FROM notes WHERE owner_id = $1 AND search_vector @@ websearch_to_tsquery('english', $2)`,
        [reader!.id, SEARCH_WORD],
      )
    ).rows[0].n;
    await c.query("VACUUM ANALYZE");
    return {
      secret,
      readerToken: await accessToken(secret, reader!.id),
      plainReaderToken: await accessToken(secret, plainReader!.id),
      writerToken: await accessToken(secret, writer!.id),
      titlerToken: await accessToken(secret, titler!.id),
      titlerNoteIds: ids,
      uploaderTokens: await Promise.all(uploaders.map((u) => accessToken(secret, u.id))),
      loginEmails: loginUsers.map((u) => u.email),
      readerEmail: reader!.email,
      pagerEmail: pager!.email,
      searchMatches: matches,
    };
  });
}

const json = { "content-type": "application/json" };
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

function requestsFor(s: Scenario, f: Fixture, pageCookie: string | null): WrkRequest[] {
  switch (s) {
    case "healthz":
      // No work at all: what is left is the fixed cost per request of the server (Next + our wrapper vs node:http).
      return [{ method: "GET", path: "/healthz" }];
    case "get_notes":
      // 50 notes without files: the SQL and the JSON, no presigning (as the issue's comparison).
      return [{ method: "GET", path: "/notes", headers: bearer(f.plainReaderToken) }];
    case "get_notes_files":
      // 50 notes, 10 of them with a file: 10 presigned URLs per response.
      return [{ method: "GET", path: "/notes", headers: bearer(f.readerToken) }];
    case "search":
      return [{ method: "GET", path: `/notes?q=${SEARCH_WORD}`, headers: bearer(f.readerToken) }];
    case "post_notes":
      return [
        {
          method: "POST",
          path: "/notes",
          headers: { ...bearer(f.writerToken), ...json },
          body: JSON.stringify({
            title: "Benchmark note",
            description: "Written by wrk: some words about a meeting and a plan.",
          }),
        },
      ];
    case "put_title":
      return f.titlerNoteIds.map((id, i) => ({
        method: "PUT",
        path: `/notes/${id}/title`,
        headers: { ...bearer(f.titlerToken), ...json },
        body: JSON.stringify({ title: `Renamed note ${i}` }),
      }));
    case "uploads":
      return f.uploaderTokens.map((t) => ({
        method: "POST",
        path: "/uploads",
        headers: { ...bearer(t), ...json },
        body: JSON.stringify({ filename: "holiday photo.png", content_type: "image/png", size: 1_234_567 }),
      }));
    case "login":
      return f.loginEmails.map((email) => ({
        method: "POST",
        path: "/login",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: email, password: PASSWORD }).toString(),
      }));
    case "page":
    case "page_c1":
      return [{ method: "GET", path: "/", headers: { cookie: pageCookie ?? "" } }];
  }
}

/** A reader's session cookie, checked to show the notes page. */
async function readerCookie(url: string, email: string): Promise<string> {
  const cookie = await signInCookie(url, email, PASSWORD);
  const html = await (await fetch(`${url}/`, { headers: { cookie } })).text();
  if (!html.includes("Your notes")) throw new Error("the session cookie does not show the notes page");
  return cookie;
}

/** One request of the scenario must succeed before it is measured (a benchmark of 401s proves nothing). */
async function check(url: string, r: WrkRequest, ca?: string): Promise<void> {
  if (ca) {
    // Through NGINX (HTTPS with the run's own certificate).
    const { httpsRequest } = await import("../e2e/ops/nginx");
    const res = await httpsRequest(`${url}${r.path}`, { method: r.method, headers: r.headers, body: r.body, ca });
    if (res.status !== 200) throw new Error(`${r.method} ${r.path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return;
  }
  const res = await fetch(`${url}${r.path}`, {
    method: r.method,
    headers: r.headers,
    body: r.body,
    redirect: "manual",
  });
  if (res.status !== 200)
    throw new Error(`${r.method} ${r.path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  await res.arrayBuffer();
}

/** For bench/profile.ts and bench/memory.ts: a seeded database and the requests of scenarios against a server. */
export async function fixtureAndRequests(pg: BenchPostgres, s3env: Record<string, string>, scenario: Scenario) {
  const secret = secretKey();
  const dbUrl = await pg.createDatabase(`bench_${Math.random().toString(36).slice(2, 8)}`);
  const fixture = await seedScenarioDb(dbUrl, secret);
  const env = { ...s3env, DATABASE_URL: dbUrl, SECRET_KEY: secret, LOG_LEVEL: "info" };
  let cookie: string | null = null;
  const requestsFor_ = async (s: Scenario, url: string) => {
    if (s.startsWith("page")) cookie ??= await readerCookie(url, fixture.pagerEmail);
    const reqs = requestsFor(s, fixture, cookie);
    await check(url, reqs[0]!);
    return reqs;
  };
  return {
    env,
    fixture,
    requestsFor: requestsFor_,
    requests: (url: string) => requestsFor_(scenario, url),
    resetUploads: () => resetUploads(dbUrl).catch(() => {}),
  };
}

async function resetUploads(url: string): Promise<void> {
  await withClient(url, (c) => c.query("TRUNCATE uploads"));
}

/** One wrk run, with the load average before it and the CPU time per request of the server and of PostgreSQL. */
type Measured = WrkResult & { load_avg: number; cpu_us: number; pg_cpu_us: number };

async function runScenarios(pg: BenchPostgres, s3env: Record<string, string>, results: Record<string, unknown>) {
  const scenarios = SCENARIOS.filter((s) => ONLY.includes(s));
  if (scenarios.length === 0) return;
  const secret = secretKey();
  const dbUrl = await pg.createDatabase("bench");
  log("seeding the scenario database");
  const fixture = await seedScenarioDb(dbUrl, secret);
  results.app_env = APP_ENV;
  results.fixture = {
    search_word: SEARCH_WORD,
    search_matches: fixture.searchMatches,
    reader_notes: 50,
    notes_with_files: 10,
  };
  const env = { ...s3env, DATABASE_URL: dbUrl, SECRET_KEY: secret, LOG_LEVEL: "info" };
  const measured: Record<string, Partial<Record<ServerKind, Measured>>> = {};
  // Both servers run at once (an idle one costs nothing) and take turns scenario by scenario, so that whatever
  // else happens on the machine meanwhile affects both alike.
  const servers: Partial<Record<ServerKind, RunningServer>> = {};
  const skipped: string[] = [];
  try {
    for (const kind of SERVERS) {
      const why = unavailable(kind);
      if (why) {
        log(why);
        skipped.push(why);
        continue;
      }
      log(`starting ${kind}`);
      const own = ["app", "baseline", "app_nginx"].includes(baseKind(kind));
      // An older build must not see this build's migrations (it would refuse a database ahead of it).
      const older = baseKind(kind) === "baseline" ? { MIGRATE_ON_START: "false" } : {};
      servers[kind] = await startServer(kind, own ? { ...env, ...APP_ENV, ...older } : env);
    }
    results.skipped = skipped;
    results.node = Object.fromEntries(
      Object.keys(servers).map((k) => [
        k,
        execFileSync(nodeOf(k as ServerKind), ["--version"])
          .toString()
          .trim(),
      ]),
    );
    // One session cookie serves both builds of CloudNotes (same secret, same database).
    const cookieFrom = servers.app ?? servers["app@20"];
    const cookie =
      cookieFrom && scenarios.some((s) => s.startsWith("page"))
        ? await readerCookie(cookieFrom.url, fixture.pagerEmail)
        : null;
    for (const s of scenarios) {
      const rounds: Partial<Record<ServerKind, Measured[]>> = {};
      for (let round = 1; round <= ROUNDS; round++) {
        for (const kind of SERVERS) {
          const server = servers[kind];
          if (!server || !serves(kind, s)) continue;
          const reqs = requestsFor(s, fixture, cookie);
          await check(server.url, reqs[0]!, server.ca);
          await resetUploads(dbUrl);
          await runWrk(server.url, reqs, { seconds: WARMUP_SECONDS, ...CONNECTIONS[s] });
          await resetUploads(dbUrl);
          const load = loadAverage();
          const cpuBefore = cpuSeconds(server.pids);
          const pgBefore = cpuSeconds([pg.postmasterPid]);
          const rate = s.startsWith("page") ? undefined : RATE;
          const r = await runWrk(server.url, reqs, { seconds: SECONDS, rate, ...CONNECTIONS[s] });
          const cpu_us = ((cpuSeconds(server.pids) - cpuBefore) / r.requests) * 1e6;
          const pg_cpu_us = ((cpuSeconds([pg.postmasterPid]) - pgBefore) / r.requests) * 1e6;
          (rounds[kind] ??= []).push({ ...r, load_avg: load, cpu_us, pg_cpu_us });
          const bad = r.errors.status + r.errors.connect + r.errors.read + r.errors.timeout;
          log(
            `${kind} ${s} (round ${round}): ${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms.toFixed(1)} ms, p99 ${r.p99_ms.toFixed(1)} ms${bad ? `, ${bad} errors` : ""}, CPU ${cpu_us.toFixed(0)} µs/req + PostgreSQL ${pg_cpu_us.toFixed(0)} (load ${load.toFixed(2)})`,
          );
        }
      }
      for (const [kind, list] of Object.entries(rounds) as [ServerKind, Measured[]][]) {
        const median = [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)]!;
        // Latency and CPU per request are medians over the rounds on their own: one round's p99 is its slowest
        // few dozen requests, which a single collection or stall moves a lot between identical rounds.
        const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        (measured[s] ??= {})[kind] = {
          ...median,
          p50_ms: mid(list.map((x) => x.p50_ms)),
          p99_ms: mid(list.map((x) => x.p99_ms)),
          cpu_us: mid(list.map((x) => x.cpu_us)),
          pg_cpu_us: mid(list.map((x) => x.pg_cpu_us)),
          rounds: list,
        } as Measured;
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  results.scenarios = measured;
  results.servers = Object.keys(servers);
}

function argon2(results: Record<string, unknown>): void {
  log("argon2id throughput (pinned to the server core)");
  const out = execFileSync("taskset", [
    "-c",
    CPUS.server,
    process.execPath,
    path.join(ROOT, "bench/argon2.mjs"),
    "5",
  ]).toString();
  results.argon2 = JSON.parse(out);
}

const LABELS: Record<string, string> = {
  app: "CloudNotes",
  baseline: "before",
  barenext: "bare Next",
  barenext_b: "bare Next (second instance)",
  barenext_libs: "bare Next + CloudNotes' libraries",
  floor: "node:http floor",
  original: "original (FastAPI)",
  app_nginx: "CloudNotes ×2 + NGINX",
  barenext_nginx: "bare Next ×2 + NGINX",
  barenext_libs_nginx: "bare Next + CloudNotes' libraries ×2 + NGINX",
  original_nginx: "original + NGINX",
};
const label = (kind: string) => `${LABELS[kind.split("@")[0]!] ?? kind}${kind.endsWith("@20") ? " (Node 20)" : ""}`;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

/** Targets of issue 10 that compare two servers of one run on one scenario. */
function targetRows(sc: Record<string, Partial<Record<string, WrkResult & Partial<Measured>>>>): string[] {
  const rows: string[] = [];
  for (const [name, r] of Object.entries(sc)) {
    if (name.startsWith("page") || name === "login") continue;
    for (const node of ["", "@20"]) {
      const a = r[`app${node}`];
      const b = r[`barenext${node}`];
      if (!a || !b) continue;
      const ratio = a.rps / b.rps;
      const p99 = a.p99_ms / b.p99_ms;
      const met = ratio >= 0.9 && p99 <= 1.2;
      // The server's own CPU: PostgreSQL's per-backend times are lost when a pooled backend exits mid-run.
      const cost = (x: Partial<Measured>) => x.cpu_us ?? NaN;
      const capacity = cost(b) / cost(a);
      rows.push(
        `| ${name}${node ? " (Node 20)" : ""} | CloudNotes ≥ 90 % of bare Next req/s, p99 ≤ 1.2× | ${pct(ratio)}, p99 ${p99.toFixed(2)}×${Number.isNaN(capacity) ? "" : `; by CPU per request ${pct(capacity)}`} | ${met ? "MET" : `MISSED (${[ratio < 0.9 ? "req/s" : "", p99 > 1.2 ? "p99" : ""].filter(Boolean).join(", ")})`}${node ? " (reported; target on Node 24)" : ""} |`,
      );
    }
    const deployed = r.app_nginx && r.original_nginx ? [r.app_nginx, r.original_nginx] : null;
    if (deployed && name === "get_notes") {
      const [a, o] = deployed as [WrkResult & Partial<Measured>, WrkResult & Partial<Measured>];
      const x = a.rps / o.rps;
      const byCpu = o.cpu_us! / a.cpu_us!;
      rows.push(
        `| ${name}, deployed | CloudNotes ≥ 4× the original | ${x.toFixed(2)}×${Number.isNaN(byCpu) ? "" : `; by CPU per request ${byCpu.toFixed(2)}×`} | ${x >= 4 ? "MET" : "MISSED"} |`,
      );
      const bare = r.barenext_nginx;
      if (bare)
        rows.push(
          `| ${name}, deployed | (bare Next deployed alike vs the original) | ${(bare.rps / o.rps).toFixed(2)}× | info |`,
        );
    }
    for (const ref of ["barenext_nginx", "barenext_libs_nginx"] as const) {
      const a = r.app_nginx;
      const b = r[ref];
      if (a && b)
        rows.push(
          `| ${name}, deployed | (CloudNotes ×2 vs ${label(ref)}) | ${pct(a.rps / b.rps)}, p99 ${(a.p99_ms / b.p99_ms).toFixed(2)}× | info |`,
        );
    }
    if (r.app && r.original) {
      rows.push(
        `| ${name} | (one CloudNotes process vs the original's 2 workers, same core) | ${(r.app.rps / r.original.rps).toFixed(2)}× | info |`,
      );
    }
    if (r.barenext && r.barenext_b) {
      rows.push(
        `| ${name} | (the bench against itself: bare Next's second instance vs bare Next) | ${pct(r.barenext_b.rps / r.barenext.rps)}, p99 ${(r.barenext_b.p99_ms / r.barenext.p99_ms).toFixed(2)}× | info |`,
      );
    }
    if (r.barenext && r.barenext_libs) {
      const libs = r.barenext_libs;
      rows.push(
        `| ${name} | (CloudNotes' libraries loaded into bare Next vs bare Next; CloudNotes vs that) | ${pct(libs.rps / r.barenext.rps)}, p99 ${(libs.p99_ms / r.barenext.p99_ms).toFixed(2)}×${r.app ? `; ${pct(r.app.rps / libs.rps)}, p99 ${(r.app.p99_ms / libs.p99_ms).toFixed(2)}×` : ""} | info |`,
      );
    }
    if (r.app && r.baseline) {
      const x = r.app.rps / r.baseline.rps;
      rows.push(
        `| ${name} | after vs before (same run) | ${x.toFixed(2)}× req/s, p99 ${(r.app.p99_ms / r.baseline.p99_ms).toFixed(2)}× | ${x >= 0.97 ? "no loss" : "SLOWER"} |`,
      );
    }
  }
  return rows;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results JSON as read back from bench/out, of any run's shape
export function printTable(results: Record<string, any>): string {
  const lines: string[] = [];
  const sc = results.scenarios as Record<string, Partial<Record<string, Partial<Measured> & WrkResult>>> | undefined;
  if (sc) {
    const kinds: string[] = results.servers ?? [...new Set(Object.values(sc).flatMap((r) => Object.keys(r)))];
    lines.push(`| scenario | ${kinds.map((k) => `${label(k)} req/s (p99 ms)`).join(" | ")} | load avg |`);
    lines.push(`| --- |${kinds.map(() => " ---: |").join("")} ---: |`);
    for (const [name, r] of Object.entries(sc)) {
      const cells = kinds.map((k) => {
        const x = r[k];
        return x ? `${x.rps.toFixed(0)} (${x.p99_ms.toFixed(0)})` : "–";
      });
      const loads = Object.values(r).flatMap((x) => (x?.load_avg !== undefined ? [x.load_avg] : []));
      const load = loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : "";
      lines.push(`| ${name} | ${cells.join(" | ")} | ${load} |`);
    }
    if (Object.values(sc).some((r) => Object.values(r).some((x) => x?.cpu_us !== undefined))) {
      lines.push("", `| server CPU µs per request (median of rounds) | ${kinds.map((k) => label(k)).join(" | ")} |`);
      lines.push(`| --- |${kinds.map(() => " ---: |").join("")}`);
      for (const [name, r] of Object.entries(sc)) {
        const cells = kinds.map((k) => {
          const x = r[k];
          return x?.cpu_us !== undefined ? x.cpu_us.toFixed(0) : "–";
        });
        lines.push(`| ${name} | ${cells.join(" | ")} |`);
      }
    }
    const targets = targetRows(sc);
    if (targets.length)
      lines.push("", "| scenario | target | measured | result |", "| --- | --- | --- | --- |", ...targets);
    if (results.skipped?.length) lines.push("", ...results.skipped.map((s: string) => `skipped: ${s}`));
  }
  if (results.argon2) {
    const a = results.argon2;
    lines.push(
      "",
      `argon2id (m=19456 KiB, t=2, p=1) on one core: ${a.hash.per_second.toFixed(1)} hashes/s (${a.hash.ms_each.toFixed(1)} ms), ${a.verify.per_second.toFixed(1)} verifies/s`,
    );
  }
  if (results.scale) {
    lines.push(
      "",
      "| scale query | 1,000 notes p50 / p99 ms | 100,000 notes p50 / p99 ms | ratio (p50) | SQL ms (1k → 100k) | within 1.5× |",
    );
    lines.push("| --- | ---: | ---: | ---: | ---: | --- |");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see printTable's signature
    for (const q of results.scale.queries as any[]) {
      lines.push(
        `| ${q.name} | ${q.small.p50_ms.toFixed(1)} / ${q.small.p99_ms.toFixed(1)} | ${q.big.p50_ms.toFixed(1)} / ${q.big.p99_ms.toFixed(1)} | ${(q.big.p50_ms / q.small.p50_ms).toFixed(2)}× | ${q.small.sql_ms.toFixed(2)} → ${q.big.sql_ms.toFixed(2)} | ${q.big.p50_ms / q.small.p50_ms <= 1.5 ? "yes" : "NO"} |`,
      );
    }
    lines.push("", `seeding: ${results.scale.seed_seconds.toFixed(1)} s for ${results.scale.seeded_notes} notes`);
  }
  return lines.join("\n");
}

async function main() {
  pinSelf();
  const results: Record<string, unknown> = {
    started: new Date().toISOString(),
    machine: machineInfo(),
    cpus: CPUS,
    seconds: SECONDS,
    rounds: ROUNDS,
    warmup_seconds: WARMUP_SECONDS,
  };
  log("starting PostgreSQL and S3");
  const pg = await startPostgres();
  const s3 = await startS3();
  (results.machine as Record<string, unknown>).postgres = postgresVersion(pg);
  try {
    const save = () => writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
    await runScenarios(pg, s3.env, results);
    save();
    if (ONLY.includes("argon2")) argon2(results);
    save();
    if (ONLY.includes("scale")) {
      const { runScale } = await import("./scale");
      results.scale = await runScale(pg, s3.env);
    }
  } finally {
    await s3.stop().catch(() => {});
    await pg.stop().catch(() => {});
  }
  results.finished = new Date().toISOString();
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  console.log(printTable(results));
  log(`raw results: ${path.relative(process.cwd(), OUT)}`);
}

if (process.argv[1]?.endsWith("bench/run.ts")) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
