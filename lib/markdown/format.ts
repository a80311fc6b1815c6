/**
 * The formatting toolbar's edits to Markdown text, as pure functions of (text, selection): wrap the selection
 * (bold, italic, code, link) or prefix its lines (list, checklist). Returns the new text and selection.
 */

export type Format = "bold" | "italic" | "link" | "list" | "checklist" | "code";

export interface Edit {
  text: string;
  start: number;
  end: number;
}

const WRAP: Record<"bold" | "italic" | "code", [string, string, string]> = {
  bold: ["**", "**", "bold text"],
  italic: ["_", "_", "italic text"],
  code: ["`", "`", "code"],
};

export function applyFormat(format: Format, { text, start, end }: Edit): Edit {
  const selected = text.slice(start, end);
  if (format === "link") {
    const label = selected || "link text";
    const inserted = `[${label}](https://)`;
    const urlStart = start + label.length + 3;
    return { text: text.slice(0, start) + inserted + text.slice(end), start: urlStart, end: urlStart + 8 };
  }
  if (format === "list" || format === "checklist") {
    const prefix = format === "list" ? "- " : "- [ ] ";
    const lineStart = text.lastIndexOf("\n", start - 1) + 1;
    const block = text.slice(lineStart, end);
    const lines = block.split("\n").map((line) => (line.startsWith(prefix) ? line : prefix + line));
    const replaced = lines.join("\n");
    return {
      text: text.slice(0, lineStart) + replaced + text.slice(end),
      start: start + prefix.length,
      end: lineStart + replaced.length,
    };
  }
  const [open, close, placeholder] = WRAP[format];
  // A multi-line selection of code becomes a fenced block.
  if (format === "code" && selected.includes("\n")) {
    const inserted = "```\n" + selected + "\n```";
    return {
      text: text.slice(0, start) + inserted + text.slice(end),
      start: start + 4,
      end: start + 4 + selected.length,
    };
  }
  const inner = selected || placeholder;
  return {
    text: text.slice(0, start) + open + inner + close + text.slice(end),
    start: start + open.length,
    end: start + open.length + inner.length,
  };
}

/**
 * Places the note's attached image in the text at the caret, on a line of its own: `![name](attachment:name)`
 * (lib/markdown/render.ts shows it there).
 */
export function insertAttachedImage({ text, start, end }: Edit, fileName: string): Edit {
  const alt = fileName.replace(/[[\]\\\n]/g, "").trim() || "image";
  const before = text.slice(0, start);
  const after = text.slice(end);
  const lead = before === "" || before.endsWith("\n") ? "" : "\n";
  const trail = after.startsWith("\n") ? "" : "\n";
  // Parentheses too are escaped: the destination then never ends early, whatever the name.
  const target = encodeURIComponent(fileName).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const inserted = `${lead}![${alt}](attachment:${target})${trail}`;
  const caret = start + inserted.length;
  return { text: before + inserted + after, start: caret, end: caret };
}
