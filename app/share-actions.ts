"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { noteIdFieldSchema } from "@/lib/notes/schema";
import { shareFormSchema } from "@/lib/shares/schema";
import { createShare, revokeShare } from "@/lib/shares/service";
import { parseInput } from "@/lib/validation";

/**
 * The note page's share panel: thin adapters over lib/shares, posted by plain forms (they work without
 * JavaScript). Both come back to the note's page with the panel open, which lists the links as they now are.
 */

const idOf = (form: FormData) => parseInput(noteIdFieldSchema, form.get("id"));

function backToPanel(id: number): never {
  revalidatePath(`/n/${id}`);
  redirect(`/n/${id}?share#share`);
}

export async function createShareAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const id = idOf(form);
  const input = parseInput(shareFormSchema, {
    expires: form.get("expires") ?? undefined,
    indexable: form.get("indexable") ?? undefined,
  });
  await createShare(user.id, id, input);
  backToPanel(id);
}

export async function revokeShareAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const id = idOf(form);
  try {
    await revokeShare(user.id, id, String(form.get("share") ?? ""));
  } catch (error) {
    // Revoked meanwhile (another tab): the link is dead either way.
    if ((error as { kind?: string })?.kind !== "not_found") throw error;
  }
  backToPanel(id);
}
