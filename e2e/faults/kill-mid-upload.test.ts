import { randomBytes } from "node:crypto";
import { HeadObjectCommand, ListPartsCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningApp, startApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { listKeys, s3Client } from "../support/s3";
import { appEnv, bearer, jsonInit, ownBucket, poll, signUp, sleep, timedFetch } from "./support";

/**
 * An instance killed (SIGKILL: no shutdown hook, no cleanup) in the middle of uploads: a large multipart
 * POST /notes streaming to S3, and presigned uploads between the upload and the attach. Afterwards no note
 * points at a missing object, and what was left behind (rows in `uploads`, an open multipart upload, objects
 * never attached) is removed by the cleanup of the next instance.
 */

const MiB = 1024 * 1024;
const s3 = () => s3Client(inject("s3"));

let databaseUrl: string;
let bucket: string;
let db: pg.Pool;
let killed: RunningApp | undefined;
let next: RunningApp | undefined;

beforeAll(async () => {
  [databaseUrl, bucket] = await Promise.all([createDatabase(inject("pgAdminUrl"), "killed"), ownBucket("faults-kill")]);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
}, 60_000);

afterAll(async () => {
  await killed?.stop("SIGKILL");
  await next?.stop();
  await db?.end();
}, 60_000);

async function exists(key: string): Promise<boolean> {
  try {
    await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

async function openUploads(): Promise<{ key: string; uploadId: string }[]> {
  const page = await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "users/" }));
  return (page.Uploads ?? []).map((u) => ({ key: u.Key!, uploadId: u.UploadId! }));
}

async function partsOf(u: { key: string; uploadId: string }): Promise<number> {
  const page = await s3().send(new ListPartsCommand({ Bucket: bucket, Key: u.key, UploadId: u.uploadId }));
  return (page.Parts ?? []).length;
}

const attachedKeys = async () =>
  (
    await db.query<{ file_key: string }>(
      "SELECT file_key FROM notes WHERE file_key IS NOT NULL UNION SELECT file_key FROM note_revisions WHERE file_key IS NOT NULL",
    )
  ).rows.map((r) => r.file_key);
