"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { attachFileAction, updateNoteTextAction } from "@/app/note-actions";
import { useDraft, useDraftRestore, useHydrated, useLeaveWarning } from "@/components/notes/drafts";
import { refuseFile } from "@/components/notes/file-input";
import type { UploadLimits } from "@/lib/files/contract";
import { MarkdownField } from "@/components/notes/markdown-field";
import type { NoteChange } from "@/components/notes/note-card";
import { type FormState, unreachable } from "@/components/notes/save-failure";
import { SaveMessage } from "@/components/notes/save-message";
import { UploadProgress } from "@/components/notes/upload-progress";
import { useFileUpload } from "@/components/notes/use-file-upload";
import { Field, MarkdownLabel } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Spinner } from "@/components/ui/spinner";
import { initialActionState } from "@/lib/actions/state";
import { DESCRIPTION_MAX, TITLE_MAX } from "@/lib/notes/schema";
import type { NoteView } from "@/lib/notes/view";

/**
 * Edits a note's title and description in place. The text is kept in the browser as it is typed (restored
 * after a reload) and cleared once saved. The save names the version it started from: if the note changed
 * elsewhere meanwhile, the person chooses to keep theirs or take the other. An image pasted or dropped into
 * the text is uploaded and attached. Without JavaScript the form posts to the same server action.
 */
