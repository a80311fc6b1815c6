import { afterAll, describe, expect, it } from "vitest";
import { tagCountSchema } from "@/lib/openapi";
import { api, createNote, jsonBody, newUser, postJson } from "../support/api";
import {
  closeDb,
  directUpload,
  expect422,
  expectDetail,
  expectNote,
  getNote,
  keysOf,
  listAll,
  noteOf,
  poll,
  sql,
  userIdOf,
} from "./helpers";

afterAll(closeDb);

/**
 * Issue 12 over REST, against the production build: tags kept in sync with the Markdown, pin, archive, the
 * trash (restorable, emptied, expired by the worker), sort orders and the search that finds half-remembered
 * words, with its filters, count and the same {"detail": ...} errors.
 */

type Note = ReturnType<typeof expectNote>;

async function notes(token: string, query: string): Promise<{ notes: Note[]; res: Response }> {
  const res = await api(`/notes?${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return { notes: ((await jsonBody(res)) as unknown[]).map(expectNote), res };
}

const titles = async (token: string, query: string) => (await notes(token, query)).notes.map((n) => n.title);
const call = (token: string, path: string, method: string) => api(path, { method, token });

describe("tags", () => {
  it("are the #words of the Markdown, kept in sync on every save, listed with counts", async () => {
    const { token } = await newUser("tags");
    const a = await noteOf(
      await postJson("/notes", { title: "Trip #Travel", description: "with #work/clients\n`#code` # Heading" }, token),
    );
    expect(a.tags).toEqual(["travel", "work/clients"]);
    await createNote(token, { title: "Another", description: "#travel again" });

    const edited = await noteOf(
      await postJson(`/notes/${a.id}/description`, { description: "now #home" }, token, "PUT"),
    );
    expect(edited.tags).toEqual(["travel", "home"]);
    const retitled = await noteOf(await postJson(`/notes/${a.id}/title`, { title: "Trip" }, token, "PUT"));
    expect(retitled.tags).toEqual(["home"]);

    const res = await api("/tags", { token });
    expect(res.status).toBe(200);
    const tags = (await jsonBody(res)) as unknown[];
    for (const t of tags) expect(tagCountSchema.safeParse(t).success).toBe(true);
    expect(tags).toEqual([
      { tag: "home", count: 1 },
      { tag: "travel", count: 1 },
    ]);
    expect(await titles(token, "tag=home")).toEqual(["Trip"]);
    expect(await titles(token, `q=${encodeURIComponent("#travel")}`)).toEqual(["Another"]);
  });

  it("rename and delete edit the text of every note that has them, nested tags included", async () => {
    const { token } = await newUser("tag-rename");
    const a = await createNote(token, { title: "A #work", description: "see #work/clients and `#work`" });
    const b = await createNote(token, { title: "B", description: "#work is fun" });

    const renamed = await postJson("/tags/work", { name: "Job" }, token, "PUT");
    expect(renamed.status, await renamed.clone().text()).toBe(200);
    expect(await jsonBody(renamed)).toEqual({ message: expect.any(String), notes: 2 });
    const a2 = await getNote(token, a.id);
    expect(a2.title).toBe("A #job");
    expect(a2.description).toBe("see #job/clients and `#work`");
    expect(a2.tags).toEqual(["job", "job/clients"]);

    const nested = await call(token, "/tags/job/clients", "DELETE");
    expect(await jsonBody(nested)).toEqual({ message: expect.any(String), notes: 1 });
    expect((await getNote(token, a.id)).description).toBe("see job/clients and `#work`");
    expect((await getNote(token, b.id)).tags).toEqual(["job"]);

    await expectDetail(await call(token, "/tags/nothing", "DELETE"), 404, "Tag not found");
    await expect422(await postJson("/tags/job", { name: "not a tag!" }, token, "PUT"), ["body", "name"]);
    await expect422(await call(token, "/tags/%23%23", "DELETE"), ["path", "tag"]);
  });

  it("are per user: another user's tags are neither listed nor renamed", async () => {
    const a = await newUser("tags-a");
    const b = await newUser("tags-b");
    const note = await createNote(a.token, { title: "#secret plan" });
    expect(await jsonBody(await api("/tags", { token: b.token }))).toEqual([]);
    await expectDetail(await postJson("/tags/secret", { name: "mine" }, b.token, "PUT"), 404, "Tag not found");
    expect((await getNote(a.token, note.id)).tags).toEqual(["secret"]);
  });
});

