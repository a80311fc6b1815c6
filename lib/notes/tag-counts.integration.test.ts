import pg from "pg";
import { describe, expect, it } from "vitest";
import { newUser, setUpLibServices } from "../../e2e/support/lib-services";
import { foldInboxBatch } from "@/lib/notes/inbox";
import { createNote } from "@/lib/notes/service";
import { listTags, replaceTagEverywhere } from "@/lib/notes/tag-service";

/**
 * The sidebar's tag counts (tag_counts, kept by the inbox's folds and triggers on notes, and the notes not yet
 * folded) always equal a count of the notes themselves.
 */

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

  it("add up across connections (stripes), and fold back into one row when a note leaves", async () => {
    const userId = await newUser();
    // Two connections of different stripes (backend pid mod 8), each writing and folding notes with the same tag.
    const clients: pg.Client[] = [];
    const stripes = new Set<number>();
    while (stripes.size < 2) {
      const client = new pg.Client({ connectionString: services.databaseUrl });
      await client.connect();
      clients.push(client);
      const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      if (!stripes.has(pid % 8)) stripes.add(pid % 8);
    }
    const writers = clients.filter((_, i) => i === 0 || i === clients.length - 1);
    try {
      for (const client of writers) {
        await client.query(
          "INSERT INTO notes (owner_id, title, tags, updated_at) VALUES ($1, 'x', '{shared}', now()), ($1, 'y', '{shared}', now())",
          [userId],
        );
        await foldInboxBatch(client);
      }
      expect(await listTags(userId)).toEqual([{ tag: "shared", count: 4 }]);
      const rows = async () =>
        (await services.sql.query("SELECT notes FROM tag_counts WHERE owner_id = $1 ORDER BY stripe", [userId])).rows;
      expect(await rows()).toHaveLength(2);
      await services.sql.query(
        "UPDATE notes SET deleted_at = now() WHERE id = (SELECT min(id) FROM notes WHERE owner_id = $1)",
        [userId],
      );
      expect(await rows()).toEqual([{ notes: 3 }]);
      expect(await listTags(userId)).toEqual(await recount(userId));
      await services.sql.query("DELETE FROM notes WHERE owner_id = $1", [userId]);
      expect(await rows()).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
