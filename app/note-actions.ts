"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { redirect } from "next/navigation";
import { currentUser, requireUser } from "@/lib/auth/session";
import { type ActionState, actionError, formField } from "@/lib/actions/result";
import { presignUpload, type PresignedUpload } from "@/lib/files/uploads";
import { descriptionSchema, fileKeySchema, titleSchema } from "@/lib/notes/schema";
import * as notes from "@/lib/notes/service";
import { asDomainError } from "@/lib/http/problem";
import { safeReturnPath } from "@/lib/http/return-path";
import { parseInput } from "@/lib/validation";

/**
 * The browser's note operations: thin adapters over lib/notes (the same rules as the REST API), each
 * answering form state and revalidating the pages that show notes.
 */

const idSchema = z.number().int().positive();
const textSchema = z.object({ title: titleSchema, description: descriptionSchema });
const createSchema = textSchema.extend({ fileKey: fileKeySchema.optional() });
const versionSchema = z.iso
  .datetime()
  .transform((v) => new Date(v))
  .optional();

function refresh(id?: number) {
  revalidatePath("/");
  if (id) revalidatePath(`/n/${id}`);
}

// Arguments are whatever a client sent (React decodes any JSON into them): each is validated inside run(), and
// read before it only with optional chaining (input may be null).
async function run(step: () => Promise<void>, values?: Record<string, string>): Promise<ActionState> {
  try {
    await step();
    return { ok: true };
  } catch (error) {
    return actionError(error, values);
  }
}

export type UploadTicket = { ok: true; upload: PresignedUpload } | { ok: false; message: string };

/** Step 1 of a browser upload: a presigned POST for the chosen file (checked against the same policy). */
export async function requestUploadAction(file: {
  filename: string;
  content_type: string;
  size: number;
}): Promise<UploadTicket> {
  const user = await requireUser();
  try {
    return { ok: true, upload: await presignUpload(user.id, file) };
  } catch (error) {
    const state = actionError(error);
    return { ok: false, message: state.fieldErrors?.file ?? state.message ?? "The upload could not start." };
  }
}

const SIGNED_OUT = "Your session has ended. Sign in again to save: your text is kept on this device.";

function textValues(form: unknown): Record<string, string> {
  return { title: formField(form, "title"), description: formField(form, "description") };
}

// The two text forms take FormData (useActionState's signature), so that they also work as plain form posts
// when JavaScript is off. An ended session answers a state rather than redirecting, which would lose the form.

export async function createNoteAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = textValues(form);
  const user = await currentUser();
  if (!user) return { ok: false, signedOut: true, message: SIGNED_OUT, values };
  return run(async () => {
    const fileKey = formField(form, "fileKey") || undefined;
    const data = parseInput(createSchema, { ...values, fileKey }, "form");
    const file = await notes.resolveFileKey(user.id, data.fileKey);
    await notes.createNote(user.id, { title: data.title, description: data.description }, file);
    refresh();
  }, values);
}

/**
 * Saves an edit made on the version `baseUpdatedAt`; a note changed since answers both versions for the
 * person to choose. `redirectTo` (sent only by the no-JavaScript form) is where to go once saved.
 */
export async function updateNoteTextAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  // "Keep mine" after a conflict saves over the version it was shown.
  const baseUpdatedAt = formField(form, "keepMine") || formField(form, "baseUpdatedAt");
  const values: Record<string, string> = { ...textValues(form), baseUpdatedAt };
  const user = await currentUser();
  if (!user) return { ok: false, signedOut: true, message: SIGNED_OUT, values };
  let saved: Date;
  let noteId = 0;
  try {
    noteId = parseInput(idSchema, Number(formField(form, "id")), "path");
    const base = parseInput(versionSchema, baseUpdatedAt || undefined, "form");
    const text = parseInput(textSchema, textValues(form), "form");
    const note = await notes.updateText(user.id, noteId, text, base && [base]);
    saved = note.updatedAt;
    refresh(noteId);
  } catch (error) {
    if (asDomainError(error)?.kind === "precondition_failed") {
      const theirs = await notes.getNote(user.id, noteId).catch(() => null);
      if (theirs) {
        const { title, description } = theirs;
        const message = "This note was changed in another tab or device since you started editing.";
        const updatedAt = theirs.updatedAt.toISOString();
        return { ok: false, message, values, conflict: { title, description, updatedAt } };
      }
    }
    return actionError(error, values);
  }
  const redirectTo = formField(form, "redirectTo");
  if (redirectTo) redirect(safeReturnPath(redirectTo));
  return { ok: true, version: saved.toISOString() };
}

/** Attaches an uploaded file; answers the note's new version (an open editor continues from it). */
export async function attachFileAction(id: number, fileKey: string): Promise<ActionState> {
  const user = await requireUser();
  let version: string | undefined;
  const state = await run(async () => {
    const noteId = parseInput(idSchema, id, "path");
    const file = await notes.resolveFileKey(user.id, parseInput(fileKeySchema, fileKey, "form"));
    version = (await notes.setNoteFile(user.id, noteId, file!)).updatedAt.toISOString();
    refresh(noteId);
  });
  return state.ok ? { ...state, version } : state;
}

export async function removeFileAction(id: number): Promise<ActionState> {
  const user = await requireUser();
  return run(async () => {
    const noteId = parseInput(idSchema, id, "path");
    await notes.removeNoteFile(user.id, noteId);
    refresh(noteId);
  });
}

export async function deleteNoteAction(id: number): Promise<ActionState> {
  const user = await requireUser();
  return run(async () => {
    const noteId = parseInput(idSchema, id, "path");
    await notes.deleteNote(user.id, noteId);
    refresh(noteId);
  });
}
