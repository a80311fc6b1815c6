import { describe, expect, it } from "vitest";
import { newUser, setUpLibServices } from "../../e2e/support/lib-services";
import { foldNoteInbox } from "@/lib/notes/inbox";
import { listingStatement } from "@/lib/notes/list-sql";
import type { NoteSort } from "@/lib/notes/schema";
import { createNote, deleteNote, listNotes, updateText, updateTitle } from "@/lib/notes/service";
import { replaceTagEverywhere } from "@/lib/notes/tag-service";
import { archiveNote, deleteForever, emptyTrash, pinNote, restoreNote, trashNote } from "@/lib/notes/trash";

/**
 * The tag filter reads note_tags (kept by the inbox's folds and triggers on notes): once folded it must hold
 * exactly each live note once per tag, with the note's pinned flag and date, after any change, and a tag's pages
 * must be the notes the filter means.
 */

const services = await setUpLibServices();

const key = (r: { tag: string; pinned: boolean; created_at: Date; id: number }) =>
  `${r.tag} ${r.pinned} ${r.created_at.toISOString()} ${r.id}`;

/** note_tags of a user once the inbox is folded, and what the notes say it must hold. */
async function indexAndTruth(userId: string) {
  await foldNoteInbox();
  const index = await services.sql.query(
    `SELECT tag, pinned, created_at, note_id AS id FROM note_tags WHERE owner_id = $1`,
    [userId],
  );
  const truth = await services.sql.query(
    `SELECT DISTINCT tag, pinned, created_at, id FROM notes, unnest(tags) AS tag
      WHERE owner_id = $1 AND deleted_at IS NULL`,
    [userId],
  );
  return { index: index.rows.map(key).sort(), truth: truth.rows.map(key).sort() };
}

async function expectInSync(userId: string, step: string) {
  const { index, truth } = await indexAndTruth(userId);
  expect(index, step).toEqual(truth);
}

/** The ids of a tag's notes as the filter means them, pinned first, in the sort's order (the query before note_tags). */
async function expectedIds(userId: string, tag: string, sort: "newest" | "oldest", archived: "include" | "exclude") {
  const dir = sort === "newest" ? "DESC" : "ASC";
  const { rows } = await services.sql.query<{ id: number }>(
    `SELECT id FROM notes
      WHERE owner_id = $1 AND deleted_at IS NULL AND tags @> ARRAY[$2]::text[]
        ${archived === "exclude" ? "AND NOT archived" : ""}
      ORDER BY pinned DESC, created_at ${dir}, id ${dir}`,
    [userId, tag],
  );
  return rows.map((r) => r.id);
}

