"use client";

import { useActionState, useState } from "react";
import { createTokenAction, type CreateTokenState } from "@/app/settings/tokens/actions";
import { Field, Frame } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TOKEN_NAME_MAX } from "@/lib/auth/contract";

const EXPIRIES = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
];

/** Creates a token and shows its secret this once (it is not stored, so it cannot be shown again). */
export function NewTokenForm() {
  const [state, formAction] = useActionState<CreateTokenState, FormData>(createTokenAction, { ok: false });
  const values = state.ok ? undefined : state.values;
  return (
    <div className="space-y-4">
      {state.ok && state.token ? <CreatedToken name={state.name ?? ""} token={state.token} /> : null}
      <form action={formAction} className="card space-y-4 p-4 sm:p-5" aria-labelledby="new-token-heading" noValidate>
        <h2 id="new-token-heading" className="text-base font-semibold">
          New token
        </h2>
        <FormMessage message={state.message} />
        <Field
          id="token-name"
          label="Name"
          name="name"
          required
          maxLength={TOKEN_NAME_MAX}
          defaultValue={values?.name}
          key={`name-${String(state.token)}`}
          error={state.fieldErrors?.name}
          placeholder="What will use it? For example: backup script"
        />
        <fieldset>
          <legend className="label">Access</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="scope" value="read" defaultChecked={values?.scope !== "write"} /> Read notes
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="scope" value="write" defaultChecked={values?.scope === "write"} /> Read and
              write notes
            </label>
          </div>
          {state.fieldErrors?.scope ? (
            <p className="field-error" role="alert">
              {state.fieldErrors.scope}
            </p>
          ) : null}
        </fieldset>
        <Frame id="token-expiry" label="Expires after" error={state.fieldErrors?.expiry}>
          <select id="token-expiry" name="expiry" className="field" defaultValue={values?.expiry || "90"}>
            {EXPIRIES.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
        </Frame>
        <SubmitButton pendingText="Creating…">Create token</SubmitButton>
      </form>
    </div>
  );
}

function CreatedToken({ name, token }: { name: string; token: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <section
      aria-labelledby="created-token-heading"
      className="card space-y-3 border-brand-300 p-4 sm:p-5 dark:border-brand-800"
    >
      <h2 id="created-token-heading" className="text-base font-semibold">
        Token &ldquo;{name}&rdquo; created
      </h2>
      <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
        Copy it now: it is shown only this once.
      </p>
      <div className="flex gap-2">
        <label htmlFor="created-token" className="sr-only">
          The new token
        </label>
        <input
          id="created-token"
          readOnly
          value={token}
          className="field font-mono text-sm"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn-secondary"
          onClick={() => void navigator.clipboard?.writeText(token).then(() => setCopied(true))}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </section>
  );
}
