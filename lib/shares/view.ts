import "server-only";
import { downloadUrl } from "@/lib/files/download";
import { isPreviewableImage } from "@/lib/files/policy";
import { renderNoteMarkdown } from "@/lib/markdown/render";
import type { Note } from "@/lib/notes/schema";

/** A shared page's file links live this long: enough to open or save the file, not to pass the link on. */
export const SHARED_FILE_URL_SECONDS = 300;

/** What a shared page shows of a note: its content, never anything of its owner or its id. */
export interface SharedNoteView {
  title: string;
  html: string;
  tags: string[];
  updatedAt: string;
  updatedLabel: string;
  file: null | { url: string; downloadUrl: string; name: string; size: number; isImage: boolean };
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export async function toSharedNoteView(note: Note): Promise<SharedNoteView> {
  let file: SharedNoteView["file"] = null;
  if (note.fileKey && note.fileName && note.contentType) {
    const stored = { key: note.fileKey, fileName: note.fileName, contentType: note.contentType };
    const options = { expiresInSeconds: SHARED_FILE_URL_SECONDS };
    const [url, download] = await Promise.all([
      downloadUrl(stored, options),
      downloadUrl({ ...stored, disposition: "attachment" }, options),
    ]);
    file = {
      url,
      downloadUrl: download,
      name: note.fileName,
      size: note.fileSize ?? 0,
      isImage: isPreviewableImage(note.contentType),
    };
  }
  return {
    title: note.title,
    html: renderNoteMarkdown(note).html,
    tags: note.tags,
    updatedAt: note.updatedAt.toISOString(),
    updatedLabel: dateFormat.format(note.updatedAt),
    file,
  };
}
