import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../support/api";
import { startApp, testSecret, type RunningApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { createBucket, listKeys, s3Client, startRgw, type TestS3 } from "../support/s3";
import { expectNote, poll } from "./helpers";

/**
 * An S3 outage, on a gateway, database, bucket and app of this file's own (the shared ones must stay up):
 * requests that need no file keep working, file operations answer 503 quickly, a note deleted meanwhile stays
 * deleted and its object is removed by the queue once S3 is back, with no orphan left.
 */

const BUCKET = "cloudnotes-outage";

let rgw: TestS3;
let app: RunningApp;
let db: pg.Pool;
let token: string;

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(`${app.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
}

const json = (path: string, body: unknown, method = "POST") =>
  call(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function fileForm(fields: Record<string, string>, name: string, type: string, data: string | Uint8Array): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", new Blob([data as BlobPart], { type }), name);
  return form;
}

async function ok(res: Response) {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  return JSON.parse(text);
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
}

const bucketKeys = () => listKeys(s3Client(rgw), BUCKET, "users/");
const noteKeys = async () =>
  (
    await db.query<{ file_key: string }>(
      "SELECT file_key FROM notes WHERE file_key IS NOT NULL UNION SELECT file_key FROM note_revisions WHERE file_key IS NOT NULL",
    )
  ).rows
    .map((r) => r.file_key)
    .sort();

beforeAll(async () => {
  const [gateway, databaseUrl] = await Promise.all([startRgw(), createDatabase(inject("pgAdminUrl"), "outage")]);
  rgw = gateway;
  await createBucket(rgw, BUCKET);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  app = await startApp({
    DATABASE_URL: databaseUrl,
    SECRET_KEY: testSecret(),
    BUCKET_NAME: BUCKET,
    S3_ENDPOINT: rgw.endpoint,
    AWS_REGION: rgw.region,
    AWS_ACCESS_KEY_ID: rgw.accessKeyId,
    AWS_SECRET_ACCESS_KEY: rgw.secretAccessKey,
    MAX_UPLOAD_BYTES: String(12 * 1024 * 1024),
    WORKER_INTERVAL_SECONDS: "1",
    LOG_LEVEL: "warn",
  });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await db?.end();
  await rgw?.resume?.().catch(() => {});
  await rgw?.stop();
}, 120_000);

describe("S3 outage", () => {
  let withFile: { id: number; key: string; data: Uint8Array };
  let pendingKey: string;

  it("before: a note with a file and a pending direct upload; ready", async () => {
    expect(rgw.pause, "this test needs Ceph RGW (pause/resume)").toBeDefined();
    const email = uniqueEmail("outage");
    await ok(await json("/register", { email, password: PASSWORD }));
    token = (await ok(await json("/login", { email, password: PASSWORD }))).access_token;

    const data = new Uint8Array(randomBytes(2048));
    const note = expectNote(
      await ok(
        await call("/notes", {
          method: "POST",
          body: fileForm({ title: "has a file" }, "f.bin", "application/octet-stream", data),
        }),
      ),
    );
    const key = (await db.query("SELECT file_key FROM notes WHERE id = $1", [note.id])).rows[0].file_key;
    withFile = { id: note.id, key, data };

    const p = await ok(await json("/uploads", { filename: "later.txt", content_type: "text/plain", size: 5 }));
    const form = new FormData();
    for (const [k, v] of Object.entries(p.fields as Record<string, string>)) form.append(k, v);
    form.append("file", new Blob(["later"]), "later.txt");
    expect((await fetch(p.url, { method: "POST", body: form })).status).toBe(204);
    pendingKey = p.key;

    expect((await call("/readyz")).status).toBe(200);
    expect((await bucketKeys()).sort()).toEqual([key, pendingKey].sort());
  });

  it("during: /readyz is 503, notes without files work, file operations answer 503 quickly", async () => {
    await rgw.pause!();

    const ready = await poll(
      () => call("/readyz"),
      (r) => r.status === 503,
      "/readyz to report the outage",
    );
    const body = await ready.json();
    expect(body.checks.database).toBe("ok");
    expect(body.checks.storage).not.toBe("ok");
    expect((await call("/healthz")).status).toBe(200);

    // Everything that needs no S3 call still works.
    const plain = expectNote(
      await ok(await json("/notes", { title: "written during the outage", description: "no file" })),
    );
    expect(
      expectNote(await ok(await json(`/notes/${plain.id}/title`, { title: "renamed during the outage" }, "PUT"))).title,
    ).toBe("renamed during the outage");
    expect(
      expectNote(await ok(await json(`/notes/${plain.id}/description`, { description: "still no file" }, "PUT")))
        .description,
    ).toBe("still no file");
    const list = (await ok(await call("/notes"))) as unknown[];
    expect(list.map((n) => expectNote(n).id)).toContain(plain.id);
    // A note with a file is listed with a (locally signed) URL.
    expect(expectNote(await ok(await call(`/notes/${withFile.id}`))).file_url).toMatch(/^http/);

    // Streaming a file to S3: 503 with a detail, quickly, and no note.
    const upload = await timed(() =>
      call("/notes", {
        method: "POST",
        body: fileForm({ title: "file during outage" }, "x.txt", "text/plain", "x".repeat(10_000)),
      }),
    );
    expect(upload.value.status).toBe(503);
    expect(typeof (await upload.value.json()).detail).toBe("string");
    expect(upload.ms).toBeLessThan(15_000);

    // Attaching a direct upload needs a HEAD on the object: 503 too, and nothing is attached or consumed.
    const attach = await timed(() => json("/notes", { title: "attach during outage", file_key: pendingKey }));
    expect(attach.value.status).toBe(503);
    expect(typeof (await attach.value.json()).detail).toBe("string");
    expect(attach.ms).toBeLessThan(15_000);
    const replace = await timed(() => json(`/notes/${plain.id}/file`, { file_key: pendingKey }, "PUT"));
    expect(replace.value.status).toBe(503);
    expect(replace.ms).toBeLessThan(15_000);

    const titles = ((await ok(await call("/notes"))) as { title: string }[]).map((n) => n.title);
    expect(titles).not.toContain("file during outage");
    expect(titles).not.toContain("attach during outage");
    expect((await db.query("SELECT key FROM uploads")).rows.map((r) => r.key)).toEqual([pendingKey]);

    // Deleting a note with a file: the database change holds, the object's deletion is queued and retried.
    const del = await timed(() => call(`/notes/${withFile.id}`, { method: "DELETE" }));
    expect(del.value.status).toBe(200);
    expect(del.ms).toBeLessThan(15_000);
    expect((await call(`/notes/${withFile.id}`)).status).toBe(404);
    const row = await poll(
      async () =>
        (await db.query("SELECT attempts, last_error FROM file_deletions WHERE key = $1", [withFile.key])).rows[0],
      (r) => !!r && r.attempts > 0,
      "a failed deletion attempt to be recorded",
    );
    expect(row.last_error).toEqual(expect.any(String));
  });

  it("after: ready again, the queued deletion completes, the pending upload attaches, no orphan", async () => {
    await rgw.resume!();
    await poll(
      () => call("/readyz"),
      (r) => r.status === 200,
      "/readyz to recover",
      60_000,
    );

    await poll(
      async () => (await db.query("SELECT count(*)::int AS n FROM file_deletions")).rows[0].n,
      (n) => n === 0,
      "the deletion queue to drain",
      60_000,
    );
    expect(await bucketKeys()).not.toContain(withFile.key);

    const attached = expectNote(
      await ok(await json("/notes", { title: "attached after the outage", file_key: pendingKey })),
    );
    expect(attached.file_name).toBe("later.txt");
    expect(await (await fetch(attached.file_url!)).text()).toBe("later");

    // And a streamed upload works again.
    const streamed = expectNote(
      await ok(
        await call("/notes", {
          method: "POST",
          body: fileForm({ title: "after" }, "after.txt", "text/plain", "after"),
        }),
      ),
    );
    expect(streamed.file_size).toBe(5);

    // No orphan: the bucket holds exactly the files of the notes, nothing pending or half-uploaded.
    expect((await bucketKeys()).sort()).toEqual(await noteKeys());
    expect((await db.query("SELECT count(*)::int AS n FROM uploads")).rows[0].n).toBe(0);
  });
});
