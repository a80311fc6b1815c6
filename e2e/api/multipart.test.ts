import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { api, newUser } from "../support/api";
import { listOpenMultipartUploads } from "../support/s3";
import {
  bucket,
  bytes,
  closeDb,
  download,
  expect422,
  expectDetail,
  getNote,
  keysOf,
  listAll,
  MiB,
  multipartNote,
  noteOf,
  poll,
  s3,
  sha256,
  sql,
  userIdOf,
  userPrefix,
} from "./helpers";

afterAll(closeDb);

/**
 * The original's way of sending files: multipart/form-data through the app, streamed to S3 in parts and cut off
 * at MAX_UPLOAD_BYTES (12 MiB in the test server). Every test uses a fresh user so that "nothing left" can be
 * checked under the user's own prefix.
 */

async function freshUser(tag: string) {
  const u = await newUser(tag);
  return { ...u, id: await userIdOf(u.email) };
}

async function pendingUploads(userId: string): Promise<number> {
  return (await sql("SELECT count(*)::int AS n FROM uploads WHERE owner_id = $1", [userId])).rows[0].n;
}

/** After a refused upload: no object, no open multipart upload, no pending row, no note. */
async function expectNothingLeft(user: { id: string; token: string }) {
  expect(await keysOf(user.id)).toEqual([]);
  expect(await listOpenMultipartUploads(s3(), bucket(), userPrefix(user.id))).toEqual([]);
  expect(await pendingUploads(user.id)).toBe(0);
  expect(await listAll(user.token)).toEqual([]);
}

