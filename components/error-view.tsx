"use client";

import Link from "next/link";
import { useEffect, useSyncExternalStore } from "react";

function onConnectivity(change: () => void) {
  window.addEventListener("online", change);
  window.addEventListener("offline", change);
  return () => (window.removeEventListener("online", change), window.removeEventListener("offline", change));
}

/**
 * What a failed page shows instead of a blank or framework page: what happened in plain words, Try again, and
 * a way home. Unsaved note text is safe: the forms keep it in this browser.
 */
export function ErrorView({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const offline = useSyncExternalStore(
    onConnectivity,
    () => !navigator.onLine,
    () => false,
  );
  useEffect(() => console.error(error), [error]);
  return (
    <main
      id="main"
      className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 px-4 text-center"
    >
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-stone-600 dark:text-stone-400">
        {offline
          ? "You seem to be offline, so this page could not load."
          : "CloudNotes could not show this page. It may be a passing problem on our side."}{" "}
        Anything you were writing is kept on this device and comes back when you return to it.
      </p>
      {error.digest ? <p className="text-xs text-stone-500 dark:text-stone-400">Reference: {error.digest}</p> : null}
      <div className="flex gap-2">
        <button type="button" className="btn-primary" onClick={reset}>
          Try again
        </button>
        <Link href="/" className="btn-secondary">
          Back to your notes
        </Link>
      </div>
    </main>
  );
}
