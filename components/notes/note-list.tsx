"use client";

import { useOptimistic, useState, useTransition } from "react";
import { setNotesLayoutAction } from "@/app/list-actions";
import type { UploadLimits } from "@/lib/files/contract";
import { type NoteChange, NoteCard } from "@/components/notes/note-card";
import { useHiddenKeys } from "@/components/undo/undo-store";
import type { NoteView } from "@/lib/notes/view";

export type NotesLayout = "list" | "grid";

/**
 * The notes of the current page, as a list or a grid (the choice is kept with the account), with edits shown
 * before the server confirms them and deleted notes hidden during their undo window.
 */
export function NoteList({
  notes,
  limits,
  layout: initialLayout,
  fromList,
}: {
  notes: NoteView[];
  limits: UploadLimits;
  layout: NotesLayout;
  /** The list's search and page, for the notes' "All notes" link (lib/notes/list-link.ts). */
  fromList?: string;
}) {
  const [shown, apply] = useOptimistic(notes, (current: NoteView[], change: NoteChange) =>
    change.type === "delete"
      ? current.filter((n) => n.id !== change.id)
      : current.map((n) => (n.id === change.id ? { ...n, title: change.title, description: change.description } : n)),
  );
  const hidden = useHiddenKeys();
  const [layout, setLayout] = useState(initialLayout);
  const [, startTransition] = useTransition();
  const grid = layout === "grid";

  function choose(next: NotesLayout) {
    setLayout(next);
    startTransition(async () => void (await setNotesLayoutAction(next)));
  }

  return (
    <>
      <div className="flex justify-end" role="group" aria-label="Layout">
        {(["list", "grid"] as const).map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={layout === option}
            className={`px-3 py-1.5 text-sm font-medium first:rounded-l-lg last:rounded-r-lg border border-stone-300 dark:border-stone-700 ${
              layout === option
                ? "bg-stone-200 text-stone-900 dark:bg-stone-800 dark:text-stone-100"
                : "text-stone-600 hover:bg-stone-100 dark:text-stone-400 dark:hover:bg-stone-900"
            }`}
            onClick={() => choose(option)}
          >
            {option === "list" ? "List" : "Grid"}
          </button>
        ))}
      </div>
      <ul
        className={grid ? "grid items-start gap-4 sm:grid-cols-2" : "space-y-4"}
        aria-label="Notes"
        data-layout={layout}
      >
        {shown
          .filter((note) => !hidden.has(`note:${note.id}`))
          .map((note) => (
            <li key={note.id}>
              <NoteCard note={note} limits={limits} onOptimistic={apply} preview fromList={fromList} />
            </li>
          ))}
      </ul>
    </>
  );
}
