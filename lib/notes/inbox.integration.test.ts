import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { newUser, setUpLibServices } from "../../e2e/support/lib-services";
import { foldNoteInbox } from "@/lib/notes/inbox";
import { createNote, listNotes } from "@/lib/notes/service";
import { listTags } from "@/lib/notes/tag-service";

/**
 * New notes reach note_tags, tag_counts and search_words through the inbox: before their fold, reads must show
 * them all the same; a change made before the fold must be what is folded; a fold running while the notes
 * change must lose nothing.
 */

const services = await setUpLibServices();

/** Notes straight into the table: no write asks for a fold, so they stay in the inbox until foldNoteInbox. */
async function insertNotes(userId: string, notes: { title: string; tags: string[] }[]): Promise<number[]> {
  const { rows } = await services.sql.query<{ id: number }>(
    `INSERT INTO notes (owner_id, title, tags, created_at, updated_at)
     SELECT $1, title, ARRAY(SELECT jsonb_array_elements_text(tags::jsonb)), now() - make_interval(secs => 100 - g), now()
       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(title, tags, g)
     RETURNING id`,
    [userId, notes.map((n) => n.title), notes.map((n) => JSON.stringify(n.tags))],
  );
  return rows.map((r) => r.id);
}

/** What the tag counts and note_tags must say, from the notes themselves. */
async function truth(userId: string) {
  const counts = await services.sql.query(
    `SELECT tag, count(*)::int AS count FROM notes, unnest(tags) AS tag
      WHERE owner_id = $1 AND deleted_at IS NULL GROUP BY tag ORDER BY tag`,
    [userId],
  );
  const rows = await services.sql.query(
    `SELECT DISTINCT tag, pinned, created_at, id FROM notes, unnest(tags) AS tag
      WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY tag, id`,
    [userId],
  );
  return { counts: counts.rows, noteTags: rows.rows };
}

/** What the folded tables hold. */
async function folded(userId: string) {
  const counts = await services.sql.query(
    `SELECT tag, sum(notes)::int AS count FROM tag_counts WHERE owner_id = $1 GROUP BY tag ORDER BY tag`,
    [userId],
  );
  const rows = await services.sql.query(
    `SELECT tag, pinned, created_at, note_id AS id FROM note_tags WHERE owner_id = $1 ORDER BY tag, id`,
    [userId],
  );
  return { counts: counts.rows, noteTags: rows.rows };
}

const inInbox = async (ids: number[]) =>
  (await services.sql.query("SELECT count(*)::int AS n FROM note_inbox WHERE note_id = ANY($1)", [ids])).rows[0].n;

describe("the note inbox", () => {
  it("shows notes not yet folded in tag pages, counts and typo search, and folds them as they are by then", async () => {
    const userId = await newUser();
    const other = await newUser();
    await createNote(other, { title: "Lisbon #travel", description: "" });
    await sleep(800); // the fold that write asked for has run: none is due while the checks below run
    const [lisbon, porto, gone, kept] = await insertNotes(userId, [
      { title: "Lisbon trip #travel", tags: ["travel"] },
      { title: "Porto #travel #food", tags: ["travel", "food"] },
      { title: "Gone #travel", tags: ["travel"] },
      { title: "Kept #travel", tags: ["travel"] },
    ]);
    expect(await inInbox([lisbon!, porto!, gone!, kept!])).toBe(4);

    expect(await listTags(userId)).toEqual([
      { tag: "food", count: 1 },
      { tag: "travel", count: 4 },
    ]);
    const page = await listNotes(userId, { tag: "travel", limit: 3 });
    expect(page.notes.map((n) => n.id)).toEqual([kept, gone, porto]);
    const next = await listNotes(userId, { tag: "travel", limit: 3, cursor: page.nextCursor! });
    expect(next.notes.map((n) => n.id)).toEqual([lisbon]);
    expect((await listNotes(userId, { q: "lisbn", limit: 10 })).notes.map((n) => n.id)).toEqual([lisbon]);

    // Changed before the fold: retagged, pinned, trashed, deleted.
    await services.sql.query("UPDATE notes SET tags = '{food}', pinned = true WHERE id = $1", [porto]);
    await services.sql.query("UPDATE notes SET deleted_at = now() WHERE id = $1", [gone]);
    await services.sql.query("DELETE FROM notes WHERE id = $1", [kept]);
    expect(await listTags(userId)).toEqual((await truth(userId)).counts);
    expect((await listNotes(userId, { tag: "food", limit: 10 })).notes.map((n) => n.id)).toEqual([porto]);

    expect(await foldNoteInbox()).toBeGreaterThanOrEqual(4);
    expect(await inInbox([lisbon!, porto!, gone!, kept!])).toBe(0);
    expect(await folded(userId)).toEqual(await truth(userId));
    expect(await listTags(userId)).toEqual([
      { tag: "food", count: 1 },
      { tag: "travel", count: 1 },
    ]);
    expect((await listNotes(userId, { q: "lisbn", limit: 10 })).notes.map((n) => n.id)).toEqual([lisbon]);
    // Another owner's words and tags stay theirs.
    expect(await listTags(other)).toEqual([{ tag: "travel", count: 1 }]);
  });

  it("loses nothing when a fold runs while the same notes change", async () => {
    const userId = await newUser();
    const ids = await insertNotes(
      userId,
      Array.from({ length: 300 }, (_, i) => ({ title: `Note ${i}`, tags: ["before"] })),
    );
    await Promise.all([
      foldNoteInbox(),
      ...ids.map((id, i) =>
        i % 3 === 0
          ? services.sql.query("DELETE FROM notes WHERE id = $1", [id])
          : services.sql.query("UPDATE notes SET tags = '{after}', pinned = $2 WHERE id = $1", [id, i % 3 === 1]),
      ),
      foldNoteInbox(),
    ]);
    await foldNoteInbox();
    expect(await inInbox(ids)).toBe(0);
    expect(await folded(userId)).toEqual(await truth(userId));
    expect(await listTags(userId)).toEqual([{ tag: "after", count: 200 }]);
  });
});
