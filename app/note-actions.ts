"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { type ActionState, actionError } from "@/lib/actions/result";
import { presignUpload, type PresignedUpload } from "@/lib/files/uploads";
import { descriptionSchema, fileKeySchema, titleSchema } from "@/lib/notes/schema";
import * as notes from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

/**
 * The browser's note operations: thin adapters over lib/notes (the same rules as the REST API), each
 * answering form state and revalidating the pages that show notes.
 */

const idSchema = z.number().int().positive();
const textSchema = z.object({ title: titleSchema, description: descriptionSchema });
const createSchema = textSchema.extend({ fileKey: fileKeySchema.optional() });

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

export async function createNoteAction(input: {
  title: string;
  description: string;
  fileKey?: string;
}): Promise<ActionState> {
  const user = await requireUser();
  const values = { title: String(input?.title ?? ""), description: String(input?.description ?? "") };
  return run(async () => {
    const data = parseInput(createSchema, input, "form");
    const file = await notes.resolveFileKey(user.id, data.fileKey);
    await notes.createNote(user.id, { title: data.title, description: data.description }, file);
    refresh();
  }, values);
}

export async function updateNoteTextAction(
  id: number,
  input: { title: string; description: string },
): Promise<ActionState> {
  const user = await requireUser();
  const values = { title: String(input?.title ?? ""), description: String(input?.description ?? "") };
  return run(async () => {
    const noteId = parseInput(idSchema, id, "path");
    await notes.updateText(user.id, noteId, parseInput(textSchema, input, "form"));
    refresh(noteId);
  }, values);
}

export async function attachFileAction(id: number, fileKey: string): Promise<ActionState> {
  const user = await requireUser();
  return run(async () => {
    const noteId = parseInput(idSchema, id, "path");
    const file = await notes.resolveFileKey(user.id, parseInput(fileKeySchema, fileKey, "form"));
    await notes.setNoteFile(user.id, noteId, file!);
    refresh(noteId);
  });
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
