import Link from "next/link";
import type { NoteSort } from "@/lib/notes/schema";

const LABELS: Record<NoteSort, string> = {
  newest: "Newest",
  oldest: "Oldest",
  edited: "Recently edited",
  title: "Title",
};

/** The sort orders as links (no script needed; the URL keeps the search). */
export function SortNav({ sort, q }: { sort: NoteSort; q?: string }) {
  return (
    <nav aria-label="Sort notes" className="flex flex-wrap items-center gap-1 text-sm">
      <span className="text-stone-600 dark:text-stone-400">Sort:</span>
      {(Object.keys(LABELS) as NoteSort[]).map((s) => (
        <Link
          key={s}
          href={`/?${new URLSearchParams({ ...(q ? { q } : {}), ...(s === "newest" ? {} : { sort: s }) })}`}
          aria-current={s === sort ? "true" : undefined}
          className="rounded px-2 py-0.5 hover:bg-stone-100 aria-[current=true]:bg-stone-200 aria-[current=true]:font-semibold dark:hover:bg-stone-900 dark:aria-[current=true]:bg-stone-800"
        >
          {LABELS[s]}
        </Link>
      ))}
    </nav>
  );
}
