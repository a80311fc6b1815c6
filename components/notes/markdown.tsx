import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * A description rendered as Markdown, safely: raw HTML is dropped (never rendered), and react-markdown's URL
 * filter removes javascript: and other unsafe link targets. Links open in a new tab without the opener.
 */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        components={{
          a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
          img: ({ node: _node, alt }) => <span className="italic text-stone-500">[image: {alt || "untitled"}]</span>,
        }}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}
