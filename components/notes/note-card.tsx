"use client";

import Link from "next/link";
import { useRef, useState, useTransition } from "react";
import { NoteOrganiseMenu } from "@/components/notes/note-organise-menu";
import { attachFileAction, deleteNoteAction, removeFileAction, updateNoteTextAction } from "@/app/note-actions";
import { FileBlock } from "@/components/notes/file-block";
import { FileInput } from "@/components/notes/file-input";
import type { UploadLimits } from "@/lib/files/contract";
import { Markdown } from "@/components/notes/markdown";
import { UploadProgress } from "@/components/notes/upload-progress";
import { useFileUpload } from "@/components/notes/use-file-upload";
import { Field, MarkdownLabel, TextAreaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Spinner } from "@/components/ui/spinner";
import type { ActionState } from "@/lib/actions/state";
import { DESCRIPTION_MAX, TITLE_MAX } from "@/lib/notes/schema";
import type { NoteView } from "@/lib/notes/view";

export type NoteChange =
  { type: "update"; id: number; title: string; description: string } | { type: "delete"; id: number };

/**
 * One note: read it, edit its title and description in place, replace or remove its file, delete it (with a
 * confirmation). Changes show at once (optimistic) and are rolled back with a message if the server refuses.
 */
export function NoteCard({
  note,
  limits,
  onOptimistic,
  headingLevel = 2,
  preview = false,
}: {
  note: NoteView;
  limits: UploadLimits;
  onOptimistic?: (change: NoteChange) => void;
  headingLevel?: 1 | 2;
  /** Show only the start of the description (in a list), with a link to the note's page. */
  preview?: boolean;
}) {
  const [mode, setMode] = useState<"view" | "edit" | "confirm-delete" | "replace-file">("view");
  const [state, setState] = useState<ActionState>({ ok: true });
  const [pending, startTransition] = useTransition();
  const editButton = useRef<HTMLButtonElement>(null);
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const headingId = `note-${note.id}-title`;

  function act(run: () => Promise<ActionState>, optimistic?: NoteChange, after?: () => void) {
    startTransition(async () => {
      if (optimistic) onOptimistic?.(optimistic);
      const result = await run();
      setState(result);
      if (result.ok) after?.();
    });
  }

  return (
    <article className="card p-4 sm:p-5" aria-labelledby={headingId}>
      {mode === "edit" ? (
        <form
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            const input = {
              title: String(form.get("title") ?? ""),
              description: String(form.get("description") ?? ""),
            };
            act(
              () => updateNoteTextAction(note.id, input),
              { type: "update", id: note.id, ...input },
              () => {
                setMode("view");
                requestAnimationFrame(() => editButton.current?.focus());
              },
            );
          }}
        >
          <h2 id={headingId} className="sr-only">
            Editing {note.title}
          </h2>
          <FormMessage message={state.message} />
          <Field
            id={`title-${note.id}`}
            label="Title"
            name="title"
            defaultValue={state.values?.title ?? note.title}
            maxLength={TITLE_MAX}
            required
            autoFocus
            error={state.fieldErrors?.title}
          />
          <TextAreaField
            id={`description-${note.id}`}
            label={<MarkdownLabel>Description</MarkdownLabel>}
            name="description"
            rows={6}
            defaultValue={state.values?.description ?? note.description}
            maxLength={DESCRIPTION_MAX}
            error={state.fieldErrors?.description}
          />
          <div className="flex justify-end gap-2">
            <button
              type="button"
              className="btn-ghost"
              onClick={() => (setMode("view"), setState({ ok: true }))}
              disabled={pending}
            >
              Cancel
            </button>
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
      ) : (
        <>
          <header className="flex items-start justify-between gap-3">
            <div className="min-w-0">
              <Heading
                id={headingId}
                className="text-lg font-semibold leading-snug tracking-tight [overflow-wrap:anywhere]"
              >
                {headingLevel === 2 ? (
                  <Link href={`/n/${note.id}`} className="rounded hover:underline">
                    {note.title}
                  </Link>
                ) : (
                  note.title
                )}
              </Heading>
              <p className="mt-0.5 text-xs text-stone-500 dark:text-stone-400">
                <time dateTime={note.createdAt}>{note.createdLabel}</time>
              </p>
            </div>
            <div className="flex shrink-0 flex-wrap justify-end gap-1">
              <NoteOrganiseMenu note={note} from={headingLevel === 1 ? "note" : "list"} />
              <button ref={editButton} type="button" className="btn-ghost px-2.5" onClick={() => setMode("edit")}>
                Edit<span className="sr-only"> {note.title}</span>
              </button>
              <button
                type="button"
                className="btn-ghost px-2.5 text-red-700 dark:text-red-400"
                onClick={() => setMode("confirm-delete")}
              >
                Delete<span className="sr-only"> {note.title}</span>
              </button>
            </div>
          </header>
          {state.message ? (
            <div className="mt-3">
              <FormMessage message={state.message} />
            </div>
          ) : null}
          {note.description ? (
            <div className="mt-3">
              <Markdown preview={preview} moreHref={`/n/${note.id}`}>
                {note.description}
              </Markdown>
            </div>
          ) : null}
          {mode === "confirm-delete" ? (
            <div
              role="alertdialog"
              aria-labelledby={`${headingId}-confirm`}
              className="mt-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 p-3 dark:border-red-900 dark:bg-red-950/40"
            >
              <p id={`${headingId}-confirm`} className="text-sm text-red-900 dark:text-red-200">
                Delete this note{note.file ? " and its file" : ""}? This cannot be undone.
              </p>
              <div className="flex gap-2">
                <button
                  type="button"
                  className="btn-secondary"
                  onClick={() => setMode("view")}
                  autoFocus
                  disabled={pending}
                >
                  Keep it
                </button>
                <button
                  type="button"
                  className="btn-danger"
                  disabled={pending}
                  onClick={() => act(() => deleteNoteAction(note.id), { type: "delete", id: note.id })}
                >
                  {pending ? <Spinner /> : null} Delete note
                </button>
              </div>
            </div>
          ) : null}
          <FileSection note={note} limits={limits} mode={mode} setMode={setMode} act={act} pending={pending} />
        </>
      )}
    </article>
  );
}

