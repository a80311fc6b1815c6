"use client";

import { useId } from "react";
import { describedBy, Frame } from "@/components/ui/field";
import { type UploadLimits, uploadRequestSchema } from "@/lib/files/contract";
import { formatBytes } from "@/lib/files/policy";

/**
 * The reason a file is refused before any upload starts, or null: the upload contract the server checks, read
 * here before anything is sent (the S3 policy refuses it anyway).
 */
export function refuseFile(file: File, limits: UploadLimits): string | null {
  const result = uploadRequestSchema(limits.maxBytes, limits.allowedTypes).safeParse({
    fileName: file.name,
    contentType: file.type || "application/octet-stream",
    size: file.size,
  });
  if (result.success) return null;
  if (result.error.issues.some((issue) => issue.path[0] === "size")) {
    return `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxBytes)}.`;
  }
  return `${result.error.issues[0]!.message}.`;
}

/** A labelled file input that checks size and type on selection and reports the refusal beside itself. */
export function FileInput({
  label,
  limits,
  error,
  onChange,
  disabled,
  inputRef,
}: {
  label: string;
  limits: UploadLimits;
  error?: string;
  onChange: (file: File | null, refusal: string | null) => void;
  disabled?: boolean;
  inputRef?: React.Ref<HTMLInputElement>;
}) {
  const id = useId();
  const hint = <>Optional. Up to {formatBytes(limits.maxBytes)}; images show a preview.</>;
  return (
    <Frame id={id} label={label} error={error} hint={hint}>
      <input
        ref={inputRef}
        id={id}
        type="file"
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        className="block w-full text-sm text-stone-700 file:mr-3 file:rounded-lg file:border-0 file:bg-stone-200 file:px-3 file:py-2 file:text-sm file:font-medium file:text-stone-800 hover:file:bg-stone-300 dark:text-stone-300 dark:file:bg-stone-800 dark:file:text-stone-100 dark:hover:file:bg-stone-700"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0] ?? null;
          onChange(file, file ? refuseFile(file, limits) : null);
        }}
      />
    </Frame>
  );
}
