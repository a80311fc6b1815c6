/**
 * What a server action answers to its form: success, or a message for the form and messages beside fields.
 * Plain data shared by the server actions and the client forms.
 */
export interface ActionState {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  /** Values to put back in the form after a refusal (never passwords). */
  values?: Record<string, string>;
  /** The session ended: the form asks to sign in again (its draft is kept in the browser). */
  signedOut?: boolean;
  /** The note changed elsewhere since the version being edited: theirs, for the person to choose. */
  conflict?: { title: string; description: string; updatedAt: string };
  /** The saved note's version (updated_at), the base of the next edit. */
  version?: string;
}

export const initialActionState: ActionState = { ok: false };
