"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { type ActionState, actionError } from "@/lib/actions/result";
import { requireUser } from "@/lib/auth/session";
import { noteIdSchema } from "@/lib/notes/schema";
import { getNote } from "@/lib/notes/service";
import { checklistTickSchema, setNoteChecklistItem } from "@/lib/notes/tick";
import { type FileView, toFileView } from "@/lib/notes/view";
import { notesLayoutSchema, setNotesLayout } from "@/lib/users/preferences";
import { parseInput } from "@/lib/validation";

/**
 * The notes list's own actions (display side): tick a checklist item, renew a file's links, remember the
 * layout. Thin adapters over lib/; arguments are whatever a client sent, validated before use.
 */

export type TickResult = { ok: true; updatedAt: string } | { ok: false; message: string };

/** Ticks or unticks one checklist item, refused if the note changed since the page showed it. */
export async function toggleChecklistAction(input: z.input<typeof checklistTickSchema>): Promise<TickResult> {
  const user = await requireUser();
  try {
    const { id, ...change } = parseInput(checklistTickSchema, input);
    const { updatedAt } = await setNoteChecklistItem(user.id, id, change);
    revalidatePath("/");
    revalidatePath(`/n/${id}`);
    return { ok: true, updatedAt: updatedAt.toISOString() };
  } catch (error) {
    return failed(error, "The checklist could not be updated.");
  }
}

export type FileLinks = { ok: true; file: FileView } | { ok: false; message: string };

/** Fresh links to a note's file, for a page left open longer than the links live. */
export async function renewFileLinksAction(id: number): Promise<FileLinks> {
  const user = await requireUser();
  try {
    const note = await getNote(user.id, parseInput(noteIdSchema, id));
    const file = await toFileView(note);
    return file ? { ok: true, file } : { ok: false, message: "This note no longer has a file." };
  } catch (error) {
    return failed(error, "The file could not be opened.");
  }
}

/** Remembers list or grid for the account (every device). */
export async function setNotesLayoutAction(layout: string): Promise<ActionState> {
  const user = await requireUser();
  try {
    await setNotesLayout(user.id, parseInput(notesLayoutSchema, layout));
    return { ok: true };
  } catch (error) {
    return actionError(error);
  }
}

function failed(error: unknown, fallback: string): { ok: false; message: string } {
  const state = actionError(error);
  return { ok: false, message: state.message ?? Object.values(state.fieldErrors ?? {})[0] ?? fallback };
}
