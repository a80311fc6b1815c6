import { afterAll, describe, expect, it } from "vitest";
import { api, jsonBody, newUser } from "../support/api";
import {
  attachJson,
  bytes,
  closeDb,
  directUpload,
  download,
  expectDetail,
  fileKeyOf,
  getNote,
  keysOf,
  listAll,
  multipartNote,
  noteOf,
  poll,
  sha256,
  sql,
  userIdOf,
} from "./helpers";

afterAll(closeDb);

/**
 * A file belongs to its note and the note's history: a replaced or removed file stays while a kept revision
 * names it (restorable, e2e/api/history.test.ts); deleting the note removes the S3 object too (through the
 * deletion queue, drained by the worker every second in the test server); nothing ever leaves an orphan.
 */

async function freshUser(tag: string) {
  const u = await newUser(tag);
  return { ...u, id: await userIdOf(u.email) };
}

const gone = (userId: string, key: string) =>
  poll(
    () => keysOf(userId),
    (keys) => !keys.includes(key),
    `${key} to be deleted from S3`,
  );

async function queued(key: string): Promise<number> {
  return (await sql("SELECT count(*)::int AS n FROM file_deletions WHERE key = $1", [key])).rows[0].n;
}

/** The files the note's kept revisions name (its current one included). */
async function historyKeys(noteId: number): Promise<string[]> {
  const { rows } = await sql(
    "SELECT DISTINCT file_key FROM note_revisions WHERE note_id = $1 AND file_key IS NOT NULL ORDER BY file_key",
    [noteId],
  );
  return rows.map((r: { file_key: string }) => r.file_key);
}

/** No orphan: the user's objects are exactly the files of the user's notes and of their kept revisions. */
async function expectNoOrphans(user: { id: string; token: string }) {
  const notes = await listAll(user.token);
  const referenced = new Set((await Promise.all(notes.map((n) => fileKeyOf(n.id)))).filter((k): k is string => !!k));
  for (const n of notes) for (const k of await historyKeys(n.id)) referenced.add(k);
  await poll(
    () => keysOf(user.id),
    (keys) => JSON.stringify([...keys].sort()) === JSON.stringify([...referenced].sort()),
    "objects == files of notes and their history",
  );
}

describe("replacing a file", () => {
  it("PUT /notes/{id}/file with a file_key: new file served, old object kept for the history", async () => {
    const user = await freshUser("replace-key");
    const first = bytes(3000);
    const note = await noteOf(
      await multipartNote(
        user.token,
        { title: "replace me" },
        { name: "v1.bin", type: "application/octet-stream", data: first },
      ),
    );
    const oldKey = (await fileKeyOf(note.id))!;
    expect(await keysOf(user.id)).toEqual([oldKey]);

    const second = "version two";
    const newKey = await directUpload(user.token, "v2.txt", "text/plain", second);
    const replaced = await noteOf(await attachJson(user.token, note.id, newKey));
    expect(replaced).toMatchObject({
      id: note.id,
      title: "replace me",
      file_name: "v2.txt",
      file_size: second.length,
      content_type: "text/plain",
    });
    expect(Buffer.from((await download(replaced.file_url!)).bytes).toString()).toBe(second);
    expect(await fileKeyOf(note.id)).toBe(newKey);

    // The old object stays, named by the note's first revision: its URL still gives the old bytes.
    expect(await historyKeys(note.id)).toEqual([newKey, oldKey].sort());
    await expectNoOrphans(user);
    expect(await queued(oldKey)).toBe(0);
    expect(sha256((await download(note.file_url!)).bytes)).toBe(sha256(first));
  });

  it("PUT /notes/{id}/file with multipart (the original's way): new file served, old one kept for the history", async () => {
    const user = await freshUser("replace-mp");
    const oldKey = await directUpload(user.token, "old.png", "image/png", bytes(500));
    const note = await noteOf(
      await api("/notes", {
        method: "POST",
        token: user.token,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "mp", file_key: oldKey }),
      }),
    );
    const data = bytes(2 * 1024 * 1024);
    const replaced = await noteOf(
      await multipartNote(
        user.token,
        {},
        { name: "new.bin", type: "application/octet-stream", data },
        `/notes/${note.id}/file`,
        "PUT",
      ),
    );
    expect(replaced).toMatchObject({
      id: note.id,
      title: "mp",
      file_name: "new.bin",
      file_size: data.byteLength,
      content_type: "application/octet-stream",
    });
    expect(sha256((await download(replaced.file_url!)).bytes)).toBe(sha256(data));
    expect(await historyKeys(note.id)).toContain(oldKey);
    await expectNoOrphans(user);
  });

  it("several replacements in a row leave the last file attached and the others in the history only", async () => {
    const user = await freshUser("replace-many");
    const note = await noteOf(await multipartNote(user.token, { title: "many" }));
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) {
      const key = await directUpload(user.token, `v${i}.txt`, "text/plain", `version ${i}`);
      keys.push(key);
      await noteOf(await attachJson(user.token, note.id, key));
    }
    expect(await fileKeyOf(note.id)).toBe(keys.at(-1));
    expect(await historyKeys(note.id)).toEqual([...keys].sort());
    await expectNoOrphans(user);
    expect(Buffer.from((await download((await getNote(user.token, note.id)).file_url!)).bytes).toString()).toBe(
      "version 3",
    );
  });
});

