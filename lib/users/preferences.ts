import "server-only";
import { z } from "zod";
import { pool } from "@/lib/db/pool";

/** How the notes page lays out notes, kept with the account (users.notes_layout). */
export const notesLayoutSchema = z.enum(["list", "grid"]);
export type NotesLayout = z.infer<typeof notesLayoutSchema>;

export async function setNotesLayout(userId: string, layout: NotesLayout): Promise<void> {
  await pool().query({
    name: "set_notes_layout",
    text: "UPDATE users SET notes_layout = $2 WHERE id = $1",
    values: [userId, layout],
  });
}

/** The notes page counts the notes up to this many ("10,000+ notes" beyond): a count reads every note counted. */
export const NOTE_COUNT_CAP = 10_000;

export interface NotesPageContext {
  layout: NotesLayout;
  /** The live, unarchived notes, counted up to `cap`. */
  noteCount: number;
  /** Whether there are more than `noteCount`. */
  noteCountCapped: boolean;
}

/** What the notes page needs about the account besides the notes: the layout and how many notes there are. */
export async function notesPageContext(userId: string, cap = NOTE_COUNT_CAP): Promise<NotesPageContext> {
  const { rows } = await pool().query<{ notes_layout: NotesLayout; note_count: number }>({
    name: "notes_page_context",
    text: `SELECT u.notes_layout,
                  (SELECT count(*)::int FROM (SELECT FROM notes n
                     WHERE n.owner_id = u.id AND n.deleted_at IS NULL AND NOT n.archived LIMIT $2) AS counted) AS note_count
             FROM users u WHERE u.id = $1`,
    values: [userId, cap + 1],
  });
  const counted = rows[0]?.note_count ?? 0;
  return { layout: rows[0]?.notes_layout ?? "list", noteCount: Math.min(counted, cap), noteCountCapped: counted > cap };
}
