import "server-only";
import type { Element, ElementContent, Root } from "hast";
import { toHtml } from "hast-util-to-html";
import { toText } from "hast-util-to-text";
import { LRUCache } from "lru-cache";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { fitsMarkdownBudget, previewOf } from "@/lib/markdown/budget";
import { processSingleton } from "@/lib/process-singleton";

/**
 * A description as safe HTML, rendered on the server only (the browser ships no Markdown parser). Raw HTML in
 * the text is dropped, the result is sanitised against GitHub's schema (no script, no javascript: links), links
 * open in a new tab without the opener, and each checklist box carries the source line it stands for (data-line)
 * so that ticking it can edit exactly that line. An image is shown only when it is the note's own attached image
 * (`![alt](attachment:name)`, what pasting an image inserts) and the caller says where that image is served;
 * any other image becomes a placeholder (no remote fetches from a reader's browser).
 * Text too costly to parse (lib/markdown/budget.ts) is shown as plain preformatted text.
 */

export interface RenderedMarkdown {
  html: string;
  /** A preview stopped before the end of the text. */
  truncated: boolean;
}

const ATTACHMENT = "attachment";

export interface RenderOptions {
  /** A preview stops after a few lines. */
  preview?: boolean;
  /** Where the note's attached image is served: `attachment:` images point there. */
  attachmentUrl?: string;
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeSanitize, {
    ...defaultSchema,
    // Keep the source positions (read below), and GFM's own classes on checklists.
    attributes: { ...defaultSchema.attributes, li: [["className", "task-list-item"]] },
    protocols: { ...defaultSchema.protocols, src: [...(defaultSchema.protocols?.src ?? []), ATTACHMENT] },
  })
  .freeze();

export function renderMarkdown(text: string, { preview = false, attachmentUrl }: RenderOptions = {}): RenderedMarkdown {
  const shown = preview ? previewOf(text) : { text, truncated: false };
  if (!fitsMarkdownBudget(shown.text)) return { html: plainText(shown.text), truncated: shown.truncated };
  const tree = processor.runSync(processor.parse(shown.text)) as Root;
  decorate(tree, attachmentUrl);
  return { html: toHtml(tree), truncated: shown.truncated };
}

function decorate(tree: Root, attachmentUrl: string | undefined): void {
  visit(tree, "element", (node: Element, index, parent) => {
    if (node.tagName === "table" && parent && index !== undefined) {
      // Wide tables scroll sideways (on phones) instead of breaking their words; focusable to scroll by keyboard.
      parent.children[index] = {
        type: "element",
        tagName: "div",
        properties: { className: ["table-scroll"], tabIndex: 0, role: "region", ariaLabel: "Table" },
        children: [node],
      };
      return "skip";
    } else if (node.tagName === "a") {
      // An unsafe target was removed by the sanitiser; the text stays a (harmless, empty) link, as it reads.
      node.properties.href ??= "";
      node.properties.target = "_blank";
      node.properties.rel = ["noopener", "noreferrer", "nofollow"];
    } else if (node.tagName === "img" && attachmentUrl && String(node.properties.src).startsWith(`${ATTACHMENT}:`)) {
      node.properties.src = attachmentUrl;
      node.properties.loading = "lazy";
      node.properties.className = ["inline-image"];
    } else if (node.tagName === "img" && parent && index !== undefined) {
      const alt = typeof node.properties.alt === "string" && node.properties.alt ? node.properties.alt : "untitled";
      const placeholder: ElementContent = {
        type: "element",
        tagName: "span",
        properties: { className: ["italic", "text-stone-500"] },
        children: [{ type: "text", value: `[image: ${alt}]` }],
      };
      parent.children[index] = placeholder;
    } else if (node.tagName === "li" && node.position) {
      const box = checkboxOf(node);
      if (!box) return;
      // Enabled: the card turns a change into a server action on this line (lib/notes/checklist.ts).
      delete box.properties.disabled;
      box.properties.dataLine = node.position.start.line;
      box.properties.ariaLabel = toText(node).trim().split("\n")[0]?.slice(0, 200) || "Checklist item";
    }
  });
}

function checkboxOf(li: Element): Element | undefined {
  const first = li.children.find((c) => c.type === "element");
  const candidates = first?.tagName === "p" ? first.children : li.children;
  return candidates.find(
    (c): c is Element => c.type === "element" && c.tagName === "input" && c.properties.type === "checkbox",
  );
}

function plainText(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<p class="text-xs text-stone-500 dark:text-stone-400">This note is too long to format; shown as plain text.</p>` +
    `<pre class="whitespace-pre-wrap [overflow-wrap:anywhere] font-sans">${escaped}</pre>`
  );
}

/** Rendered descriptions by note version, bounded by bytes (unchanged notes are not parsed again). */
function cache(): LRUCache<string, RenderedMarkdown> {
  return processSingleton("markdownCache", () => {
    return new LRUCache<string, RenderedMarkdown>({
      maxSize: 16 * 1024 * 1024,
      // UTF-16 in memory: two bytes per code unit, plus the key.
      sizeCalculation: (value, key) => 2 * (value.html.length + key.length) + 64,
    });
  });
}

/** renderMarkdown for a stored note: cached by id, version, whether it is a preview and where its image is. */
export function renderNoteMarkdown(
  note: { id: number; updatedAt: Date; description: string },
  options: RenderOptions = {},
): RenderedMarkdown {
  // The text's length guards against a row changed without its updated_at (it is never meant to be).
  const key = `${note.id}:${note.updatedAt.getTime()}:${note.description.length}:${options.preview ? "p" : "f"}:${options.attachmentUrl ?? ""}`;
  const c = cache();
  const hit = c.get(key);
  if (hit) return hit;
  const rendered = renderMarkdown(note.description, options);
  c.set(key, rendered);
  return rendered;
}
