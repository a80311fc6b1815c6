import "server-only";
import { unstable_rethrow } from "next/navigation";
import { asDomainError } from "@/lib/http/problem";
import { logger } from "@/lib/log";

import type { ActionState } from "@/lib/actions/state";

export type { ActionState };

/** The twin of lib/http/problem.ts for the browser: domain errors become words a person can act on. */

const FIELD_NAMES: Record<string, string> = { file_key: "file", content_type: "file", filename: "file", size: "file" };

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
      const raw = String(issue.loc.at(-1) ?? "form");
      const name = FIELD_NAMES[raw] ?? raw;
      fieldErrors[name] ??= issue.msg;
    }
    return { ok: false, fieldErrors, values };
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
  return { ok: false, message: known.message, values };
}

/**
 * A field of a form posted to a server action, as text ("" when absent). Server actions are public endpoints:
 * React decodes whatever a client sends into their arguments, so "the FormData" may be a string, null or an
 * array; reading it as one threw a TypeError (a 500) before the form's own validation could answer.
 */
export function formField(form: unknown, name: string): string {
  return form instanceof FormData ? String(form.get(name) ?? "") : "";
}
