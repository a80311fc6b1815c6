import "server-only";
import { AuthError } from "next-auth";
import { unstable_rethrow } from "next/navigation";
import { asDomainError } from "@/lib/http/problem";
import { logger } from "@/lib/log";
import { EMAIL_IN_USE_MESSAGE } from "@/lib/users/schema";
import { EMAIL_TAKEN } from "@/lib/users/service";

import type { ActionState } from "@/lib/actions/state";

export type { ActionState };

/**
 * The one place where errors become what a person reads in a form or a notice (lib/http/problem.ts is its
 * twin for HTTP answers): domain errors become words a person can act on, beside the field they concern.
 */

/** Contract fields that a form shows as one input (every fact about an upload belongs to the file input). */
const FORM_FIELDS: Record<string, string> = { fileKey: "file", fileName: "file", contentType: "file", size: "file" };

/** Maps a domain error to form state; anything else (redirects, bugs) is rethrown for Next.js to handle. */
export function actionError(error: unknown, values?: Record<string, string>): ActionState {
  // Next.js's own control flow (redirect(), notFound(), dynamic rendering bail-outs) goes back to Next.js as is.
  unstable_rethrow(error);
  const known = asDomainError(error);
  if (!known) {
    logger.error({ err: error }, "server action failed");
    throw error;
  }
  if (known.kind === "validation" && known.extra.issues) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of known.extra.issues) {
      const raw = String(issue.path[0] ?? "form");
      fieldErrors[FORM_FIELDS[raw] ?? raw] ??= issue.message;
    }
    return { ok: false, fieldErrors, values };
  }
  if (known.message === EMAIL_TAKEN) {
    return { ok: false, fieldErrors: { email: EMAIL_IN_USE_MESSAGE }, values };
  }
  if (known.kind === "rate_limited") {
    const minutes = Math.max(1, Math.ceil((known.extra.retryAfterSeconds ?? 60) / 60));
    return {
      ok: false,
      message: `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      values,
    };
  }
  if (known.kind === "not_found") return { ok: false, message: "This note no longer exists.", values };
  if (known.kind === "precondition_failed") {
    return {
      ok: false,
      message: "This note was changed since the page showed it. Reload to see the latest version.",
      values,
    };
  }
  return { ok: false, message: known.message, values };
}

/** Why an upload could not start, in one sentence (the upload notice has no field to stand beside). */
export function uploadRefusal(error: unknown): string {
  const state = actionError(error);
  return Object.values(state.fieldErrors ?? {})[0] ?? state.message ?? "The upload could not start.";
}

/** What the sign-in form says when Auth.js refused the credentials; anything else is rethrown. */
export function signInError(error: unknown, values: Record<string, string>): ActionState {
  if (!(error instanceof AuthError)) throw error; // the redirect that completes a successful sign-in
  const code = (error as AuthError & { code?: string }).code;
  if (code === "rate_limited") {
    return { ok: false, message: "Too many failed attempts. Wait a few minutes and try again.", values };
  }
  if (code === "disabled") return { ok: false, message: "This account is disabled.", values };
  if (error.type === "CredentialsSignin") return { ok: false, message: "Invalid email or password.", values };
  return { ok: false, message: "Sign-in is unavailable right now. Try again shortly.", values };
}

/**
 * A field of a form posted to a server action, as text ("" when absent). Server actions are public endpoints:
 * React decodes whatever a client sends into their arguments, so "the FormData" may be a string, null or an
 * array; reading it as one threw a TypeError (a 500) before the form's own validation could answer.
 */
export function formField(form: unknown, name: string): string {
  return form instanceof FormData ? String(form.get(name) ?? "") : "";
}