function FileSection({
  note,
  limits,
  mode,
  setMode,
  act,
  pending,
}: {
  note: NoteView;
  limits: UploadLimits;
  mode: string;
  setMode: (m: "view" | "replace-file") => void;
  act: (run: () => Promise<ActionState>, optimistic?: NoteChange, after?: () => void) => void;
  pending: boolean;
}) {
  const uploader = useFileUpload();
  const [error, setError] = useState<string | undefined>();
  const [uploading, setUploading] = useState<File | null>(null);

  async function replaceWith(file: File) {
    setUploading(file);
    const result = await uploader.upload(file);
    setUploading(null);
    if ("error" in result) {
      if (!result.cancelled) setError(result.error);
      return;
    }
    act(
      () => attachFileAction(note.id, result.key),
      undefined,
      () => setMode("view"),
    );
  }

  return (
    <div className="mt-4 space-y-3">
      {note.file ? <FileBlock file={note.file} /> : null}
      {uploading ? (
        <UploadProgress progress={uploader.progress} onCancel={uploader.cancel} fileName={uploading.name} />
      ) : mode === "replace-file" ? (
        <div className="rounded-lg border border-dashed border-stone-300 p-3 dark:border-stone-700">
          <FileInput
            label={note.file ? "Replace the file with" : "Attach a file"}
            limits={limits}
            error={error}
            disabled={pending}
            onChange={(file, refusal) => {
              setError(refusal ?? undefined);
              if (file && !refusal) void replaceWith(file);
            }}
          />
          <div className="mt-2 flex justify-end">
            <button type="button" className="btn-ghost" onClick={() => (setMode("view"), setError(undefined))}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          <button type="button" className="btn-secondary" onClick={() => setMode("replace-file")} disabled={pending}>
            {note.file ? "Replace file" : "Attach file"}
          </button>
          {note.file ? (
            <button
              type="button"
              className="btn-ghost"
              disabled={pending}
              onClick={() => act(() => removeFileAction(note.id))}
            >
              Remove file
            </button>
          ) : null}
        </div>
      )}
    </div>
  );
}
