import { describe, expect, it } from "vitest";
import { newUser, setUpLibServices } from "../../e2e/support/lib-services";
import { createNote } from "@/lib/notes/service";
import { listTags, replaceTagEverywhere } from "@/lib/notes/tag-service";

/** The sidebar's tag counts (kept by triggers on notes) always equal a count of the notes themselves. */

const services = await setUpLibServices();

/** The counts as the notes say them, recounted from scratch. */
async function recount(userId: string) {
  const { rows } = await services.sql.query(
    `SELECT tag, count(*)::int AS count FROM notes, unnest(tags) AS tag
      WHERE owner_id = $1 AND deleted_at IS NULL GROUP BY tag ORDER BY tag`,
    [userId],
  );
  return rows;
}

describe("tag counts", () => {
  it("follow every change of the notes: new, edited, trashed, restored, deleted, renamed, in bulk", async () => {
    const userId = await newUser();
    const other = await newUser();
    const a = await createNote(userId, { title: "A #work", description: "#home" });
    const b = await createNote(userId, { title: "B #work", description: "" });
    await createNote(other, { title: "Theirs #work", description: "" });
    expect(await listTags(userId)).toEqual([
      { tag: "home", count: 1 },
      { tag: "work", count: 2 },
    ]);
    expect(await listTags(other)).toEqual([{ tag: "work", count: 1 }]);

    const steps = [
      ["UPDATE notes SET tags = '{travel}' WHERE id = $1", [a.id]],
      ["UPDATE notes SET title = 'B, edited' WHERE id = $1", [b.id]],
      ["UPDATE notes SET deleted_at = now() WHERE id = $1", [b.id]],
      ["UPDATE notes SET tags = '{work,x}' WHERE id = $1", [b.id]], // in the trash: counts nothing
      ["UPDATE notes SET deleted_at = NULL WHERE id = $1", [b.id]],
      ["UPDATE notes SET tags = tags || '{bulk}' WHERE owner_id = $1", [userId]],
      ["DELETE FROM notes WHERE id = $1", [a.id]],
    ] as const;
    for (const [text, values] of steps) {
      await services.sql.query(text, [...values]);
      expect(await listTags(userId), text).toEqual(await recount(userId));
    }
    await createNote(userId, { title: "C #job", description: "" });
    expect(await replaceTagEverywhere(userId, "job", "career")).toBe(1);
    expect(await listTags(userId)).toEqual(await recount(userId));
    expect(await listTags(other)).toEqual([{ tag: "work", count: 1 }]);

    // A deleted account takes its notes, and their counts, with it.
    await services.sql.query("DELETE FROM users WHERE id = $1", [userId]);
    expect((await services.sql.query("SELECT * FROM tag_counts WHERE owner_id = $1", [userId])).rows).toEqual([]);
  });
});
