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
}

export const initialActionState: ActionState = { ok: false };
