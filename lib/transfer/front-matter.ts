import { parse, stringify } from "yaml";
import { type FrontMatter, frontMatterSchema } from "@/lib/transfer/manifest";

/**
 * A note's Markdown file: `---\n<YAML>---\n` then the description byte for byte. YAML 1.2 core schema both ways,
 * so the ISO dates stay strings; no line folding, so a long title is one line.
 */

const OPEN = "---\n";
const CLOSE = "\n---\n";

export function toMarkdown(frontMatter: FrontMatter, description: string): string {
  const yaml = stringify(frontMatterSchema.parse(frontMatter), { lineWidth: 0, schema: "core" });
  return `${OPEN}${yaml}---\n${description}`;
}

export type ParsedMarkdown = { ok: true; frontMatter: FrontMatter; description: string } | { ok: false; error: string };

/** The front matter and the description of a file toMarkdown wrote; an error (never a throw) otherwise. */
export function fromMarkdown(text: string): ParsedMarkdown {
  const source = text.startsWith("\ufeff") ? text.slice(1) : text;
  if (!source.startsWith(OPEN)) return { ok: false, error: "No front matter" };
  // The YAML ends at the first line that is exactly `---`.
  const end = source.indexOf(CLOSE, OPEN.length - 1);
  if (end < 0) return { ok: false, error: "Front matter is not closed" };
  let data: unknown;
  try {
    data = parse(source.slice(OPEN.length, end + 1), { schema: "core" });
  } catch (error) {
    return { ok: false, error: `Front matter is not valid YAML: ${(error as Error).message}` };
  }
  const result = frontMatterSchema.safeParse(data);
  if (!result.success) return { ok: false, error: `Invalid front matter: ${result.error.issues[0]?.message}` };
  return { ok: true, frontMatter: result.data, description: source.slice(end + CLOSE.length) };
}
