"use client";

import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { createNoteAction } from "@/app/note-actions";
import { useDraft, useDraftRestore, useHydrated, useLeaveWarning } from "@/components/notes/drafts";
import { FileInput, refuseFile } from "@/components/notes/file-input";
import type { UploadLimits } from "@/lib/files/contract";
import { MarkdownField } from "@/components/notes/markdown-field";
import { type FormState, unreachable } from "@/components/notes/save-failure";
import { SaveMessage } from "@/components/notes/save-message";
import { UploadProgress } from "@/components/notes/upload-progress";
import { useFileUpload } from "@/components/notes/use-file-upload";
import { MarkdownLabel } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { initialActionState } from "@/lib/actions/state";
import { DESCRIPTION_MAX, TITLE_MAX } from "@/lib/notes/schema";

/**
 * Quick capture: "Take a note…" opens on focus; Enter in the title moves to the text, Ctrl/Cmd+Enter saves,
 * Esc closes (the draft stays). The text is kept in the browser as it is typed and cleared once saved. A chosen,
 * pasted or dropped file goes straight to S3 first (with progress), then the note is saved with it.
 * Without JavaScript the form posts to the same server action (no file: uploads need JavaScript).
 */
/** Text shared into the app from another one (the manifest's share target), to start a note with. */
export interface SharedNote {
  title: string;
  description: string;
}

