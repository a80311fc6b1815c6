"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { asDomainError } from "@/lib/http/problem";
import { restoreRevisionFormSchema } from "@/lib/notes/revision-schema";
import { restoreRevision } from "@/lib/notes/revisions";
import { parseInput } from "@/lib/validation";

/** "Restore this version": a thin adapter over lib/notes/revisions, then back to the note. */
export async function restoreRevisionAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const { id, number, baseUpdatedAt } = parseInput(restoreRevisionFormSchema, {
    id: form.get("id"),
    number: form.get("number"),
    baseUpdatedAt: form.get("baseUpdatedAt"),
  });
  try {
    await restoreRevision(user.id, id, number, [baseUpdatedAt]);
  } catch (error) {
    if (asDomainError(error)?.kind === "precondition_failed") redirect(`/n/${id}/history?r=${number}&stale=1`);
    throw error;
  }
  revalidatePath("/");
  revalidatePath(`/n/${id}`);
  revalidatePath(`/n/${id}/history`);
  redirect(`/n/${id}`);
}
