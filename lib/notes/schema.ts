import { z } from "zod";
import type { NoteFilters } from "@/lib/notes/query";
import { parseDay } from "@/lib/notes/query";
import { normalizeTag } from "@/lib/notes/tags";

/**
 * The note contract: every rule about a note's input and the note itself, in the domain's names. The REST
 * edge derives its snake_case shapes from these (lib/notes/rest.ts); forms, pages and tests import them.
 */

/** Note ids are positive 32-bit integers (PostgreSQL SERIAL). */
export const NOTE_ID_MAX = 2_147_483_647;

export const noteIdSchema = z.number().int().min(1).max(NOTE_ID_MAX);

/** A note id as a form sends it (text): one that no note can have is refused here, not by PostgreSQL. */
export const noteIdFieldSchema = z.coerce.number().pipe(noteIdSchema);

export function isNoteId(value: unknown): value is number {
  return noteIdSchema.safeParse(value).success;
}

/** A note id as a page's path segment writes it (decimal digits); null when no note can have it. */
export function noteIdFromPath(segment: string): number | null {
  if (!/^\d+$/.test(segment)) return null;
  const id = Number(segment);
  return isNoteId(id) ? id : null;
}

/**
 * The version of a note a page showed (its updated_at, as ISO 8601): an edit made on it is refused once the note
 * has changed since, rather than overwriting that change.
 */
export const noteVersionSchema = z.iso.datetime().transform((v) => new Date(v));

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 100_000;

export const titleSchema = z
  .string()
  .trim()
  .min(1, "Title cannot be empty")
  .max(TITLE_MAX, `Title must be at most ${TITLE_MAX} characters`)
  // NUL cannot be stored by PostgreSQL; other control characters have no place in a title either.
  .refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t), "Title contains control characters");

export const descriptionSchema = z
  .string()
  .max(DESCRIPTION_MAX, `Description must be at most ${DESCRIPTION_MAX} characters`)
  .transform((d) => d.replace(/\r\n?/g, "\n"))
  .refine((d) => !d.includes("\u0000"), "Description contains a NUL character");

export const fileKeySchema = z.string().min(1, "file_key cannot be empty").max(1024, "file_key is too long");

export const newNoteSchema = z.object({
  title: titleSchema,
  description: descriptionSchema.default(""),
  fileKey: fileKeySchema.nullish(),
});

/** Title and description together (the browser's forms send both). */
export const noteTextSchema = z.object({ title: titleSchema, description: descriptionSchema });
export const titleUpdateSchema = noteTextSchema.pick({ title: true });
export const descriptionUpdateSchema = noteTextSchema.pick({ description: true });
export const fileAttachSchema = z.object({ fileKey: fileKeySchema });

export const LIST_LIMIT_DEFAULT = 100;
export const LIST_LIMIT_MAX = 1000;

/**
 * The most bytes of titles and descriptions (UTF-8) one page of a listing holds, whatever its limit: a page
 * ends early, with a cursor to the rest, rather than holding up to 1,000 notes of 100,000 characters in
 * memory at once. Always at least one note, so that the cursor moves on. The notes page renders Markdown and
 * sends each description twice (HTML and the client's props), so it holds less.
 */
export const LIST_PAGE_MAX_BYTES = 1024 * 1024;
export const NOTES_PAGE_MAX_BYTES = 256 * 1024;

/** Listing orders: newest first (the default), oldest first, recently edited, by title. */
export const SORTS = ["newest", "oldest", "edited", "title"] as const;
export type NoteSort = (typeof SORTS)[number];

/** `a,b` (or one value) out of `allowed`. */
function commaList<const T extends string>(allowed: readonly T[]) {
  return z
    .string()
    .transform((v, ctx) => {
      const values = v
        .split(",")
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean);
      const bad = values.find((x) => !allowed.includes(x as T));
      if (bad !== undefined) {
        ctx.addIssue({ code: "custom", message: `Input should be one of: ${allowed.join(", ")}` });
        return z.NEVER;
      }
      return values as T[];
    })
    .optional();
}

const day = z
  .string()
  .transform(
    (v, ctx) =>
      parseDay(v) ?? (ctx.addIssue({ code: "custom", message: "Input should be a date YYYY-MM-DD" }), z.NEVER),
  )
  .optional();

export const listQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int("Input should be a valid integer")
    .min(1, "Input should be greater than or equal to 1")
    .max(LIST_LIMIT_MAX, `Input should be less than or equal to ${LIST_LIMIT_MAX}`)
    .default(LIST_LIMIT_DEFAULT),
  // A title-sorted cursor carries a title (up to 200 characters, JSON and base64url encoded).
  cursor: z.string().max(2000, "Invalid cursor").optional(),
  q: z
    .string()
    .trim()
    .max(200, "Search text must be at most 200 characters")
    .transform((q) => q.replace(/[\u0000-\u001f\u007f]/g, " ").trim())
    .optional(),
  sort: z.enum(SORTS, `Input should be one of: ${SORTS.join(", ")}`).default("newest"),
  tag: z
    .string()
    .transform((t, ctx) => normalizeTag(t) ?? (ctx.addIssue({ code: "custom", message: "Invalid tag" }), z.NEVER))
    .optional(),
  is: commaList(["pinned", "archived"]),
  in: commaList(["trash"]),
  has: commaList(["file", "image"]),
  before: day,
  after: day,
});

/** The filters of a listing's query parameters, in the shape the search box's filters take. */
export function filtersOfQuery(q: ListQuery): NoteFilters {
  return {
    ...(q.tag ? { tag: q.tag } : {}),
    ...(q.is?.includes("pinned") ? { pinned: true } : {}),
    ...(q.is?.includes("archived") ? { archived: true } : {}),
    ...(q.in?.includes("trash") ? { trash: true } : {}),
    ...(q.has?.includes("file") ? { hasFile: true } : {}),
    ...(q.has?.includes("image") ? { hasImage: true } : {}),
    ...(q.before ? { before: q.before } : {}),
    ...(q.after ? { after: q.after } : {}),
  };
}

export const tagRenameSchema = z.object({
  name: z
    .string()
    .transform((t, ctx) => normalizeTag(t) ?? (ctx.addIssue({ code: "custom", message: "Invalid tag name" }), z.NEVER)),
});

/** A note as the domain hands it out (lib/notes/rows.ts reads it from its table). */
export const noteSchema = z.object({
  id: noteIdSchema,
  title: z.string(),
  description: z.string(),
  fileKey: z.string().nullable(),
  fileName: z.string().nullable(),
  fileSize: z.number().int().nullable(),
  contentType: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The #tags of the title and description (lib/notes/tags.ts), kept in sync on every save. */
  tags: z.array(z.string()),
  /** Pinned notes come first in every listing. */
  pinned: z.boolean(),
  /** Archived notes leave the UI's main list; they stay searchable with is:archived. */
  archived: z.boolean(),
  /** When the note was moved to the trash; null for a live note. */
  deletedAt: z.date().nullable(),
});

export type Note = z.infer<typeof noteSchema>;
export type NewNoteInput = z.input<typeof newNoteSchema>;
export type NoteText = z.infer<typeof noteTextSchema>;
/** A listing as the domain takes it: what the query parameters give, the sort order optional (newest first). */
export type ListQuery = Omit<z.infer<typeof listQuerySchema>, "sort"> & { sort?: NoteSort };
