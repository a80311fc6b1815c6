"use server";

import type { ReactNode } from "react";
import { currentUser } from "@/lib/auth/session";
import { renderMarkdown } from "@/lib/markdown/render";
import { DESCRIPTION_MAX } from "@/lib/notes/schema";

/**
 * The composer's Preview: the server renders the Markdown exactly as the note will show it (the same sanitised
 * renderer as the notes), so the page ships no Markdown parser.
 */
export async function previewMarkdownAction(text: string): Promise<ReactNode> {
  if (!(await currentUser())) return <p>Sign in again to see the preview.</p>;
  const source = typeof text === "string" ? text.slice(0, DESCRIPTION_MAX) : "";
  if (!source.trim()) return <p className="text-stone-500">Nothing to preview.</p>;
  return <div dangerouslySetInnerHTML={{ __html: renderMarkdown(source).html }} />;
}
