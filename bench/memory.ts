/**
 * `npm run bench:memory` — memory of one CloudNotes instance (production build, pinned like `npm run bench`).
 *
 * 1. Mixed load for 5 minutes (BENCH_MEMORY_SECONDS): wrk -t2 -c32 cycling through GET /notes, GET /notes?q=,
 *    POST /notes, PUT /notes/{id}/title, POST /uploads and the server-rendered page /; RSS read from
 *    /proc/<pid>/status every 10 s. Targets: ≤ 300 MB, and flat between minute 2 and minute 5.
 * 2. A 200 MB file through the legacy multipart path (POST /notes multipart, MAX_UPLOAD_BYTES = 256 MiB) into
 *    real S3 (Ceph RGW via scripts/rgw.sh, memstore): RSS sampled every 100 ms; target: rises by ≤ 64 MB.
 *
 * Needs `npm run build` first, and Ceph's radosgw (scripts/system-deps.sh installs it) for part 2.
 */
import { request as httpRequest } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fixtureAndRequests } from "./run";
import {
  loadAverage,
  log,
  machineInfo,
  pinSelf,
  ROOT,
  rssBytes,
  sampleRss,
  runWrk,
  startPostgres,
  startS3,
  startServer,
  runMain,
  withPostgresAndRgw,
  commandLine,
  type WrkRequest,
} from "./support";

const MIXED_SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 300);
const FILE_BYTES = 200 * 1024 * 1024;
const MiB = 1024 * 1024;
/** BENCH_APP_NODE_OPTIONS: V8/Node flags for the app (e.g. heap sizes), passed as NODE_OPTIONS. */
const APP_NODE_OPTIONS: Record<string, string> = process.env.BENCH_APP_NODE_OPTIONS
  ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS }
  : {};

async function mixedLoad(results: Record<string, unknown>) {
  const pg = await startPostgres();
  const s3 = await startS3();
  try {
    // One seeded database; the requests of every scenario interleaved in one wrk script.
    const scenarios = ["get_notes", "search", "post_notes", "put_title", "uploads", "page"] as const;
    const first = await fixtureAndRequests(pg, s3.env, "get_notes");
    const app = await startServer("app", { ...first.env, ...APP_NODE_OPTIONS });
    try {
      const lists: WrkRequest[][] = [];
      for (const s of scenarios) lists.push(await first.requestsFor(s, app.url));
      // Round-robin over scenarios (each list cycles through its own variants).
      const mixed: WrkRequest[] = [];
      for (let i = 0; i < 600; i++) {
        const list = lists[i % lists.length]!;
        mixed.push(list[Math.floor(i / lists.length) % list.length]!);
      }
      const samples: { t: number; rss_mb: number }[] = [];
      const started = Date.now();
      const sample = () =>
        samples.push({ t: Math.round((Date.now() - started) / 1000), rss_mb: rssBytes(app.pid) / MiB });
      sample();
      const timer = setInterval(() => {
        sample();
        log(`  t=${samples.at(-1)!.t}s RSS ${samples.at(-1)!.rss_mb.toFixed(1)} MB`);
        // Pending uploads are capped per user: clear them as the sweeper would after their TTL.
        void first.resetUploads();
      }, 10_000);
      log(`mixed load for ${MIXED_SECONDS} s`);
      const load = loadAverage();
      const r = await runWrk(app.url, mixed, { seconds: MIXED_SECONDS }).finally(() => clearInterval(timer));
      sample();
      results.breakdown_after_load = { ...(await memoryBreakdown(app.url)), ...rssKinds(app.pid) };
      log(`  breakdown: ${JSON.stringify(results.breakdown_after_load)}`);
      const between = samples.filter((s) => s.t >= 120 && s.t <= 300);
      const max = Math.max(...samples.map((s) => s.rss_mb));
      const growth = between.length > 1 ? between.at(-1)!.rss_mb - between[0]!.rss_mb : NaN;
      const slope = regressionSlope(between.map((s) => [s.t / 60, s.rss_mb]));
      results.mixed = {
        seconds: MIXED_SECONDS,
        load_avg: load,
        wrk: r,
        samples,
        max_rss_mb: max,
        rss_min2_mb: between[0]?.rss_mb,
        rss_min5_mb: between.at(-1)?.rss_mb,
        growth_min2_to_min5_mb: growth,
        slope_mb_per_min_min2_to_min5: slope,
      };
      log(
        `mixed: ${r.rps.toFixed(0)} req/s, max RSS ${max.toFixed(1)} MB, minute 2 → 5: ${growth.toFixed(1)} MB (slope ${slope.toFixed(2)} MB/min)`,
      );
    } finally {
      await app.stop();
    }
  } finally {
    await s3.stop().catch(() => {});
    await pg.stop().catch(() => {});
  }
}

/** Where the memory is, from the app's own Prometheus metrics (prom-client's default process metrics). */
async function memoryBreakdown(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m =
      /^(process_resident_memory_bytes|nodejs_heap_size_total_bytes|nodejs_heap_size_used_bytes|nodejs_external_memory_bytes|nodejs_heap_space_size_total_bytes)(\{[^}]*\})? ([0-9.e+]+)/.exec(
        line,
      );
    if (!m) continue;
    const space = /space="([^"]+)"/.exec(m[2] ?? "")?.[1];
    out[`${m[1]!.replace(/_bytes$/, "")}${space ? `:${space}` : ""}_mb`] = Math.round((Number(m[3]) / MiB) * 10) / 10;
  }
  return out;
}

