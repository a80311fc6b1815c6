"use client";

import Link from "next/link";
import { useActionState } from "react";
import { initialActionState } from "@/lib/actions/state";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { EMAIL_IN_USE_MESSAGE } from "@/lib/users/schema";
import { signUpAction } from "./actions";

export function SignUpForm({
  callbackUrl,
  passwordMin,
  passwordMax,
}: {
  callbackUrl: string;
  passwordMin: number;
  passwordMax: number;
}) {
  const [state, formAction] = useActionState(signUpAction, initialActionState);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormMessage message={state.message} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={state.fieldErrors?.email}
        autoFocus
      />
      {state.fieldErrors?.email === EMAIL_IN_USE_MESSAGE ? (
        <p className="-mt-2 text-sm">
          <Link
            href={`/signin?${new URLSearchParams({ callbackUrl })}`}
            className="font-medium text-brand-700 hover:underline dark:text-brand-300"
          >
            Sign in instead?
          </Link>
        </p>
      ) : null}
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={passwordMin}
        maxLength={passwordMax}
        hint={`${passwordMin} to ${passwordMax} characters.`}
        error={state.fieldErrors?.password}
      />
      <Field
        label="Confirm password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        error={state.fieldErrors?.confirm}
      />
      <SubmitButton pendingText="Creating your account…" className="btn-primary w-full">
        Create account
      </SubmitButton>
    </form>
  );
}
