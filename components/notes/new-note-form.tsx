"use client";

import { useActionState, useRef, useState } from "react";
import { createNoteAction } from "@/app/note-actions";
import { FileInput } from "@/components/notes/file-input";
import type { UploadLimits } from "@/lib/files/contract";
import { UploadProgress } from "@/components/notes/upload-progress";
import { useFileUpload } from "@/components/notes/use-file-upload";
import { Field, MarkdownLabel, TextAreaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Spinner } from "@/components/ui/spinner";
import { type ActionState, initialActionState } from "@/lib/actions/state";
import { DESCRIPTION_MAX, TITLE_MAX } from "@/lib/notes/schema";

/** Creates a note; a chosen file goes straight to S3 first (with progress), then the note is saved with it. */
export function NewNoteForm({ limits }: { limits: UploadLimits }) {
  const formRef = useRef<HTMLFormElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const uploader = useFileUpload();

  async function submit(_prev: ActionState, form: FormData): Promise<ActionState> {
    const values = { title: String(form.get("title") ?? ""), description: String(form.get("description") ?? "") };
    if (fileError) return { ok: false, fieldErrors: { file: fileError }, values };
    let fileKey: string | undefined;
    if (file) {
      const result = await uploader.upload(file);
      if ("error" in result) return { ok: false, fieldErrors: { file: result.error }, values };
      fileKey = result.key;
    }
    const state = await createNoteAction({ ...values, fileKey });
    if (state.ok) {
      formRef.current?.reset();
      setFile(null);
      uploader.reset();
      if (fileRef.current) fileRef.current.value = "";
    }
    return state;
  }

  const [state, formAction, pending] = useActionState(submit, initialActionState);
  const values = state.ok ? undefined : state.values;

  return (
    <form
      ref={formRef}
      action={formAction}
      className="card space-y-4 p-4 sm:p-5"
      aria-labelledby="new-note-heading"
      noValidate
    >
      <h2 id="new-note-heading" className="text-base font-semibold">
        New note
      </h2>
      <FormMessage message={state.message} />
      <Field
        id="new-title"
        label="Title"
        name="title"
        required
        maxLength={TITLE_MAX}
        defaultValue={values?.title}
        key={`title-${state.ok}`}
        error={state.fieldErrors?.title}
        placeholder="What is this note about?"
      />
      <TextAreaField
        id="new-description"
        label={<MarkdownLabel>Description</MarkdownLabel>}
        name="description"
        rows={4}
        className="field min-h-24 resize-y"
        maxLength={DESCRIPTION_MAX}
        defaultValue={values?.description}
        key={`description-${state.ok}`}
        error={state.fieldErrors?.description}
        placeholder="Write anything. **Bold**, lists and links work."
      />
      {uploader.phase === "uploading" && file ? (
        <UploadProgress progress={uploader.progress} onCancel={uploader.cancel} fileName={file.name} />
      ) : (
        <FileInput
          label="File"
          limits={limits}
          inputRef={fileRef}
          disabled={pending}
          error={fileError ?? state.fieldErrors?.file}
          onChange={(chosen, refusal) => {
            setFile(refusal ? null : chosen);
            setFileError(refusal ?? undefined);
          }}
        />
      )}
      <div className="flex justify-end">
        <button type="submit" className="btn-primary" disabled={pending || !!fileError}>
          {pending ? (
            <>
              <Spinner /> {uploader.phase === "uploading" ? "Uploading…" : "Saving…"}
            </>
          ) : (
            "Add note"
          )}
        </button>
      </div>
    </form>
  );
}
