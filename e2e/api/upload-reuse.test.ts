import { randomBytes } from "node:crypto";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../support/api";
import { type AppEnv, appEnvFor, startApp, type RunningApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { createBucket, listKeys, s3Client } from "../support/s3";
import { expectNote, poll, sha256 } from "./helpers";

/**
 * A presigned POST can be posted again until it expires, whatever became of its key. On an app of this file's
 * own with the shortest form expiry: no object outlives the rows that reference it once the form is dead, an
 * attached file that is what its note says is kept, and one that is not (an S3 that let the form through with
 * other bytes) is taken off its note and deleted; the checks survive a restart and are shared by two instances.
 */

const EXPIRES_SECONDS = 30; // the least UPLOAD_URL_EXPIRES_SECONDS allows

let app: RunningApp;
let second: RunningApp | undefined;
let appEnv: AppEnv;
let db: pg.Pool;
let bucket: string;
let token: string;
const s3 = () => s3Client(inject("s3"));

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(`${app.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
}

async function ok(res: Response) {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  return JSON.parse(text);
}

const json = async (path: string, body: unknown, method = "POST") =>
  ok(await call(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));

interface Form {
  url: string;
  fields: Record<string, string>;
  key: string;
  expires_at: string;
}

function postForm(form: Form, data: string | Uint8Array, type: string): Promise<Response> {
  const body = new FormData();
  for (const [k, v] of Object.entries(form.fields)) body.append(k, v);
  body.append("file", new Blob([data as BlobPart], { type }), "f");
  return fetch(form.url, { method: "POST", body });
}

/** Presigns and posts `data`; the form is returned to be posted again. */
async function uploaded(name: string, type: string, data: string | Uint8Array): Promise<Form> {
  const form: Form = await json("/uploads", { filename: name, content_type: type, size: Buffer.byteLength(data) });
  const res = await postForm(form, data, type);
  expect(res.status, await res.text()).toBe(204);
  return form;
}

/** Posting a form again must happen while S3 still accepts it, or the test proves nothing. */
async function postAgain(form: Form, data: string | Uint8Array, type: string): Promise<void> {
  expect(Date.now(), "the test was too slow to post the form again before it expired").toBeLessThan(
    Date.parse(form.expires_at),
  );
  const res = await postForm(form, data, type);
  expect(res.status, await res.text()).toBe(204);
}

const bucketKeys = () => listKeys(s3(), bucket, "users/");
const gone = (key: string) => poll(bucketKeys, (keys) => !keys.includes(key), `${key} to be deleted from S3`, 20_000);
const rechecks = async () =>
  (await db.query<{ key: string }>("SELECT key FROM upload_rechecks")).rows.map((r) => r.key);

beforeAll(async () => {
  bucket = `cloudnotes-reuse-${randomBytes(4).toString("hex")}`;
  const [databaseUrl] = await Promise.all([
    createDatabase(inject("pgAdminUrl"), "reuse"),
    createBucket({ ...inject("s3"), stop: async () => {} }, bucket),
  ]);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  appEnv = appEnvFor(databaseUrl, bucket, inject("s3"), {
    UPLOAD_URL_EXPIRES_SECONDS: String(EXPIRES_SECONDS),
    UPLOAD_RECHECK_DELAY_SECONDS: "1",
    WORKER_INTERVAL_SECONDS: "1",
    LOG_LEVEL: "warn",
  });
  app = await startApp(appEnv);
  const email = uniqueEmail("reuse");
  await json("/register", { email, password: PASSWORD });
  token = (await json("/login", { email, password: PASSWORD })).access_token;
}, 180_000);

afterAll(async () => {
  await Promise.all([app?.stop(), second?.stop()]);
  await db?.end();
});

describe("a presigned POST posted again", () => {
  it("cannot leave an object behind its rows once the form has expired; attached files that match are kept", async () => {
    // 1. Attached, then the note deleted (its object removed), then the form posted again.
    const deletedData = "del";
    const deleted = await uploaded("deleted.txt", "text/plain", deletedData);
    const deletedNote = expectNote(await json("/notes", { title: "to delete", file_key: deleted.key }));
    await ok(await call(`/notes/${deletedNote.id}`, { method: "DELETE" }));
    await gone(deleted.key);
    await postAgain(deleted, deletedData, "text/plain");

    // 2. Attached, then replaced by another file, then the first form posted again (the size is pinned): the first
    //    object stays for the note's history, so its check compares it with the revision that names it.
    const replaced = await uploaded("first.txt", "text/plain", "v1");
    const kept = await uploaded("second.txt", "text/plain", "v2");
    const replacedNote = expectNote(await json("/notes", { title: "replaced", file_key: replaced.key }));
    expectNote(await json(`/notes/${replacedNote.id}/file`, { file_key: kept.key }, "PUT"));
    await postAgain(replaced, "v1", "text/plain");

    // 3. Attached, and then its object overwritten with other bytes of another size: what an S3 that does not
    //    enforce content-length-range would let the form do (here written with the bucket owner's keys).
    const swapped = await uploaded("swapped.txt", "text/plain", "abc");
    const swappedNote = expectNote(await json("/notes", { title: "swapped", file_key: swapped.key }));
    await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: swapped.key,
        Body: randomBytes(2 * 1024 * 1024),
        ContentType: "text/plain",
      }),
    );

    // 4. Uploaded and never attached (yet): the pending upload's own business (attach or sweep).
    const pendingData = randomBytes(100);
    const pending = await uploaded("pending.bin", "application/octet-stream", pendingData);

    // The forms posted again did bring their objects back while they were valid.
    const before = await bucketKeys();
    expect(before).toContain(deleted.key);
    expect(before).toContain(replaced.key);

    // The checks are rows, not timers: they outlive the instance that wrote them, and two instances share
    // them (each row is locked by one worker, skipped by the other).
    await app.stop();
    [app, second] = await Promise.all([startApp(appEnv), startApp(appEnv)]);

    // Once the forms have expired, the worker deletes what nothing references and takes the overwritten
    // object off its note; then every key has had its one check.
    await poll(
      async () => ({
        keys: await bucketKeys(),
        swappedUrl: expectNote(await ok(await call(`/notes/${swappedNote.id}`))).file_url,
      }),
      ({ keys, swappedUrl }) =>
        !keys.includes(deleted.key) &&
        keys.includes(replaced.key) &&
        !keys.includes(swapped.key) &&
        swappedUrl === null,
      "the objects nothing references (or nothing vouches for) to be deleted after their forms expired",
      (EXPIRES_SECONDS + 30) * 1000,
    );
    // Every key has been checked; the pending upload's is due again when it could be swept.
    await poll(
      rechecks,
      (keys) => keys.length === 1 && keys[0] === pending.key,
      "every key to be re-checked after its form expired",
    );
    await poll(
      async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM file_deletions")).rows[0]!.n,
      (n) => n === 0,
      "the queued deletions to be drained",
    );
    const keys = await bucketKeys();

    // The replacement is what its note says: kept, and served.
    const replacedNow = expectNote(await ok(await call(`/notes/${replacedNote.id}`)));
    expect(replacedNow).toMatchObject({ file_name: "second.txt", file_size: 2 });
    expect(await (await fetch(replacedNow.file_url!)).text()).toBe("v2");

    // The overwritten object was not what its note vouched for: the note keeps its text, loses the file.
    expect(expectNote(await ok(await call(`/notes/${swappedNote.id}`)))).toMatchObject({
      title: "swapped",
      file_url: null,
      file_name: null,
      file_size: null,
      content_type: null,
    });

    // The pending upload is untouched and can still be attached after its form expired (its key is then
    // checked against its note when its recheck comes round again).
    expect(keys).toContain(pending.key);
    const late = expectNote(await json("/notes", { title: "late", file_key: pending.key }));
    expect(sha256(new Uint8Array(await (await fetch(late.file_url!)).arrayBuffer()))).toBe(sha256(pendingData));

    // And S3 now refuses the expired forms: nothing can come back.
    const refused = await postForm(deleted, deletedData, "text/plain");
    expect(refused.status).toBe(403);
    await expect(s3().send(new HeadObjectCommand({ Bucket: bucket, Key: deleted.key }))).rejects.toThrow();

    // Exactly the files of the notes and of their kept revisions remain.
    const noteKeys = (
      await db.query<{ file_key: string }>(
        "SELECT file_key FROM notes WHERE file_key IS NOT NULL UNION SELECT file_key FROM note_revisions WHERE file_key IS NOT NULL",
      )
    ).rows.map((r) => r.file_key);
    expect((await bucketKeys()).sort()).toEqual(noteKeys.sort());
  }, 180_000);
});
