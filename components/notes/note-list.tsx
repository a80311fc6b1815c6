"use client";

import { useOptimistic } from "react";
import type { UploadLimits } from "@/lib/files/contract";
import { type NoteChange, NoteCard } from "@/components/notes/note-card";
import type { NoteView } from "@/lib/notes/view";

/** The notes of the current page, with edits and deletions shown before the server confirms them. */
export function NoteList({ notes, limits }: { notes: NoteView[]; limits: UploadLimits }) {
  const [shown, apply] = useOptimistic(notes, (current: NoteView[], change: NoteChange) =>
    change.type === "delete"
      ? current.filter((n) => n.id !== change.id)
      : current.map((n) => (n.id === change.id ? { ...n, title: change.title, description: change.description } : n)),
  );
  return (
    <ul className="space-y-4" aria-label="Notes">
      {shown.map((note) => (
        <li key={note.id}>
          <NoteCard note={note} limits={limits} onOptimistic={apply} preview />
        </li>
      ))}
    </ul>
  );
}
