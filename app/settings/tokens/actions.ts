"use server";

import { revalidatePath } from "next/cache";
import { actionError, formField } from "@/lib/actions/result";
import type { ActionState } from "@/lib/actions/state";
import { newPersonalTokenSchema } from "@/lib/auth/contract";
import { createPersonalToken, revokePersonalToken } from "@/lib/auth/personal-tokens";
import { requireUser } from "@/lib/auth/session";
import { asDomainError } from "@/lib/http/problem";
import { parseInput } from "@/lib/validation";

/** The settings page's token operations: thin adapters over lib/auth/personal-tokens.ts. */

const PAGE = "/settings/tokens";

/** A created token's secret comes back once, in this answer, and is never stored or shown again. */
export type CreateTokenState = ActionState & { token?: string; name?: string };

export async function createTokenAction(_prev: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const user = await requireUser(PAGE);
  const values = { name: formField(form, "name"), scope: formField(form, "scope"), expiry: formField(form, "expiry") };
  try {
    const input = parseInput(newPersonalTokenSchema, {
      name: values.name,
      scope: values.scope,
      expiresInDays: values.expiry === "" || values.expiry === "never" ? null : Number(values.expiry),
    });
    const { token, info } = await createPersonalToken(user.id, input);
    revalidatePath(PAGE);
    return { ok: true, token, name: info.name };
  } catch (error) {
    const state = actionError(error, values);
    // The expiry field is named "expiry" in the form.
    if (state.fieldErrors?.expiresInDays) state.fieldErrors.expiry = state.fieldErrors.expiresInDays;
    return state;
  }
}

/** Works without JavaScript: a plain form per token. */
export async function revokeTokenAction(form: FormData): Promise<void> {
  const user = await requireUser(PAGE);
  try {
    await revokePersonalToken(user.id, formField(form, "id"));
  } catch (error) {
    // Already revoked (another tab, the API): the list below shows the truth either way.
    if (asDomainError(error)?.kind !== "not_found") throw error;
  }
  revalidatePath(PAGE);
}