/** Every page of a tag filter, following the cursors. */
async function pagedIds(
  userId: string,
  query: { tag: string; sort: NoteSort; q?: string },
  archived: "include" | "exclude",
) {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listNotes(userId, { ...query, limit: 4, cursor }, { archived });
    ids.push(...page.notes.map((n) => n.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("more than 100 pages");
}

describe("note_tags", () => {
  it("follows every change of the notes: new, edited, retagged, pinned, archived, trashed, restored, purged, renamed, deleted", async () => {
    const userId = await newUser();
    const other = await newUser();
    const a = await createNote(userId, { title: "A #work", description: "#home #work/clients" });
    const b = await createNote(userId, { title: "B", description: "#work" });
    const c = await createNote(userId, { title: "C #misc", description: "" });
    await createNote(other, { title: "Theirs #work", description: "" });
    await expectInSync(userId, "created");
    expect((await indexAndTruth(userId)).index).toHaveLength(5);

    const steps: [string, () => Promise<unknown>][] = [
      [
        "edited, same tags",
        () => updateText(userId, a.id, { title: "A, edited #work", description: "#home #work/clients" }),
      ],
      ["retagged by the text", () => updateText(userId, a.id, { title: "A #travel", description: "#home" })],
      ["retagged by the title alone", () => updateTitle(userId, b.id, "B #later")],
      ["pinned", () => pinNote(userId, b.id, true)],
      ["archived", () => archiveNote(userId, b.id, true)],
      ["unpinned", () => pinNote(userId, b.id, false)],
      ["trashed", () => trashNote(userId, c.id)],
      ["retagged in the trash", () => services.sql.query("UPDATE notes SET tags = '{x}' WHERE id = $1", [c.id])],
      ["restored", () => restoreNote(userId, c.id)],
      ["deleted (DELETE /notes/{id})", () => deleteNote(userId, c.id)],
      ["purged", () => deleteForever(userId, c.id)],
      ["tag renamed", () => replaceTagEverywhere(userId, "work", "job")],
      ["tag deleted", () => replaceTagEverywhere(userId, "home", null)],
      ["trash emptied", async () => (await trashNote(userId, a.id), emptyTrash(userId))],
      [
        "bulk",
        () =>
          services.sql.query("UPDATE notes SET tags = tags || '{bulk}', pinned = true WHERE owner_id = $1", [userId]),
      ],
    ];
    for (const [step, run] of steps) {
      await run();
      await expectInSync(userId, step);
    }
    await expectInSync(other, "another user's");
    expect((await indexAndTruth(other)).index).toHaveLength(1);

    // A deleted account takes its notes, and their tags, with it.
    await services.sql.query("DELETE FROM users WHERE id = $1", [userId]);
    expect((await services.sql.query("SELECT * FROM note_tags WHERE owner_id = $1", [userId])).rows).toEqual([]);
    expect((await indexAndTruth(other)).index).toHaveLength(1);
  });

  it("gives a tag's pages, pinned first, newest or oldest, with the keyset cursor, as the filter means them", async () => {
    const userId = await newUser();
    const other = await newUser();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const tags = i % 3 === 0 ? "#t #u" : i % 3 === 1 ? "#t" : "#u";
      ids.push((await createNote(userId, { title: `Note ${i} ${tags}`, description: "" })).id);
    }
    await createNote(other, { title: "Theirs #t", description: "" });
    // Ties on created_at (the id decides), pinned and archived notes, one in the trash.
    await services.sql.query(
      `UPDATE notes SET created_at = timestamptz '2026-01-01' + make_interval(mins => (id % 7)) WHERE owner_id = $1`,
      [userId],
    );
    for (const i of [0, 4, 9]) await pinNote(userId, ids[i]!, true);
    for (const i of [1, 9, 12]) await archiveNote(userId, ids[i]!, true);
    await trashNote(userId, ids[3]!);
    await expectInSync(userId, "set up");

    for (const sort of ["newest", "oldest"] as const) {
      for (const archived of ["include", "exclude"] as const) {
        const want = await expectedIds(userId, "t", sort, archived);
        expect(want.length).toBeGreaterThan(10);
        expect(await pagedIds(userId, { tag: "t", sort }, archived), `${sort}, archived ${archived}`).toEqual(want);
      }
    }
    // The same through the search box's filter, and for the edited and title orders (same notes, their order).
    expect(await pagedIds(userId, { tag: "t", sort: "newest", q: "tag:t" }, "include")).toEqual(
      await expectedIds(userId, "t", "newest", "include"),
    );
    for (const sort of ["edited", "title"] as const) {
      expect((await pagedIds(userId, { tag: "t", sort }, "include")).sort()).toEqual(
        (await expectedIds(userId, "t", "newest", "include")).sort(),
      );
    }
    // The trash's tag filter still finds the trashed note (note_tags holds live notes only).
    const trash = await listNotes(userId, { tag: "t", in: ["trash"], limit: 10 });
    expect(trash.notes.map((n) => n.id)).toEqual([ids[3]]);
    // A tag with words: the tag's notes that hold them.
    const found = await listNotes(userId, { tag: "u", q: "note", limit: 50 });
    expect(found.notes.map((n) => n.id).sort()).toEqual((await expectedIds(userId, "u", "newest", "include")).sort());
  });

  it("reads a tag filter's page through note_tags", () => {
    const statement = listingStatement("someone", { tag: "t", limit: 20 });
    expect(statement.text).toContain("FROM note_tags");
  });
});
