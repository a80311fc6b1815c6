"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentUser, requireUser } from "@/lib/auth/session";
import { type ActionState, actionError, formField, uploadRefusal } from "@/lib/actions/result";
import { type PresignedUpload, type UploadRequestInput, uploadRequestSchema } from "@/lib/files/contract";
import { uploadLimits } from "@/lib/files/upload-limits";
import { presignUpload } from "@/lib/files/uploads";
import { asDomainError } from "@/lib/http/problem";
import { safeReturnPath } from "@/lib/http/return-path";
import {
  fileAttachSchema,
  newNoteSchema,
  noteIdFieldSchema,
  noteIdSchema,
  noteTextSchema,
  noteVersionSchema,
} from "@/lib/notes/schema";
import * as notes from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

/**
 * The browser's note operations: thin adapters over lib/notes (the same contract and rules as the REST API),
 * each answering form state and revalidating the pages that show notes.
 */

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

/** Step 1 of a browser upload: a presigned POST for the chosen file (checked against the same contract). */
export async function requestUploadAction(file: UploadRequestInput): Promise<UploadTicket> {
  const user = await requireUser();
  try {
    const { maxBytes, allowedTypes } = uploadLimits();
    const request = parseInput(uploadRequestSchema(maxBytes, allowedTypes), file);
    return { ok: true, upload: await presignUpload(user.id, request) };
  } catch (error) {
    return { ok: false, message: uploadRefusal(error) };
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
    const { fileKey, ...text } = parseInput(newNoteSchema, {
      ...values,
      fileKey: formField(form, "fileKey") || undefined,
    });
    await notes.createNote(user.id, text, await notes.resolveFileKey(user.id, fileKey));
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
    noteId = parseInput(noteIdFieldSchema, formField(form, "id"));
    const base = parseInput(noteVersionSchema.optional(), baseUpdatedAt || undefined);
    const text = parseInput(noteTextSchema, textValues(form));
    saved = (await notes.updateText(user.id, noteId, text, base && [base])).updatedAt;
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
  let version: string | undefined;
  const state = await onNote(id, async (userId, noteId) => {
    const attach = parseInput(fileAttachSchema, { fileKey });
    const file = await notes.resolveFileKey(userId, attach.fileKey);
    version = (await notes.setNoteFile(userId, noteId, file!)).updatedAt.toISOString();
  });
  return state.ok ? { ...state, version } : state;
}

export async function removeFileAction(id: number): Promise<ActionState> {
  return onNote(id, (userId, noteId) => notes.removeNoteFile(userId, noteId));
}

export async function deleteNoteAction(id: number): Promise<ActionState> {
  return onNote(id, (userId, noteId) => notes.deleteNote(userId, noteId));
}

/** One step on one note of the signed-in user, then the pages that show it are refreshed. */
async function onNote(
  id: unknown,
  step: (userId: string, noteId: number) => Promise<unknown>,
  values?: Record<string, string>,
): Promise<ActionState> {
  const user = await requireUser();
  return run(async () => {
    const noteId = parseInput(noteIdSchema, id);
    await step(user.id, noteId);
    refresh(noteId);
  }, values);
}
