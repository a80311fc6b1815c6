import { formatBytes } from "@/lib/files/policy";
import type { NoteView } from "@/lib/notes/view";

/** An image as a preview in a fixed-ratio frame (no layout shift while it loads), other files as a link. */
export function FileBlock({ file }: { file: NonNullable<NoteView["file"]> }) {
  if (file.isImage) {
    return (
      <figure className="overflow-hidden rounded-lg border border-stone-200 bg-stone-100 dark:border-stone-800 dark:bg-stone-950">
        <a href={file.url} target="_blank" rel="noopener noreferrer" className="block">
          {/* eslint-disable-next-line @next/next/no-img-element -- presigned S3 URLs: nothing for next/image to optimise */}
          <img
            src={file.url}
            alt={`Preview of ${file.name}`}
            className="aspect-video w-full object-contain"
            loading="lazy"
            decoding="async"
          />
        </a>
        <figcaption className="flex items-center justify-between gap-2 px-3 py-2 text-xs text-stone-600 dark:text-stone-400">
          <span className="truncate">{file.name}</span>
          <span className="shrink-0">{formatBytes(file.size)}</span>
        </figcaption>
      </figure>
    );
  }
  return (
    <a
      href={file.url}
      className="flex items-center gap-3 rounded-lg border border-stone-200 px-3 py-2.5 text-sm hover:bg-stone-50 dark:border-stone-800 dark:hover:bg-stone-800/50"
      download={file.name}
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
      <span className="sr-only">Download</span>
    </a>
  );
}
