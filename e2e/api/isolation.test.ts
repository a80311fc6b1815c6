import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, newUser, postJson } from "../support/api";
import {
  attachJson,
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
  userIdOf,
} from "./helpers";

afterAll(closeDb);

/** Two users on one server: B must not be able to see, change, delete or borrow anything of A's. */

const SECRET_WORD = `xylophonic${Date.now().toString(36)}`;

let a: { email: string; token: string; id: string };
let b: { email: string; token: string; id: string };
let aNote: Awaited<ReturnType<typeof noteOf>>;
let aFileNote: Awaited<ReturnType<typeof noteOf>>;

beforeAll(async () => {
  const ua = await newUser("alice");
  const ub = await newUser("bob");
  a = { ...ua, id: await userIdOf(ua.email) };
  b = { ...ub, id: await userIdOf(ub.email) };
  aNote = await noteOf(
    await postJson("/notes", { title: `A's ${SECRET_WORD}`, description: `private ${SECRET_WORD} plans` }, a.token),
  );
  aFileNote = await noteOf(
    await multipartNote(a.token, { title: "A's file" }, { name: "a.txt", type: "text/plain", data: "A's bytes" }),
  );
  await postJson("/notes", { title: "B's own note", description: "nothing secret" }, b.token);
});

/** A's notes are as they were. */
async function expectAUnchanged() {
  expect(await getNote(a.token, aNote.id)).toEqual(aNote);
  const file = await getNote(a.token, aFileNote.id);
  expect(file).toEqual({ ...aFileNote, file_url: expect.any(String) });
  expect(Buffer.from((await download(file.file_url!)).bytes).toString()).toBe("A's bytes");
}

describe("user B and user A's notes", () => {
  it("B cannot read A's note: 404 exactly as for a note that does not exist", async () => {
    for (const id of [aNote.id, aFileNote.id]) {
      await expectDetail(await api(`/notes/${id}`, { token: b.token }), 404, "Note not found");
    }
  });

  it("B cannot change A's title, description or file: 404, and A's notes are unchanged", async () => {
    for (const id of [aNote.id, aFileNote.id]) {
      await expectDetail(
        await postJson(`/notes/${id}/title`, { title: "hacked" }, b.token, "PUT"),
        404,
        "Note not found",
      );
      await expectDetail(
        await api(`/notes/${id}/title`, {
          method: "PUT",
          token: b.token,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "title=hacked",
        }),
        404,
        "Note not found",
      );
      await expectDetail(
        await postJson(`/notes/${id}/description`, { description: "hacked" }, b.token, "PUT"),
        404,
        "Note not found",
      );
      await expectDetail(
        await multipartNote(
          b.token,
          {},
          { name: "evil.txt", type: "text/plain", data: "evil" },
          `/notes/${id}/file`,
          "PUT",
        ),
        404,
        "Note not found",
      );
      const bKey = await directUpload(b.token, "evil.txt", "text/plain", "evil");
      await expectDetail(await attachJson(b.token, id, bKey), 404, "Note not found");
    }
    await expectAUnchanged();
  });

  it("B cannot delete A's note or its file: 404, and both still exist", async () => {
    const aKey = (await fileKeyOf(aFileNote.id))!;
    for (const id of [aNote.id, aFileNote.id]) {
      await expectDetail(await api(`/notes/${id}`, { method: "DELETE", token: b.token }), 404, "Note not found");
      await expectDetail(await api(`/notes/${id}/file`, { method: "DELETE", token: b.token }), 404, "Note not found");
    }
    await expectAUnchanged();
    expect(await keysOf(a.id)).toContain(aKey);
  });

  it("B's list never contains A's notes, with any limit", async () => {
    const bNotes = await listAll(b.token);
    expect(bNotes.length).toBeGreaterThan(0);
    const aIds = new Set([aNote.id, aFileNote.id]);
    expect(bNotes.some((n) => aIds.has(n.id))).toBe(false);
    for (const limit of [1, 2, 1000]) {
      const res = await api(`/notes?limit=${limit}`, { token: b.token });
      const ids = ((await res.json()) as { id: number }[]).map((n) => n.id);
      expect(ids.some((id) => aIds.has(id))).toBe(false);
    }
  });

  it("B's search never finds A's words; A's does", async () => {
    expect(await listAll(b.token, `&q=${SECRET_WORD}`)).toEqual([]);
    expect(await listAll(b.token, `&q=${encodeURIComponent(`${SECRET_WORD} plans`)}`)).toEqual([]);
    expect((await listAll(a.token, `&q=${SECRET_WORD}`)).map((n) => n.id)).toEqual([aNote.id]);
  });

  it("B cannot attach A's upload key (pending or attached), and A's object is untouched", async () => {
    const pending = await directUpload(a.token, "a-pending.txt", "text/plain", "A pending");
    const attached = (await fileKeyOf(aFileNote.id))!;
    const bNote = await noteOf(await postJson("/notes", { title: "B's target" }, b.token));
    for (const key of [pending, attached]) {
      await expectDetail(await postJson("/notes", { title: "B steals", file_key: key }, b.token), 400);
      await expectDetail(await attachJson(b.token, bNote.id, key), 400);
    }
    expect((await getNote(b.token, bNote.id)).file_url).toBeNull();
    expect((await listAll(b.token)).some((n) => n.title === "B steals")).toBe(false);
    expect(await keysOf(a.id)).toEqual(expect.arrayContaining([pending, attached]));
    // The pending upload is still A's to attach.
    const late = await noteOf(await postJson("/notes", { title: "A attaches", file_key: pending }, a.token));
    expect(Buffer.from((await download(late.file_url!)).bytes).toString()).toBe("A pending");
    await expectAUnchanged();
  });

  it("nothing B did left objects under A's prefix", async () => {
    const keys = await keysOf(a.id);
    const notes = await listAll(a.token);
    const referenced = (await Promise.all(notes.map((n) => fileKeyOf(n.id)))).filter(Boolean);
    expect(keys.sort()).toEqual((referenced as string[]).sort());
    expect(keys.every((k) => k.startsWith(`users/${a.id}/uploads/`))).toBe(true);
  });
});