describe("pin and archive", () => {
  it("pinned notes come first in every sort order; archived ones leave nothing but come with is=archived", async () => {
    const { token } = await newUser("pin");
    const old = await createNote(token, { title: "b old" });
    await createNote(token, { title: "c middle" });
    const recent = await createNote(token, { title: "a recent" });

    const pinned = await noteOf(await call(token, `/notes/${old.id}/pin`, "POST"));
    expect(pinned.pinned).toBe(true);
    expect(await titles(token, "")).toEqual(["b old", "a recent", "c middle"]);
    expect(await titles(token, "sort=oldest")).toEqual(["b old", "c middle", "a recent"]);
    expect(await titles(token, "sort=title")).toEqual(["b old", "a recent", "c middle"]);
    await postJson(`/notes/${old.id}/title`, { title: "b old!" }, token, "PUT");
    await call(token, `/notes/${old.id}/pin`, "DELETE");
    expect(await titles(token, "sort=edited")).toEqual(["b old!", "a recent", "c middle"]);
    expect(await titles(token, "is=pinned")).toEqual([]);

    const archived = await noteOf(await call(token, `/notes/${recent.id}/archive`, "POST"));
    expect(archived.archived).toBe(true);
    // GET /notes lists every live note, archived ones included; is=archived asks for them only.
    expect(await titles(token, "")).toEqual(["a recent", "c middle", "b old!"]);
    expect(await titles(token, "is=archived")).toEqual(["a recent"]);
    expect(await titles(token, `q=${encodeURIComponent("is:archived")}`)).toEqual(["a recent"]);
    expect((await noteOf(await call(token, `/notes/${recent.id}/archive`, "DELETE"))).archived).toBe(false);
  });

  it("walks every page of every sort order with no duplicate and no gap, pinned notes first", async () => {
    const { token } = await newUser("sort-walk");
    const ids: number[] = [];
    for (let i = 0; i < 9; i++) ids.push((await createNote(token, { title: `note ${(i * 7) % 9}` })).id);
    for (const id of [ids[2]!, ids[5]!]) await call(token, `/notes/${id}/pin`, "POST");
    for (const sort of ["newest", "oldest", "edited", "title"]) {
      const all = (await notes(token, `sort=${sort}&limit=1000`)).notes.map((n) => n.id);
      const walked: number[] = [];
      let next: string | null = `/notes?sort=${sort}&limit=2`;
      while (next) {
        const res = await api(next, { token });
        expect(res.status, await res.clone().text()).toBe(200);
        walked.push(...((await jsonBody(res)) as Note[]).map((n) => n.id));
        next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
      }
      expect(walked, sort).toEqual(all);
      expect(new Set(walked).size).toBe(9);
      expect(walked.slice(0, 2).sort(), sort).toEqual([ids[2]!, ids[5]!].sort());
    }
    await expect422(await api("/notes?sort=random", { token }), ["query", "sort"]);
    const first = await api("/notes?sort=title&limit=1", { token });
    const cursor = /cursor=([^&>]+)/.exec(first.headers.get("link")!)![1]!;
    await expect422(await api(`/notes?sort=newest&cursor=${cursor}`, { token }), ["query", "cursor"]);
  });

  it("another user's note cannot be pinned, archived, trashed or restored (404)", async () => {
    const a = await newUser("flags-a");
    const b = await newUser("flags-b");
    const note = await createNote(a.token, { title: "mine" });
    for (const [path, method] of [
      ["pin", "POST"],
      ["archive", "POST"],
      ["trash", "POST"],
      ["restore", "POST"],
    ] as const) {
      await expectDetail(await call(b.token, `/notes/${note.id}/${path}`, method), 404, "Note not found");
    }
    expect(await getNote(a.token, note.id)).toMatchObject({ pinned: false, archived: false, deleted_at: null });
  });
});

