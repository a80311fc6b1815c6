import "server-only";
import { rememberedLabel } from "@/lib/dates/relative";
import { downloadUrl, downloadWindow } from "@/lib/files/download";
import { isPreviewableImage } from "@/lib/files/policy";
import { renderNoteMarkdown } from "@/lib/markdown/render";
import type { Note } from "@/lib/notes/schema";

/** A note's file as the browser UI receives it: a link to view it and one that downloads it, both expiring. */
export interface FileView {
  url: string;
  downloadUrl: string;
  /** When the links stop working (ms since the epoch): the card asks for fresh ones before then. */
  expiresAt: number;
  name: string;
  size: number;
  contentType: string;
  isImage: boolean;
  isPdf: boolean;
}

/** A note as the browser UI receives it (plain data for client components). */
export interface NoteView extends Pick<Note, "id" | "title" | "description" | "tags" | "pinned" | "archived"> {
  /** The description rendered as sanitised HTML (lib/markdown/render.ts); a preview in lists. */
  html: string;
  /** The preview stops before the end of the description (the note's page shows it all). */
  truncated: boolean;
  createdLabel: string;
  updatedLabel: string;
  createdAt: string;
  updatedAt: string;
  /** Changed since it was created. */
  edited: boolean;
  deletedAt: string | null;
  file: null | FileView;
}

// Server and client both render this label first (no hydration mismatch); the client then shows relative dates.
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const dateLabel = rememberedLabel((date) => dateFormat.format(date));

/**
 * Where the browser UI serves a note's own image (app/n/[id]/attachment): stable for a version of the note,
 * unlike a presigned URL.
 */
export const attachmentPath = (note: Pick<Note, "id" | "updatedAt">) =>
  `/n/${note.id}/attachment?v=${note.updatedAt.getTime()}`;

export async function toNoteView(note: Note, { preview = false } = {}): Promise<NoteView> {
  const image = note.contentType !== null && isPreviewableImage(note.contentType);
  const rendered = renderNoteMarkdown(note, { preview, attachmentUrl: image ? attachmentPath(note) : undefined });
  return {
    id: note.id,
    title: note.title,
    description: note.description,
    html: rendered.html,
    truncated: rendered.truncated,
    createdLabel: dateLabel(note.createdAt),
    updatedLabel: dateLabel(note.updatedAt),
    createdAt: note.createdAt.toISOString(),
    updatedAt: note.updatedAt.toISOString(),
    edited: note.updatedAt.getTime() !== note.createdAt.getTime(),
    tags: note.tags,
    pinned: note.pinned,
    archived: note.archived,
    deletedAt: note.deletedAt?.toISOString() ?? null,
    file: await toFileView(note),
  };
}

export async function toFileView(note: Note): Promise<FileView | null> {
  if (!note.fileKey || !note.fileName || !note.contentType) return null;
  const file = { key: note.fileKey, fileName: note.fileName, contentType: note.contentType };
  // Taken before signing (a URL is never older than its window); a margin of a few seconds keeps the client
  // from using a link in its last moments.
  const expiresAt = downloadWindow().expiresAt - 5_000;
  const [url, download] = await Promise.all([downloadUrl(file), downloadUrl({ ...file, disposition: "attachment" })]);
  return {
    url,
    downloadUrl: download,
    expiresAt,
    name: note.fileName,
    size: note.fileSize ?? 0,
    contentType: note.contentType,
    isImage: isPreviewableImage(note.contentType),
    isPdf: note.contentType === "application/pdf",
  };
}
