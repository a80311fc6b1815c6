/**
 * The words of a note's Markdown without its syntax, in SQL, for search snippets: ts_headline cuts fragments out
 * of the text it is given, so it is given what a reader sees ("a link", not "[a link](https://…)"). Each step
 * is a regexp_replace, in order; 'n' makes ^ and $ match at line ends and keeps [^…] within a line.
 */
const STEPS: [pattern: string, replacement: string][] = [
  // Fence lines of code blocks (the code stays).
  ["^ {0,3}(`{3,}|~{3,}).*$", ""],
  // Images and links, inline or by reference: their text.
  ["!?\\[([^]]*)\\]\\([^)]*\\)", "\\1"],
  ["!?\\[([^]]*)\\]\\[[^]]*\\]", "\\1"],
  // Autolinks keep their address; other HTML tags go.
  ["<((https?|mailto):[^>]*)>", "\\1"],
  ["</?[A-Za-z][^>]*>", ""],
  // Thematic breaks, setext underlines and table delimiter rows.
  ["^[ \\t]*([-*_][ \\t]*){3,}$", ""],
  ["^[ \\t]*=+[ \\t]*$", ""],
  ["^[ \\t|:-]*-[ \\t|:-]*\\|[ \\t|:-]*$", ""],
  // Block quotes, headings, list items and checkboxes at the start of a line.
  ["^[ \\t]*(>[ \\t]?)*(#{1,6}[ \\t]+|([-*+]|[0-9]+[.)])[ \\t]+(\\[[ xX]\\][ \\t]+)?)?", ""],
  // Table cell borders.
  ["[ \\t]*\\|[ \\t]*", " "],
  // Emphasis, strikethrough and code spans; "_" only at the edge of a word (snake_case stays).
  ["\\*+|~~|`+", ""],
  ["(^|[^[:alnum:]_])_+|_+([^[:alnum:]_]|$)", "\\1\\2"],
  // Backslash escapes.
  ["\\\\([[:punct:]])", "\\1"],
];

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** SQL for the plain text of the Markdown that `expr` (an SQL expression) evaluates to. */
export function markdownText(expr: string): string {
  return STEPS.reduce(
    (sql, [pattern, replacement]) => `regexp_replace(${sql}, ${literal(pattern)}, ${literal(replacement)}, 'gn')`,
    expr,
  );
}
