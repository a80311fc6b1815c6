/**
 * `npm run bench` — CloudNotes against the floor (bench/floor.mjs), side by side, plus argon2id throughput
 * and the scale test. Needs `npm run build` first (it builds nothing). Starts its own PostgreSQL (embedded)
 * and S3 (s3rver), seeds, runs each server in turn pinned to core 0 with PostgreSQL, wrk on core 1.
 *
 * Options (after `--`):
 *   --only=a,b     run these parts only: scenarios (get_notes, search, post_notes, put_title, uploads, login,
 *                  page), argon2, scale
 *   --seconds=N    measured seconds per scenario, server and round (default 10; a 3 s warm-up precedes each)
 *   --rounds=N     rounds (default 3): app and floor take turns, and the round with the median req/s is reported
 *   --servers=app,floor[,baseline]  baseline: an older build (BENCH_BASELINE=/path/to/standalone/server.mjs)
 *   --out=FILE     raw JSON results (default bench/out/results.json; bench/out/ is not committed)
 *   --app-env=K=V,K=V  extra environment for CloudNotes only (experiments, e.g. LOG_LEVEL=silent)
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
  seedMarkdownNotes,
  seedNotes,
  withClient,
  word,
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
  type WrkRequest,
  type WrkResult,
} from "./support";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .filter((a) => a.startsWith("--"))
    .map((a) => {
      const [k, v] = a.slice(2).split("=");
      return [k!, v ?? "true"];
    }),
);
const SECONDS = Number(args.seconds ?? 10);
const WARMUP_SECONDS = Number(args.warmup ?? 3);
const ROUNDS = Number(args.rounds ?? 3);
const SCENARIOS = [
  "healthz",
  "get_notes",
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
const SERVERS = (args.servers ? String(args.servers).split(",") : ["app", "floor"]) as ServerKind[];
const APP_ENV: Record<string, string> = Object.fromEntries(
  (
    process.argv
      .find((a) => a.startsWith("--app-env="))
      ?.slice("--app-env=".length)
      .split(",") ?? []
  )
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);
const OUT = path.resolve(ROOT, String(args.out ?? "bench/out/results.json"));
mkdirSync(path.dirname(OUT), { recursive: true });

/** A word of the reader's notes that a search finds in some but not all of them. */
const SEARCH_WORD = word(8);

interface Fixture {
  secret: string;
  readerToken: string;
  writerToken: string;
  titlerToken: string;
  titlerNoteIds: number[];
  uploaderTokens: string[];
  loginEmail: string;
  readerEmail: string;
  searchMatches: number;
  /** The notes page's reader: 50 notes of Markdown (the page shows 20). */
  pagerEmail: string;
}

