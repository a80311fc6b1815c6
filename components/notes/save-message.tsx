import { FormMessage } from "@/components/ui/form-message";
import { SignedOutNotice } from "@/components/notes/signed-out";
import type { FormState } from "@/components/notes/save-failure";

/** The form-level answer of a save: signed out (sign in again), unreachable (Retry), or a refusal. */
export function SaveMessage({ state, onRetry }: { state: FormState; onRetry: () => void }) {
  if (state.signedOut) return <SignedOutNotice message={state.message} />;
  if (state.conflict) return null; // the editor shows the choice
  if (state.retry) {
    return (
      <div
        role="alert"
        className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-300"
      >
        <p>{state.message}</p>
        <button type="button" className="btn-secondary" onClick={onRetry}>
          Retry
        </button>
      </div>
    );
  }
  return <FormMessage message={state.message} />;
}
