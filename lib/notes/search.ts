/**
 * A text search ranks this many of its newest matches (reading their text); older matches follow newest first.
 * Ranking every match would read the text of all of them, however many, before the first page.
 */
export const SEARCH_RANK_WINDOW = 200;
/** Similar words (typos) are looked for when the full text finds fewer notes than this. */
export const SEARCH_TYPOS_BELOW = 20;
/** A typo is looked for as this many of the owner's words most similar to it. */
export const SEARCH_SIMILAR_WORDS = 8;
/** A text search counts its matches up to this many (past it, the answer says so): an exact count would visit them all. */
export const SEARCH_COUNT_CAP = 1000;

/**
 * The text of a search as PostgreSQL's websearch_to_tsquery may read it. That parser stacks a NOT for each
 * "-" it meets while waiting for a word, and fails past 32 in a row ("tsquery stack too small": a 500) on
 * text such as "---------------------------------" or "- - - … word". A "-" negates only the word it touches
 * ("-word"), and one inside a word ("well-known") is part of it; any other "-" means nothing to a search, so
 * it becomes a space and no run of NOTs can form.
 */
export function websearchText(q: string): string {
  return q.replace(/(?<![\p{L}\p{N}])-(?![\p{L}\p{N}])/gu, " ");
}
