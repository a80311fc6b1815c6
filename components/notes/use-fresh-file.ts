"use client";

import { useRef, useState } from "react";
import { renewFileLinksAction } from "@/app/list-actions";
import type { FileView } from "@/lib/notes/view";

/**
 * A note's file links, renewed when they have expired (a tab left open longer than presigned URLs live):
 * `fresh()` answers links that work now, asking the server for new ones only when needed.
 */
export function useFreshFile(noteId: number, file: FileView | null) {
  // Renewed links belong to the file they renewed: new props from the server (a refresh) replace them.
  const [renewed, setRenewed] = useState<{ of: FileView; file: FileView } | null>(null);
  const current = file && renewed?.of === file ? renewed.file : file;
  const renewing = useRef<Promise<FileView | null> | null>(null);

  function fresh(force = false): Promise<FileView | null> {
    if (!current) return Promise.resolve(null);
    if (!force && Date.now() < current.expiresAt) return Promise.resolve(current);
    renewing.current ??= renewFileLinksAction(noteId)
      .then((result) => (result.ok ? result.file : null))
      .catch(() => null)
      .then((renewed) => {
        renewing.current = null;
        if (renewed && file) setRenewed({ of: file, file: renewed });
        return renewed;
      });
    return renewing.current;
  }

  /** For a link's onClick: lets a live link be followed, or follows a renewed one instead. */
  function followFresh(pick: (f: FileView) => string, newTab = false) {
    return (event: React.MouseEvent<HTMLAnchorElement>) => {
      if (current && Date.now() < current.expiresAt) return;
      event.preventDefault();
      // A window opened now (not after the await) is not taken for a popup.
      const tab = newTab ? window.open("", "_blank") : null;
      void fresh().then((f) => {
        if (!f) return tab?.close();
        if (tab) {
          tab.opener = null;
          tab.location.href = pick(f);
        } else window.location.assign(pick(f));
      });
    };
  }

  return { file: current, fresh, followFresh };
}
