import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createNote, jsonBody, newUser, postJson } from "../support/api";
import {
  attachJson,
  bucket,
  bytes,
  closeDb,
  directUpload,
  download,
  expect422,
  expectDetail,
  fileKeyOf,
  getNote,
  keysOf,
  listAll,
  noteOf,
  postToS3,
  presign,
  requestUpload,
  s3,
  sha256,
  sql,
  userIdOf,
} from "./helpers";

afterAll(closeDb);

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...bytes(200)]);

let user: { email: string; token: string; id: string };

beforeAll(async () => {
  const u = await newUser("uploads");
  user = { ...u, id: await userIdOf(u.email) };
});

describe("POST /uploads", () => {
  it("returns a presigned POST for a key under users/<id>/uploads/", async () => {
    const before = Date.now();
    const res = await requestUpload(user.token, {
      filename: "photo.png",
      content_type: "image/png",
      size: PNG.byteLength,
    });
    expect(res.status).toBe(200);
    const p = await jsonBody(res);
    expect(p).toMatchObject({
      url: expect.any(String),
      fields: expect.any(Object),
      key: expect.any(String),
      expires_at: expect.any(String),
    });
    expect(p.key.startsWith(`users/${user.id}/uploads/`)).toBe(true);
    expect(p.key).toMatch(/\/photo\.png$/);
    expect(p.fields.key).toBe(p.key);
    expect(p.fields["Content-Type"]).toBe("image/png");
    for (const v of Object.values(p.fields)) expect(typeof v).toBe("string");
    const expires = Date.parse(p.expires_at);
    expect(expires).toBeGreaterThan(before);
    expect(expires).toBeLessThan(before + 3600_000);
    expect(new URL(p.url).origin).toBe(new URL(inject("s3").endpoint).origin);
  });

  it("refuses a type that is not accepted, an oversized file and bad input with 422", async () => {
    const max = inject("apiMaxUploadBytes");
    await expect422(
      await requestUpload(user.token, { filename: "setup.exe", content_type: "application/x-msdownload", size: 10 }),
      ["body", "content_type"],
    );
    await expect422(
      await requestUpload(user.token, { filename: "big.bin", content_type: "application/octet-stream", size: max + 1 }),
      ["body", "size"],
    );
    await expect422(await requestUpload(user.token, { filename: "x.png", content_type: "not a type", size: 1 }), [
      "body",
      "content_type",
    ]);
    await expect422(await requestUpload(user.token, { filename: "x.png", content_type: "image/png", size: -1 }), [
      "body",
      "size",
    ]);
    await expect422(
      await requestUpload(user.token, { filename: "x.png", content_type: "image/png" }),
      ["body", "size"],
      "missing",
    );
    await expect422(
      await requestUpload(user.token, { content_type: "image/png", size: 1 }),
      ["body", "filename"],
      "missing",
    );
    expect(
      (await requestUpload(user.token, { filename: "max.bin", content_type: "application/octet-stream", size: max }))
        .status,
    ).toBe(200);
  });

  it("needs a token", async () => {
    const res = await postJson("/uploads", { filename: "a.png", content_type: "image/png", size: 1 });
    await expectDetail(res, 401, "Not authenticated");
  });
});