const count = async (table: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

/**
 * A multipart/form-data body that sends its fields and the first `sendBytes` of a file at once, then stalls
 * (as a slow client would) until the connection is torn down.
 */
function stallingMultipart(sendBytes: number) {
  const boundary = `----cloudnotes${randomBytes(8).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nkilled mid-upload\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  const chunk = randomBytes(256 * 1024);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === 0) controller.enqueue(head);
      if (sent < sendBytes) {
        controller.enqueue(chunk);
        sent += chunk.length;
        return;
      }
      await new Promise(() => {}); // stall: the rest never comes
    },
  });
  // Sent chunked: a client that declared 40 MiB would be refused up front only above the limit (64 MiB).
  return { body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

describe("an instance killed mid-upload", () => {
  it("leaves no note pointing at a missing object, and the next instance's cleanup removes the leftovers", async () => {
    killed = await startApp(
      appEnv(databaseUrl, bucket, { MAX_UPLOAD_BYTES: String(64 * MiB), WORKER_INTERVAL_SECONDS: "1" }),
    );
    const url = killed.url;
    const user = await signUp(url, "killed");

    // Files that were attached before the crash must survive it and the cleanup.
    const form = new FormData();
    form.set("title", "attached before");
    form.set("file", new Blob([randomBytes(3000)], { type: "application/octet-stream" }), "before.bin");
    const before = await timedFetch(`${url}/notes`, { method: "POST", body: form, ...bearer(user.token) });
    expect(before.status, before.text).toBe(200);

    // Presigned uploads: some uploaded and about to be attached when the instance dies, one uploaded and never
    // attached, one presigned and never uploaded.
    const presign = async (name: string) => {
      const r = await timedFetch(
        `${url}/uploads`,
        jsonInit({ filename: name, content_type: "text/plain", size: 64 }, user.token),
      );
      expect(r.status, r.text).toBe(200);
      return JSON.parse(r.text) as { url: string; fields: Record<string, string>; key: string };
    };
    const upload = async (p: { url: string; fields: Record<string, string> }) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(p.fields)) f.append(k, v);
      f.append("file", new Blob(["x".repeat(64)], { type: "text/plain" }), "f.txt");
      expect((await fetch(p.url, { method: "POST", body: f })).status).toBe(204);
    };
    const racing = await Promise.all(Array.from({ length: 16 }, (_, i) => presign(`race-${i}.txt`)));
    await Promise.all(racing.map(upload));
    const neverAttached = await presign("never-attached.txt");
    await upload(neverAttached);
    const neverUploaded = await presign("never-uploaded.txt");

    // The large streamed upload: 11 MiB, then the client stalls. Wait until S3 holds an
    // open multipart upload with parts and the pending row exists.
    const stalled = stallingMultipart(11 * MiB);
    const streaming = fetch(`${url}/notes`, {
      method: "POST",
      headers: { ...stalled.headers, authorization: `Bearer ${user.token}` },
      body: stalled.body,
      duplex: "half",
    } as RequestInit).then(
      (r) => `answered ${r.status}`,
      (e: Error) => `failed: ${e.message}`,
    );
    const open = await poll(openUploads, (u) => u.length === 1, "an open multipart upload in S3", 30_000);
    await poll(
      () => partsOf(open[0]!),
      (n) => n >= 1,
      "a part uploaded",
      30_000,
    );
    expect(await count("uploads")).toBeGreaterThanOrEqual(racing.length + 3);

    // Attach the racing uploads, staggered, and kill the instance as soon as the first two are answered:
    // some are acknowledged, some are cut off before, during or after their transaction.
    const attaches = racing.map(async (p, i) => {
      await sleep(i * 15);
      return timedFetch(`${url}/notes`, jsonInit({ title: `race ${i}`, file_key: p.key }, user.token), 10_000);
    });
    let answered = 0;
    await new Promise<void>((resolve) => attaches.forEach((a) => void a.then(() => ++answered === 2 && resolve())));
    await killed.stop("SIGKILL");
    const answers = await Promise.all(attaches);
    expect(await streaming).not.toMatch(/^answered 200/);
    const acked = answers.filter((a) => a.status === 200).map((a) => JSON.parse(a.text) as { id: number });

    // --- right after the crash: no note points at a missing object; every acknowledged attach is there
    const attached = await attachedKeys();
    const missing = [];
    for (const key of attached) if (!(await exists(key))) missing.push(key);
    expect(missing).toEqual([]);
    const ids = new Set((await db.query<{ id: number }>("SELECT id FROM notes")).rows.map((r) => r.id));
    expect(acked.filter((n) => !ids.has(n.id))).toEqual([]);

    // ... and there are leftovers to clean: pending rows, the open multipart upload, objects never attached.
    const attachedSet = new Set(attached);
    const unreferenced = (await listKeys(s3(), bucket, "users/")).filter((k) => !attachedSet.has(k));
    const leftovers = {
      uploads: await count("uploads"),
      openMultipart: (await openUploads()).length,
      unreferenced: unreferenced.length,
    };
    console.log(
      `[kill] ${acked.length} of ${racing.length} racing attaches acknowledged before the SIGKILL ` +
        `(${answers.filter((a) => a.status === 0).length} cut off, ${attached.length - 1 - acked.length} of those committed anyway); ` +
        `leftovers ${JSON.stringify(leftovers)}`,
    );
    expect(leftovers.openMultipart).toBe(1);
    expect(unreferenced).toContain(neverAttached.key);
    expect(leftovers.uploads).toBeGreaterThanOrEqual(3); // the streamed one, never-attached, never-uploaded
    expect(attached).not.toContain(neverUploaded.key);

    // --- the next instance, with a tiny upload TTL (≈ 1 s) and a fast worker, cleans up by itself
    next = await startApp({
      ...killed.env,
      PORT: undefined,
      UPLOAD_TTL_HOURS: "0.0003",
      // Sweep every second, not only at start: the start-up sweep may come before the leftovers are 1 s old.
      UPLOAD_SWEEP_INTERVAL_SECONDS: "1",
    });
    const started = Date.now();
    await poll(
      async () => {
        const keys = await listKeys(s3(), bucket, "users/");
        const refs = new Set(await attachedKeys());
        return {
          uploads: await count("uploads"),
          deletions: await count("file_deletions"),
          openMultipart: (await openUploads()).length,
          unreferenced: keys.filter((k) => !refs.has(k)),
        };
      },
      (s) => s.uploads === 0 && s.deletions === 0 && s.openMultipart === 0 && s.unreferenced.length === 0,
      "the cleanup to remove every leftover",
      45_000,
    );
    console.log(
      `[kill] leftovers gone ${((Date.now() - started) / 1000).toFixed(1)} s after the next instance was ready`,
    );

    // The cleanup removed nothing that is attached: every note's file is still there and downloadable.
    const finalKeys = await attachedKeys();
    expect(finalKeys.sort()).toEqual([...attached].sort());
    for (const key of finalKeys) expect(await exists(key), key).toBe(true);
    const list = await timedFetch(`${next.url}/notes?limit=1000`, bearer(user.token));
    expect(list.status).toBe(200);
    for (const note of JSON.parse(list.text) as { title: string; file_url: string | null }[]) {
      if (note.file_url) expect((await fetch(note.file_url)).status, note.title).toBe(200);
    }
  }, 150_000);
});
