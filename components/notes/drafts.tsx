"use client";

import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useEffectEvent,
  useMemo,
  useSyncExternalStore,
} from "react";

/**
 * Unsaved text kept in this browser (localStorage), per user and per note, so that a reload, a crash, Back or
 * a sign-in round trip loses nothing. A draft is removed only once the server confirmed its save.
 */

export interface Draft {
  title: string;
  description: string;
  /** The note version the edit started from (absent for a new note). */
  base?: string;
}

const ScopeContext = createContext<string | null>(null);

/** Names the signed-in user whose drafts the forms below read and write. */
export function DraftScope({ user, children }: { user: string; children: ReactNode }) {
  return <ScopeContext.Provider value={user}>{children}</ScopeContext.Provider>;
}

function storageKey(user: string, key: string) {
  return `cloudnotes:draft:${user}:${key}`;
}

function read(name: string): Draft | null {
  try {
    const raw = localStorage.getItem(name);
    const value = raw ? (JSON.parse(raw) as Partial<Draft>) : null;
    if (!value || typeof value.title !== "string" || typeof value.description !== "string") return null;
    return { title: value.title, description: value.description, base: value.base };
  } catch {
    return null; // storage disabled or a corrupt entry: no draft
  }
}

/** The draft of `key` ("new", or a note id): load, save as the person types, clear once saved. */
export function useDraft(key: string) {
  const user = useContext(ScopeContext);
  const name = user ? storageKey(user, key) : null;
  const load = useCallback(() => (name ? read(name) : null), [name]);
  const save = useCallback(
    (draft: Draft) => {
      if (!name) return;
      try {
        if (!draft.title && !draft.description) localStorage.removeItem(name);
        else localStorage.setItem(name, JSON.stringify(draft));
      } catch {
        // Storage full or disabled: the form still holds the text.
      }
    },
    [name],
  );
  const clear = useCallback(() => {
    try {
      if (name) localStorage.removeItem(name);
    } catch {}
  }, [name]);
  return useMemo(() => ({ load, save, clear }), [load, save, clear]);
}

const noSubscription = () => () => {};

/** False while rendering on the server and hydrating, true after: what needs JavaScript shows only then. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** Hands the saved draft, if any, to `restore` once the form is in the browser. */
export function useDraftRestore(draft: ReturnType<typeof useDraft>, restore: (saved: Draft) => void) {
  // Only when the draft's key changes: `restore` is a fresh closure on every render.
  const apply = useEffectEvent(restore);
  useEffect(() => {
    const saved = draft.load();
    if (saved) apply(saved);
  }, [draft]);
}

/** Asks before leaving the page while `dirty` (the browser shows its own wording). */
export function useLeaveWarning(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}
