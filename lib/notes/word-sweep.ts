import "server-only";
import { pool } from "@/lib/db/pool";
import { inTransaction } from "@/lib/db/transaction";

/**
 * The typo dictionary (search_words) only gains words as notes are written; this takes out the words that no
 * note of their owner has any more, owner by owner, so that a deleted title's words do not stay behind.
 */

/** Owners per round trip of the sweep's walk. */
const OWNERS_PER_BATCH = 100;

/**
 * Deletes the owner's words that none of its notes (trash included) has. The candidates are locked first, then
 * checked again against the notes with a snapshot taken after the locks: a title change that added one of them
 * holds it (notes_search_words_upd) until it commits, and is then seen.
 */
export async function sweepOwnerWords(ownerId: string): Promise<number> {
  return inTransaction(async (client) => {
    const { rows } = await client.query<{ word: string }>(
      `SELECT s.word FROM search_words AS s
        WHERE s.owner_id = $1
          AND NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT word FROM notes, unnest(name_words) AS word
                                          WHERE owner_id = $1) AS used
                           WHERE used.word = s.word)
        ORDER BY s.word FOR UPDATE`,
      [ownerId],
    );
    if (rows.length === 0) return 0;
    const { rowCount } = await client.query(
      `DELETE FROM search_words AS s
        WHERE s.owner_id = $1 AND s.word = ANY($2::text[])
          AND NOT EXISTS (SELECT 1 FROM notes AS n WHERE n.owner_id = $1 AND n.name_words @> ARRAY[s.word])`,
      [ownerId, rows.map((r) => r.word)],
    );
    return rowCount ?? 0;
  });
}

/** Sweeps every owner's words; answers how many words it deleted. */
export async function sweepUnusedWords(): Promise<number> {
  let deleted = 0;
  let after = "";
  for (;;) {
    const { rows } = await pool().query<{ id: string }>("SELECT id FROM users WHERE id > $1 ORDER BY id LIMIT $2", [
      after,
      OWNERS_PER_BATCH,
    ]);
    for (const { id } of rows) deleted += await sweepOwnerWords(id);
    if (rows.length < OWNERS_PER_BATCH) return deleted;
    after = rows.at(-1)!.id;
  }
}
