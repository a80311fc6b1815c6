/**
 * A note's tags are the `#tag` words of its Markdown (title or description): letters, digits, "_" and "-",
 * nested with "/" (`#work/clients`), compared lower-case. Not a tag: a heading's `# `, `#` inside a word, a URL
 * (`/#anchor`), an HTML entity (`&#39;`), anything in a code span or a fenced code block, and all-digit words
 * (`#1`, an issue number).
 */

export const TAG_MAX = 100;
export const TAGS_PER_NOTE_MAX = 100;

const SEGMENT = String.raw`[\p{L}\p{M}\p{N}_-]+`;
// Preceded by the start or a character that cannot be part of a word, a URL or an entity.
const TAG_RE = new RegExp(String.raw`(?<![\p{L}\p{M}\p{N}_&#/:.@\\\x60-])#(${SEGMENT}(?:/${SEGMENT})*)`, "gu");

/** A tag as stored and compared: lower-case, no leading "#", no stray "/" at either end. */
export function normalizeTag(raw: string): string | null {
  const tag = raw.trim().replace(/^#/, "").toLowerCase();
  if (tag.length === 0 || tag.length > TAG_MAX) return null;
  const valid = new RegExp(String.raw`^${SEGMENT}(?:/${SEGMENT})*$`, "u");
  if (!valid.test(tag) || /^[\p{N}_/-]+$/u.test(tag)) return null;
  return tag;
}

/** The text with code spans and fenced code blocks blanked out (same length, so that offsets still match). */
export function maskCode(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  // Fenced blocks: ``` or ~~~ (3 or more) up to a closing fence of the same kind, or to the end.
  let masked = text.replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\2[`~]*[ \t]*$|(?![\s\S]))/gm, (m) =>
    blank(m),
  );
  // Code spans: a run of backticks up to the same run.
  masked = masked.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, (m) => blank(m));
  return masked;
}

interface Occurrence {
  index: number; // of the "#"
  length: number; // "#" included
  tag: string; // normalised
}

function occurrences(text: string): Occurrence[] {
  const masked = maskCode(text);
  const found: Occurrence[] = [];
  for (const m of masked.matchAll(TAG_RE)) {
    const tag = normalizeTag(m[1]!.replace(/[-_]+$/u, ""));
    if (!tag) continue;
    found.push({ index: m.index!, length: 1 + m[1]!.replace(/[-_]+$/u, "").length, tag });
  }
  return found;
}

/** The tags of a note, in order of first appearance, without duplicates. */
export function extractTags(...texts: string[]): string[] {
  const tags = new Set<string>();
  for (const text of texts) {
    for (const o of occurrences(text)) {
      if (tags.size >= TAGS_PER_NOTE_MAX) break;
      tags.add(o.tag);
    }
  }
  return [...tags];
}

/** Whether `tag` is `parent` or nested under it (`work/clients` is under `work`). */
export function isTagOrChild(tag: string, parent: string): boolean {
  return tag === parent || tag.startsWith(`${parent}/`);
}

/**
 * The text with the tag `from` (and the tags nested under it) renamed to `to`: `#from/x` becomes `#to/x`.
 * With `to` null the tag is removed: its "#" goes and the word stays, so the sentence still reads.
 */
export function replaceTag(text: string, from: string, to: string | null): string {
  let out = "";
  let at = 0;
  for (const o of occurrences(text)) {
    if (!isTagOrChild(o.tag, from)) continue;
    const original = text.slice(o.index + 1, o.index + o.length);
    const replacement = to === null ? original : `#${to}${original.slice(from.length)}`;
    out += text.slice(at, o.index) + replacement;
    at = o.index + o.length;
  }
  return out + text.slice(at);
}
