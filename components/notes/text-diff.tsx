import type { DiffPart } from "@/lib/notes/diff";

/**
 * A diff as text with its changes marked up: <ins> underlined and <del> struck through (not colour alone),
 * each announced to screen readers as added or removed.
 */
export function TextDiff({ parts, label }: { parts: DiffPart[]; label: string }) {
  return (
    <div
      aria-label={label}
      role="group"
      className="rounded border border-stone-200 bg-white p-3 font-mono text-sm break-words whitespace-pre-wrap dark:border-stone-700 dark:bg-stone-950"
    >
      {parts.length === 0 ? <span className="text-stone-500 italic">(empty)</span> : null}
      {parts.map((part, i) =>
        part.kind === "added" ? (
          <ins
            key={i}
            className="bg-green-100 text-green-900 underline decoration-2 dark:bg-green-950 dark:text-green-100"
          >
            <span className="sr-only">[added: </span>
            {part.text}
            <span className="sr-only">]</span>
          </ins>
        ) : part.kind === "removed" ? (
          <del key={i} className="bg-red-100 text-red-900 line-through decoration-2 dark:bg-red-950 dark:text-red-100">
            <span className="sr-only">[removed: </span>
            {part.text}
            <span className="sr-only">]</span>
          </del>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </div>
  );
}