export function NoteEditor({
  note,
  headingId,
  limits,
  onOptimistic,
  onClose,
}: {
  note: NoteView;
  headingId: string;
  limits?: UploadLimits;
  onOptimistic?: (change: NoteChange) => void;
  onClose: (saved: boolean) => void;
}) {
  const [posted, formAction] = useActionState(updateNoteTextAction, initialActionState);
  const [state, setState] = useState<FormState>(posted);
  const [title, setTitle] = useState(posted.values?.title ?? note.title);
  const [description, setDescription] = useState(posted.values?.description ?? note.description);
  // The text of the version being edited: what "unsaved changes" are measured against.
  const [original, setOriginal] = useState({ title: note.title, description: note.description });
  const [attachedName, setAttachedName] = useState("");
  const [base, setBase] = useState(posted.values?.baseUpdatedAt || note.updatedAt);
  const [pending, startTransition] = useTransition();
  const [image, setImage] = useState<File | null>(null);
  const [imageError, setImageError] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const uploader = useFileUpload();
  const draft = useDraft(`note:${note.id}`);
  const router = useRouter();

  const hydrated = useHydrated();
  useDraftRestore(draft, (saved) => {
    setTitle(saved.title);
    setDescription(saved.description);
    if (saved.base) setBase(saved.base);
  });
  const changed = title !== original.title || description !== original.description;
  useEffect(() => {
    if (!hydrated) return;
    if (changed) draft.save({ title, description, base });
    else draft.clear();
  }, [hydrated, changed, draft, title, description, base]);
  useLeaveWarning(hydrated && changed);

  function save(version: string) {
    if (pending) return;
    const values = { title, description };
    const form = new FormData();
    form.set("id", String(note.id));
    form.set("baseUpdatedAt", version);
    form.set("title", title);
    form.set("description", description);
    startTransition(async () => {
      onOptimistic?.({ type: "update", id: note.id, ...values });
      let result: FormState;
      try {
        result = await updateNoteTextAction(initialActionState, form);
      } catch {
        result = unreachable(values);
      }
      setState(result);
      if (!result.ok) return;
      draft.clear();
      onClose(true);
    });
  }

  function takeTheirs(theirs: NonNullable<FormState["conflict"]>) {
    draft.clear();
    setTitle(theirs.title);
    setDescription(theirs.description);
    setOriginal({ title: theirs.title, description: theirs.description });
    setBase(theirs.updatedAt);
    setState(initialActionState);
    router.refresh();
  }

  async function attachImage(file: File): Promise<boolean> {
    const refusal = refuseFile(file, limits ?? { maxBytes: Infinity, allowedTypes: ["image/*"] });
    setImageError(refusal ?? undefined);
    if (refusal) return false;
    setImage(file);
    const result = await uploader.upload(file);
    setImage(null);
    if ("error" in result) {
      if (!result.cancelled) setImageError(result.error);
      return false;
    }
    let attached: FormState;
    try {
      attached = await attachFileAction(note.id, result.key);
    } catch {
      attached = unreachable({});
    }
    if (!attached.ok) {
      setImageError(attached.message ?? "The image could not be attached.");
      return false;
    }
    uploader.reset();
    setAttachedName(file.name);
    // Attaching made a new version: the text edit continues from it unless the text had already gone stale.
    if (attached.version && base === note.updatedAt) setBase(attached.version);
    router.refresh();
    return true;
  }

  const conflict = state.conflict;
  const errors = state.fieldErrors ?? {};
  return (
    <form
      ref={formRef}
      data-note-editor
      className="space-y-3"
      action={formAction}
      onSubmit={(event) => {
        event.preventDefault();
        save(base);
      }}
      onKeyDown={(event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          formRef.current?.requestSubmit();
        } else if (event.key === "Escape") {
          event.preventDefault();
          onClose(false); // the draft stays, and reopens the editor next time
        }
      }}
      noValidate
    >
      <button type="submit" disabled hidden aria-hidden="true" tabIndex={-1} />
      <input type="hidden" name="id" value={note.id} />
      <input type="hidden" name="baseUpdatedAt" value={base} />
      {/* Only a plain form post (no JavaScript) goes back to the note's page once saved. */}
      <input type="hidden" name="redirectTo" value={`/n/${note.id}`} />
      <h2 id={headingId} className="sr-only">
        Editing {note.title}
      </h2>
      <SaveMessage state={state} onRetry={() => save(base)} />
      {conflict ? (
        <div
          role="alert"
          className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <p className="font-medium">{state.message}</p>
          <p>
            Their version: <strong className="[overflow-wrap:anywhere]">{conflict.title}</strong>
          </p>
          {conflict.description ? (
            <pre className="max-h-40 overflow-auto whitespace-pre-wrap rounded border border-amber-200 bg-white/60 p-2 font-sans [overflow-wrap:anywhere] dark:border-amber-900 dark:bg-stone-900/60">
              {conflict.description}
            </pre>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <button
              type="submit"
              name="keepMine"
              value={conflict.updatedAt}
              className="btn-primary"
              disabled={pending}
              onClick={(event) => (event.preventDefault(), save(conflict.updatedAt))}
            >
              Keep mine
            </button>
            <a
              href={`/n/${note.id}`}
              className="btn-secondary"
              onClick={(event) => (event.preventDefault(), takeTheirs(conflict))}
            >
              Take theirs
            </a>
          </div>
        </div>
      ) : null}
      <Field
        id={`title-${note.id}`}
        label="Title"
        name="title"
        value={title}
        onChange={(event) => setTitle(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
            event.preventDefault();
            textRef.current?.focus();
          }
        }}
        maxLength={TITLE_MAX}
        required
        autoFocus
        error={errors.title}
      />
      <MarkdownField
        id={`description-${note.id}`}
        label={<MarkdownLabel>Description</MarkdownLabel>}
        name="description"
        value={description}
        onChange={setDescription}
        maxLength={DESCRIPTION_MAX}
        error={errors.description}
        onImage={hydrated ? attachImage : undefined}
        textareaRef={textRef}
      />
      {image ? <UploadProgress progress={uploader.progress} onCancel={uploader.cancel} fileName={image.name} /> : null}
      <FormMessage message={imageError} />
      <p role="status" className="text-sm text-stone-600 empty:hidden dark:text-stone-400">
        {attachedName ? `${attachedName} is attached to this note.` : ""}
      </p>
      <div className="flex justify-end gap-2">
        {hydrated ? (
          <button
            type="button"
            className="btn-ghost"
            onClick={() => (draft.clear(), onClose(false))}
            disabled={pending}
          >
            Cancel
          </button>
        ) : (
          <a href={`/n/${note.id}`} className="btn-ghost">
            Cancel
          </a>
        )}
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? (
            <>
              <Spinner /> Saving…
            </>
          ) : (
            "Save"
          )}
        </button>
      </div>
    </form>
  );
}
