/**
 * What every benchmark command shares: the CPU placement, an embedded PostgreSQL pinned to the server's core,
 * a small S3 server for readiness and the worker, the two servers under test, wrk, and reading RSS.
 *
 * CPU placement (2 cores): core 0 is the server's "machine" — the server under test (CloudNotes or the floor)
 * AND PostgreSQL share it, so every CPU cycle a request costs, in Node or in the database, is paid on one core.
 * Core 1 runs the load generator (wrk) and this orchestrator (idle while wrk runs). BENCH_SERVER_CPUS,
 * BENCH_PG_CPUS and BENCH_LOAD_CPUS change that (e.g. BENCH_PG_CPUS=1 to give PostgreSQL the load generator's
 * core instead).
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import S3rver from "s3rver";
import { ensureBucket } from "../scripts/lib/bucket";
import { startEmbeddedPostgres, type RunningPostgres } from "../scripts/lib/postgres";
import { nginxInstalled, selfSignedCert, startNginx } from "../e2e/ops/nginx";
import { freePort, waitFor } from "../e2e/support/ports";
import { createBucket, startRgw } from "../e2e/support/s3";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const APP_SERVER = path.join(ROOT, ".next/standalone/server.mjs");
export const FLOOR_SERVER = path.join(ROOT, "bench/floor.mjs");

export const CPUS = {
  server: process.env.BENCH_SERVER_CPUS ?? "0",
  pg: process.env.BENCH_PG_CPUS ?? "0",
  load: process.env.BENCH_LOAD_CPUS ?? "1",
};

/**
 * Scheduling priority of everything under test (server, PostgreSQL, wrk): other work on the machine (builds,
 * test suites) would otherwise take turns on the same cores. 0 disables it.
 */
export const NICE = process.env.BENCH_NICE ?? "-10";

function renice(pid: number): void {
  if (NICE === "0") return;
  try {
    execFileSync("renice", ["-n", NICE, "-p", String(pid)], { stdio: "ignore" });
  } catch {
    // not permitted (not root): run at normal priority
  }
}