describe("trash", () => {
  it("POST /notes/{id}/trash keeps the file; restore brings the note back whole", async () => {
    const { token, email } = await newUser("trash");
    const userId = await userIdOf(email);
    const key = await directUpload(token, "keep.txt", "text/plain", "kept in the trash");
    const note = await noteOf(await postJson("/notes", { title: "with file #t", file_key: key }, token));

    const trashed = await noteOf(await call(token, `/notes/${note.id}/trash`, "POST"));
    expect(trashed.deleted_at).not.toBeNull();
    await expectDetail(await api(`/notes/${note.id}`, { token }), 404, "Note not found");
    expect((await listAll(token)).map((n) => n.id)).not.toContain(note.id);
    expect(await jsonBody(await api("/tags", { token }))).toEqual([]);
    const inTrash = await api("/trash", { token });
    expect(((await jsonBody(inTrash)) as Note[]).map((n) => n.id)).toEqual([note.id]);
    expect(await titles(token, "in=trash")).toEqual(["with file #t"]);
    expect(await keysOf(userId)).toEqual([key]);

    const restored = await noteOf(await call(token, `/notes/${note.id}/restore`, "POST"));
    expect(restored).toMatchObject({ id: note.id, deleted_at: null, file_name: "keep.txt", tags: ["t"] });
    expect(await (await fetch(restored.file_url!)).text()).toBe("kept in the trash");
    await expectDetail(await call(token, `/notes/${note.id}/restore`, "POST"), 404, "Note not found");
  });

  it("DELETE /notes/{id} moves the note to the trash (its answer unchanged); emptying deletes rows and files", async () => {
    const { token, email } = await newUser("trash-empty");
    const userId = await userIdOf(email);
    const a = await createNote(token, { title: "deleted the old way" });
    const key = await directUpload(token, "b.txt", "text/plain", "bytes");
    const b = await noteOf(await postJson("/notes", { title: "trashed with file", file_key: key }, token));
    const res = await call(token, `/notes/${a.id}`, "DELETE");
    expect(await jsonBody(res)).toEqual({ message: "Note deleted successfully" });
    await call(token, `/notes/${b.id}/trash`, "POST");
    expect(((await jsonBody(await api("/trash", { token }))) as Note[]).map((n) => n.id).sort()).toEqual(
      [a.id, b.id].sort(),
    );

    const emptied = await call(token, "/trash", "DELETE");
    expect(await jsonBody(emptied)).toEqual({ message: expect.any(String), deleted: 2 });
    expect((await sql("SELECT count(*)::int AS n FROM notes WHERE owner_id = $1", [userId])).rows[0].n).toBe(0);
    await poll(
      () => keysOf(userId),
      (keys) => keys.length === 0,
      "the trashed note's file to be deleted",
    );
    await expectDetail(await call(token, `/notes/${b.id}/restore`, "POST"), 404, "Note not found");
  });

  it("the worker deletes notes whose time in the trash is over, and queues their files", async () => {
    const { token, email } = await newUser("trash-expiry");
    const userId = await userIdOf(email);
    const key = await directUpload(token, "old.txt", "text/plain", "old");
    const old = await noteOf(await postJson("/notes", { title: "long gone", file_key: key }, token));
    const recent = await createNote(token, { title: "recently trashed" });
    await call(token, `/notes/${old.id}/trash`, "POST");
    await call(token, `/notes/${recent.id}/trash`, "POST");
    await sql("UPDATE notes SET deleted_at = now() - interval '31 days' WHERE id = $1", [old.id]);
    await poll(
      async () => (await sql("SELECT id FROM notes WHERE owner_id = $1", [userId])).rows.map((r) => r.id),
      (ids) => ids.length === 1,
      "the expired note to be purged",
      30_000,
    );
    expect(((await jsonBody(await api("/trash", { token }))) as Note[]).map((n) => n.id)).toEqual([recent.id]);
    await poll(
      () => keysOf(userId),
      (keys) => keys.length === 0,
      "the expired note's file to be deleted",
    );
  });
});

