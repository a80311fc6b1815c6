"use client";

import { useEffect } from "react";
import { dismissToast, undo, UNDO_MS, useToast } from "@/components/undo/undo-store";

/** "Note deleted · Undo": announced politely, at the bottom of the screen, above a phone's home bar. */
export function UndoToast() {
  const toast = useToast();
  useEffect(() => {
    if (!toast || toast.undoable) return;
    const t = setTimeout(dismissToast, UNDO_MS * 2);
    return () => clearTimeout(t);
  }, [toast]);
  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-30 flex justify-center px-4 pb-[max(1rem,env(safe-area-inset-bottom))]"
    >
      {toast ? (
        <div className="pointer-events-auto flex items-center gap-4 rounded-lg bg-stone-900 px-4 py-3 text-sm text-white shadow-lg dark:bg-stone-100 dark:text-stone-900">
          <span>{toast.message}</span>
          {toast.undoable ? (
            <button
              type="button"
              className="font-semibold text-brand-300 underline-offset-2 hover:underline dark:text-brand-700"
              onClick={() => undo(toast.key)}
            >
              Undo
            </button>
          ) : (
            <button type="button" className="font-semibold underline-offset-2 hover:underline" onClick={dismissToast}>
              Dismiss
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}
