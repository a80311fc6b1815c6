"use client";

import { usePathname } from "next/navigation";

/** Shown when a save found the session ended: sign in, then come back here, where the draft waits. */
export function SignedOutNotice({ message }: { message?: string }) {
  const path = usePathname();
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p>{message}</p>
      <a className="btn-primary" href={`/signin?callbackUrl=${encodeURIComponent(path)}`}>
        Sign in again
      </a>
    </div>
  );
}
