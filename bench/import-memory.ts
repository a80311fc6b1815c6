/**
 * `npm run bench:import` — memory of one CloudNotes instance (production build) while it imports an archive
 * with 1 GB of files.
 *
 * A CloudNotes export of 40 notes with a file of 25 MiB each (BENCH_IMPORT_FILES × BENCH_IMPORT_FILE_MIB) is
 * written to a temporary file (yazl, stored entries, as the export writes them), sent to real S3 (Ceph RGW via
 * scripts/rgw.sh) with the presigned POST of POST /imports/uploads, then imported with POST /imports and
 * followed to its end. The app's RSS is sampled every 100 ms from /proc/<pid>/status (VmRSS) and its high-water
 * mark (VmHWM) read at the end. Target: ≤ 300 MB, the service's memory cap.
 *
 * Needs `npm run build` first, and Ceph's radosgw (scripts/system-deps.sh installs it).
 */
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { createWriteStream, openAsBlob, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";
import { toMarkdown } from "../lib/transfer/front-matter";
import { filePath, fileRelativeToNote, notePath } from "../lib/transfer/manifest";
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

const FILES = Number(process.env.BENCH_IMPORT_FILES ?? 40);
const FILE_MIB = Number(process.env.BENCH_IMPORT_FILE_MIB ?? 25);
const MiB = 1024 * 1024;

/** File i's bytes, the same every time they are asked for (AES-CTR of zeros: fast, incompressible). */
function fileBytes(i: number): Readable {
  const cipher = createCipheriv("aes-128-ctr", Buffer.alloc(16, i + 1), Buffer.alloc(16));
  const zero = Buffer.alloc(MiB);
  let left = FILE_MIB;
  return new Readable({
    read() {
      this.push(left-- > 0 ? cipher.update(zero) : null);
    },
  });
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** A CloudNotes export of FILES notes with one file each, written to `out`. */
async function writeArchive(out: string): Promise<number> {
  const zip = new yazl.ZipFile();
  const notes = [];
  const created = new Date("2026-11-01T10:00:00.000Z").toISOString();
  for (let i = 0; i < FILES; i++) {
    const note = { id: i + 1, title: `File ${i} #bench` };
    const file = filePath(note, `file-${i}.bin`);
    const sha256 = await sha256Of(fileBytes(i));
    const size = FILE_MIB * MiB;
    zip.addBuffer(
      Buffer.from(
        toMarkdown(
          {
            id: note.id,
            title: note.title,
            tags: ["bench"],
            pinned: false,
            archived: false,
            created,
            updated: created,
            file: fileRelativeToNote(file),
          },
          `${FILE_MIB} MiB of random bytes`,
        ),
      ),
      notePath(note),
      { compress: false },
    );
    zip.addReadStream(fileBytes(i), file, { compress: false, size });
    notes.push({
      id: note.id,
      path: notePath(note),
      file: { path: file, name: `file-${i}.bin`, content_type: "application/octet-stream", size, sha256 },
    });
  }
  const manifest = {
    format: "cloudnotes-export",
    version: 1,
    exported_at: new Date().toISOString(),
    notes,
    counts: { notes: FILES, files: FILES, bytes: FILES * FILE_MIB * MiB },
  };
  zip.addBuffer(Buffer.from(JSON.stringify(manifest)), "manifest.json", { compress: false });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(out));
  return (await openAsBlob(out)).size;
}

async function main() {
  pinSelf();
  const archivePath = path.join(os.tmpdir(), `cloudnotes-import-bench-${process.pid}.zip`);
  log(`writing an export of ${FILES} files of ${FILE_MIB} MiB to ${archivePath}`);
  const zipBytes = await writeArchive(archivePath);
  // The archive and the imported copies of its files are both in S3: more than rgw.sh's default 1 GiB store.
  process.env.RGW_MEMSTORE_BYTES ??= String(4 * 1024 * MiB);
  log("starting PostgreSQL and Ceph RGW (memstore)");
  await withPostgresAndRgw(async (pg, s3env) => {
    const env = {
      DATABASE_URL: await pg.createDatabase(`bench_import_${randomBytes(3).toString("hex")}`),
      SECRET_KEY: secretKey(),
      ...s3env,
      MAX_UPLOAD_BYTES: String(FILE_MIB * MiB),
      IMPORT_MAX_BYTES: String(4 * 1024 * MiB),
      LOG_LEVEL: "info",
    };
    const app = await startServer("app", env);
    try {
      const email = `import-bench-${randomBytes(4).toString("hex")}@example.com`;
      const password = "correct horse battery";
      await ok(
        await fetch(`${app.url}/register`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password }),
        }),
        "register",
      );
      const { access_token: token } = await ok<{ access_token: string }>(
        await fetch(`${app.url}/login`, { method: "POST", body: new URLSearchParams({ username: email, password }) }),
        "login",
      );
      const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

      log(`uploading the ${(zipBytes / MiB).toFixed(0)} MiB archive through its presigned POST`);
      const p = await ok<{ url: string; fields: Record<string, string>; key: string }>(
        await fetch(`${app.url}/imports/uploads`, {
          method: "POST",
          headers: auth,
          body: JSON.stringify({ size: zipBytes }),
        }),
        "presign",
      );
      const form = new FormData();
      for (const [k, v] of Object.entries(p.fields)) form.append(k, v);
      form.append("file", await openAsBlob(archivePath, { type: "application/zip" }), "export.zip");
      const s3res = await fetch(p.url, { method: "POST", body: form });
      if (s3res.status !== 204) throw new Error(`S3 POST: ${s3res.status} ${await s3res.text()}`);

      await new Promise((r) => setTimeout(r, 2000));
      const baseline = rssBytes(app.pid) / MiB;
      const hwmBefore = hwmBytes(app.pid) / MiB;
      const rss = sampleRss(app.pid, baseline);
      const load = loadAverage();
      log(`importing (load average ${load.toFixed(2)}, RSS ${baseline.toFixed(1)} MB)`);
      const started = performance.now();
      let result: { id: string; status: string; created_notes: number; error: string | null };
      try {
        result = await ok(
          await fetch(`${app.url}/imports`, { method: "POST", headers: auth, body: JSON.stringify({ key: p.key }) }),
          "start",
        );
        while (result.status === "queued" || result.status === "running") {
          await new Promise((r) => setTimeout(r, 250));
          result = await ok(await fetch(`${app.url}/imports/${result.id}`, { headers: auth }), "progress");
        }
      } finally {
        rss.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      const { peak, samples } = rss;
      if (result.status !== "done" || result.created_notes !== FILES)
        throw new Error(`import ended ${JSON.stringify(result)}`);
      const hwm = hwmBytes(app.pid) / MiB;
      const fileBytesTotal = FILES * FILE_MIB * MiB;
      const summary = {
        files: FILES,
        file_bytes: fileBytesTotal,
        zip_bytes: zipBytes,
        seconds,
        mb_per_s: fileBytesTotal / MiB / seconds,
        load_avg: load,
        rss_baseline_mb: baseline,
        rss_peak_mb: peak,
        vmhwm_before_mb: hwmBefore,
        vmhwm_after_mb: hwm,
        samples_mb: samples.filter((_, i) => i % 10 === 0).map((s) => Math.round(s)),
      };
      console.log(JSON.stringify(summary, null, 2));
      console.log("| import memory | figure | target | |");
      console.log("| --- | ---: | --- | --- |");
      console.log(
        `| POST /imports of ${FILES} × ${FILE_MIB} MiB (${(zipBytes / MiB).toFixed(0)} MiB zip, ${seconds.toFixed(1)} s, ${summary.mb_per_s.toFixed(0)} MiB/s) | RSS ${baseline.toFixed(1)} → peak ${peak.toFixed(1)} MB; VmHWM ${hwm.toFixed(1)} MB | ≤ 300 MB | ${Math.max(peak, hwm) <= 300 ? "met" : "MISSED"} |`,
      );
    } finally {
      await app.stop();
    }
  }).finally(() => rmSync(archivePath, { force: true }));
}

runMain(main);
