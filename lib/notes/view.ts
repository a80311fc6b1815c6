import "server-only";
import { isPreviewableImage } from "@/lib/files/policy";
import { fileUrl } from "@/lib/notes/file-url";
import type { Note } from "@/lib/notes/schema";

/** A note as the browser UI receives it (plain data for client components). */
export interface NoteView extends Pick<Note, "id" | "title" | "description" | "tags" | "pinned" | "archived"> {
  createdLabel: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  file: null | { url: string; name: string; size: number; contentType: string; isImage: boolean };
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export async function toNoteView(note: Note): Promise<NoteView> {
  const url = await fileUrl(note);
  return {
    id: note.id,
    title: note.title,
    description: note.description,
    // Formatted on the server only, so that server and client render the same text.
    createdLabel: dateFormat.format(note.createdAt),
    createdAt: note.createdAt.toISOString(),
    updatedAt: note.updatedAt.toISOString(),
    tags: note.tags,
    pinned: note.pinned,
    archived: note.archived,
    deletedAt: note.deletedAt?.toISOString() ?? null,
    file:
      url && note.fileName && note.contentType
        ? {
            url,
            name: note.fileName,
            size: note.fileSize ?? 0,
            contentType: note.contentType,
            isImage: isPreviewableImage(note.contentType),
          }
        : null,
  };
}
