import "server-only";
import { DomainError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";

/**
 * How many exports one process streams at once: each holds a page of notes and a few stream buffers, so a
 * burst of them from one user (or many users) must not add up past the process's memory cap. Per process, since
 * that is what the cap is about; past a limit the request is answered 429 with Retry-After, before any work.
 */
export const EXPORTS_PER_USER = 2;
export const EXPORTS_PER_PROCESS = 8;
const RETRY_AFTER_SECONDS = 10;

// One count for the process, whichever route bundle (REST or the settings page) takes a slot.
const slots = () => processSingleton("exportSlots", () => ({ byUser: new Map<string, number>(), total: 0 }));

/** Takes a slot for the user's export, or throws 429; the returned function gives it back (once). */
export function takeExportSlot(userId: string): () => void {
  const state = slots();
  const mine = state.byUser.get(userId) ?? 0;
  if (mine >= EXPORTS_PER_USER || state.total >= EXPORTS_PER_PROCESS) {
    throw new DomainError("rate_limited", "Too many exports under way, try again when one has finished", {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
  }
  state.byUser.set(userId, mine + 1);
  state.total += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    state.total -= 1;
    const left = (state.byUser.get(userId) ?? 1) - 1;
    if (left > 0) state.byUser.set(userId, left);
    else state.byUser.delete(userId);
  };
}
