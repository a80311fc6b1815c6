"use client";

import { useActionState } from "react";
import { deleteTagAction, renameTagAction, type TagActionState } from "@/app/organise-actions";

/** Rename or delete one tag across every note (the forms work without JavaScript too). */
export function TagEdit({ tag }: { tag: string }) {
  const [state, rename, pending] = useActionState<TagActionState, FormData>(renameTagAction, { ok: true });
  const inputId = `rename-${tag}`;
  return (
    <div className="mt-2 space-y-2 rounded-lg border border-stone-200 p-2 dark:border-stone-800">
      <form action={rename} className="space-y-1">
        <input type="hidden" name="tag" value={tag} />
        <label htmlFor={inputId} className="block text-xs font-medium">
          Rename #{tag}
        </label>
        <div className="flex gap-1">
          <input id={inputId} name="name" defaultValue={tag} className="field py-1 text-sm" required maxLength={100} />
          <button type="submit" className="btn-secondary px-2 py-1 text-sm" disabled={pending}>
            Rename
          </button>
        </div>
        {state.message ? (
          <p role="alert" className="text-xs text-red-700 dark:text-red-400">
            {state.message}
          </p>
        ) : null}
      </form>
      <form action={deleteTagAction}>
        <input type="hidden" name="tag" value={tag} />
        <button type="submit" className="text-xs font-medium text-red-700 hover:underline dark:text-red-400">
          Delete #{tag} from every note
        </button>
      </form>
    </div>
  );
}