/** The 1-minute load average, recorded with each measurement (anything else running skews it). */
export function loadAverage(): number {
  return os.loadavg()[0]!;
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Pins this orchestrator to the load generator's core, so that it never steals the server's. */
export function pinSelf(): void {
  execFileSync("taskset", ["-a", "-p", "-c", CPUS.load, String(process.pid)], { stdio: "ignore" });
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

export interface BenchPostgres extends RunningPostgres {
  dataDir: string;
  postmasterPid: number;
}

/** Embedded PostgreSQL 18 in a temporary directory, postmaster and every backend pinned to CPUS.pg. */
export async function startPostgres(): Promise<BenchPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-bench-pg-"));
  await chmod(dir, 0o755);
  const dataDir = path.join(dir, "data");
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  const postmasterPid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  // Backends are forked from the postmaster and inherit its affinity; the auxiliary processes already run.
  for (const pid of [postmasterPid, ...childrenOf(postmasterPid)]) {
    execFileSync("taskset", ["-a", "-p", "-c", CPUS.pg, String(pid)], { stdio: "ignore" });
    renice(pid);
  }
  return {
    ...server,
    dataDir,
    postmasterPid,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function postgresVersion(pg: BenchPostgres): string {
  const bin = execFileSync("readlink", ["-f", `/proc/${pg.postmasterPid}/exe`])
    .toString()
    .trim();
  return execFileSync(bin, ["--version"]).toString().trim();
}

export interface BenchS3 {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * s3rver (the development S3 server) for /readyz and the worker's sweep: the benchmarked requests sign URLs
 * and policies locally and never call S3. It runs in this process, on the load generator's core.
 */
export async function startS3(): Promise<BenchS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-bench-s3-"));
  const port = await freePort();
  const s3 = new S3rver({ port, address: "127.0.0.1", directory: dir, silent: true });
  await s3.run();
  const env = {
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    BUCKET_NAME: "cloudnotes-bench",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_REGION: "us-east-1",
  };
  await ensureBucket(
    {
      endpoint: env.S3_ENDPOINT,
      region: env.AWS_REGION,
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      bucket: env.BUCKET_NAME,
    },
    ["http://127.0.0.1"],
  );
  return {
    env,
    stop: async () => {
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The servers under test:
 * - app: this build (.next/standalone); baseline: another standalone build of CloudNotes (BENCH_BASELINE, a copy
 *   of .next/standalone made from an older commit) for before/after figures in the same run;
 * - barenext: the bare Next.js app (bench/bare-next, `npm run bench:build-refs`): route handlers doing only the
 *   requests' work, the ceiling for route handlers on this stack; barenext_b: a second instance of it, measured
 *   as a server of its own (bare Next against itself shows how finely a run tells two servers apart);
 *   barenext_libs: bare Next with CloudNotes' server libraries loaded and unused (bench/bare-next/
 *   cloudnotes-libraries.mjs), which parts CloudNotes' distance from bare Next into those libraries' footprint
 *   and the rest;
 * - floor: bench/floor.mjs, the same work on node:http;
 * - original: the original FastAPI service (bench/original), Gunicorn with 2 Uvicorn workers as its guide runs it;
 * - app_nginx / original_nginx: deployed as their guides say, behind system/nginx.conf (HTTPS): two CloudNotes
 *   instances (one per core, docs/deploy.md), or the original's Gunicorn;
 * - barenext_nginx: two bare Next apps deployed as CloudNotes is, the stack's ceiling for the deployed target;
 *   barenext_libs_nginx: the same with CloudNotes' libraries loaded (barenext_libs).
 * A suffix "@20" runs a Node server on Node 20 (BENCH_NODE20, default /usr/bin/node) instead of this process's Node.
 */
export type BaseKind =
  | "app"
  | "baseline"
  | "barenext"
  | "barenext_b"
  | "barenext_libs"
  | "floor"
  | "original"
  | "app_nginx"
  | "barenext_nginx"
  | "barenext_libs_nginx"
  | "original_nginx";
export type ServerKind = BaseKind | `${BaseKind}@20`;
export const SERVER_KINDS: readonly BaseKind[] = [
  "app",
  "baseline",
  "barenext",
  "barenext_b",
  "barenext_libs",
  "floor",
  "original",
  "app_nginx",
  "barenext_nginx",
  "barenext_libs_nginx",
  "original_nginx",
];

export function baseKind(kind: ServerKind): BaseKind {
  return kind.split("@")[0] as BaseKind;
}

/** The Node binary a server kind runs on. */
export function nodeOf(kind: ServerKind): string {
  return kind.endsWith("@20") ? (process.env.BENCH_NODE20 ?? "/usr/bin/node") : process.execPath;
}

/**
 * The Node flags of the production start (`npm start` in package.json: the V8 heap cap that keeps RSS under
 * 300 MB), given to the app here too so that it runs as in production.
 */
export const APP_NODE_ARGS: string[] = (() => {
  const start = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.start as string;
  return start.split(/\s+/).filter((t) => t.startsWith("--"));
})();
/**
 * The baseline build runs with `npm start`'s flags too, unless BENCH_BASELINE_NODE_ARGS gives others (to
 * compare runtime flags on one build: BENCH_BASELINE = a copy of this build).
 */
function nodeArgsOf(base: "app" | "baseline"): string[] {
  const own = process.env.BENCH_BASELINE_NODE_ARGS;
  return base === "baseline" && own !== undefined ? own.split(/\s+/).filter(Boolean) : APP_NODE_ARGS;
}
/**
 * The references (bare Next, the floor) run with V8's defaults, unless BENCH_REFERENCE_NODE_ARGS gives flags
 * (e.g. `npm start`'s heap bounds, to compare the servers within the same memory budget).
 */
const REFERENCE_NODE_ARGS = (process.env.BENCH_REFERENCE_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
export const BASELINE_SERVER = process.env.BENCH_BASELINE ?? "/tmp/cloudnotes-baseline/server.mjs";
export const BARE_NEXT_SERVER = path.join(ROOT, "bench/bare-next/.next/standalone/bench/bare-next/server.js");
const BARE_NEXT_LIBRARIES = path.join(ROOT, "bench/bare-next/cloudnotes-libraries.mjs");
export const ORIGINAL_DIR = path.join(ROOT, "bench/original");

export interface RunningServer {
  kind: ServerKind;
  url: string;
  /** Root processes whose CPU time (with their descendants') is the server's: cpuSeconds(server.pids). */
  pids: number[];
  /** The CA to trust for an https url (NGINX's self-signed certificate). */
  ca?: string;
  pid: number;
  logs: string[];
  stop(): Promise<void>;
}

/** Renices a process and its descendants (Gunicorn's workers, NGINX's). */
function reniceTree(pid: number): void {
  renice(pid);
  for (const child of childrenOf(pid)) reniceTree(child);
}

/** Spawns one server process pinned to CPUS.server and waits until `${url}/readyz` answers. */
async function spawnServer(
  kind: ServerKind,
  command: string[],
  options: { cwd: string; env: Record<string, string>; port: number },
): Promise<RunningServer> {
  const child = spawn("taskset", ["-c", CPUS.server, ...command], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXT_TELEMETRY_DISABLED: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      HOSTNAME: "127.0.0.1",
      ...options.env,
      PORT: String(options.port),
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  renice(child.pid!);
  const logs: string[] = [];
  // The app logs one JSON line per request (as in production, to a pipe that is read and dropped here); the
  // last lines are kept for error messages only.
  const keep = (chunk: Buffer) => {
    logs.push(chunk.toString("utf8"));
    if (logs.length > 50) logs.splice(0, logs.length - 50);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  const server: RunningServer = {
    kind,
    url,
    pid: child.pid!,
    pids: [child.pid!],
    logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
  await Promise.race([
    waitFor(async () => (await fetch(`${url}/readyz`)).ok, 90_000, `${kind} on ${url}`),
    exited.then(() => {
      throw new Error(`${kind} exited during start:\n${logs.join("").slice(-3000)}`);
    }),
  ]).catch(async (error) => {
    await server.stop();
    throw error;
  });
  reniceTree(child.pid!); // forked workers too
  return server;
}

/**
 * Whether the original's Python packages (Debian's) are there; installs them with apt-get when missing and
 * permitted. Null when usable, else the one line that says why the reference is skipped.
 */
let pythonChecked: string | null | undefined;
export function originalUnavailable(): string | null {
  if (pythonChecked !== undefined) return pythonChecked;
  const probe = () =>
    execFileSync("/usr/bin/python3", ["-c", "import fastapi, uvicorn, sqlalchemy, psycopg2, jose, passlib, boto3"], {
      stdio: "ignore",
    });
  try {
    probe();
    if (!existsSync(GUNICORN)) throw new Error("gunicorn missing");
    return (pythonChecked = null);
  } catch {
    try {
      log(`installing the original's Debian packages: ${ORIGINAL_PACKAGES.join(" ")}`);
      execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...ORIGINAL_PACKAGES], {
        stdio: "ignore",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
      probe();
      return (pythonChecked = null);
    } catch {
      return (pythonChecked = `original FastAPI service skipped: install ${ORIGINAL_PACKAGES.join(" ")} (apt-get, as root) to include it`);
    }
  }
}
const GUNICORN = "/usr/bin/gunicorn";
const ORIGINAL_PACKAGES = [
  "python3-fastapi",
  "python3-uvicorn",
  "gunicorn",
  "python3-sqlalchemy",
  "python3-psycopg2",
  "python3-jose",
  "python3-passlib",
  "python3-boto3",
  "python3-multipart",
];

/** A bench script's command line: its `--key=value` options (a bare `--key` is "true") and positional words. */
export function commandLine(args = process.argv.slice(2)): { options: Record<string, string>; positional: string[] } {
  const { values, positionals } = parseArgs({ args, strict: false, allowPositionals: true });
  return {
    options: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])),
    positional: positionals,
  };
}

/** Why a server kind cannot run here (missing build or packages), or null. */
export function unavailable(kind: ServerKind): string | null {
  const base = baseKind(kind);
  if (base.endsWith("_nginx") && !nginxInstalled)
    return `${kind} skipped: NGINX is not installed (bash scripts/system-deps.sh installs it)`;
  if (base === "original" || base === "original_nginx") return originalUnavailable();
  const script = {
    app: APP_SERVER,
    app_nginx: APP_SERVER,
    baseline: BASELINE_SERVER,
    barenext: BARE_NEXT_SERVER,
    barenext_b: BARE_NEXT_SERVER,
    barenext_libs: BARE_NEXT_SERVER,
    barenext_nginx: BARE_NEXT_SERVER,
    barenext_libs_nginx: BARE_NEXT_SERVER,
    floor: FLOOR_SERVER,
  }[base];
  if (!existsSync(script))
    return `${kind} skipped: ${script} is missing (${base.startsWith("barenext") ? "npm run bench:build-refs" : base === "baseline" ? "set BENCH_BASELINE to a standalone build" : "npm run build"})`;
  if (kind.endsWith("@20") && !existsSync(nodeOf(kind)))
    return `${kind} skipped: no Node 20 at ${nodeOf(kind)} (BENCH_NODE20)`;
  return null;
}

/** CloudNotes' own statements, for the references to run the same SQL (bench/reference/statements.ts). */
let statements: string | undefined;
function appStatements(): string {
  return (statements ??= execFileSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench/reference/statements.ts")],
    { cwd: ROOT, encoding: "utf8" },
  ));
}

/**
 * Starts a server under test and waits for /readyz. `nodeArgs` adds flags such as --cpu-prof (Node servers).
 */
export async function startServer(
  kind: ServerKind,
  env: Record<string, string>,
  options: { nodeArgs?: string[] } = {},
): Promise<RunningServer> {
  const why = unavailable(kind);
  if (why) throw new Error(why);
  const base = baseKind(kind);
  const node = nodeOf(kind);
  const suffix = kind.endsWith("@20") ? "@20" : "";
  switch (base) {
    case "app":
    case "baseline":
      return spawnServer(
        kind,
        [node, ...nodeArgsOf(base), ...(options.nodeArgs ?? []), base === "app" ? APP_SERVER : BASELINE_SERVER],
        {
          cwd: ROOT,
          env,
          port: await freePort(),
        },
      );
    case "floor":
      return spawnServer(kind, [node, ...REFERENCE_NODE_ARGS, ...(options.nodeArgs ?? []), FLOOR_SERVER], {
        cwd: ROOT,
        env: { ...env, BENCH_STATEMENTS: appStatements() },
        port: await freePort(),
      });
    case "barenext":
    case "barenext_b":
    case "barenext_libs": {
      const libraries = base === "barenext_libs" ? [`--import=${BARE_NEXT_LIBRARIES}`] : [];
      return spawnServer(
        kind,
        [node, ...REFERENCE_NODE_ARGS, ...libraries, ...(options.nodeArgs ?? []), BARE_NEXT_SERVER],
        {
          cwd: path.dirname(BARE_NEXT_SERVER),
          env: { ...env, BENCH_STATEMENTS: appStatements() },
          port: await freePort(),
        },
      );
    }
    case "original":
      return spawnServer(kind, [GUNICORN, "-c", "gunicorn.conf.py", "app.main:app"], {
        cwd: ORIGINAL_DIR,
        env: { ...env, PYTHONDONTWRITEBYTECODE: "1" },
        port: await freePort(),
      });
    case "app_nginx":
    case "barenext_nginx":
    case "barenext_libs_nginx": {
      // One instance per core (docs/deploy.md), the second started after the first has migrated.
      const one = `${base.slice(0, -"_nginx".length)}${suffix}` as ServerKind;
      const a = await startServer(one, env, options);
      const b = await startServer(one, env, options).catch(async (e) => {
        await a.stop();
        throw e;
      });
      return behindNginx(kind, [a, b]);
    }
    case "original_nginx":
      return behindNginx(kind, [await startServer("original", env)]);
  }
}

/** system/nginx.conf (HTTPS, as e2e/ops runs it) in front of the given servers, with NGINX's usual worker count. */
async function behindNginx(kind: ServerKind, upstreams: RunningServer[]): Promise<RunningServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-bench-nginx-"));
  const stopUpstreams = async () => {
    for (const u of upstreams) await u.stop();
  };
  try {
    const { cert, key, pem } = await selfSignedCert(dir);
    const httpsPort = await freePort();
    const nginx = await startNginx(
      dir,
      {
        httpPort: await freePort(),
        httpsPort,
        upstreams: upstreams.map((u) => Number(new URL(u.url).port)),
        cert,
        key,
        acmeRoot: path.join(dir, "acme"),
        logDir: path.join(dir, "logs"),
      },
      { workerProcesses: "auto" },
    );
    reniceTree(nginx.process.pid!);
    return {
      kind,
      url: `https://127.0.0.1:${httpsPort}`,
      ca: pem,
      pid: nginx.process.pid!,
      pids: [nginx.process.pid!, ...upstreams.flatMap((u) => u.pids)],
      logs: upstreams[0]!.logs,
      async stop() {
        await nginx.stop();
        await stopUpstreams();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopUpstreams();
    throw error;
  }
}

/**
 * CPU time (user + system, seconds) used so far by these processes and their descendants: what a request costs
 * the server whatever else runs on the machine (req/s under a loaded machine measures the scheduler too).
 */
export function cpuSeconds(pids: number[]): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const visit = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(f[11]) + Number(f[12])) / tick; // utime, stime
    } catch {
      return; // gone
    }
    for (const c of childrenOf(pid)) visit(c);
  };
  for (const pid of pids) visit(pid);
  return total;
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/** A process's RSS in MB every 100 ms from now until `stop()`: every sample, and the peak (at least `baseline`). */
/** The process's peak resident set (VmHWM), in bytes. */
export function hwmBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** The JSON body of a response, or an error naming `what` failed with the status and the start of the body. */
export async function ok<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

export function sampleRss(pid: number, baseline: number) {
  const sampler = { peak: baseline, samples: [] as number[], stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    const rss = rssBytes(pid) / (1024 * 1024);
    sampler.samples.push(rss);
    sampler.peak = Math.max(sampler.peak, rss);
  }, 100);
  return sampler;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  mean_ms: number;
  max_ms: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

export interface WrkRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const luaString = (s: string) => JSON.stringify(s); // JSON string escapes are valid Lua escapes for our ASCII

/**
 * wrk's Lua script: the requests in turn, from a different offset per thread, and a JSON summary line at the
 * end. With `thinkMs`, each connection waits an exponentially distributed time of that mean before each request
 * (arrivals close to Poisson).
 */
export function wrkScript(requests: WrkRequest[], thinkMs?: number): string {
  const items = requests
    .map((r) => {
      const headers = Object.entries(r.headers ?? {})
        .map(([k, v]) => `[${luaString(k)}]=${luaString(v)}`)
        .join(",");
      return `  { ${luaString(r.method)}, ${luaString(r.path)}, {${headers}}, ${r.body === undefined ? "nil" : luaString(r.body)} }`;
    })
    .join(",\n");
  return `
local specs = {
${items}
}
local reqs = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
local i = 0
function init(args)
  i = tonumber(offset) or 0
  -- formatted here, not at load time: only now does wrk know the Host header
  for n, s in ipairs(specs) do reqs[n] = wrk.format(s[1], s[2], s[3], s[4]) end
end
function request()
  i = i + 1
  return reqs[(i % #reqs) + 1]
end
${thinkMs ? `function delay()\n  return math.floor(-${thinkMs} * math.log(1 - math.random()))\nend` : ""}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%d,"max_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    math.floor(latency.mean), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
`;
}

export async function runWrk(
  baseUrl: string,
  requests: WrkRequest[],
  options: { seconds: number; connections?: number; threads?: number; timeoutSeconds?: number; rate?: number },
): Promise<WrkResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-wrk-"));
  const script = path.join(dir, "script.lua");
  const connections = options.connections ?? 32;
  // An offered load of `rate` req/s in all: each connection thinks connections/rate seconds on average.
  await writeFile(script, wrkScript(requests, options.rate ? (connections * 1000) / options.rate : undefined));
  try {
    const args = [
      "-c",
      CPUS.load,
      "wrk",
      `-t${options.threads ?? 2}`,
      `-c${connections}`,
      `-d${options.seconds}s`,
      `--timeout`,
      `${options.timeoutSeconds ?? 10}s`,
      "-s",
      script,
      baseUrl,
    ];
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "pipe"] });
      renice(child.pid!);
      let text = "";
      child.stdout.on("data", (d) => (text += d));
      child.stderr.on("data", (d) => (text += d));
      child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk failed (${code}): ${text}`))));
    });
    const line = out.split("\n").find((l) => l.startsWith("BENCH_JSON "));
    if (!line) throw new Error(`no summary from wrk:\n${out}`);
    const j = JSON.parse(line.slice("BENCH_JSON ".length));
    const seconds = j.duration_us / 1e6;
    return {
      requests: j.requests,
      seconds,
      rps: j.requests / seconds,
      p50_ms: j.p50_us / 1000,
      p90_ms: j.p90_us / 1000,
      p99_ms: j.p99_us / 1000,
      mean_ms: j.mean_us / 1000,
      max_ms: j.max_us / 1000,
      errors: { connect: j.connect, read: j.read, write: j.write, status: j.status, timeout: j.timeout },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function secretKey(): string {
  return randomBytes(32).toString("hex");
}

export function machineInfo(): Record<string, string | number> {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? "unknown";
  const mhz = /cpu MHz\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? "unknown";
  let osName = "unknown";
  try {
    osName = /PRETTY_NAME="(.+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? osName;
  } catch {
    // not Linux-like
  }
  const pkg = (name: string) => {
    try {
      return JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version as string;
    } catch {
      return "?";
    }
  };
  let wrkVersion = "?";
  try {
    wrkVersion = execFileSync("wrk", ["-v"], { stdio: ["ignore", "pipe", "pipe"] })
      .toString()
      .split("\n")[0]!;
  } catch (error) {
    // wrk -v exits 1 after printing its version
    wrkVersion = String((error as { stdout?: Buffer }).stdout ?? "").split("\n")[0] || "?";
  }
  return {
    cpu: model,
    cpu_mhz: mhz,
    cores: os.cpus().length,
    ram_gib: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: osName,
    kernel: os.release(),
    node: process.version,
    next: pkg("next"),
    prisma: pkg("@prisma/client"),
    "@prisma/adapter-pg": pkg("@prisma/adapter-pg"),
    pg: pkg("pg"),
    jose: pkg("jose"),
    "@node-rs/argon2": pkg("@node-rs/argon2"),
    wrk: wrkVersion.trim(),
  };
}

/** Average µs per call of `fn`, called `calls` times one after the other after 300 warm-up calls; printed. */
export async function timeCalls(label: string, calls: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 300; i++) await fn(i);
  const started = performance.now();
  for (let i = 0; i < calls; i++) await fn(i);
  const us = ((performance.now() - started) * 1000) / calls;
  console.log(`${label.padEnd(60)} ${us.toFixed(1).padStart(7)} µs per call`);
  return us;
}

/**
 * PostgreSQL and a bucket on Ceph RGW (memstore) for the benchmarks that move real files, with the S3 part of
 * the app's environment; both are stopped after `run`, however it ends.
 */
export async function withPostgresAndRgw<T>(
  run: (pg: BenchPostgres, s3env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const pg = await startPostgres();
  const rgw = await startRgw();
  try {
    await createBucket(rgw, "cloudnotes-bench");
    return await run(pg, {
      S3_ENDPOINT: rgw.endpoint,
      BUCKET_NAME: "cloudnotes-bench",
      AWS_ACCESS_KEY_ID: rgw.accessKeyId,
      AWS_SECRET_ACCESS_KEY: rgw.secretAccessKey,
      AWS_REGION: rgw.region,
    });
  } finally {
    await rgw.stop().catch(() => {});
    await pg.stop().catch(() => {});
  }
}

/** Runs a benchmark script's main and exits with its outcome (a server left running must not keep it alive). */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
