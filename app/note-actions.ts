"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/session";
import { type ActionState, actionError, uploadRefusal } from "@/lib/actions/result";
import { type PresignedUpload, type UploadRequestInput, uploadRequestSchema } from "@/lib/files/contract";
import { uploadLimits } from "@/lib/files/upload-limits";
import { presignUpload } from "@/lib/files/uploads";
import {
  fileAttachSchema,
  type NewNoteInput,
  newNoteSchema,
  noteIdSchema,
  type NoteText,
  noteTextSchema,
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

export async function createNoteAction(input: NewNoteInput): Promise<ActionState> {
  const user = await requireUser();
  const values = { title: String(input?.title ?? ""), description: String(input?.description ?? "") };
  return run(async () => {
    const { fileKey, ...text } = parseInput(newNoteSchema, input);
    await notes.createNote(user.id, text, await notes.resolveFileKey(user.id, fileKey));
    refresh();
  }, values);
}

export async function updateNoteTextAction(id: number, input: NoteText): Promise<ActionState> {
  const values = { title: String(input?.title ?? ""), description: String(input?.description ?? "") };
  return onNote(id, (userId, noteId) => notes.updateText(userId, noteId, parseInput(noteTextSchema, input)), values);
}

export async function attachFileAction(id: number, fileKey: string): Promise<ActionState> {
  return onNote(id, async (userId, noteId) => {
    const attach = parseInput(fileAttachSchema, { fileKey });
    const file = await notes.resolveFileKey(userId, attach.fileKey);
    await notes.setNoteFile(userId, noteId, file!);
  });
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
