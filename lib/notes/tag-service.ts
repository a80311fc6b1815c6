import "server-only";
import { validationError } from "@/lib/errors";
import { pool } from "@/lib/db/pool";
import { pendingNotes } from "@/lib/notes/inbox-sql";
import { NEXT_REVISION, REVISION_CTES, SAVED_COLUMNS } from "@/lib/notes/revision-sql";
import { TITLE_MAX } from "@/lib/notes/schema";
import { inTransaction } from "@/lib/db/transaction";
import { extractTags, replaceTag } from "@/lib/notes/tags";

/**
 * Tags across a user's notes. The Markdown is the truth (a tag is a `#word` of the text), so renaming or
 * deleting a tag edits the text of every note that has it (or a tag nested under it), in one transaction.
 */

export interface TagCount {
  tag: string;
  count: number;
}

/**
 * The statement of listTags (exported for the scale benchmark, which EXPLAINs it): the counts kept in tag_counts
 * (a tag's count being the sum of its stripes' rows) and the tags of the notes not yet folded into them.
 */
export const tagCountsStatement = {
  name: "list_tags",
  text: `SELECT tag, sum(notes)::int AS count
           FROM (SELECT tag, notes FROM tag_counts WHERE owner_id = $1
                 UNION ALL
                 SELECT tag, 1 FROM ${pendingNotes("$1")} AS n, unnest(n.tags) AS tag WHERE n.deleted_at IS NULL) AS c
          GROUP BY tag HAVING sum(notes) > 0 ORDER BY tag`,
};

/** The tags of the caller's notes that are not in the trash, with how many notes have each. */
export async function listTags(userId: string): Promise<TagCount[]> {
  const { rows } = await pool().query<TagCount>({ ...tagCountsStatement, values: [userId] });
  return rows;
}

const BATCH = 200;

/**
 * Renames `from` (and the tags under it: `from/x` becomes `to/x`) to `to` in every note of the caller, trash
 * included; with `to` null the tag is removed from the text (its word stays). Answers how many notes changed.
 */
export async function replaceTagEverywhere(userId: string, from: string, to: string | null): Promise<number> {
  if (from === to) return 0;
  return inTransaction(async (client) => {
    let changed = 0;
    let afterId = 0;
    // In batches, so that a user with many large notes never has them all in memory at once.
    for (;;) {
      const { rows } = await client.query<{ id: number; title: string; description: string }>(
        `SELECT id, title, description FROM notes
          WHERE owner_id = $1 AND id > $2
            AND EXISTS (SELECT 1 FROM unnest(tags) AS t WHERE t = $3 OR starts_with(t, $3 || '/'))
          ORDER BY id LIMIT ${BATCH} FOR UPDATE`,
        [userId, afterId, from],
      );
      if (rows.length === 0) return changed;
      const ids: number[] = [];
      const titles: string[] = [];
      const descriptions: string[] = [];
      const tags: string[] = [];
      for (const r of rows) {
        const title = replaceTag(r.title, from, to);
        if ([...title].length > TITLE_MAX) {
          throw validationError([
            {
              path: ["name"],
              message: `The title of note ${r.id} would exceed ${TITLE_MAX} characters`,
              type: "value_error",
            },
          ]);
        }
        const description = replaceTag(r.description, from, to);
        ids.push(r.id);
        titles.push(title);
        descriptions.push(description);
        // text[] of text[] cannot be ragged: each note's tags travel as one JSON array.
        tags.push(JSON.stringify(extractTags(title, description)));
      }
      await client.query(
        `WITH saved AS (
           UPDATE notes AS n
              SET title = u.title, description = u.description,
                  tags = ARRAY(SELECT jsonb_array_elements_text(u.tags::jsonb)), ${NEXT_REVISION}
             FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS u(id, title, description, tags)
            WHERE n.id = u.id AND n.owner_id = $5
        RETURNING ${SAVED_COLUMNS.replace(/(\w+)/g, "n.$1")}), ${REVISION_CTES}
         SELECT count(*) FROM saved`,
        [ids, titles, descriptions, tags, userId],
      );
      changed += rows.length;
      afterId = rows.at(-1)!.id;
    }
  });
}
