"use server";

import type { ReactNode } from "react";
import { Markdown } from "@/components/notes/markdown";
import { currentUser } from "@/lib/auth/session";
import { DESCRIPTION_MAX } from "@/lib/notes/schema";

/**
 * The composer's Preview: the server renders the Markdown exactly as the note will show it, so the page ships
 * no Markdown parser.
 */
export async function previewMarkdownAction(text: string): Promise<ReactNode> {
  if (!(await currentUser())) return <p>Sign in again to see the preview.</p>;
  const source = typeof text === "string" ? text.slice(0, DESCRIPTION_MAX) : "";
  return source.trim() ? <Markdown>{source}</Markdown> : <p className="text-stone-500">Nothing to preview.</p>;
}
