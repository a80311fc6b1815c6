import { z } from "zod";
import { noteIdSchema } from "@/lib/notes/schema";

/**
 * The export format (issue 13), shared by the export (lib/transfer/export.ts) and the import: one zip with
 *
 *   notes/<slug>-<id>.md          one per note: YAML front matter (frontMatterSchema), then the description as is
 *   notes/<slug>-<id>/<name>      the note's file, if it has one, beside it (name: fileNameInZip of its name)
 *   manifest.json                 manifestSchema; the LAST entry, since sha256 and size are computed while the
 *                                 files stream through (read it from the central directory, not the first bytes)
 *
 * Note ids are integers here (PostgreSQL SERIAL, at most 10 digits), so the whole id stands where a UUID would be
 * cut to 8 characters: just as short, and unique without a check. Trashed notes are included, with
 * `deleted_at`: they are still the user's (restorable until purged), and an export that is a backup or a move to
 * another instance must not lose them silently.
 */

export const EXPORT_FORMAT = "cloudnotes-export";
export const EXPORT_VERSION = 1;
export const MANIFEST_PATH = "manifest.json";
export const NOTES_DIR = "notes";
export const SLUG_MAX = 60;
/** A file's name in the zip stays well under the 255 bytes most file systems allow for one path segment. */
export const ZIP_NAME_MAX_BYTES = 150;

/** ISO 8601 with milliseconds and `Z`, as Date#toISOString writes it. */
const isoDate = z.iso.datetime({ offset: false, precision: 3 });
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lower-case hex digits");

const STEM = String.raw`[a-z0-9]+(?:-[a-z0-9]+)*-\d{1,10}`;
const NOTE_PATH_RE = new RegExp(String.raw`^${NOTES_DIR}/(${STEM})\.md$`);
const FILE_PATH_RE = new RegExp(String.raw`^${NOTES_DIR}/(${STEM})/([^/\\]+)$`);

/** A note's Markdown file: `notes/<slug>-<id>.md`. */
export const notePathSchema = z.string().regex(NOTE_PATH_RE, "Invalid note path");
/** A note's attachment: `notes/<slug>-<id>/<name>`, no further folder, never `.` or `..`. */
export const filePathSchema = z
  .string()
  .regex(FILE_PATH_RE, "Invalid file path")
  .refine((p) => !/\/\.{1,2}$/.test(p), "Invalid file path");

export const manifestFileSchema = z.object({
  /** From the zip's root. */
  path: filePathSchema,
  /** The name the note showed (its original file name, unsanitised). */
  name: z.string().min(1).max(255),
  content_type: z.string().min(1).max(255),
  /** Bytes written to the zip for this file (counted while streaming; equals the stored object's size). */
  size: z.number().int().nonnegative(),
  /** Of those bytes. */
  sha256: sha256Hex,
});

export const manifestNoteSchema = z
  .object({
    id: noteIdSchema,
    /** From the zip's root. */
    path: notePathSchema,
    file: manifestFileSchema.nullable(),
  })
  .refine((n) => !n.file || n.file.path.startsWith(`${n.path.slice(0, -".md".length)}/`), {
    message: "A note's file must sit in the folder named after its Markdown file",
    path: ["file", "path"],
  });

export const manifestCountsSchema = z.object({
  notes: z.number().int().nonnegative(),
  /** Notes with a file. */
  files: z.number().int().nonnegative(),
  /** The files' bytes together. */
  bytes: z.number().int().nonnegative(),
});

export const manifestSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exported_at: isoDate,
    notes: z.array(manifestNoteSchema),
    counts: manifestCountsSchema,
  })
  .refine((m) => m.counts.notes === m.notes.length, { message: "counts.notes must match notes", path: ["counts"] })
  .refine((m) => new Set(m.notes.map((n) => n.id)).size === m.notes.length, {
    message: "Note ids must be unique",
    path: ["notes"],
  });

/** The YAML front matter of a note's Markdown file; the body after it is the note's description, unchanged. */
export const frontMatterSchema = z.object({
  id: noteIdSchema,
  title: z.string(),
  /** Lower-case, as the note derived them from its text (an import derives them again from the same text). */
  tags: z.array(z.string()),
  pinned: z.boolean(),
  archived: z.boolean(),
  created: isoDate,
  updated: isoDate,
  /** Only on a note in the trash: when it was moved there. */
  deleted_at: isoDate.optional(),
  /** Only on a note with a file: its path relative to the Markdown file (`<slug>-<id>/<name>`). */
  file: z.string().optional(),
});

export type ManifestFile = z.infer<typeof manifestFileSchema>;
export type ManifestNote = z.infer<typeof manifestNoteSchema>;
export type ManifestCounts = z.infer<typeof manifestCountsSchema>;
export type Manifest = z.infer<typeof manifestSchema>;
export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** ASCII, lower-case words of the title joined by `-`, at most SLUG_MAX characters; `note` when nothing is left. */
export function slugify(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");
  const slug = words.slice(0, SLUG_MAX).replace(/^-+|-+$/g, "");
  return slug || "note";
}

/** `<slug>-<id>`: the Markdown file's name without `.md`, and its file's folder. */
export function noteStem(note: { id: number; title: string }): string {
  return `${slugify(note.title)}-${note.id}`;
}

export function notePath(note: { id: number; title: string }): string {
  return `${NOTES_DIR}/${noteStem(note)}.md`;
}

/**
 * A file name safe on every common file system, kept readable: no path separator, control or reserved character
 * (Windows' `<>:"|?*`), no trailing dot or space, not `.`/`..`, at most ZIP_NAME_MAX_BYTES of UTF-8 with the
 * extension kept. The original name travels in the manifest.
 */
export function fileNameInZip(name: string): string {
  let clean = name
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[/\\<>:"|?*]/g, "_")
    .replace(/^\s+|[\s.]+$/g, "");
  if (clean === "" || /^\.+$/.test(clean)) clean = "file";
  const encoder = new TextEncoder();
  const bytes = (s: string) => encoder.encode(s).length;
  if (bytes(clean) <= ZIP_NAME_MAX_BYTES) return clean;
  const dot = clean.lastIndexOf(".");
  const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : "";
  const chars = Array.from(clean.slice(0, clean.length - ext.length));
  while (chars.length > 0 && bytes(chars.join("")) + bytes(ext) > ZIP_NAME_MAX_BYTES) chars.pop();
  return (chars.join("").replace(/[\s.]+$/, "") || "file") + ext;
}

/** The note's file from the zip's root: `notes/<slug>-<id>/<name>`. */
export function filePath(note: { id: number; title: string }, fileName: string): string {
  return `${NOTES_DIR}/${noteStem(note)}/${fileNameInZip(fileName)}`;
}

/** The same file as the front matter's `file` names it: relative to the Markdown file. */
export function fileRelativeToNote(path: string): string {
  return path.slice(`${NOTES_DIR}/`.length);
}
