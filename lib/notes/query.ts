import { normalizeTag } from "@/lib/notes/tags";

/**
 * What a person types into the search box, read into words and filters. Filters: `tag:work` (or `#work`),
 * `is:pinned`, `is:archived`, `in:trash`, `has:file`, `has:image`, `before:2026-01-31`, `after:2026-01-01`.
 * Words are matched by prefix and, failing that, by similarity; `-word` excludes a word and `"a phrase"` wants
 * its words in order. Anything else is a word: nothing typed is an error.
 */

export interface NoteFilters {
  tag?: string;
  pinned?: boolean;
  archived?: boolean;
  trash?: boolean;
  hasFile?: boolean;
  hasImage?: boolean;
  /** Created strictly before this instant (the start of the `before:` day, UTC). */
  before?: Date;
  /** Created at or after this instant (the start of the `after:` day, UTC). */
  after?: Date;
}

export interface ParsedQuery {
  /** Search words (letters and digits only: safe to hand to to_tsquery), every one of them. */
  words: string[];
  /** The same words as a note must match them: every group, and in a group any word (`green OR flour`). */
  anyOf: string[][];
  excluded: string[];
  phrases: string[];
  filters: NoteFilters;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const words = (text: string) => text.match(WORD) ?? [];

/** A calendar date `YYYY-MM-DD` as the start of that day in UTC, or null. */
export function parseDay(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text ? date : null;
}

/** Applies one `key:value` filter; false when it is not one (then the text is searched for as words). */
function applyFilter(filters: NoteFilters, key: string, value: string): boolean {
  switch (`${key}:${key === "tag" || key === "before" || key === "after" ? "" : value}`) {
    case "tag:": {
      const tag = normalizeTag(value);
      if (!tag) return false;
      filters.tag = tag;
      return true;
    }
    case "before:":
    case "after:": {
      const day = parseDay(value);
      if (!day) return false;
      filters[key as "before" | "after"] = day;
      return true;
    }
    case "is:pinned":
      filters.pinned = true;
      return true;
    case "is:archived":
      filters.archived = true;
      return true;
    case "in:trash":
      filters.trash = true;
      return true;
    case "has:file":
      filters.hasFile = true;
      return true;
    case "has:image":
      filters.hasImage = true;
      return true;
    default:
      return false;
  }
}

export function parseQuery(input: string): ParsedQuery {
  const parsed: ParsedQuery = { words: [], anyOf: [], excluded: [], phrases: [], filters: {} };
  let or = false;
  const addWords = (found: string[]) => {
    for (const w of found.map((x) => x.toLowerCase())) {
      if (or && parsed.anyOf.length > 0) parsed.anyOf.at(-1)!.push(w);
      else parsed.anyOf.push([w]);
      or = false;
    }
  };
  // Quoted phrases first (an unterminated quote runs to the end).
  const rest = input.replace(/"([^"]*)(?:"|$)/g, (_, phrase: string) => {
    const w = words(phrase);
    if (w.length > 1) parsed.phrases.push(w.join(" "));
    else addWords(w);
    return " ";
  });
  for (const token of rest.split(/\s+/).filter(Boolean)) {
    // "a OR b" (as websearch_to_tsquery reads it): either word will do.
    if (/^or$/i.test(token) && parsed.anyOf.length > 0) {
      or = true;
      continue;
    }
    const filter = /^([a-z]+):(.+)$/i.exec(token);
    if (filter && applyFilter(parsed.filters, filter[1]!.toLowerCase(), filter[2]!.toLowerCase())) continue;
    if (/^#[^#]/.test(token)) {
      const tag = normalizeTag(token);
      if (tag) {
        parsed.filters.tag = tag;
        continue;
      }
    }
    if (/^-[\p{L}\p{M}\p{N}]/u.test(token)) {
      parsed.excluded.push(...words(token));
      continue;
    }
    addWords(words(token));
  }
  parsed.anyOf = parsed.anyOf.map((group) => [...new Set(group)].slice(0, 8)).slice(0, 16);
  parsed.words = [...new Set(parsed.anyOf.flat())];
  parsed.excluded = [...new Set(parsed.excluded.map((w) => w.toLowerCase()))].slice(0, 16);
  parsed.phrases = parsed.phrases.slice(0, 4);
  return parsed;
}

/** Whether the query searches text (ranked results) rather than only filtering the list. */
export function hasSearchText(q: ParsedQuery): boolean {
  return q.words.length > 0 || q.phrases.length > 0;
}