export function Composer({ limits, sharedNote }: { limits: UploadLimits; sharedNote?: SharedNote }) {
  // The no-JavaScript answer (the page rendered after a plain form post); with JavaScript, `state` below.
  const [posted, formAction] = useActionState(createNoteAction, initialActionState);
  const [state, setState] = useState<FormState>(posted);
  const start = posted.values ?? sharedNote;
  const [title, setTitle] = useState(start?.title ?? "");
  const [description, setDescription] = useState(start?.description ?? "");
  const [open, setOpen] = useState((!posted.ok && !!posted.values) || !!sharedNote);
  const [notice, setNotice] = useState("");
  const [pending, startTransition] = useTransition();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const uploaded = useRef<{ file: File; key: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const uploader = useFileUpload();
  const draft = useDraft("new");

  const hydrated = useHydrated();
  useDraftRestore(draft, (saved) => {
    setTitle(saved.title);
    setDescription(saved.description);
    setOpen(true);
  });
  useEffect(() => {
    if (hydrated) draft.save({ title, description });
  }, [hydrated, draft, title, description]);
  useLeaveWarning(hydrated && !!(title.trim() || description.trim() || file));

  function chooseFile(chosen: File | null, refusal: string | null) {
    setOpen(true);
    setFile(refusal ? null : chosen);
    setFileError(refusal ?? undefined);
  }

  // A pasted or dropped image becomes the note's file, shown in the file input like a chosen one.
  function takeImage(image: File): boolean {
    const refusal = refuseFile(image, limits);
    if (fileRef.current && !refusal) {
      const list = new DataTransfer();
      list.items.add(image);
      fileRef.current.files = list.files;
    }
    chooseFile(image, refusal);
    return !refusal;
  }

  function save(form: FormData) {
    if (pending) return;
    form.delete("redirectTo");
    startTransition(async () => {
      const values = { title: String(form.get("title") ?? ""), description: String(form.get("description") ?? "") };
      if (fileError) return setState({ ok: false, fieldErrors: { file: fileError }, values });
      if (file) {
        if (uploaded.current?.file !== file) {
          const result = await uploader.upload(file);
          if ("error" in result) return setState({ ok: false, fieldErrors: { file: result.error }, values });
          uploaded.current = { file, key: result.key };
        }
        form.set("fileKey", uploaded.current.key);
      }
      let result: FormState;
      try {
        result = await createNoteAction(initialActionState, form);
      } catch {
        result = unreachable(values);
      }
      setState(result);
      if (!result.ok) return setOpen(true);
      // Text typed while the save was on its way stays (and stays a draft).
      setTitle((t) => (t === values.title ? "" : t));
      setDescription((d) => (d === values.description ? "" : d));
      setFile(null);
      uploaded.current = null;
      uploader.reset();
      if (fileRef.current) fileRef.current.value = "";
      setNotice(`Note “${values.title}” added.`);
      setOpen(false);
      titleRef.current?.blur();
    });
  }

  const errors = state.fieldErrors ?? {};
  const expanded = open;
  return (
    <>
      <form
        ref={formRef}
        action={formAction}
        onSubmit={(event) => {
          event.preventDefault();
          save(new FormData(event.currentTarget));
        }}
        onFocus={() => (setOpen(true), setNotice(""))}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            formRef.current?.requestSubmit();
          } else if (event.key === "Escape" && open) {
            event.preventDefault();
            setOpen(false);
            (document.activeElement as HTMLElement | null)?.blur();
          }
        }}
        className={`card composer space-y-3 p-4 sm:p-5 ${open ? "" : "max-sm:hidden"}`}
        aria-label="New note"
        noValidate
      >
        <noscript>
          {/* Without JavaScript nothing can open the composer: show it whole. */}
          <style dangerouslySetInnerHTML={{ __html: ".composer,.composer-more{display:block!important}" }} />
        </noscript>
        {/* Disabled default button: Enter in the title never submits a title-only note, even without JavaScript. */}
        <button type="submit" disabled hidden aria-hidden="true" tabIndex={-1} />
        <SaveMessage state={state} onRetry={() => formRef.current?.requestSubmit()} />
        <div>
          <label htmlFor="new-title" className={expanded ? "label" : "sr-only"}>
            Title
          </label>
          <input
            ref={titleRef}
            id="new-title"
            name="title"
            className="field"
            required
            maxLength={TITLE_MAX}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
            placeholder={expanded ? "What is this note about?" : "Take a note…"}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={errors.title ? "new-title-error" : undefined}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
                event.preventDefault();
                textRef.current?.focus();
              }
            }}
          />
          {errors.title ? (
            <p id="new-title-error" className="field-error" role="alert">
              {errors.title}
            </p>
          ) : null}
        </div>
        <div className={`composer-more space-y-3 ${expanded ? "" : "hidden"}`}>
          <MarkdownField
            id="new-description"
            name="description"
            label={<MarkdownLabel>Description</MarkdownLabel>}
            value={description}
            onChange={setDescription}
            maxLength={DESCRIPTION_MAX}
            error={errors.description}
            placeholder="Write anything. **Bold**, lists and links work."
            onImage={takeImage}
            textareaRef={textRef}
          />
          {uploader.phase === "uploading" && file ? (
            <UploadProgress progress={uploader.progress} onCancel={uploader.cancel} fileName={file.name} />
          ) : hydrated ? (
            <FileInput
              label="File"
              limits={limits}
              inputRef={fileRef}
              disabled={pending}
              error={fileError ?? errors.file}
              onChange={chooseFile}
            />
          ) : (
            <noscript>
              <p className="text-sm text-stone-600 dark:text-stone-400">
                Attaching a file needs JavaScript; the text saves without it.
              </p>
            </noscript>
          )}
          <div className="flex items-center justify-end gap-2">
            <span className="mr-auto hidden text-xs text-stone-500 sm:inline dark:text-stone-400">
              Ctrl+Enter saves · Esc closes
            </span>
            {hydrated ? (
              <button type="button" className="btn-ghost" onClick={() => setOpen(false)}>
                Close
              </button>
            ) : null}
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
        </div>
      </form>
      <p role="status" className="sr-only">
        {notice}
      </p>
      {open || !hydrated ? null : (
        <button
          type="button"
          className="fab btn-primary fixed right-4 bottom-4 z-20 rounded-full px-5 py-3 shadow-lg sm:hidden"
          onClick={() => {
            setOpen(true);
            requestAnimationFrame(() => titleRef.current?.focus());
          }}
        >
          <span aria-hidden="true">+</span> New note
        </button>
      )}
    </>
  );
}