describe("search", () => {
  it("finds by prefix and despite typos, full-text matches first, with the count in X-Total-Count", async () => {
    const { token } = await newUser("search-typo");
    await createNote(token, { title: "Weekend in Lisbon", description: "pastel de nata" });
    await createNote(token, { title: "Groceries", description: "we talked about lisbon trams" });
    await createNote(token, { title: "Porto", description: "wine" });
    const key = await directUpload(token, "quarterly-report.pdf", "application/pdf", "%PDF-1.4");
    await postJson("/notes", { title: "Numbers", file_key: key }, token);

    for (const q of ["lisb", "lisbon", "LISBO"]) {
      const { notes: found, res } = await notes(token, `q=${q}`);
      expect(found.map((n) => n.title).sort(), q).toEqual(["Groceries", "Weekend in Lisbon"]);
      expect(res.headers.get("x-total-count")).toBe("2");
    }
    // A typo finds the title by similarity, after any full-text match.
    expect(await titles(token, "q=lisbn")).toEqual(["Weekend in Lisbon"]);
    expect(await titles(token, "q=Lisbom%20pastel")).toEqual(["Weekend in Lisbon"]);
    // Attachment file names.
    expect(await titles(token, "q=quarterly")).toEqual(["Numbers"]);
    expect(await titles(token, "q=quartely")).toEqual(["Numbers"]);
    expect(await titles(token, "q=zeppelin")).toEqual([]);
    expect((await notes(token, "q=zeppelin")).res.headers.get("x-total-count")).toBe("0");
  });

  it("filters in the box and as parameters: tag, is, in, has, before, after", async () => {
    const { token } = await newUser("search-filters");
    await createNote(token, { title: "alpha #work" });
    const img = await directUpload(token, "p.png", "image/png", "\x89PNG\r\n\x1a\n");
    await postJson("/notes", { title: "alpha image", file_key: img }, token);
    const txt = await directUpload(token, "t.txt", "text/plain", "text");
    await postJson("/notes", { title: "alpha text file", file_key: txt }, token);
    const archived = await createNote(token, { title: "alpha archived" });
    await call(token, `/notes/${archived.id}/archive`, "POST");

    const sorted = async (q: string) => (await titles(token, q)).sort();
    expect(await sorted(`q=${encodeURIComponent("alpha tag:work")}`)).toEqual(["alpha #work"]);
    expect(await sorted("q=alpha&tag=work")).toEqual(["alpha #work"]);
    expect(await sorted(`q=${encodeURIComponent("has:image")}`)).toEqual(["alpha image"]);
    expect(await sorted("has=file")).toEqual(["alpha image", "alpha text file"]);
    expect(await sorted(`q=${encodeURIComponent("alpha is:archived")}`)).toEqual(["alpha archived"]);
    expect(await sorted("q=alpha")).toHaveLength(4);
    const today = new Date().toISOString().slice(0, 10);
    expect(await sorted(`q=${encodeURIComponent(`alpha before:${today}`)}`)).toEqual([]);
    expect(await sorted(`after=${today}`)).toHaveLength(4);
    expect(await sorted("q=alpha&in=trash")).toEqual([]);
    await expect422(await api("/notes?is=sleepy", { token }), ["query", "is"]);
    await expect422(await api("/notes?before=yesterday", { token }), ["query", "before"]);
    // `tag` is also a path parameter (/tags/{tag}); here it is in the query.
    await expect422(await api("/notes?tag=%23%23", { token }), ["query", "tag"]);
  });

  it("is per user, and keeps the listing's byte budget", async () => {
    const a = await newUser("search-iso-a");
    const b = await newUser("search-iso-b");
    await createNote(a.token, { title: "Lisbon secret" });
    expect(await titles(b.token, "q=lisb")).toEqual([]);
    expect(await titles(b.token, "q=lisbn")).toEqual([]);
    // 12 notes of ~98 kB: more than the 1 MiB a page may hold.
    const big = "lisbon ".repeat(14_000);
    for (let i = 0; i < 12; i++) await createNote(b.token, { title: `big ${i}`, description: big });
    const { notes: first, res } = await notes(b.token, "q=lisbon&limit=1000");
    expect(first.length).toBeLessThan(12);
    expect(res.headers.get("link")).toMatch(/rel="next"/);
    expect(res.headers.get("x-total-count")).toBe("12");
  });

  it("counts matches up to 1000 and says when there are more, X-Total-Count staying a number", async () => {
    const { token, email } = await newUser("search-count");
    const userId = await userIdOf(email);
    await sql(
      `INSERT INTO notes (owner_id, title, updated_at) SELECT $1, 'Harbour ' || g, now() FROM generate_series(1, 1001) g`,
      [userId],
    );
    const { notes: found, res } = await notes(token, "q=harbour&limit=5");
    expect(found).toHaveLength(5);
    expect(res.headers.get("x-total-count")).toBe("1000");
    expect(res.headers.get("x-total-count-capped")).toBe("true");
    await sql("DELETE FROM notes WHERE owner_id = $1 AND title = 'Harbour 1001'", [userId]);
    const exact = (await notes(token, "q=harbour&limit=5")).res;
    expect(exact.headers.get("x-total-count")).toBe("1000");
    expect(exact.headers.get("x-total-count-capped")).toBeNull();
  });
});
