import "server-only";
import { pool } from "@/lib/db/pool";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { setChecklistItem } from "@/lib/notes/checklist";
import { NOTE_ID_MAX } from "@/lib/notes/schema";

export const STALE_NOTE = "This note was changed since the page showed it. Reload to see the latest version.";

/**
 * Ticks (or unticks) the checklist item on `line` of a note's description, but only if the note is still the
 * version the person saw (`seenUpdatedAt`): the UPDATE's WHERE compares updated_at, so a concurrent edit in
 * another tab or device is never overwritten. Returns the note's new version.
 */
export async function setNoteChecklistItem(
  userId: string,
  id: number,
  change: { line: number; checked: boolean; seenUpdatedAt: Date },
): Promise<{ updatedAt: Date }> {
  if (!Number.isInteger(id) || id < 1 || id > NOTE_ID_MAX) throw notFound();
  const { rows } = await pool().query<{ description: string; updated_at: Date }>({
    name: "checklist_read",
    text: "SELECT description, updated_at FROM notes WHERE id = $1 AND owner_id = $2",
    values: [id, userId],
  });
  const note = rows[0];
  if (!note) throw notFound();
  if (note.updated_at.getTime() !== change.seenUpdatedAt.getTime()) throw conflict(STALE_NOTE);
  const description = setChecklistItem(note.description, change.line, change.checked);
  if (description === null) throw badRequest("That checklist item is no longer in this note. Reload the page.");
  const updated = await pool().query<{ updated_at: Date }>({
    name: "checklist_write",
    // Timestamps are stored to the millisecond (timestamptz(3)), as the page received them.
    text: `UPDATE notes SET description = $3, updated_at = CURRENT_TIMESTAMP
            WHERE id = $1 AND owner_id = $2 AND updated_at = $4
        RETURNING updated_at`,
    values: [id, userId, description, change.seenUpdatedAt],
  });
  if (updated.rows.length === 0) throw conflict(STALE_NOTE);
  return { updatedAt: updated.rows[0]!.updated_at };
}
