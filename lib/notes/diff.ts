import { diffLines, diffWordsWithSpace } from "diff";

/**
 * What changed between two versions of a text, as runs of kept, added and removed text (jsdiff). Word by word
 * while text and change are small enough to compute quickly; line by line past that; past that again, the whole
 * old text removed and the new one added. The bounds are sizes, so the result never depends on timing.
 */

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

// Work grows with the text's length times the edits, so word diffs are for texts of a few pages.
const MAX_WORD_DIFF_CHARS = 20_000;
const MAX_WORD_EDITS = 300;
const MAX_LINE_EDITS = 1_000;

export function textDiff(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ kind: "same", text: before }] : [];
  const words =
    before.length + after.length <= MAX_WORD_DIFF_CHARS
      ? diffWordsWithSpace(before, after, { maxEditLength: MAX_WORD_EDITS })
      : undefined;
  const changes = words ?? diffLines(before, after, { maxEditLength: MAX_LINE_EDITS });
  if (!changes) {
    return [
      ...(before ? [{ kind: "removed" as const, text: before }] : []),
      ...(after ? [{ kind: "added" as const, text: after }] : []),
    ];
  }
  return changes
    .filter((c) => c.value !== "")
    .map((c) => ({ kind: c.added ? "added" : c.removed ? "removed" : "same", text: c.value }));
}