describe("upload to S3 and attach", () => {
  it("round-trips a file: presign, POST to S3 (204), attach to a new note, download the same bytes", async () => {
    const p = await presign(user.token, "photo.png", "image/png", PNG.byteLength);
    const s3res = await postToS3(p, PNG, "image/png");
    expect(s3res.status, await s3res.text()).toBe(204);

    const note = await noteOf(await postJson("/notes", { title: "photo", file_key: p.key }, user.token));
    expect(note).toMatchObject({
      title: "photo",
      file_name: "photo.png",
      file_size: PNG.byteLength,
      content_type: "image/png",
    });
    expect(await fileKeyOf(note.id)).toBe(p.key);

    const { res, bytes: got } = await download(note.file_url!);
    expect(res.status).toBe(200);
    expect(sha256(got)).toBe(sha256(PNG));
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(res.headers.get("content-disposition")).toContain('filename="photo.png"');

    // GET /notes/{id} and the list give a working URL too.
    expect(sha256((await download((await getNote(user.token, note.id)).file_url!)).bytes)).toBe(sha256(PNG));
    const listed = (await listAll(user.token)).find((n) => n.id === note.id)!;
    expect(sha256((await download(listed.file_url!)).bytes)).toBe(sha256(PNG));
  });

  it("attaches to an existing note with PUT /notes/{id}/file {file_key}", async () => {
    const note = await createNote(user.token, { title: "later", description: "keep" });
    const data = "a,b\n1,2\n";
    const key = await directUpload(user.token, "table.csv", "text/csv", data);
    const updated = await noteOf(await attachJson(user.token, note.id, key));
    expect(updated).toMatchObject({
      id: note.id,
      title: "later",
      description: "keep",
      file_name: "table.csv",
      file_size: data.length,
      content_type: "text/csv",
    });
    expect(Buffer.from((await download(updated.file_url!)).bytes).toString()).toBe(data);
  });

  it("serves HTML and SVG as attachments (never rendered from the bucket's origin), PNG inline", async () => {
    const cases = [
      { name: "page.html", type: "text/html", data: "<script>alert(1)</script>", disposition: "attachment" },
      {
        name: "drawing.svg",
        type: "image/svg+xml",
        data: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        disposition: "attachment",
      },
      { name: "pixel.png", type: "image/png", data: PNG, disposition: "inline" },
    ];
    for (const c of cases) {
      const key = await directUpload(user.token, c.name, c.type, c.data);
      const note = await noteOf(await postJson("/notes", { title: c.name, file_key: key }, user.token));
      expect(note.content_type).toBe(c.type);
      const { res, bytes: got } = await download(note.file_url!);
      expect(res.status).toBe(200);
      const disposition = res.headers.get("content-disposition") ?? "";
      expect(disposition.split(";")[0], `${c.name}: ${disposition}`).toBe(c.disposition);
      expect(disposition).toContain(`filename="${c.name}"`);
      if (c.disposition === "attachment") expect(res.headers.get("content-type")).not.toMatch(/html|svg/);
      expect(Buffer.from(got).equals(Buffer.from(c.data as string | Uint8Array))).toBe(true);
    }
  });
});

describe("how S3 serves a file (the presigned GET's response headers)", () => {
  it("plays listed audio and video types inline; any other audio/ or video/ subtype is a download", async () => {
    const cases = [
      { name: "song.mp3", type: "audio/mpeg", inline: true },
      { name: "clip.webm", type: "video/webm", inline: true },
      { name: "clip.mp4", type: "video/mp4", inline: true },
      { name: "odd.bin", type: "audio/x-cloudnotes-test", inline: false },
      { name: "list.m3u8", type: "audio/x-mpegurl", inline: false },
      { name: "page.html", type: "video/html", inline: false },
      { name: "movie.avi", type: "video/x-msvideo", inline: false },
    ];
    for (const c of cases) {
      const data = bytes(64);
      const key = await directUpload(user.token, c.name, c.type, data);
      const note = await noteOf(await postJson("/notes", { title: c.name, file_key: key }, user.token));
      expect(note.content_type).toBe(c.type);
      const { res, bytes: got } = await download(note.file_url!);
      expect(res.status).toBe(200);
      const disposition = res.headers.get("content-disposition") ?? "";
      expect(disposition.split(";")[0], `${c.type}: ${disposition}`).toBe(c.inline ? "inline" : "attachment");
      expect(disposition).toContain(`filename="${c.name}"`);
      expect(res.headers.get("content-type"), c.type).toBe(c.inline ? c.type : "application/octet-stream");
      expect(sha256(got)).toBe(sha256(data));
    }
  });
});

