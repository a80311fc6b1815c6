import "server-only";
import { pool } from "@/lib/db/pool";
import { encodeListCursor } from "@/lib/notes/cursor";
import { type ListOptions, listingStatement } from "@/lib/notes/list-sql";
import { type NoteRow, toNote } from "@/lib/notes/rows";
import type { Note } from "@/lib/notes/schema";
import { SEARCH_COUNT_CAP, SEARCH_TYPOS_BELOW } from "@/lib/notes/search";
import type { ListQuery } from "@/lib/notes/schema";

export type { ListOptions };

export interface Highlight {
  title: string;
  snippet: string;
}

export interface NotePage {
  notes: Note[];
  nextCursor: string | null;
  /** The number of matches of a text search, at most SEARCH_COUNT_CAP (null for a plain or filtered listing). */
  total: number | null;
  /** Whether a text search has more matches than `total` (the UI says "1,000+"). */
  totalCapped: boolean;
  /** Highlighted title and excerpt per note id, when asked for and searching text. */
  highlights: Map<number, Highlight>;
}

type Row = NoteRow & { fits: boolean; total?: string; hl_title?: string | null; hl_snippet?: string | null };

/**
 * The caller's notes, one page at a time: at most `query.limit` notes and, past the first, at most `maxBytes`
 * of titles and descriptions (a page then ends early, and its cursor continues it). Without search words:
 * pinned notes first, then in the chosen order, by keyset. With words: best matches first (full-text rank,
 * then similarity) among the newest matches (lib/notes/list-sql.ts), by offset, with the number of matches.
 */
export async function listNotes(userId: string, query: ListQuery, opts: ListOptions = {}): Promise<NotePage> {
  const statement = listingStatement(userId, query, opts);
  let { rows } = await pool().query<Row>({ name: statement.name, text: statement.text, values: statement.values });
  // Too few full-text matches (or none on this page, so uncounted): the search with similar words answers.
  if (statement.kind === "search" && statement.withTypos && !(Number(rows[0]?.total) >= SEARCH_TYPOS_BELOW)) {
    ({ rows } = await pool().query<Row>(statement.withTypos));
  }
  const kept = rows.filter((r) => r.fits).slice(0, query.limit);
  const notes = kept.map(toNote);
  const more = rows.length > notes.length && notes.length > 0;
  if (statement.kind === "list") {
    const last = notes.at(-1);
    const sort = statement.sort;
    const nextCursor =
      more && last
        ? encodeListCursor({
            kind: "keyset",
            sort,
            pinned: last.pinned,
            key: sort === "title" ? last.title : (sort === "edited" ? last.updatedAt : last.createdAt).toISOString(),
            id: last.id,
          })
        : null;
    return { notes, nextCursor, total: null, totalCapped: false, highlights: new Map() };
  }
  const highlights = new Map<number, Highlight>();
  if (opts.highlight) {
    for (const r of kept) highlights.set(r.id, { title: r.hl_title ?? r.title, snippet: r.hl_snippet ?? "" });
  }
  const counted = rows.length > 0 ? Number(rows[0]!.total) : statement.offset > 0 ? null : 0;
  const total = counted === null ? null : Math.min(counted, SEARCH_COUNT_CAP);
  const nextCursor = more ? encodeListCursor({ kind: "offset", offset: statement.offset + notes.length }) : null;
  return { notes, nextCursor, total, totalCapped: counted !== null && counted > SEARCH_COUNT_CAP, highlights };
}
