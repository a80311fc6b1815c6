import "server-only";
import { pool } from "@/lib/db/pool";
import { inTransaction } from "@/lib/db/transaction";

/**
 * The typo dictionary (search_words) only gains words as notes are written; this takes out the words that no
 * note of their owner has any more, owner by owner, so that a deleted title's words do not stay behind.
 * Sweeping one owner reads each of its notes once (0.7 s for 100,000 notes, bench/RESULTS.md).
 */

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

const DAY_SECONDS = 24 * 3600;

/**
 * Sweeps the owners whose turn it is: each owner's id falls in one slot of the day (`everySeconds` long), so a
 * run every `everySeconds` sweeps each owner about once a day, and the day's work is spread over its runs
 * rather than read in one go. Answers how many words it deleted.
 */
export async function sweepDueOwners(everySeconds: number, now = Date.now()): Promise<number> {
  const slots = Math.max(1, Math.round(DAY_SECONDS / everySeconds));
  const slot = Math.floor(((now / 1000) % DAY_SECONDS) / everySeconds) % slots;
  const { rows } = await pool().query<{ id: string }>(
    "SELECT id FROM users WHERE abs(hashtext(id)::bigint) % $1 = $2 ORDER BY id",
    [slots, slot],
  );
  let deleted = 0;
  for (const { id } of rows) deleted += await sweepOwnerWords(id);
  return deleted;
}
