import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";

interface FieldFrame {
  label: ReactNode;
  name: string;
  error?: string;
  hint?: ReactNode;
}

/** Label, control, hint and error, with the error announced and tied to the control (aria-describedby). */
export function Frame({
  id,
  label,
  error,
  hint,
  children,
}: Omit<FieldFrame, "name"> & { id: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-stone-500 dark:text-stone-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function describedBy(id: string, error?: string, hint?: ReactNode): string | undefined {
  return [error ? `${id}-error` : null, hint && !error ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
}

/** A labelled input. */
export function Field({ label, name, error, hint, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `field-${name}`;
  return (
    <Frame id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        name={name}
        className="field"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...input}
      />
    </Frame>
  );
}

/** A labelled multi-line text area. */
export function TextAreaField({
  label,
  name,
  error,
  hint,
  className = "field resize-y",
  ...textarea
}: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = textarea.id ?? `field-${name}`;
  return (
    <Frame id={id} label={label} error={error} hint={hint}>
      <textarea
        id={id}
        name={name}
        className={className}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...textarea}
      />
    </Frame>
  );
}

/** The "Description (Markdown)" label used by every note form. */
export function MarkdownLabel({ children }: { children: ReactNode }) {
  return (
    <>
      {children} <span className="font-normal text-stone-500 dark:text-stone-400">(Markdown)</span>
    </>
  );
}
