import "server-only";
import { z } from "zod";
import { downloadUrl } from "@/lib/files/download";
import { apiNoteSchema } from "@/lib/notes/rest";
import { type Revision, revisionSchema } from "@/lib/notes/revision-schema";

/** A revision at the REST edge, in the API's snake_case, with a presigned `file_url` of its file. */

const note = apiNoteSchema.shape;

export const apiRevisionSchema = z
  .object({
    note_id: revisionSchema.shape.noteId,
    number: revisionSchema.shape.number.meta({
      description: "1 for the note as created, one more for every save (a restore included)",
    }),
    title: note.title,
    description: note.description,
    file_url: z
      .url()
      .nullable()
      .meta({ description: "Short-lived presigned GET URL of the file this revision had (a download), or null" }),
    file_name: note.file_name,
    file_size: note.file_size,
    content_type: note.content_type,
    created_at: z.iso.datetime().meta({ description: "When this version was saved" }),
  })
  .meta({ id: "NoteRevision" });

export type ApiRevision = z.infer<typeof apiRevisionSchema>;

/** The presigned download of a revision's file (always as an attachment: it may be an older file). */
export function revisionFileUrl(r: Revision): Promise<string | null> {
  if (!r.fileKey || !r.fileName || !r.contentType) return Promise.resolve(null);
  return downloadUrl({ key: r.fileKey, fileName: r.fileName, contentType: r.contentType, disposition: "attachment" });
}

export async function toApiRevision(r: Revision): Promise<ApiRevision> {
  return {
    note_id: r.noteId,
    number: r.number,
    title: r.title,
    description: r.description,
    file_url: await revisionFileUrl(r),
    file_name: r.fileName,
    file_size: r.fileSize,
    content_type: r.contentType,
    created_at: r.createdAt.toISOString(),
  };
}
