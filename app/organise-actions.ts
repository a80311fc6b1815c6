"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { noteIdFieldSchema, tagRenameSchema } from "@/lib/notes/schema";
import { replaceTagEverywhere } from "@/lib/notes/tag-service";
import * as trash from "@/lib/notes/trash";
import { normalizeTag } from "@/lib/notes/tags";
import { parseInput } from "@/lib/validation";

/**
 * The browser's organise operations (pin, archive, trash, tags): thin adapters over lib/notes, posted by plain
 * forms so that they work before (and without) JavaScript. A failure that is not the user's shows Next's error
 * page; a note that vanished meanwhile simply is not there after the refresh.
 */

const idOf = (form: FormData) => parseInput(noteIdFieldSchema, form.get("id"));

function refresh(id?: number) {
  revalidatePath("/");
  if (id) revalidatePath(`/n/${id}`);
}

async function ignoringMissing(step: () => Promise<unknown>) {
  try {
    await step();
  } catch (error) {
    if ((error as { kind?: string })?.kind !== "not_found") throw error;
  }
}

export async function setPinnedAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const id = idOf(form);
  await ignoringMissing(() => trash.pinNote(user.id, id, form.get("pinned") === "true"));
  refresh(id);
}

export async function setArchivedAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const id = idOf(form);
  await ignoringMissing(() => trash.archiveNote(user.id, id, form.get("archived") === "true"));
  refresh(id);
}

export async function trashNoteAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const id = idOf(form);
  await ignoringMissing(() => trash.trashNote(user.id, id));
  refresh(id);
  // From the note's own page there is nothing left to show.
  if (form.get("from") === "note") redirect("/");
}

export async function restoreNoteAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const id = idOf(form);
  await ignoringMissing(() => trash.restoreNote(user.id, id));
  refresh(id);
}

export async function deleteForeverAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const id = idOf(form);
  await ignoringMissing(() => trash.deleteForever(user.id, id));
  refresh(id);
}

export async function emptyTrashAction(): Promise<void> {
  const user = await requireUser();
  await trash.emptyTrash(user.id);
  refresh();
}

export type TagActionState = { ok: boolean; message?: string };

export async function renameTagAction(_prev: TagActionState, form: FormData): Promise<TagActionState> {
  const user = await requireUser();
  const from = normalizeTag(String(form.get("tag") ?? ""));
  const parsed = tagRenameSchema.safeParse({ name: form.get("name") });
  if (!from) return { ok: false, message: "That tag no longer exists." };
  if (!parsed.success) return { ok: false, message: "A tag is letters, digits, - and _, nested with /." };
  try {
    await replaceTagEverywhere(user.id, from, parsed.data.name);
  } catch (error) {
    const issues = (error as { extra?: { issues?: { msg: string }[] } })?.extra?.issues;
    if (issues?.[0]) return { ok: false, message: issues[0].msg };
    throw error;
  }
  refresh();
  redirect(`/?${new URLSearchParams({ q: `tag:${parsed.data.name}` })}`);
}

export async function deleteTagAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const tag = normalizeTag(String(form.get("tag") ?? ""));
  if (tag) await replaceTagEverywhere(user.id, tag, null);
  refresh();
  redirect("/");
}
