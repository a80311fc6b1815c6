/**
 * The owner's notes written since the inbox's last fold (lib/notes/inbox.ts), as a table: what the tag filter,
 * the tag counts and the typo dictionary add to note_tags, tag_counts and search_words until then. Within one
 * statement a note is in exactly one of the two (a fold moves it in one transaction). `owner` is SQL: the
 * owner's parameter.
 */
export function pendingNotes(owner: string): string {
  return `(SELECT n.* FROM note_inbox AS i JOIN notes AS n ON n.id = i.note_id WHERE i.owner_id = ${owner})`;
}

/**
 * Moves a batch of the inbox ($1 notes at most) into note_tags, tag_counts and search_words, as the insert
 * triggers did one statement at a time. The notes are locked (FOR SHARE) and read as they are once locked: a
 * change made meanwhile either committed first (and skipped the indexes, its note being in the inbox) or waits
 * for this transaction and then finds its note out of the inbox. A note deleted meanwhile is not found.
 */
export const FOLD_INBOX = `
  WITH taken AS (
         DELETE FROM note_inbox
          WHERE note_id IN (SELECT note_id FROM note_inbox ORDER BY note_id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING note_id),
       n AS MATERIALIZED (
         SELECT id, owner_id, tags, pinned, created_at, deleted_at, name_words FROM notes
          WHERE id IN (SELECT note_id FROM taken) ORDER BY id FOR SHARE),
       t AS (
         INSERT INTO note_tags (owner_id, tag, pinned, created_at, note_id)
         SELECT DISTINCT owner_id, tag, pinned, created_at, id FROM n, unnest(tags) AS tag WHERE deleted_at IS NULL
         ON CONFLICT DO NOTHING),
       c AS (
         INSERT INTO tag_counts AS c (owner_id, tag, stripe, notes)
         SELECT owner_id, tag, pg_backend_pid() % 8, count(*) FROM n, unnest(tags) AS tag
          WHERE deleted_at IS NULL GROUP BY owner_id, tag ORDER BY owner_id, tag
         ON CONFLICT (owner_id, tag, stripe) DO UPDATE SET notes = c.notes + excluded.notes),
       w AS (
         INSERT INTO search_words (owner_id, word)
         SELECT DISTINCT owner_id, word FROM n, unnest(name_words) AS word WHERE word <> '' ORDER BY 1, 2
         ON CONFLICT DO NOTHING)
  SELECT count(*)::int AS taken FROM taken`;
