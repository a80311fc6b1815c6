import "server-only";
import { z } from "zod";
import { pool } from "@/lib/db/pool";

/** How the notes page lays out notes, kept with the account (users.notes_layout). */
export const notesLayoutSchema = z.enum(["list", "grid"]);
export type NotesLayout = z.infer<typeof notesLayoutSchema>;

export async function getNotesLayout(userId: string): Promise<NotesLayout> {
  const { rows } = await pool().query<{ notes_layout: NotesLayout }>({
    name: "get_notes_layout",
    text: "SELECT notes_layout FROM users WHERE id = $1",
    values: [userId],
  });
  return rows[0]?.notes_layout ?? "list";
}

export async function setNotesLayout(userId: string, layout: NotesLayout): Promise<void> {
  await pool().query({
    name: "set_notes_layout",
    text: "UPDATE users SET notes_layout = $2 WHERE id = $1",
    values: [userId, layout],
  });
}
