import Link from "next/link";
import { TagEdit } from "@/components/tags/tag-edit";
import type { TagCount } from "@/lib/notes/tag-service";

const href = (q: string) => `/?${new URLSearchParams({ q })}`;

function Tags({ tags, active }: { tags: TagCount[]; active?: string }) {
  return (
    <>
      <ul className="space-y-0.5 text-sm">
        <li>
          <Link href="/" className="block rounded px-2 py-1 hover:bg-stone-100 dark:hover:bg-stone-900">
            All notes
          </Link>
        </li>
        <li>
          <Link href={href("is:pinned")} className="block rounded px-2 py-1 hover:bg-stone-100 dark:hover:bg-stone-900">
            Pinned
          </Link>
        </li>
        <li>
          <Link
            href={href("is:archived")}
            className="block rounded px-2 py-1 hover:bg-stone-100 dark:hover:bg-stone-900"
          >
            Archive
          </Link>
        </li>
        <li>
          <Link href={href("in:trash")} className="block rounded px-2 py-1 hover:bg-stone-100 dark:hover:bg-stone-900">
            Trash
          </Link>
        </li>
      </ul>
      <h2 className="mt-4 px-2 text-xs font-semibold uppercase tracking-wide text-stone-600 dark:text-stone-400">
        Tags
      </h2>
      {tags.length === 0 ? (
        <p className="px-2 py-1 text-sm text-stone-600 dark:text-stone-400">Write #words in a note to tag it.</p>
      ) : (
        <ul className="mt-1 space-y-0.5 text-sm" aria-label="Tags">
          {tags.map(({ tag, count }) => (
            <li key={tag}>
              <div className="flex items-center gap-1">
                <Link
                  href={href(`tag:${tag}`)}
                  aria-current={active === tag ? "page" : undefined}
                  aria-label={`#${tag}, ${count} ${count === 1 ? "note" : "notes"}`}
                  className="flex min-w-0 flex-1 justify-between gap-2 rounded px-2 py-1 hover:bg-stone-100 aria-[current=page]:bg-brand-50 aria-[current=page]:font-semibold dark:hover:bg-stone-900 dark:aria-[current=page]:bg-stone-800"
                >
                  <span className="truncate">#{tag}</span>
                  <span className="text-stone-600 dark:text-stone-400">{count}</span>
                </Link>
              </div>
              {active === tag ? <TagEdit tag={tag} /> : null}
            </li>
          ))}
        </ul>
      )}
      {/* The search syntax, where a phone has room for it (a placeholder that long was cut off). */}
      <p className="mt-4 px-2 text-xs text-stone-600 dark:text-stone-400">
        Search also takes <code>tag:work</code>, <code>is:pinned</code>, <code>has:file</code>, <code>-word</code> and{" "}
        <code>&quot;a phrase&quot;</code>.
      </p>
    </>
  );
}

/**
 * The tag list with counts: a sidebar on wide screens, a disclosure above the notes on phones. Clicking a tag
 * filters (tag: in the search, so the URL is shareable); the active tag can be renamed or deleted.
 */
export function TagSidebar({ tags, active }: { tags: TagCount[]; active?: string }) {
  return (
    <>
      <nav aria-label="Filters and tags" className="hidden md:block">
        <div className="sticky top-20">
          <Tags tags={tags} active={active} />
        </div>
      </nav>
      <details className="card mb-4 px-3 py-2 md:hidden">
        <summary className="cursor-pointer text-sm font-medium">Filters and tags</summary>
        <nav aria-label="Filters and tags (phone)" className="mt-2">
          <Tags tags={tags} active={active} />
        </nav>
      </details>
    </>
  );
}
