import { createHash } from "node:crypto";
import { validationError } from "@/lib/errors";
import { decodeListCursor, type ListPosition } from "@/lib/notes/cursor";
import { pendingNotes } from "@/lib/notes/inbox-sql";
import { MARK_END, MARK_START } from "@/lib/notes/marks";
import { hasSearchText, type NoteFilters, type ParsedQuery, parseQuery } from "@/lib/notes/query";
import { NOTE_COLUMNS } from "@/lib/notes/rows";
import { markdownText } from "@/lib/notes/snippet-sql";
import { SEARCH_COUNT_CAP, SEARCH_RANK_WINDOW, SEARCH_SIMILAR_WORDS, SEARCH_TYPOS_BELOW } from "@/lib/notes/search";
import { filtersOfQuery, LIST_PAGE_MAX_BYTES, type ListQuery, type NoteSort } from "@/lib/notes/schema";

/**
 * The SQL of a listing or a search, built from its query (no I/O here: lib/notes/list.ts runs it, and the
 * scale benchmark EXPLAINs exactly what the app sends).
 */

export interface ListOptions {
  maxBytes?: number;
  /** Whether archived notes appear without `is:archived`: the REST API lists every live note, the UI hides them. */
  archived?: "include" | "exclude";
  highlight?: boolean;
}

/**
 * `name` is set when one plan serves every value (a plain listing: the owner and the position change, the
 * plan does not): PostgreSQL then plans it once per connection. Filters and searches stay unnamed, planned
 * for their values (a rare tag or word wants an index, a common one a walk of the owner's newest notes).
 */
export type ListingStatement =
  | { kind: "list"; text: string; values: unknown[]; sort: NoteSort; name?: string }
  | {
      kind: "search";
      text: string;
      values: unknown[];
      offset: number;
      name?: undefined;
      /**
       * The same search with similar words (typos), when a word is long enough for them; `text` is the search
       * without them, a smaller plan. lib/notes/list.ts sends this one when `text` counts too few matches.
       */
      withTypos?: { text: string; values: unknown[] };
    };

const ORDER: Record<NoteSort, { column: string; dir: "ASC" | "DESC" }> = {
  newest: { column: "created_at", dir: "DESC" },
  oldest: { column: "created_at", dir: "ASC" },
  edited: { column: "updated_at", dir: "DESC" },
  title: { column: "title", dir: "ASC" },
};

const names = new Map<string, string>();

