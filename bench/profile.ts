/**
 * `npm run bench:profile -- <scenario> [--server=app|floor] [--seconds=15]` — runs one scenario against one
 * server started with `node --cpu-prof`, then prints where the CPU time went: top functions by self time and
 * self time grouped by package (next, react-dom, prisma, pino, pg, aws-sdk, jose, our code...).
 * The .cpuprofile is kept in bench/out/profiles/ (open it in Chrome DevTools or speedscope for the flame graph).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fixtureAndRequests, type Scenario } from "./run";
import {
  commandLine,
  log,
  pinSelf,
  ROOT,
  runWrk,
  startPostgres,
  startS3,
  startServer,
  runMain,
  type ServerKind,
} from "./support";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  /** Microseconds, on the profiled process's clock. */
  startTime: number;
  endTime: number;
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export function bucketOf(url: string): string {
  if (!url) return "(native / GC / idle)";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    const pkg = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    if (pkg === "next") {
      const sub = rest.slice(1).join("/");
      if (sub.includes("react-dom")) return "next (bundled react-dom)";
      if (sub.includes("compiled"))
        return `next (compiled: ${rest.slice(1).find((p, i, a) => a[i - 1] === "compiled") ?? "?"})`;
      return "next (server)";
    }
    return pkg;
  }
  if (url.includes("/.next/server/chunks/")) return "app bundle (.next/server/chunks: lib/ + bundled deps)";
  if (url.includes("/.next/server/")) return "app bundle (.next/server routes/pages)";
  if (url.endsWith("server.mjs")) return "server/ (our wrapper)";
  if (url.includes("/bench/")) return "bench (floor)";
  return url.split("/").slice(-2).join("/");
}

const OBSERVABILITY_PACKAGES =
  /node_modules\/(pino|pino-std-serializers|@pinojs\/[^/]+|sonic-boom|thread-stream|prom-client|tdigest|bintrees)\//;

function isObservability(f: Node["callFrame"]): boolean {
  return OBSERVABILITY_PACKAGES.test(f.url) || (f.url.endsWith("server.mjs") && f.functionName === "observed");
}

/** The measured run's place in a profile: it ended `endsBeforeUs` before the profile did and lasted `lengthUs`. */
export interface Window {
  endsBeforeUs: number;
  lengthUs: number;
}

export function analyse(file: string, top = 30, requests = 0, window?: Window): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const end = profile.endTime - (window?.endsBeforeUs ?? 0);
  const start = window ? end - window.lengthUs : -Infinity;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (at >= start && at <= end) self.set(id, (self.get(id) ?? 0) + us);
  });
  let total = 0;
  const fns = new Map<string, number>();
  const buckets = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || "(anonymous)";
    if (name === "(idle)") continue;
    total += us;
    const where = n.callFrame.url
      ? `${bucketOf(n.callFrame.url)} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
      : "";
    const key = `${name} ${where}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    const b = ["(garbage collector)", "(program)"].includes(name) ? name : bucketOf(n.callFrame.url);
    buckets.set(b, (buckets.get(b) ?? 0) + us);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    if (byId.get(id)!.callFrame.functionName === "(idle)") continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (!f.functionName || f.functionName === "(root)") continue;
      seen.add(
        `${f.functionName} ${f.url ? `${bucketOf(f.url)} ${path.basename(f.url)}:${f.lineNumber + 1}` : ""}`.trim(),
      );
    }
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
  // Logging and metrics: every sample with a frame of the log and metrics packages or of the server's request
  // observer on its stack (each counted once), to check their share of a request.
  let observability = 0;
  for (const [id, us] of self) {
    if (byId.get(id)!.callFrame.functionName === "(idle)") continue;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (isObservability(byId.get(at)!.callFrame)) {
        observability += us;
        break;
      }
    }
  }
  // With the number of requests served while profiling: microseconds of CPU per request as well.
  const pct = (us: number) =>
    `${((us / total) * 100).toFixed(1)}%${requests ? ` ${(us / requests).toFixed(0).padStart(5)} µs/req` : ""}`;
  const lines = [
    `busy CPU time sampled: ${(total / 1e6).toFixed(1)} s${requests ? ` for ${requests} requests (${(total / requests).toFixed(0)} µs per request, ${window ? "the measured run only" : "start-up included"})` : ""}`,
    `logging and metrics (pino, prom-client, the server's request observer): ${pct(observability)}`,
    "",
    "self time by package:",
  ];
  for (const [b, us] of [...buckets].sort((a, c) => c[1] - a[1]).slice(0, 25))
    lines.push(`  ${pct(us).padStart(6)}  ${b}`);
  lines.push("", `top ${top} functions by self time:`);
  for (const [f, us] of [...fns].sort((a, c) => c[1] - a[1]).slice(0, top))
    lines.push(`  ${pct(us).padStart(6)}  ${f}`);
  lines.push("", `top ${top} functions by inclusive time:`);
  for (const [f, us] of [...inclusive].sort((a, c) => c[1] - a[1]).slice(0, top))
    lines.push(`  ${pct(us).padStart(6)}  ${f}`);
  return lines.join("\n");
}

async function main() {
  const { options: flags, positional } = commandLine();
  if (positional[0] === "analyse") {
    console.log(analyse(positional[1]!, Number(flags.top ?? 30), Number(flags.requests ?? 0)));
    return;
  }
  const scenario = (positional[0] ?? "get_notes") as Scenario;
  const kind = (flags.server ?? "app") as ServerKind;
  const seconds = Number(flags.seconds ?? 15);
  pinSelf();
  const pg = await startPostgres();
  const s3 = await startS3();
  const dir = path.join(ROOT, "bench/out/profiles");
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, "tmp");
  rmSync(tmp, { recursive: true, force: true });
  try {
    const { env, requests } = await fixtureAndRequests(pg, s3.env, scenario);
    const server = await startServer(kind, env, { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${tmp}`] });
    // Only the measured run counts (start-up, warm-up and shutdown left out): `served` requests in `window`.
    let served = 0;
    let measuredEnd = 0;
    let measuredUs = 0;
    try {
      const reqs = await requests(server.url);
      await runWrk(server.url, reqs, { seconds: 5 });
      const began = performance.now();
      const r = await runWrk(server.url, reqs, { seconds });
      measuredEnd = performance.now();
      measuredUs = (measuredEnd - began) * 1000;
      served = r.requests;
      log(
        `${kind} ${scenario} under the profiler: ${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms.toFixed(1)} ms, p99 ${r.p99_ms.toFixed(1)} ms`,
      );
    } finally {
      await server.stop();
    }
    const window = { endsBeforeUs: (performance.now() - measuredEnd) * 1000, lengthUs: measuredUs };
    const file = readdirSync(tmp).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error("no .cpuprofile written");
    const target = path.join(dir, `${kind}-${scenario}.cpuprofile`);
    renameSync(path.join(tmp, file), target);
    rmSync(tmp, { recursive: true, force: true });
    console.log(`${kind} ${scenario}: ${path.relative(ROOT, target)}\n`);
    console.log(analyse(target, Number(flags.top ?? 30), served, window));
  } finally {
    await s3.stop().catch(() => {});
    await pg.stop().catch(() => {});
  }
}

runMain(main);
