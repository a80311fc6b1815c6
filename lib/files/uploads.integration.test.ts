import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { postToForm, setUpLibServices } from "../../e2e/support/lib-services";
import { listKeys, listOpenMultipartUploads } from "../../e2e/support/s3";
import { config } from "@/lib/config";
import { uploadRequestSchema } from "@/lib/files/contract";
import { inspectUpload, presignUpload, streamUpload } from "@/lib/files/uploads";
import { parseInput } from "@/lib/validation";
import { createNote } from "@/lib/notes/service";
import { registerUser } from "@/lib/users/service";

/**
 * lib/files/uploads.ts against real PostgreSQL and Ceph RGW: the presigned POST lets S3 store exactly what was
 * declared, inspection vouches only for that, and the streaming path never leaves anything half-stored.
 */

const MAX = 6 * 1024 * 1024;
const services = await setUpLibServices({ MAX_UPLOAD_BYTES: String(MAX), ALLOWED_UPLOAD_TYPES: "text/*,image/png" });

async function newUser(): Promise<string> {
  return (await registerUser({ email: `${randomBytes(6).toString("hex")}@example.com`, password: "password1" })).id;
}

async function stored(key: string): Promise<string> {
  const res = await services.s3.send(new GetObjectCommand({ Bucket: services.bucket, Key: key }));
  return res.Body!.transformToString();
}

async function pendingUploads(userId: string): Promise<number> {
  const { rows } = await services.sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM uploads WHERE owner_id = $1",
    [userId],
  );
  return rows[0]!.n;
}

describe("presigned uploads", () => {
  it("S3 stores the declared file, and inspection then vouches for it", async () => {
    const user = await newUser();
    const form = await presignUpload(user, { fileName: "../../etc/notes.txt", contentType: "text/plain", size: 5 });
    expect(form.key.startsWith(`users/${user}/`)).toBe(true);
    expect(form.maxBytes).toBe(MAX);
    expect(form.expiresAt.getTime()).toBeGreaterThan(Date.now());

    await expect(inspectUpload(user, form.key)).rejects.toMatchObject({
      kind: "bad_request",
      message: expect.stringContaining("not been uploaded yet"),
    });
    await postToForm(form, "hello", "text/plain");
    const file = await inspectUpload(user, form.key);
    expect(file).toEqual({ key: form.key, fileName: expect.any(String), size: 5, contentType: "text/plain" });
    // The name is for display: no path of the client's survives.
    expect(file.fileName).not.toContain("/");
    expect(await stored(form.key)).toBe("hello");
  });

  it("S3 refuses a body of another size or type than declared", async () => {
    const user = await newUser();
    const form = await presignUpload(user, { fileName: "a.txt", contentType: "text/plain", size: 5 });
    await expect(postToForm(form, "hello, world", "text/plain")).rejects.toThrow(/S3 refused/);
    await expect(postToForm(form, "hell", "text/plain")).rejects.toThrow(/S3 refused/);
    const otherType = { ...form, fields: { ...form.fields, "Content-Type": "image/png" } };
    await expect(postToForm(otherType, "hello", "image/png")).rejects.toThrow(/S3 refused/);
    expect(await listKeys(services.s3, services.bucket, form.key)).toEqual([]);
  });

  it("what both edges check a request against refuses types not allowed and sizes past the limit", () => {
    // presignUpload takes a request already checked against the upload contract (REST and server action alike).
    const schema = uploadRequestSchema(config().MAX_UPLOAD_BYTES, config().ALLOWED_UPLOAD_TYPES);
    for (const [input, field] of [
      [{ fileName: "a.exe", contentType: "application/x-msdownload", size: 1 }, "contentType"],
      [{ fileName: "a.txt", contentType: "not a type", size: 1 }, "contentType"],
      [{ fileName: "a.txt", contentType: "text/plain", size: MAX + 1 }, "size"],
      [{ fileName: "a.txt", contentType: "text/plain", size: -1 }, "size"],
      [{ fileName: "", contentType: "text/plain", size: 1 }, "fileName"],
    ] as const) {
      expect(() => parseInput(schema, input)).toThrow(
        expect.objectContaining({
          kind: "validation",
          extra: { issues: [expect.objectContaining({ path: [field] })] },
        }),
      );
    }
    expect(parseInput(schema, { fileName: "a.png", contentType: "IMAGE/PNG", size: MAX })).toEqual({
      fileName: "a.png",
      contentType: "image/png",
      size: MAX,
    });
  });

  it("keys are private to their user, and cannot be made up", async () => {
    const alice = await newUser();
    const mallory = await newUser();
    const form = await presignUpload(alice, { fileName: "a.txt", contentType: "text/plain", size: 2 });
    await postToForm(form, "hi", "text/plain");
    const unknown = { kind: "bad_request", message: expect.stringContaining("Unknown or expired file_key") };
    await expect(inspectUpload(mallory, form.key)).rejects.toMatchObject(unknown);
    await expect(inspectUpload(mallory, form.key.replace(alice, mallory))).rejects.toMatchObject(unknown);
    await expect(inspectUpload(alice, `users/${alice}/made-up/a.txt`)).rejects.toMatchObject(unknown);
  });

  it("an attached upload is no longer pending and cannot be inspected for another attach", async () => {
    const user = await newUser();
    const form = await presignUpload(user, { fileName: "a.txt", contentType: "text/plain", size: 2 });
    await postToForm(form, "hi", "text/plain");
    await createNote(user, { title: "n", description: "" }, await inspectUpload(user, form.key));
    expect(await pendingUploads(user)).toBe(0);
    await expect(inspectUpload(user, form.key)).rejects.toMatchObject({ kind: "bad_request" });
  });

  it("limits how many uploads one user may have pending (429)", async () => {
    const user = await newUser();
    const input = { fileName: "a.txt", contentType: "text/plain", size: 1 };
    for (let i = 0; i < 100; i++) await presignUpload(user, input);
    await expect(presignUpload(user, input)).rejects.toMatchObject({ kind: "rate_limited" });
    expect(await pendingUploads(user)).toBe(100);
    // Another user is not affected.
    await expect(presignUpload(await newUser(), input)).resolves.toMatchObject({ key: expect.any(String) });
  });
});