async function seedScenarioDb(url: string, secret: string): Promise<Fixture> {
  await migrateDatabase(url);
  return withClient(url, async (c) => {
    const [reader] = await createUsers(c, "reader", 1);
    const [writer] = await createUsers(c, "writer", 1);
    const [titler] = await createUsers(c, "titler", 1);
    const [loginUser] = await createUsers(c, "login", 1);
    const uploaders = await createUsers(c, "uploader", 500);
    const [pager] = await createUsers(c, "pager", 1);
    await seedNotes(c, [reader!.id], 50, { fileEvery: 5 });
    await seedMarkdownNotes(c, pager!.id, 50);
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
      writerToken: await accessToken(secret, writer!.id),
      titlerToken: await accessToken(secret, titler!.id),
      titlerNoteIds: ids,
      uploaderTokens: await Promise.all(uploaders.map((u) => accessToken(secret, u.id))),
      loginEmail: loginUser!.email,
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
      return [
        {
          method: "POST",
          path: "/login",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ username: f.loginEmail, password: PASSWORD }).toString(),
        },
      ];
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
async function check(url: string, r: WrkRequest): Promise<void> {
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
  const measured: Record<string, Partial<Record<ServerKind, WrkResult & { load_avg: number }>>> = {};
  // Both servers run at once (an idle one costs nothing) and take turns scenario by scenario, so that whatever
  // else happens on the machine meanwhile affects both alike.
  const servers: Partial<Record<ServerKind, RunningServer>> = {};
  try {
    for (const kind of SERVERS) {
      log(`starting ${kind}`);
      // An older build must not see this build's migrations (it would refuse a database ahead of it).
      const own = kind === "baseline" ? { MIGRATE_ON_START: "false" } : {};
      servers[kind] = await startServer(kind, kind !== "floor" ? { ...env, ...APP_ENV, ...own } : env);
    }
    // One session cookie serves both builds of CloudNotes (same secret, same database).
    const cookie =
      servers.app && scenarios.some((s) => s.startsWith("page"))
        ? await readerCookie(servers.app.url, fixture.pagerEmail)
        : null;
    for (const s of scenarios) {
      const rounds: Partial<Record<ServerKind, (WrkResult & { load_avg: number })[]>> = {};
      for (let round = 1; round <= ROUNDS; round++) {
        for (const kind of SERVERS) {
          const server = servers[kind]!;
          if (s.startsWith("page") && kind === "floor") continue;
          const reqs = requestsFor(s, fixture, cookie);
          await check(server.url, reqs[0]!);
          await resetUploads(dbUrl);
          await runWrk(server.url, reqs, { seconds: WARMUP_SECONDS, ...CONNECTIONS[s] });
          await resetUploads(dbUrl);
          const load = loadAverage();
          const r = await runWrk(server.url, reqs, { seconds: SECONDS, ...CONNECTIONS[s] });
          (rounds[kind] ??= []).push({ ...r, load_avg: load });
          const bad = r.errors.status + r.errors.connect + r.errors.read + r.errors.timeout;
          log(
            `${kind} ${s} (round ${round}): ${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms.toFixed(1)} ms, p99 ${r.p99_ms.toFixed(1)} ms${bad ? `, ${bad} errors` : ""} (load ${load.toFixed(2)})`,
          );
        }
      }
      for (const [kind, list] of Object.entries(rounds) as [ServerKind, (WrkResult & { load_avg: number })[]][]) {
        const median = [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)]!;
        (measured[s] ??= {})[kind] = { ...median, rounds: list } as WrkResult & { load_avg: number };
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  results.scenarios = measured;
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results JSON as read back from bench/out, of any run's shape
export function printTable(results: Record<string, any>): string {
  const lines: string[] = [];
  const sc = results.scenarios as Record<string, Partial<Record<ServerKind, WrkResult>>> | undefined;
  if (sc) {
    const hasBaseline = Object.values(sc).some((r) => r.baseline);
    lines.push(
      `| scenario |${hasBaseline ? " before req/s | before p50 / p99 ms |" : ""} CloudNotes req/s | floor req/s | ratio | CloudNotes p50 / p99 ms | floor p50 / p99 ms | p99 ratio | target |`,
    );
    lines.push(`| --- |${hasBaseline ? " ---: | ---: |" : ""} ---: | ---: | ---: | ---: | ---: | ---: | --- |`);
    for (const [name, r] of Object.entries(sc)) {
      const a = r.app;
      const f = r.floor;
      const b = r.baseline;
      const ratio = a && f ? a.rps / f.rps : NaN;
      const p99 = a && f ? a.p99_ms / f.p99_ms : NaN;
      let target = "";
      if (name === "page_c1") target = a ? (a.p50_ms <= 50 ? `met (p50 ≤ 50 ms)` : "MISSED (p50 > 50 ms)") : "";
      else if (name === "page") target = "throughput only (target on page_c1)";
      else if (name === "login") target = "n/a (argon2id bound)";
      else if (name === "healthz") target = "(reference: fixed cost per request)";
      else if (a && f)
        target =
          ratio >= 0.5 && p99 <= 2
            ? "met"
            : `MISSED (${ratio < 0.5 ? "req/s" : ""}${ratio < 0.5 && p99 > 2 ? ", " : ""}${p99 > 2 ? "p99" : ""})`;
      const fmt = (x?: WrkResult) => (x ? `${x.p50_ms.toFixed(1)} / ${x.p99_ms.toFixed(1)}` : "–");
      lines.push(
        `| ${name} |${hasBaseline ? ` ${b ? b.rps.toFixed(0) : "–"} | ${fmt(b)} |` : ""} ${a ? a.rps.toFixed(0) : "–"} | ${f ? f.rps.toFixed(0) : "–"} | ${Number.isNaN(ratio) ? "–" : `${(ratio * 100).toFixed(0)}%`} | ${fmt(a)} | ${fmt(f)} | ${Number.isNaN(p99) ? "–" : `${p99.toFixed(2)}×`} | ${target} |`,
      );
    }
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
