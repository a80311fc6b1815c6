import { z } from "zod";
import { listQuerySchema, noteIdFieldSchema, noteSchema, noteVersionSchema } from "@/lib/notes/schema";

/** The revision contract: one saved state of a note's title, description and file (lib/notes/revisions.ts). */

/** Revision numbers are positive 32-bit integers (notes.revision). */
export const REVISION_NUMBER_MAX = 2_147_483_647;
export const revisionNumberSchema = z.number().int().min(1).max(REVISION_NUMBER_MAX);

const n = noteSchema.shape;

export const revisionSchema = z.object({
  noteId: n.id,
  /** 1 for the note as created, then one more for every save (restores included). */
  number: revisionNumberSchema,
  title: n.title,
  description: n.description,
  fileKey: n.fileKey,
  fileName: n.fileName,
  fileSize: n.fileSize,
  contentType: n.contentType,
  /** When this state was saved (the note's updated_at then). */
  createdAt: z.date(),
});

export type Revision = z.infer<typeof revisionSchema>;

/** GET /notes/{id}/revisions: newest first, in pages of `limit` continued by `cursor` (as GET /notes). */
export const revisionListQuerySchema = z.object({
  limit: listQuerySchema.shape.limit,
  cursor: listQuerySchema.shape.cursor,
});
export type RevisionListQuery = z.infer<typeof revisionListQuerySchema>;

/** "Restore this version" on the history page: the form's fields. */
export const restoreRevisionFormSchema = z.object({
  id: noteIdFieldSchema,
  number: z.coerce.number().pipe(revisionNumberSchema),
  baseUpdatedAt: noteVersionSchema,
});