describe("removing a file", () => {
  it("DELETE /notes/{id}/file: the note stays without a file, the object stays for the history", async () => {
    const user = await freshUser("remove");
    const note = await noteOf(
      await multipartNote(
        user.token,
        { title: "keep the note", description: "d" },
        { name: "x.txt", type: "text/plain", data: "x" },
      ),
    );
    const key = (await fileKeyOf(note.id))!;

    const res = await api(`/notes/${note.id}/file`, { method: "DELETE", token: user.token });
    const after = await noteOf(res);
    expect(after).toMatchObject({
      id: note.id,
      title: "keep the note",
      description: "d",
      file_url: null,
      file_name: null,
      file_size: null,
      content_type: null,
    });
    expect(await getNote(user.token, note.id)).toMatchObject({
      file_url: null,
      file_name: null,
      file_size: null,
      content_type: null,
    });
    expect(await fileKeyOf(note.id)).toBeNull();
    expect(await historyKeys(note.id)).toEqual([key]);
    await expectNoOrphans(user);

    // A file can be attached again afterwards.
    const again = await directUpload(user.token, "y.txt", "text/plain", "y");
    expect((await noteOf(await attachJson(user.token, note.id, again))).file_name).toBe("y.txt");
  });

  it("DELETE /notes/{id}/file on a note without a file is a client error and changes nothing", async () => {
    const user = await freshUser("remove-none");
    const note = await noteOf(await multipartNote(user.token, { title: "no file" }));
    const res = await api(`/notes/${note.id}/file`, { method: "DELETE", token: user.token });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof (await jsonBody(res)).detail).toBe("string");
    expect(await getNote(user.token, note.id)).toEqual(note);
  });
});

describe("deleting a note with a file", () => {
  it("DELETE /notes/{id}: the object is deleted too", async () => {
    const user = await freshUser("delete");
    const data = bytes(4096);
    const note = await noteOf(
      await multipartNote(user.token, { title: "doomed" }, { name: "d.bin", type: "application/octet-stream", data }),
    );
    const other = await noteOf(
      await multipartNote(user.token, { title: "survivor" }, { name: "s.bin", type: "application/octet-stream", data }),
    );
    const key = (await fileKeyOf(note.id))!;
    const otherKey = (await fileKeyOf(other.id))!;

    const res = await api(`/notes/${note.id}`, { method: "DELETE", token: user.token });
    expect(res.status).toBe(200);
    expect(await jsonBody(res)).toEqual({ message: expect.any(String) });
    await expectDetail(await api(`/notes/${note.id}`, { token: user.token }), 404, "Note not found");
    await gone(user.id, key);
    await poll(
      () => queued(key),
      (n) => n === 0,
      "the deletion to leave the queue",
    );

    // The other note's file is untouched.
    expect(await keysOf(user.id)).toEqual([otherKey]);
    expect(sha256((await download((await getNote(user.token, other.id)).file_url!)).bytes)).toBe(sha256(data));
  });

  it("many notes with files deleted at once leave no object behind", async () => {
    const user = await freshUser("delete-many");
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const key = await directUpload(user.token, `f${i}.txt`, "text/plain", `file ${i}`);
      ids.push(
        (
          await noteOf(
            await api("/notes", {
              method: "POST",
              token: user.token,
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ title: `n${i}`, file_key: key }),
            }),
          )
        ).id,
      );
    }
    expect(await keysOf(user.id)).toHaveLength(6);
    const results = await Promise.all(ids.map((id) => api(`/notes/${id}`, { method: "DELETE", token: user.token })));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    await poll(
      () => keysOf(user.id),
      (k) => k.length === 0,
      "every object to be deleted",
    );
  });
});
