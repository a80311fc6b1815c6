"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { attachFileAction, deleteNoteAction, removeFileAction } from "@/app/note-actions";
import { useDraft, useDraftRestore } from "@/components/notes/drafts";
import { NoteOrganiseMenu } from "@/components/notes/note-organise-menu";
import { FileBlock } from "@/components/notes/file-block";
import { FileInput } from "@/components/notes/file-input";
import { NoteBody } from "@/components/notes/note-body";
import { RelativeTime } from "@/components/notes/relative-time";
import type { UploadLimits } from "@/lib/files/contract";
import { NoteEditor } from "@/components/notes/note-editor";
import { UploadProgress } from "@/components/notes/upload-progress";
import { useFileUpload } from "@/components/notes/use-file-upload";
import { useFreshFile } from "@/components/notes/use-fresh-file";
import { scheduleUndoable, useHidden } from "@/components/undo/undo-store";
import { FormMessage } from "@/components/ui/form-message";
import { Menu } from "@/components/ui/menu";
import type { ActionState } from "@/lib/actions/state";
import { noteHref } from "@/lib/notes/list-link";
import type { FileView, NoteView } from "@/lib/notes/view";

export type NoteChange =
  { type: "update"; id: number; title: string; description: string } | { type: "delete"; id: number };

/**
 * One note: read it (dates relative, checklists tickable), edit its title and description in place; its file
 * and the note itself are handled from a menu, and removing either can be undone for a few seconds. Edits show
 * at once (optimistic) and are rolled back with a message if the server refuses.
 */
export function NoteCard({
  note,
  limits,
  onOptimistic,
  headingLevel = 2,
  preview = false,
  editing = false,
  backHref,
  fromList,
}: {
  note: NoteView;
  limits: UploadLimits;
  onOptimistic?: (change: NoteChange) => void;
  headingLevel?: 1 | 2;
  /** Show only the start of the description (in a list), with a link to the note's page. */
  preview?: boolean;
  /** Open in the editor (the note page's ?edit, the way to edit without JavaScript). */
  editing?: boolean;
  /** Where the note's own page goes back to (after a deletion). */
  backHref?: string;
  /** The list this card is shown in (its search and page), remembered by the note's link. */
  fromList?: string;
}) {
  const [mode, setMode] = useState<"view" | "edit" | "replace-file">(editing ? "edit" : "view");
  const draft = useDraft(`note:${note.id}`);
  // An edit left unsaved (reload, crash, Back, sign-in) reopens the editor with its draft.
  useDraftRestore(draft, () => setMode("edit"));
  const [state, setState] = useState<ActionState>({ ok: true });
  const [pending, startTransition] = useTransition();
  const editButton = useRef<HTMLAnchorElement>(null);
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const headingId = `note-${note.id}-title`;
  const router = useRouter();
  const fileRemoved = useHidden(`file:${note.id}`);
  const links = useFreshFile(note.id, note.file);
  const { fresh, followFresh } = links;
  const file = fileRemoved ? null : links.file;

  // Deleting and removing a file wait out the undo window (components/undo) before reaching the server.
  function deleteNote() {
    scheduleUndoable({
      key: `note:${note.id}`,
      message: "Note deleted",
      commit: async () => (await deleteNoteAction(note.id)).message,
    });
    if (headingLevel === 1) router.push(backHref ?? "/");
  }
  function removeFile() {
    scheduleUndoable({
      key: `file:${note.id}`,
      message: "File removed",
      commit: async () => (await removeFileAction(note.id)).message,
    });
  }

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
        <NoteEditor
          note={note}
          headingId={headingId}
          limits={limits}
          onOptimistic={onOptimistic}
          onClose={(saved) => {
            setMode("view");
            if (saved) requestAnimationFrame(() => editButton.current?.focus());
          }}
        />
      ) : (
        <>
          <header className="flex items-start justify-between gap-3">
            <div className="min-w-0 flex-1">
              <Heading
                id={headingId}
                className="text-lg font-semibold leading-snug tracking-tight [overflow-wrap:anywhere]"
              >
                {headingLevel === 2 ? (
                  <Link href={noteHref(note.id, fromList)} className="rounded hover:underline">
                    {note.title}
                  </Link>
                ) : (
                  note.title
                )}
              </Heading>
              <NoteDates note={note} />
            </div>
            <div className="flex shrink-0 flex-wrap justify-end gap-1">
              {/* A link to the note's editor page without JavaScript; with it, a button that edits in place. */}
              <a
                ref={editButton}
                role="button"
                href={`/n/${note.id}?edit=1`}
                className="btn-ghost px-2.5"
                onClick={(event) => (event.preventDefault(), setMode("edit"))}
                onKeyDown={(event) => {
                  if (event.key !== " ") return;
                  event.preventDefault();
                  setMode("edit");
                }}
              >
                Edit<span className="sr-only"> {note.title}</span>
              </a>
              <Menu
                label={`More actions for ${note.title}`}
                items={[
                  ...(file
                    ? [
                        {
                          label: "Download file",
                          href: file.downloadUrl,
                          onLinkClick: followFresh((f) => f.downloadUrl),
                        },
                        { label: "Replace file", onSelect: () => setMode("replace-file") },
                        { label: "Remove file", onSelect: removeFile },
                      ]
                    : [{ label: "Attach file", onSelect: () => setMode("replace-file") }]),
                  { label: "Delete note", onSelect: deleteNote, danger: true },
                ]}
              />
            </div>
          </header>
          {state.message ? (
            <div className="mt-3">
              <FormMessage message={state.message} />
            </div>
          ) : null}
          {note.description ? (
            <div className="mt-3">
              <NoteBody note={note} clamp={preview} href={noteHref(note.id, fromList)} />
            </div>
          ) : null}
          <FileSection
            note={note}
            file={file}
            fresh={fresh}
            followFresh={followFresh}
            limits={limits}
            mode={mode}
            setMode={setMode}
            act={act}
            pending={pending}
          />
          {/* Below the text, so that the title keeps the card's width (in the grid and on phones). */}
          <footer className="mt-3 flex justify-end">
            <NoteOrganiseMenu note={note} from={headingLevel === 1 ? "note" : "list"} />
          </footer>
        </>
      )}
    </article>
  );
}