describe("the presigned policy is enforced by S3 itself", () => {
  it("pins the declared size: the form cannot store more or fewer bytes, not even posted again after the attach", async () => {
    const small = "abc";
    const p = await presign(user.token, "three.txt", "text/plain", small.length);
    const bigger = await postToS3(p, bytes(2 * 1024 * 1024), "text/plain");
    expect(bigger.status).toBe(400);
    expect(await bigger.text()).toContain("EntityTooLarge");
    const fewer = await postToS3(p, "ab", "text/plain");
    expect(fewer.status).toBe(400);
    expect(await fewer.text()).toContain("EntityTooSmall");
    expect(await keysOf(user.id)).not.toContain(p.key);

    const posted = await postToS3(p, small, "text/plain");
    expect(posted.status, await posted.text()).toBe(204);
    const note = await noteOf(await postJson("/notes", { title: "three bytes", file_key: p.key }, user.token));
    expect(note.file_size).toBe(3);

    // The same form again, still within its expiry: S3 refuses to replace the attached object with 2 MiB.
    const again = await postToS3(p, bytes(2 * 1024 * 1024), "text/plain");
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("EntityTooLarge");
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: p.key }));
    expect(head.ContentLength).toBe(3);
    const after = await getNote(user.token, note.id);
    expect(after.file_size).toBe(3);
    expect(Buffer.from((await download(after.file_url!)).bytes).toString()).toBe(small);
  });

  it("a body larger than MAX_UPLOAD_BYTES is refused with 400 EntityTooLarge", async () => {
    const max = inject("apiMaxUploadBytes");
    const p = await presign(user.token, "big.bin", "application/octet-stream", max);
    const res = await postToS3(p, bytes(max + 1));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("EntityTooLarge");
    expect(await keysOf(user.id)).not.toContain(p.key);
  });

  it("a Content-Type other than the signed one is refused with 403", async () => {
    const p = await presign(user.token, "photo.png", "image/png", 10);
    const res = await postToS3(
      { url: p.url, fields: { ...p.fields, "Content-Type": "text/html" } },
      "<b>hi</b>",
      "text/html",
    );
    expect(res.status).toBe(403);
    expect(await keysOf(user.id)).not.toContain(p.key);
  });

  it("a key other than the signed one is refused with 403", async () => {
    const p = await presign(user.token, "photo.png", "image/png", 10);
    const other = `users/${user.id}/uploads/00000000-0000-0000-0000-000000000000/evil.png`;
    const res = await postToS3({ url: p.url, fields: { ...p.fields, key: other } }, PNG, "image/png");
    expect(res.status).toBe(403);
    const keys = await keysOf(user.id);
    expect(keys).not.toContain(other);
    expect(keys).not.toContain(p.key);
  });

  it("a tampered signature is refused with 403", async () => {
    const p = await presign(user.token, "photo.png", "image/png", 10);
    const sig = Object.keys(p.fields).find((k) => k.toLowerCase() === "x-amz-signature")!;
    expect(sig).toBeDefined();
    const original = p.fields[sig]!;
    const flipped = (original[0] === "0" ? "1" : "0") + original.slice(1);
    const res = await postToS3({ url: p.url, fields: { ...p.fields, [sig]: flipped } }, PNG, "image/png");
    expect(res.status).toBe(403);
    // and a tampered policy with the original signature
    const policy = Object.keys(p.fields).find((k) => k.toLowerCase() === "policy")!;
    const doc = JSON.parse(Buffer.from(p.fields[policy]!, "base64").toString());
    doc.conditions = doc.conditions.filter((c: unknown) => !(Array.isArray(c) && c[0] === "content-length-range"));
    const forged = Buffer.from(JSON.stringify(doc)).toString("base64");
    const res2 = await postToS3({ url: p.url, fields: { ...p.fields, [policy]: forged } }, PNG, "image/png");
    expect(res2.status).toBe(403);
    expect(await keysOf(user.id)).not.toContain(p.key);
  });

  it("the bucket is private: the object URL without a signature is refused with 403", async () => {
    const key = await directUpload(user.token, "secret.txt", "text/plain", "top secret");
    const note = await noteOf(await postJson("/notes", { title: "secret", file_key: key }, user.token));
    const url = new URL(note.file_url!);
    expect(url.search).not.toBe("");
    const anonymous = await fetch(`${url.origin}${url.pathname}`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).not.toContain("top secret");
    expect((await fetch(`${inject("s3").endpoint}/${bucket()}/${key}`)).status).toBe(403);
    expect((await fetch(`${inject("s3").endpoint}/${bucket()}?list-type=2`)).status).toBe(403);
    // The signed URL does work (so the 403 is about the signature).
    expect((await fetch(note.file_url!)).status).toBe(200);
  });
});

