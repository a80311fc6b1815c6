"use client";

import { useSyncExternalStore } from "react";

/**
 * Deletions that can be undone: the thing disappears at once, a toast offers Undo, and the server is asked only
 * when the window has passed. Nothing is deleted if the tab closes first (the safe side). Module state, so that
 * a pending deletion survives navigating between pages of the app.
 */

export const UNDO_MS = 6_000;

export interface Undoable {
  /** What is hidden meanwhile, e.g. "note:12" or "file:12". */
  key: string;
  message: string;
  /** Runs after the window; answers an error message, or undefined when done. */
  commit: () => Promise<string | undefined>;
}

interface Entry extends Undoable {
  timer: ReturnType<typeof setTimeout>;
}

export interface Toast {
  key: string;
  message: string;
  /** Offers Undo (false: an error report). */
  undoable: boolean;
}

let pending: Entry[] = [];
let toast: Toast | null = null;
let hidden: ReadonlySet<string> = new Set(); // Committed deletions stay hidden: the refreshed page no longer has them anyway.
const hiddenAfterCommit = new Set<string>();
const listeners = new Set<() => void>();

function emit() {
  hidden = new Set([...pending.map((p) => p.key), ...hiddenAfterCommit]);
  for (const l of listeners) l();
}

export function scheduleUndoable(item: Undoable): void {
  cancel(item.key);
  const timer = setTimeout(() => void commit(item.key), UNDO_MS);
  pending = [...pending, { ...item, timer }];
  toast = { key: item.key, message: item.message, undoable: true };
  emit();
}

export function undo(key: string): void {
  cancel(key);
  if (toast?.key === key) toast = null;
  emit();
}

export function dismissToast(): void {
  toast = null;
  emit();
}

function cancel(key: string) {
  const entry = pending.find((p) => p.key === key);
  if (entry) clearTimeout(entry.timer);
  pending = pending.filter((p) => p.key !== key);
}

async function commit(key: string) {
  const entry = pending.find((p) => p.key === key);
  if (!entry) return;
  if (toast?.key === key) toast = null;
  emit();
  let error: string | undefined;
  try {
    error = await entry.commit();
  } catch {
    error = "The server could not be reached.";
  }
  pending = pending.filter((p) => p !== entry);
  if (error) toast = { key, message: `${entry.message}, but not on the server: ${error}`, undoable: false };
  // Hidden until the page shows the server's state (the action revalidates it); shown again if it failed.
  if (!error) hiddenAfterCommit.add(key);
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether `key` is deleted (pending in its undo window, or committed). */
export function useHidden(key: string): boolean {
  return useSyncExternalStore(
    subscribe,
    () => hidden.has(key),
    () => false,
  );
}

const none: ReadonlySet<string> = new Set();

/** Every hidden key (for lists). */
export function useHiddenKeys(): ReadonlySet<string> {
  return useSyncExternalStore(
    subscribe,
    () => hidden,
    () => none,
  );
}

export function useToast(): Toast | null {
  return useSyncExternalStore(
    subscribe,
    () => toast,
    () => null,
  );
}