/** Anonymous memory (heaps, malloc) against mapped files (the node binary, code) in the RSS. */
function rssKinds(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of readFileSync(`/proc/${pid}/status`, "utf8").matchAll(/^(RssAnon|RssFile|RssShmem):\s+(\d+) kB/gm))
    out[`${m[1]}_mb`] = Math.round(Number(m[2]) / 102.4) / 10;
  return out;
}

function regressionSlope(points: [number, number][]): number {
  if (points.length < 2) return NaN;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  const num = points.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
  return num / den;
}

/** Streams a multipart body of `size` bytes (generated, never held in memory here) to POST /notes. */
function postLargeFile(url: string, token: string, size: number): Promise<{ status: number; body: string }> {
  const boundary = "----cloudnotesbench" + Date.now();
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nLarge file\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n200 MB through the multipart path\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="large.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const u = new URL(`${url}/notes`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": String(head.length + size + tail.length),
        },
      },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let sent = 0;
    req.write(head);
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      req.end(tail);
    };
    pump();
  });
}

async function largeUpload(results: Record<string, unknown>) {
  log("starting Ceph RGW (memstore) for the 200 MB upload");
  await withPostgresAndRgw(async (pg, s3env) => {
    const fixture = await fixtureAndRequests(pg, s3env, "get_notes");
    const app = await startServer("app", { ...fixture.env, ...APP_NODE_OPTIONS, MAX_UPLOAD_BYTES: String(256 * MiB) });
    try {
      // Warm the paths first (a small multipart note, a few lists) so that lazily loaded code is in the baseline.
      for (let i = 0; i < 3; i++) {
        const small = await postLargeFile(app.url, fixture.fixture.writerToken, 1024 * 1024);
        if (small.status !== 200) throw new Error(`warm-up upload failed: ${small.status} ${small.body}`);
      }
      await new Promise((r) => setTimeout(r, 2000));
      const baseline = rssBytes(app.pid) / MiB;
      const rss = sampleRss(app.pid, baseline);
      const started = performance.now();
      const res = await postLargeFile(app.url, fixture.fixture.writerToken, FILE_BYTES).finally(() => rss.stop());
      const seconds = (performance.now() - started) / 1000;
      const { peak, samples } = rss;
      if (res.status !== 200) throw new Error(`200 MB upload failed: ${res.status} ${res.body}`);
      const note = JSON.parse(res.body) as { file_size: number };
      if (note.file_size !== FILE_BYTES) throw new Error(`stored size ${note.file_size}, expected ${FILE_BYTES}`);
      const after = rssBytes(app.pid) / MiB;
      results.upload = {
        bytes: FILE_BYTES,
        seconds,
        mb_per_s: FILE_BYTES / MiB / seconds,
        rss_baseline_mb: baseline,
        rss_peak_mb: peak,
        rss_after_mb: after,
        rise_mb: peak - baseline,
        samples_mb: samples.filter((_, i) => i % 10 === 0),
      };
      log(
        `200 MB upload: ${seconds.toFixed(1)} s, RSS ${baseline.toFixed(1)} → peak ${peak.toFixed(1)} MB (rise ${(peak - baseline).toFixed(1)} MB)`,
      );
    } finally {
      await app.stop();
    }
  });
}

async function main() {
  pinSelf();
  const { options } = commandLine();
  const only = options.only?.split(",") ?? ["mixed", "upload"];
  const results: Record<string, unknown> = {
    started: new Date().toISOString(),
    machine: machineInfo(),
    app_node_options: APP_NODE_OPTIONS.NODE_OPTIONS ?? "",
  };
  if (only.includes("mixed")) await mixedLoad(results);
  if (only.includes("upload")) await largeUpload(results);
  results.finished = new Date().toISOString();
  const out = path.resolve(ROOT, options.out ?? "bench/out/results-memory.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  const m = results.mixed as Record<string, number> | undefined;
  const u = results.upload as Record<string, number> | undefined;
  console.log("| memory | figure | target | |");
  console.log("| --- | ---: | --- | --- |");
  if (m) {
    console.log(
      `| max RSS, ${m.seconds} s mixed load | ${m.max_rss_mb!.toFixed(1)} MB | ≤ 300 MB | ${m.max_rss_mb! <= 300 ? "met" : "MISSED"} |`,
    );
    console.log(
      `| RSS minute 2 → minute 5 | ${m.rss_min2_mb?.toFixed(1)} → ${m.rss_min5_mb?.toFixed(1)} MB (${m.growth_min2_to_min5_mb!.toFixed(1)} MB; slope ${m.slope_mb_per_min_min2_to_min5!.toFixed(2)} MB/min) | flat | |`,
    );
  }
  if (u)
    console.log(
      `| 200 MB multipart upload, RSS rise | ${u.rise_mb!.toFixed(1)} MB (${u.rss_baseline_mb!.toFixed(1)} → ${u.rss_peak_mb!.toFixed(1)}) | ≤ 64 MB | ${u.rise_mb! <= 64 ? "met" : "MISSED"} |`,
    );
  log(`raw results: ${path.relative(process.cwd(), out)}`);
}

runMain(main);