/**
 * A prepared statement's name per distinct text (a few dozen: sorts × flags × first page or not), derived from
 * the text so that a reloaded module (development) never gives a pooled connection one name for two texts.
 */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `list_notes_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/** Collects positional parameters. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The conditions every listing and search shares: the owner, trash or not, and the filters (the tag's unless
 * the rows come from the tag's notes already, `tagScoped`: its note_tags range, or a search's read of the tag).
 */
function filterConditions(
  p: Params,
  userId: string,
  f: NoteFilters,
  q: ParsedQuery,
  opts: ListOptions,
  tagScoped = false,
): string[] {
  const where = [`owner_id = ${p.add(userId)}`, f.trash ? "deleted_at IS NOT NULL" : "deleted_at IS NULL"];
  if (f.archived) where.push("archived");
  else if (opts.archived === "exclude" && !f.trash) where.push("NOT archived");
  if (f.pinned) where.push("pinned");
  if (f.tag && !tagScoped) where.push(`tags @> ARRAY[${p.add(f.tag)}]::text[]`);
  if (f.hasFile) where.push("file_key IS NOT NULL");
  if (f.hasImage) where.push("content_type LIKE 'image/%'");
  if (f.before) where.push(`created_at < ${p.add(f.before)}`);
  if (f.after) where.push(`created_at >= ${p.add(f.after)}`);
  for (const word of q.excluded) {
    where.push(`NOT (search_vector @@ plainto_tsquery('english', ${p.add(word)}))`);
  }
  return where;
}

/**
 * The owner's live notes with a tag, read through note_tags (a range of its key per pinned flag, in created_at
 * and id order): a page of a tag in the default order costs its page, not every note with the tag. Its key
 * columns stand in for the note's (the triggers keep them equal), so that the order and the keyset cursor are
 * conditions on that key; the other columns are the note's, fetched by id. The notes not yet folded into
 * note_tags are a second source, read from the inbox. Each is used as `notes`: the other conditions of the
 * listing then apply to these rows as to the table's.
 */
function tagSources(p: Params, userId: string, tag: string): string[] {
  const owner = p.add(userId);
  const name = p.add(tag);
  return [
    `(SELECT t.note_id AS id, t.owner_id, t.pinned, t.created_at, n.title, n.description, n.file_key, n.file_name,
             n.file_size, n.content_type, n.updated_at, n.tags, n.archived, n.deleted_at, n.search_vector,
             n.name_words
        FROM note_tags AS t JOIN notes AS n ON n.id = t.note_id
       WHERE t.owner_id = ${owner} AND t.tag = ${name}) AS notes`,
    `(SELECT * FROM ${pendingNotes(owner)} AS n WHERE tags @> ARRAY[${name}]::text[]) AS notes`,
  ];
}

/** What a listing reads: the table, or the tag's notes when it filters live notes by a tag. */
function sources(p: Params, userId: string, f: NoteFilters): string[] {
  return f.tag && !f.trash ? tagSources(p, userId, f.tag) : ["notes"];
}

/**
 * The tsquery of one search word: the word as a prefix and, since the index holds stems ("planning" is stored
 * as `plan`), for words of four letters and more the stem of the word as if it went on (`plann` + "ing" →
 * `plan`), so that a prefix longer than the stem of the words it begins still finds and highlights them. A stop
 * word stays an empty query.
 */
function wordQuery(p: Params, word: string): { prefix: string; query: string } {
  const w = p.add(word);
  const prefix = `to_tsquery('english', quote_literal(${w}::text) || ':*')`;
  if ([...word].length < 4) return { prefix, query: prefix };
  const query = `(CASE WHEN numnode(${prefix}) = 0 THEN ${prefix}
                       ELSE ${prefix} || to_tsquery('english', quote_literal(${w}::text || 'ing')) END)`;
  return { prefix, query };
}

/** The tsquery of every word (as a prefix) and phrase of a search, for ranking and highlighting. */
function fullQuery(p: Params, q: ParsedQuery): string {
  // Words are letters and digits only; `&&` and `||` with an empty query (a stop word) give the other side.
  const parts = q.anyOf.map((group) => `(${group.map((w) => wordQuery(p, w).query).join(" || ")})`);
  for (const phrase of q.phrases) parts.push(`phraseto_tsquery('english', ${p.add(phrase)})`);
  return parts.join(" && ");
}

/** Shorter words are too short to tell a typo from another word. */
const TYPO_MIN_LETTERS = 4;

/**
 * A typo's arm: the notes whose title or file name holds one of the owner's words most similar to it (pg_trgm
 * word similarity over the owner's dictionary, search_words, and the words of notes not yet folded into it;
 * name_words holds each note's words).
 */
function typoArm(p: Params, owner: () => string, word: string): string {
  const w = p.add(word);
  return `name_words && ARRAY(
            SELECT word FROM (SELECT word FROM search_words WHERE owner_id = ${owner()} AND ${w}::text <% word
                              UNION
                              SELECT word FROM ${pendingNotes(owner())} AS n, unnest(n.name_words) AS word
                               WHERE ${w}::text <% word) AS d
             ORDER BY ${w}::text <<-> word, word LIMIT ${SEARCH_SIMILAR_WORDS})`;
}

/**
 * One condition per word (or per group of `a OR b` words, any of which will do): a full-text prefix match
 * (title and description) or, with `typos`, for words of four letters and more a similar word in the title or
 * the file name (typoArm). A stop word ("the") matches everything: searches are planned with their values, so
 * that condition folds to true.
 */
function wordConditions(p: Params, owner: () => string, q: ParsedQuery, typos: boolean): string[] {
  const where: string[] = [];
  for (const group of q.anyOf) {
    const arms = group.flatMap((word) => {
      const { prefix, query } = wordQuery(p, word);
      return [
        `numnode(${prefix}) = 0`,
        `search_vector @@ ${query}`,
        ...(typos && [...word].length >= TYPO_MIN_LETTERS ? [typoArm(p, owner, word)] : []),
      ];
    });
    where.push(`(${arms.join(" OR ")})`);
  }
  for (const phrase of q.phrases) where.push(`search_vector @@ phraseto_tsquery('english', ${p.add(phrase)})`);
  return where;
}

/**
 * The byte budget around a candidate query: a running sum over the rows in `order`; octet_length reads a
 * stored value's size without fetching it, so no text past the budget is read. The first row past it comes
 * back without its text, only to tell that there is more (it is row 2, or the rows before it fit).
 */
function withBudget(candidates: string, order: string, maxBytes: string, extra = ""): string {
  return `SELECT id, CASE WHEN fits THEN title END AS title, CASE WHEN fits THEN description END AS description,
                 file_key, file_name, file_size, content_type, created_at, updated_at, tags, pinned, archived,
                 deleted_at, fits ${extra}
            FROM (SELECT c.*, n = 1 OR running <= ${maxBytes} AS fits, n <= 2 OR running - bytes <= ${maxBytes} AS shown
                    FROM (SELECT c.*, row_number() OVER w AS n, sum(bytes) OVER w AS running
                            FROM (${candidates}) AS c
                          WINDOW w AS (ORDER BY ${order} ROWS UNBOUNDED PRECEDING)) AS c) AS page
           WHERE shown
           ORDER BY ${order}`;
}

function listStatement(
  userId: string,
  query: ListQuery,
  parsed: ParsedQuery,
  filters: NoteFilters,
  position: ListPosition | null,
  opts: ListOptions,
): ListingStatement {
  const sort = query.sort ?? "newest";
  if (position && (position.kind !== "keyset" || position.sort !== sort)) {
    throw validationError([{ path: ["cursor"], message: "Cursor of another sort order", type: "value_error" }]);
  }
  const p = new Params();
  const limit = p.add(query.limit + 1);
  const maxBytes = p.add(opts.maxBytes ?? LIST_PAGE_MAX_BYTES);
  const froms = sources(p, userId, filters);
  const where = filterConditions(p, userId, filters, parsed, opts, froms[0] !== "notes");
  const { column, dir } = ORDER[sort];
  const keyOrder = `${column} ${dir}, id ${dir}`;
  const cmp = dir === "DESC" ? "<" : ">";
  const after =
    position?.kind === "keyset"
      ? `(${column}, id) ${cmp} (${p.add(position.key)}::${sort === "title" ? "text" : "timestamptz"}, ${p.add(position.id)})`
      : null;
  // One range scan per source and pinned flag (each served by the (owner_id, pinned, <key>, id) index, or
  // note_tags' key), pinned first.
  const branch = (pinned: boolean) =>
    froms.map(
      (from) => `(SELECT ${NOTE_COLUMNS}, octet_length(title) + octet_length(description) AS bytes FROM ${from}
       WHERE ${[...where, `pinned = ${pinned}`, ...(after && position?.kind === "keyset" && position.pinned === pinned ? [after] : [])].join(" AND ")}
       ORDER BY ${keyOrder} LIMIT ${limit})`,
    );
  const branches: string[] = [];
  if (!position || (position.kind === "keyset" && position.pinned)) branches.push(...branch(true));
  if (!filters.pinned) branches.push(...branch(false));
  const order = `pinned DESC, ${keyOrder}`;
  const candidates = `SELECT * FROM (${branches.join(" UNION ALL ")}) AS u ORDER BY ${order} LIMIT ${limit}`;
  const text = withBudget(candidates, order, maxBytes);
  const valueFree = !filters.tag && !filters.before && !filters.after && parsed.excluded.length === 0;
  return { kind: "list", text, values: p.values, sort, name: valueFree ? statementName(text) : undefined };
}

function searchStatement(
  userId: string,
  query: ListQuery,
  parsed: ParsedQuery,
  filters: NoteFilters,
  position: ListPosition | null,
  opts: ListOptions,
): ListingStatement {
  if (position && position.kind !== "offset") {
    throw validationError([{ path: ["cursor"], message: "Cursor of another listing", type: "value_error" }]);
  }
  const offset = position?.kind === "offset" ? position.offset : 0;
  const build = (typos: boolean) => searchText(userId, query, parsed, filters, offset, opts, typos);
  const typos = parsed.anyOf.some((group) => group.some((word) => [...word].length >= TYPO_MIN_LETTERS));
  return { kind: "search", ...build(false), offset, withTypos: typos ? build(true) : undefined };
}

/**
 * A search's text. With `typos`, similar words are looked for when the full text finds fewer than
 * SEARCH_TYPOS_BELOW notes (a one-time filter runs that second scan only then); without, only the full text
 * counts, which is the same answer whenever it finds that many, and a plan without the similar-word arms.
 */
function searchText(
  userId: string,
  query: ListQuery,
  parsed: ParsedQuery,
  filters: NoteFilters,
  offset: number,
  opts: ListOptions,
  typos: boolean,
): { text: string; values: unknown[] } {
  const p = new Params();
  const limit = p.add(query.limit + 1);
  const maxBytes = p.add(opts.maxBytes ?? LIST_PAGE_MAX_BYTES);
  // The owner's parameter, added only if a typo arm names it (PostgreSQL cannot type an unused parameter).
  let ownerParam: string | undefined;
  const owner = () => (ownerParam ??= p.add(userId));
  const filtered = filterConditions(p, userId, filters, parsed, opts, Boolean(filters.tag));
  const full = fullQuery(p, parsed);
  const similarTo = p.add([...parsed.words, ...parsed.phrases].join(" "));
  // Full-text matches first (by rank), then notes found only by similarity (by how similar).
  const rank = `CASE WHEN search_vector @@ (${full}) THEN 1 + ts_rank_cd(search_vector, ${full})
                     ELSE word_similarity(${similarTo}::text, title || ' ' || coalesce(file_name, '')) END`;
  // The newest matches, as many as the count and the page need (`k`: 1 for the newest); their count, capped.
  const take = p.add(Math.max(SEARCH_COUNT_CAP + 1, offset + query.limit + 1));
  // With a tag, its notes are rechecked for the words (the subquery is a fence: OFFSET 0): intersecting the tag
  // with the index entries of a common word costs more than reading the tag's notes. All of them are read, so
  // they come from a bitmap of the owner's tag entry (prisma/migrations/20261202000000_owner_tag_keys), in table
  // order, not from note_tags' order. The other conditions, the owner's included, apply to the rows read: inside
  // the fence, the planner would add the owner's entry of another index to the bitmap, every note of the owner.
  const scope = filters.tag
    ? `(SELECT * FROM notes
         WHERE note_owner_tags(owner_id, tags) @> note_owner_tags(${p.add(userId)}, ARRAY[${p.add(filters.tag)}])
        OFFSET 0) AS notes`
    : "notes";
  const newest = (words: string[]) =>
    `SELECT id, created_at FROM ${scope} WHERE ${[...filtered, ...words].join(" AND ")}
      ORDER BY created_at DESC, id DESC LIMIT ${take}`;
  const few = typos ? `(SELECT count(*) FROM exact) < ${p.add(SEARCH_TYPOS_BELOW)}` : "";
  const found = typos
    ? `SELECT * FROM exact WHERE NOT ${few}
       UNION ALL
       (${newest([...wordConditions(p, owner, parsed, true), few])})`
    : "SELECT * FROM exact";
  const matched = `SELECT id, row_number() OVER (ORDER BY created_at DESC, id DESC) AS k, count(*) OVER () AS total
                     FROM (${found}) AS m`;
  // The newest SEARCH_RANK_WINDOW matches by rank, then the older ones newest first: only the window's text
  // is read to rank it, and every page of the same search sees the same order.
  const window = p.add(SEARCH_RANK_WINDOW);
  const order = "rank DESC NULLS LAST, k";
  const ranked = `WITH exact AS MATERIALIZED (${newest(wordConditions(p, owner, parsed, false))}),
                       matched AS MATERIALIZED (${matched})
                  SELECT m.id, m.k, m.total, ${rank} AS rank
                    FROM matched AS m JOIN notes USING (id) WHERE m.k <= ${window}
                  UNION ALL
                  SELECT id, k, total, NULL FROM matched WHERE k > ${window}
                   ORDER BY ${order} LIMIT ${limit} OFFSET ${p.add(offset)}`;
  const candidates = `SELECT ${NOTE_COLUMNS}, octet_length(title) + octet_length(description) AS bytes, k, total, rank
                        FROM (${ranked}) AS page JOIN notes USING (id)`;
  const headline = (text: string, options: string) =>
    `CASE WHEN fits THEN ts_headline('english', ${text}, ${full}, '${options}, StartSel=${MARK_START}, StopSel=${MARK_END}') END`;
  const extra = opts.highlight
    ? `, total, ${headline("title", "HighlightAll=true")} AS hl_title,
         ${headline(markdownText("left(description, 20000)"), "MaxFragments=2, MaxWords=24, MinWords=10")} AS hl_snippet`
    : ", total";
  return { text: withBudget(candidates, order, maxBytes, extra), values: p.values };
}

/** The statement for a page of the caller's notes (validates the cursor: 422 at query.cursor). */
export function listingStatement(userId: string, query: ListQuery, opts: ListOptions = {}): ListingStatement {
  const position = query.cursor ? decodeListCursor(query.cursor) : null;
  if (query.cursor && !position) {
    throw validationError([{ path: ["cursor"], message: "Invalid cursor", type: "value_error" }]);
  }
  const parsed = parseQuery(query.q ?? "");
  const filters = { ...parsed.filters, ...filtersOfQuery(query) };
  return hasSearchText(parsed)
    ? searchStatement(userId, query, parsed, filters, position, opts)
    : listStatement(userId, query, parsed, filters, position, opts);
}
