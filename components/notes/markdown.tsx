import Link from "next/link";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { fitsMarkdownBudget, previewOf } from "@/lib/markdown/budget";

/**
 * A description rendered as Markdown, safely: raw HTML is dropped (never rendered), and react-markdown's URL
 * filter removes javascript: and other unsafe link targets. Links open in a new tab without the opener.
 * The work is bounded: a preview renders only the first part of the text (`moreHref` links to the rest), and
 * text too costly to parse is shown as plain text instead, so no note can exhaust the process rendering it.
 */
export function Markdown({
  children,
  preview = false,
  moreHref,
}: {
  children: string;
  preview?: boolean;
  moreHref?: string;
}) {
  const shown = preview ? previewOf(children) : { text: children, truncated: false };
  return (
    <div className="markdown">
      {fitsMarkdownBudget(shown.text) ? (
        <ReactMarkdown
          remarkPlugins={[remarkGfm]}
          skipHtml
          components={{
            a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
            img: ({ node: _node, alt }) => <span className="italic text-stone-500">[image: {alt || "untitled"}]</span>,
          }}
        >
          {shown.text}
        </ReactMarkdown>
      ) : (
        <>
          <p className="text-xs text-stone-500 dark:text-stone-400">
            This note is too long to format; shown as plain text.
          </p>
          <pre className="whitespace-pre-wrap [overflow-wrap:anywhere] font-sans">{shown.text}</pre>
        </>
      )}
      {shown.truncated ? (
        <p className="text-sm">
          {moreHref ? (
            <Link href={moreHref} className="font-medium text-brand-700 hover:underline dark:text-brand-300">
              … read the whole note
            </Link>
          ) : (
            "…"
          )}
        </p>
      ) : null}
    </div>
  );
}