describe("streamed uploads (multipart requests)", () => {
  const chunks = (bytes: number, chunk = 256 * 1024) =>
    Readable.from(
      (function* () {
        for (let sent = 0; sent < bytes; sent += chunk) yield Buffer.alloc(Math.min(chunk, bytes - sent), 97);
      })(),
    );

  it("stores a file of any size up to the limit and records it as pending, ready to attach", async () => {
    const user = await newUser();
    const file = await streamUpload(user, { fileName: "big.txt", contentType: "text/plain", stream: chunks(MAX) });
    expect(file).toMatchObject({ fileName: "big.txt", size: MAX, contentType: "text/plain" });
    expect(await inspectUpload(user, file.key)).toEqual(file);
    expect(await listOpenMultipartUploads(services.s3, services.bucket, `users/${user}/`)).toEqual([]);
  });

  it("stops a file past the limit (413) and leaves nothing behind: no object, no open multipart upload, no row", async () => {
    const user = await newUser();
    // Past the first 5 MiB part, so a multipart upload was under way and has to be aborted.
    const error = await streamUpload(user, {
      fileName: "huge.txt",
      contentType: "text/plain",
      stream: chunks(MAX + 1024 * 1024),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "too_large" });
    expect(await listKeys(services.s3, services.bucket, `users/${user}/`)).toEqual([]);
    expect(await listOpenMultipartUploads(services.s3, services.bucket, `users/${user}/`)).toEqual([]);
    expect(await pendingUploads(user)).toBe(0);
  });

  it("refuses a type that is not allowed (415) before storing anything", async () => {
    const user = await newUser();
    await expect(
      streamUpload(user, { fileName: "a.exe", contentType: "application/x-msdownload", stream: chunks(10) }),
    ).rejects.toMatchObject({ kind: "unsupported_media_type" });
    expect(await pendingUploads(user)).toBe(0);
    expect(await listKeys(services.s3, services.bucket, `users/${user}/`)).toEqual([]);
  });
});
