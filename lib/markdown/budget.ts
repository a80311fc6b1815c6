/**
 * How much Markdown a note may have rendered. Parsing (micromark) is the cost, not React: its time and memory
 * grow with the number of lines and markup characters, so a few KB of list items or emphasis cost as much as
 * 100 KB of prose. The budget is therefore checked with a cheap linear scan before any parsing happens.
 */

/** The longest description shown in a list card; the rest is on the note's own page. */
export const PREVIEW_CHARS = 1_000;
/** The most cost units (see markdownCost) rendered as Markdown; above it the text is shown as plain text. */
export const MARKDOWN_COST_MAX = 1_500;

// Characters and sequences that start Markdown constructs (each costs tokens and nodes), and line ends.
const COSTLY = /[*_`~|#>[\]()<!&\\=+\n-]|www\.|https?:|@/g;

/**
 * A linear estimate of the parser's work: one unit per character or sequence that starts markup, two per line
 * (each line re-enters every open container: list items, quotes).
 */
export function markdownCost(text: string): number {
  COSTLY.lastIndex = 0;
  let units = 0;
  for (let m = COSTLY.exec(text); m; m = COSTLY.exec(text)) units += m[0] === "\n" ? 2 : 1;
  return units;
}

/** At most `maxChars` from the start of `text`, cut at the last line end within them when there is one. */
export function previewOf(text: string, maxChars = PREVIEW_CHARS): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  let end = text.lastIndexOf("\n", maxChars);
  if (end <= 0) end = maxChars;
  // Never split a UTF-16 surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { text: text.slice(0, end).trimEnd(), truncated: true };
}

/** Whether `text` is rendered as Markdown or, too costly to format, as plain preformatted text. */
export function fitsMarkdownBudget(text: string, maxCost = MARKDOWN_COST_MAX): boolean {
  return markdownCost(text) <= maxCost;
}
