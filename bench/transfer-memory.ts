/**
 * `npm run bench:transfer` — memory of one CloudNotes instance (production build) while it exports 1 GB of files.
 *
 * 40 files of 25 MiB (BENCH_EXPORT_FILES × BENCH_EXPORT_FILE_MIB) uploaded through the API's presigned POST into
 * real S3 (Ceph RGW via scripts/rgw.sh, memstore), one note each, spread over BENCH_EXPORT_USERS users (1); then
 * each user's GET /export, all at once, read to the end at full speed by a client that discards it. The app's RSS is sampled every 100 ms from /proc/<pid>/status (VmRSS) and its
 * high-water mark (VmHWM) read at the end. Target: ≤ 300 MB, the service's memory cap.
 *
 * Needs `npm run build` first, and Ceph's radosgw (scripts/system-deps.sh installs it).
 */
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import {
  hwmBytes,
  loadAverage,
  log,
  ok,
  pinSelf,
  rssBytes,
  sampleRss,
  runMain,
  secretKey,
  startServer,
  withPostgresAndRgw,
} from "./support";

const FILES = Number(process.env.BENCH_EXPORT_FILES ?? 40);
const FILE_MIB = Number(process.env.BENCH_EXPORT_FILE_MIB ?? 25);
/** The files spread over this many users, whose exports then run all at once (8: the per-process limit). */
const USERS = Number(process.env.BENCH_EXPORT_USERS ?? 1);
const MiB = 1024 * 1024;

/** Reads GET /export to its end, counting bytes and discarding them. */
function drainExport(url: string, token: string): Promise<{ status: number; bytes: number; estimated: number }> {
  const u = new URL(`${url}/export`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname: u.hostname, port: u.port, path: u.pathname, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let bytes = 0;
        res.on("data", (d: Buffer) => (bytes += d.length));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            estimated: Number(res.headers["x-export-estimated-bytes"] ?? 0),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function main() {
  pinSelf();
  log("starting PostgreSQL and Ceph RGW (memstore)");
  await withPostgresAndRgw(async (pg, s3env) => {
    const env = {
      DATABASE_URL: await pg.createDatabase(`bench_export_${randomBytes(3).toString("hex")}`),
      SECRET_KEY: secretKey(),
      ...s3env,
      MAX_UPLOAD_BYTES: String(FILE_MIB * MiB),
      LOG_LEVEL: "info",
    };
    const app = await startServer("app", env);
    try {
      const data = new Uint8Array(randomBytes(FILE_MIB * MiB));
      const tokens: string[] = [];
      for (let u = 0; u < USERS; u++) {
        const email = `export-bench-${randomBytes(4).toString("hex")}@example.com`;
        const password = "correct horse battery";
        await ok(
          await fetch(`${app.url}/register`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email, password }),
          }),
          "register",
        );
        const { access_token } = await ok<{ access_token: string }>(
          await fetch(`${app.url}/login`, { method: "POST", body: new URLSearchParams({ username: email, password }) }),
          "login",
        );
        tokens.push(access_token);
      }

      log(`uploading ${FILES} files of ${FILE_MIB} MiB through presigned POSTs, for ${USERS} user(s)`);
      for (let i = 0; i < FILES; i++) {
        const auth = { authorization: `Bearer ${tokens[i % USERS]}`, "content-type": "application/json" };
        data[0] = i; // each file its own bytes
        const size = data.byteLength;
        const p = await ok<{ url: string; fields: Record<string, string>; key: string }>(
          await fetch(`${app.url}/uploads`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({ filename: `file-${i}.bin`, content_type: "application/octet-stream", size }),
          }),
          "presign",
        );
        const form = new FormData();
        for (const [k, v] of Object.entries(p.fields)) form.append(k, v);
        form.append("file", new Blob([data], { type: "application/octet-stream" }), `file-${i}.bin`);
        const s3res = await fetch(p.url, { method: "POST", body: form });
        if (s3res.status !== 204) throw new Error(`S3 POST: ${s3res.status} ${await s3res.text()}`);
        await ok(
          await fetch(`${app.url}/notes`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({
              title: `File ${i} #bench`,
              description: `${FILE_MIB} MiB of random bytes`,
              file_key: p.key,
            }),
          }),
          "create note",
        );
      }

      await new Promise((r) => setTimeout(r, 2000));
      const baseline = rssBytes(app.pid) / MiB;
      const hwmBefore = hwmBytes(app.pid) / MiB;
      const rss = sampleRss(app.pid, baseline);
      const load = loadAverage();
      log(`exporting (load average ${load.toFixed(2)}, RSS ${baseline.toFixed(1)} MB)`);
      const started = performance.now();
      const all = await Promise.all(tokens.map((token) => drainExport(app.url, token))).finally(() => rss.stop());
      const seconds = (performance.now() - started) / 1000;
      const { peak, samples } = rss;
      const bad = all.find((r) => r.status !== 200);
      if (bad) throw new Error(`export answered ${bad.status}`);
      const res = {
        bytes: all.reduce((a, r) => a + r.bytes, 0),
        estimated: all.reduce((a, r) => a + r.estimated, 0),
      };
      const hwm = hwmBytes(app.pid) / MiB;
      const fileBytes = FILES * FILE_MIB * MiB;
      if (res.bytes < fileBytes) throw new Error(`export of ${res.bytes} bytes is shorter than its files`);
      const result = {
        users: USERS,
        files: FILES,
        file_bytes: fileBytes,
        zip_bytes: res.bytes,
        estimated_bytes: res.estimated,
        seconds,
        mb_per_s: res.bytes / MiB / seconds,
        load_avg: load,
        rss_baseline_mb: baseline,
        rss_peak_mb: peak,
        vmhwm_before_mb: hwmBefore,
        vmhwm_after_mb: hwm,
        samples_mb: samples.filter((_, i) => i % 10 === 0).map((s) => Math.round(s)),
      };
      console.log(JSON.stringify(result, null, 2));
      console.log("| export memory | figure | target | |");
      console.log("| --- | ---: | --- | --- |");
      console.log(
        `| GET /export of ${FILES} × ${FILE_MIB} MiB, ${USERS} export(s) at once (${(res.bytes / MiB).toFixed(0)} MiB zip, ${seconds.toFixed(1)} s, ${result.mb_per_s.toFixed(0)} MiB/s) | RSS ${baseline.toFixed(1)} → peak ${peak.toFixed(1)} MB; VmHWM ${hwm.toFixed(1)} MB | ≤ 300 MB | ${Math.max(peak, hwm) <= 300 ? "met" : "MISSED"} |`,
      );
    } finally {
      await app.stop();
    }
  });
}

runMain(main);