function FileSection({
  note,
  file,
  fresh,
  followFresh,
  limits,
  mode,
  setMode,
  act,
  pending,
}: {
  note: NoteView;
  file: FileView | null;
  fresh: (force?: boolean) => Promise<FileView | null>;
  followFresh: Parameters<typeof FileBlock>[0]["followFresh"];
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

  if (!file && !uploading && mode !== "replace-file") return null;
  return (
    <div className="mt-4 space-y-3">
      {file ? <FileBlock file={file} fresh={fresh} followFresh={followFresh} /> : null}
      {uploading ? (
        <UploadProgress progress={uploader.progress} onCancel={uploader.cancel} fileName={uploading.name} />
      ) : mode === "replace-file" ? (
        <div className="rounded-lg border border-dashed border-stone-300 p-3 dark:border-stone-700">
          <FileInput
            label={file ? "Replace the file with" : "Attach a file"}
            limits={limits}
            error={error}
            disabled={pending}
            onChange={(chosen, refusal) => {
              setError(refusal ?? undefined);
              if (chosen && !refusal) void replaceWith(chosen);
            }}
          />
          <div className="mt-2 flex justify-end">
            <button type="button" className="btn-ghost" onClick={() => (setMode("view"), setError(undefined))}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** When the note was written, relative, and whether it was edited since. */
function NoteDates({ note }: { note: NoteView }) {
  return (
    <p className="mt-0.5 text-xs text-stone-500 dark:text-stone-400">
      <RelativeTime iso={note.createdAt} label={note.createdLabel} />
      {note.edited ? (
        <>
          {" · "}
          <span>
            edited <RelativeTime iso={note.updatedAt} label={note.updatedLabel} />
          </span>
        </>
      ) : null}
    </p>
  );
}
