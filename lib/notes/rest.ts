import "server-only";
import { z } from "zod";
import { restSchema } from "@/lib/http/rest-shape";
import { fileUrl } from "@/lib/notes/file-url";
import { fileAttachSchema, newNoteSchema, type Note, noteSchema } from "@/lib/notes/schema";

/**
 * The note at the REST edge, in the original FastAPI service's names: request bodies map `file_key` onto the
 * contract's `fileKey`, and a note goes out in snake_case with a presigned `file_url`.
 */

const { id, title, description, ...fields } = restSchema(
  noteSchema.omit({ fileKey: true }).extend({
    tags: noteSchema.shape.tags.meta({ description: "The note's #tags (lower-case), from its title and description" }),
    deletedAt: noteSchema.shape.deletedAt.meta({ description: "When the note was moved to the trash, or null" }),
  }),
).shape;

export const apiNoteSchema = z
  .object({
    id,
    title,
    description,
    file_url: z.url().nullable().meta({ description: "Short-lived presigned GET URL of the file, or null" }),
    ...fields,
  })
  .meta({ id: "Note" });

export type ApiNote = z.infer<typeof apiNoteSchema>;

/** Written out rather than `toRest`: every note of every listing goes through it, so no validation pass. */
export async function toApiNote(note: Note): Promise<ApiNote> {
  return {
    id: note.id,
    title: note.title,
    description: note.description,
    file_url: await fileUrl(note),
    file_name: note.fileName,
    file_size: note.fileSize,
    content_type: note.contentType,
    created_at: note.createdAt.toISOString(),
    updated_at: note.updatedAt.toISOString(),
    tags: note.tags,
    pinned: note.pinned,
    archived: note.archived,
    deleted_at: note.deletedAt?.toISOString() ?? null,
  };
}

/** POST /notes as JSON or a form (a multipart body carries the file itself instead of `file_key`). */
export const apiNewNoteSchema = z
  .object({ ...newNoteSchema.omit({ fileKey: true }).shape, file_key: newNoteSchema.shape.fileKey })
  .transform(({ file_key, ...note }) => ({ ...note, fileKey: file_key }));

/** The `file_key` field alone (PUT /notes/{id}/file as JSON or a form). */
export const apiFileKeySchema = z
  .object({ file_key: fileAttachSchema.shape.fileKey.nullish() })
  .transform(({ file_key }) => ({ fileKey: file_key }));
