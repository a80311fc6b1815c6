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

/** What the notes page needs about the account besides the notes: the layout and how many notes there are. */
export async function notesPageContext(userId: string): Promise<{ layout: NotesLayout; noteCount: number }> {
  const { rows } = await pool().query<{ notes_layout: NotesLayout; note_count: number }>({
    name: "notes_page_context",
    text: `SELECT u.notes_layout, (SELECT count(*)::int FROM notes n
                      WHERE n.owner_id = u.id AND n.deleted_at IS NULL AND NOT n.archived) AS note_count
             FROM users u WHERE u.id = $1`,
    values: [userId],
  });
  return { layout: rows[0]?.notes_layout ?? "list", noteCount: rows[0]?.note_count ?? 0 };
}
