"use client";

import { useState, useTransition } from "react";
import { updateNoteTextAction } from "@/app/note-actions";
import type { NoteChange } from "@/components/notes/note-card";
import { Field, MarkdownLabel, TextAreaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { Spinner } from "@/components/ui/spinner";
import type { ActionState } from "@/lib/actions/state";
import { DESCRIPTION_MAX, TITLE_MAX } from "@/lib/notes/schema";
import type { NoteView } from "@/lib/notes/view";

/** Edits a note's title and description in place; `onClose(saved)` returns the card to its view. */
export function NoteEditor({
  note,
  headingId,
  onOptimistic,
  onClose,
}: {
  note: NoteView;
  headingId: string;
  onOptimistic?: (change: NoteChange) => void;
  onClose: (saved: boolean) => void;
}) {
  const [state, setState] = useState<ActionState>({ ok: true });
  const [pending, startTransition] = useTransition();

  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const input = {
          title: String(form.get("title") ?? ""),
          description: String(form.get("description") ?? ""),
        };
        startTransition(async () => {
          onOptimistic?.({ type: "update", id: note.id, ...input });
          const result = await updateNoteTextAction(note.id, input);
          setState(result);
          if (result.ok) onClose(true);
        });
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
        <button type="button" className="btn-ghost" onClick={() => onClose(false)} disabled={pending}>
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
  );
}
