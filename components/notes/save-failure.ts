import type { ActionState } from "@/lib/actions/state";

/** A save that never got an answer (offline, the server down or failing), in words a person can act on. */
export function unreachable(values: Record<string, string>): ActionState & { retry: true } {
  const offline = typeof navigator !== "undefined" && navigator.onLine === false;
  return {
    ok: false,
    retry: true,
    values,
    message: offline
      ? "You are offline, so this was not saved. Your text is kept here: try again once you are back online."
      : "This could not be saved: CloudNotes could not be reached or had a problem. Your text is kept here: try again in a moment.",
  };
}

export type FormState = ActionState & { retry?: boolean };
