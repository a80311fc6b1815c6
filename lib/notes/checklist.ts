/**
 * Ticking a checklist item in a note's Markdown: exactly one line changes, and only its box. Lines are counted
 * from 1 as the Markdown parser counts them (CRLF, CR and LF all end a line), so the line a rendered checkbox
 * carries (data-line) is the line edited here.
 */

// A list item (possibly inside block quotes and indented) that starts with a task box: "- [ ] ", "1. [x] ".
const TASK = /^((?:[ \t]*>)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[)([ xX])(\])(?=[ \t]|$)/;

/** `text` with the box on `line` set to `checked`, or null when that line holds no checklist item. */
export function setChecklistItem(text: string, line: number, checked: boolean): string | null {
  if (!Number.isInteger(line) || line < 1) return null;
  const parts = text.split(/(\r\n|\r|\n)/); // even indices: lines; odd: their line ends
  const at = (line - 1) * 2;
  if (at >= parts.length) return null;
  const match = TASK.exec(parts[at]!);
  if (!match) return null;
  parts[at] = `${match[1]}${checked ? "x" : " "}${match[3]}${parts[at]!.slice(match[0].length)}`;
  return parts.join("");
}

/** Whether the item on `line` is ticked (null when there is none). */
export function isChecklistItemChecked(text: string, line: number): boolean | null {
  const parts = text.split(/\r\n|\r|\n/);
  const match = Number.isInteger(line) && line >= 1 ? TASK.exec(parts[line - 1] ?? "") : null;
  return match ? match[2] !== " " : null;
}