/** A multipart body sent chunked (no Content-Length), as a streaming client does: title, then a file of `size` bytes. */
function chunkedMultipart(
  size: number,
  type = "application/octet-stream",
): { body: ReadableStream<Uint8Array>; contentType: string } {
  const boundary = `----cloudnotes${randomBytes(8).toString("hex")}`;
  const enc = new TextEncoder();
  const head = enc.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nchunked\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stream.bin"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  let sent = -1;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent < 0) {
        sent = 0;
        c.enqueue(head);
      } else if (sent < size) {
        const n = Math.min(MiB, size - sent);
        sent += n;
        c.enqueue(bytes(n));
      } else {
        c.enqueue(tail);
        c.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("multipart upload through the server", () => {
  it("a file bigger than one S3 part (11 MiB, random) round-trips exactly", async () => {
    const user = await freshUser("mp-big");
    const data = bytes(11 * MiB);
    const note = await noteOf(
      await multipartNote(
        user.token,
        { title: "big", description: "eleven" },
        { name: "big.bin", type: "application/octet-stream", data },
      ),
    );
    expect(note).toMatchObject({
      title: "big",
      description: "eleven",
      file_name: "big.bin",
      file_size: 11 * MiB,
      content_type: "application/octet-stream",
    });
    const { res, bytes: got } = await download(note.file_url!);
    expect(res.status).toBe(200);
    expect(got.byteLength).toBe(11 * MiB);
    expect(sha256(got)).toBe(sha256(data));
    // Exactly one object, the note's; the multipart upload was completed, the pending row consumed.
    expect(await keysOf(user.id)).toHaveLength(1);
    expect(await listOpenMultipartUploads(s3(), bucket(), userPrefix(user.id))).toEqual([]);
    expect(await pendingUploads(user.id)).toBe(0);
  });

  it("a file of exactly MAX_UPLOAD_BYTES is accepted", async () => {
    const user = await freshUser("mp-exact");
    const max = inject("apiMaxUploadBytes");
    const note = await noteOf(
      await multipartNote(
        user.token,
        { title: "exact" },
        { name: "exact.bin", type: "application/octet-stream", data: bytes(max) },
      ),
    );
    expect(note.file_size).toBe(max);
  });

  it("a file over the limit (14 MiB) is a 413 and leaves nothing behind", async () => {
    const user = await freshUser("mp-413");
    const res = await multipartNote(
      user.token,
      { title: "too big" },
      { name: "huge.bin", type: "application/octet-stream", data: bytes(14 * MiB) },
    );
    await expectDetail(res, 413);
    await expectNothingLeft(user);
  });

  it("a file one byte over the limit is cut off while streaming (413) and its multipart upload is aborted", async () => {
    const user = await freshUser("mp-413-stream");
    const max = inject("apiMaxUploadBytes");
    // Small enough to pass the Content-Length pre-check: the byte counter must stop it after parts went to S3.
    const res = await multipartNote(
      user.token,
      { title: "one too many" },
      { name: "over.bin", type: "application/octet-stream", data: bytes(max + 1) },
    );
    await expectDetail(res, 413);
    await expectNothingLeft(user);
  });

  it("13 MiB (under the Content-Length pre-check, over the limit): 413 mid-stream, and the connection still serves the next request", async () => {
    const user = await freshUser("mp-413-13");
    const res = await multipartNote(
      user.token,
      { title: "thirteen" },
      { name: "13.bin", type: "application/octet-stream", data: bytes(13 * MiB) },
    );
    await expectDetail(res, 413);
    // The rest of the body must be drained, not left unread: a keep-alive client's next request on the same
    // connection has to be answered (expectNothingLeft lists the notes with a deadline).
    await expectNothingLeft(user);
  });

  it("a chunked body without Content-Length is counted too (413, nothing left)", async () => {
    const user = await freshUser("mp-chunked");
    const { body, contentType } = chunkedMultipart(14 * MiB);
    const res = await api("/notes", {
      method: "POST",
      token: user.token,
      headers: { "content-type": contentType },
      body,
      duplex: "half",
    } as RequestInit);
    await expectDetail(res, 413);
    await expectNothingLeft(user);
    // A small chunked upload works (the 413 is about the size, not the encoding).
    const small = chunkedMultipart(1000, "text/plain");
    const ok = await noteOf(
      await api("/notes", {
        method: "POST",
        token: user.token,
        headers: { "content-type": small.contentType },
        body: small.body,
        duplex: "half",
      } as RequestInit),
    );
    expect(ok).toMatchObject({ title: "chunked", file_size: 1000, content_type: "text/plain" });
  });

  it("PUT /notes/{id}/file over the limit is a 413 and the note keeps its old file", async () => {
    const user = await freshUser("mp-put-413");
    const note = await noteOf(
      await multipartNote(user.token, { title: "keeps" }, { name: "old.txt", type: "text/plain", data: "old" }),
    );
    const res = await multipartNote(
      user.token,
      {},
      { name: "huge.bin", type: "application/octet-stream", data: bytes(inject("apiMaxUploadBytes") + 1) },
      `/notes/${note.id}/file`,
      "PUT",
    );
    await expectDetail(res, 413);
    const after = await getNote(user.token, note.id);
    expect(after.file_name).toBe("old.txt");
    expect(Buffer.from((await download(after.file_url!)).bytes).toString()).toBe("old");
    expect(await keysOf(user.id)).toHaveLength(1);
    expect(await listOpenMultipartUploads(s3(), bucket(), userPrefix(user.id))).toEqual([]);
    expect(await pendingUploads(user.id)).toBe(0);
  });

  it("a refused type is a 415 and stores nothing", async () => {
    const user = await freshUser("mp-415");
    const res = await multipartNote(
      user.token,
      { title: "exe" },
      { name: "setup.exe", type: "application/x-msdownload", data: bytes(5000) },
    );
    await expectDetail(res, 415);
    await expectNothingLeft(user);
  });

  it("a file sent with an invalid title is discarded (422) and its object deleted", async () => {
    const user = await freshUser("mp-422");
    const res = await multipartNote(
      user.token,
      { title: "" },
      { name: "orphan.txt", type: "text/plain", data: "orphan" },
    );
    await expect422(res, ["body", "title"]);
    expect(await pendingUploads(user.id)).toBe(0);
    expect(await listAll(user.token)).toEqual([]);
    await poll(
      () => keysOf(user.id),
      (keys) => keys.length === 0,
      "the discarded object to be deleted",
    );
  });

  it("a file sent for a note that does not exist is discarded (404) and its object deleted", async () => {
    const user = await freshUser("mp-404");
    const res = await multipartNote(
      user.token,
      {},
      { name: "orphan.txt", type: "text/plain", data: "orphan" },
      "/notes/2147483000/file",
      "PUT",
    );
    await expectDetail(res, 404, "Note not found");
    expect(await pendingUploads(user.id)).toBe(0);
    await poll(
      () => keysOf(user.id),
      (keys) => keys.length === 0,
      "the discarded object to be deleted",
    );
  });

  it("PUT /notes/{id}/file without a file is a 422 at body.file", async () => {
    const user = await freshUser("mp-nofile");
    const note = await noteOf(await multipartNote(user.token, { title: "no file" }));
    await expect422(await multipartNote(user.token, { title: "x" }, undefined, `/notes/${note.id}/file`, "PUT"), [
      "body",
      "file",
    ]);
  });

  it("an empty file part (a browser form with no file chosen) is no file", async () => {
    const user = await freshUser("mp-empty");
    const form = new FormData();
    form.set("title", "no file chosen");
    form.set("file", new Blob([]), "");
    const note = await noteOf(await api("/notes", { method: "POST", token: user.token, body: form }));
    expect(note.file_url).toBeNull();
    expect(await keysOf(user.id)).toEqual([]);
  });
});
