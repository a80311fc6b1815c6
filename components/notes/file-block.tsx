"use client";

import { useRef, useState } from "react";
import { formatBytes } from "@/lib/files/policy";
import type { FileView } from "@/lib/notes/view";

type Follow = (pick: (f: FileView) => string, newTab?: boolean) => (e: React.MouseEvent<HTMLAnchorElement>) => void;

/**
 * A note's file: an image as a preview that opens a viewer, a PDF as a link that opens in a new tab, anything
 * else as a download. Expired links are renewed (useFreshFile) rather than left broken.
 */
export function FileBlock({
  file,
  fresh,
  followFresh,
}: {
  file: FileView;
  fresh: (force?: boolean) => Promise<FileView | null>;
  followFresh: Follow;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const retried = useRef<string | null>(null);
  const [opening, setOpening] = useState(false);

  // A preview that fails to load (its link expired) is asked again, once per link.
  const onImageError = () => {
    if (retried.current === file.url) return;
    retried.current = file.url;
    void fresh(true);
  };

  if (file.isImage) {
    return (
      <figure className="overflow-hidden rounded-lg border border-stone-200 bg-stone-100 dark:border-stone-800 dark:bg-stone-950">
        {/* A link to the image itself (works without JavaScript); with it, the viewer opens instead. */}
        <a
          href={file.url}
          target="_blank"
          rel="noopener noreferrer"
          className="block cursor-zoom-in"
          aria-busy={opening || undefined}
          onClick={async (event) => {
            event.preventDefault();
            setOpening(true);
            await fresh();
            setOpening(false);
            dialog.current?.showModal();
          }}
        >
          {/* eslint-disable-next-line @next/next/no-img-element -- presigned S3 URLs: nothing for next/image to optimise */}
          <img
            src={file.url}
            alt={`Preview of ${file.name}`}
            className="aspect-video w-full object-contain"
            loading="lazy"
            decoding="async"
            onError={onImageError}
          />
        </a>
        <figcaption className="flex items-center justify-between gap-2 px-3 py-2 text-xs text-stone-600 dark:text-stone-400">
          <span className="truncate">{file.name}</span>
          <span className="shrink-0">{formatBytes(file.size)}</span>
        </figcaption>
        <dialog
          ref={dialog}
          aria-label={file.name}
          className="m-auto max-h-[95dvh] max-w-[95vw] rounded-xl bg-white p-0 text-stone-900 backdrop:bg-black/70 dark:bg-stone-900 dark:text-stone-100"
          onClick={(event) => event.target === dialog.current && dialog.current?.close()}
        >
          {/* eslint-disable-next-line @next/next/no-img-element -- as above */}
          <img src={file.url} alt={file.name} className="max-h-[80dvh] max-w-full object-contain" />
          <div className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
            <span className="min-w-0 truncate">{file.name}</span>
            <div className="flex shrink-0 gap-2">
              <a className="btn-secondary" href={file.downloadUrl} onClick={followFresh((f) => f.downloadUrl)}>
                Download
              </a>
              <button type="button" className="btn-primary" onClick={() => dialog.current?.close()} autoFocus>
                Close
              </button>
            </div>
          </div>
        </dialog>
      </figure>
    );
  }
  const pdf = file.isPdf;
  return (
    <a
      href={pdf ? file.url : file.downloadUrl}
      className="flex items-center gap-3 rounded-lg border border-stone-200 px-3 py-2.5 text-sm hover:bg-stone-50 dark:border-stone-800 dark:hover:bg-stone-800/50"
      {...(pdf ? { target: "_blank", rel: "noopener noreferrer" } : {})}
      onClick={followFresh((f) => (pdf ? f.url : f.downloadUrl), pdf)}
    >
      <svg
        viewBox="0 0 24 24"
        className="size-5 shrink-0 text-stone-500"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        aria-hidden="true"
      >
        <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
        <path d="M14 3v5h5M12 12v6M9.5 15.5 12 18l2.5-2.5" />
      </svg>
      <span className="min-w-0 flex-1 truncate font-medium">{file.name}</span>
      <span className="shrink-0 text-stone-500 dark:text-stone-400">{formatBytes(file.size)}</span>
      <span className="sr-only">{pdf ? "(opens in a new tab)" : "Download"}</span>
    </a>
  );
}