describe("attaching: what the app checks", () => {
  it("a key that was presigned but never uploaded is a 400, and no note is created", async () => {
    const p = await presign(user.token, "ghost.png", "image/png", 10);
    const before = (await listAll(user.token)).length;
    await expectDetail(await postJson("/notes", { title: "ghost", file_key: p.key }, user.token), 400);
    const note = await createNote(user.token, { title: "no ghost" });
    await expectDetail(await attachJson(user.token, note.id, p.key), 400);
    expect((await getNote(user.token, note.id)).file_url).toBeNull();
    expect((await listAll(user.token)).length).toBe(before + 1);
  });

  it("a made-up key, or one outside the user's prefix, is a 400", async () => {
    const note = await createNote(user.token, { title: "made up" });
    for (const key of [
      "nope",
      `users/${user.id}/uploads/00000000-0000-0000-0000-000000000000/x.png`,
      `users/${user.id}/uploads/../../other/uploads/x.png`,
      "users/someone-else/uploads/00000000-0000-0000-0000-000000000000/x.png",
    ]) {
      await expectDetail(await postJson("/notes", { title: "bad key", file_key: key }, user.token), 400);
      await expectDetail(await attachJson(user.token, note.id, key), 400);
    }
    await expect422(await postJson("/notes", { title: "bad key", file_key: 42 }, user.token), ["body", "file_key"]);
    await expect422(await attachJson(user.token, note.id, ""), ["body", "file_key"]);
  });

  it("another user's key is a 400, and the other user's note and object are untouched", async () => {
    const other = await newUser("owner");
    const otherId = await userIdOf(other.email);
    const data = bytes(1000);
    // One key attached to the owner's note, one still pending.
    const attachedKey = await directUpload(other.token, "mine.bin", "application/octet-stream", data);
    const ownersNote = await noteOf(await postJson("/notes", { title: "owner's", file_key: attachedKey }, other.token));
    const pendingKey = await directUpload(other.token, "pending.bin", "application/octet-stream", data);

    const mine = await createNote(user.token, { title: "thief" });
    for (const key of [attachedKey, pendingKey]) {
      await expectDetail(await postJson("/notes", { title: "stolen", file_key: key }, user.token), 400);
      await expectDetail(await attachJson(user.token, mine.id, key), 400);
    }
    expect((await getNote(user.token, mine.id)).file_url).toBeNull();
    expect((await listAll(user.token)).some((n) => n.title === "stolen")).toBe(false);

    // The owner's note still has its file and the bytes are intact; the pending upload can still be attached.
    const after = await getNote(other.token, ownersNote.id);
    expect(after).toEqual({ ...ownersNote, file_url: expect.any(String) });
    expect(sha256((await download(after.file_url!)).bytes)).toBe(sha256(data));
    expect((await keysOf(otherId)).sort()).toEqual([attachedKey, pendingKey].sort());
    const late = await noteOf(await postJson("/notes", { title: "late", file_key: pendingKey }, other.token));
    expect(sha256((await download(late.file_url!)).bytes)).toBe(sha256(data));
  });

  it("a key attaches once: the second attach is a 400 and the first note keeps the file", async () => {
    const key = await directUpload(user.token, "once.txt", "text/plain", "once");
    const first = await noteOf(await postJson("/notes", { title: "first", file_key: key }, user.token));
    await expectDetail(await postJson("/notes", { title: "second", file_key: key }, user.token), 400);
    const other = await createNote(user.token, { title: "other" });
    await expectDetail(await attachJson(user.token, other.id, key), 400);
    // Not even to the same note again (that would queue its own object for deletion).
    await expectDetail(await attachJson(user.token, first.id, key), 400);
    expect((await getNote(user.token, other.id)).file_url).toBeNull();
    const still = await getNote(user.token, first.id);
    expect(still.file_name).toBe("once.txt");
    expect(Buffer.from((await download(still.file_url!)).bytes).toString()).toBe("once");
    expect((await listAll(user.token)).filter((n) => n.title === "second")).toHaveLength(0);
  });

  it("a pending upload is recorded and consumed by the attach", async () => {
    const key = await directUpload(user.token, "row.txt", "text/plain", "row");
    const count = async () => (await sql("SELECT count(*)::int AS n FROM uploads WHERE key = $1", [key])).rows[0].n;
    expect(await count()).toBe(1);
    await noteOf(await postJson("/notes", { title: "row", file_key: key }, user.token));
    expect(await count()).toBe(0);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    expect(head.ContentType).toBe("text/plain");
  });
});
