import { formatBytes, isAllowedType, normaliseContentType } from "@/lib/files/policy";
import { descriptionSchema, titleSchema } from "@/lib/notes/schema";
import { entryError } from "@/lib/transfer/import-error";
import type { ZipEntryInfo } from "@/lib/transfer/zip-reader";

/**
 * A note as an archive describes it, whatever the format: what the import checks, stages and writes. Pure
 * rules, shared by the CloudNotes and Google Keep readers.
 */

export interface FileRef {
  /** The zip entry holding the bytes. */
  entry: string;
  /** The name the note shows. */
  name: string;
  contentType: string;
  size: number;
  /** When the archive vouches for the bytes (the CloudNotes manifest), checked while they are copied. */
  sha256: string | null;
}

export interface NoteDraft {
  /** Stable across imports of the same archive: the key of idempotence (notes.import_source_id). */
  sourceId: string;
  /** A CloudNotes export's own note: the same note if it is still in this account (same id and created). */
  origin: { id: number; createdAt: Date } | null;
  title: string;
  description: string;
  pinned: boolean;
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  file: FileRef | null;
}

export interface ImportLimits {
  maxFileBytes: number;
  allowedTypes: readonly string[];
}

/** The note's texts as the note contract takes them; a refusal names the entry it came from. */
export function checkedText(where: string, title: string, description: string): { title: string; description: string } {
  const t = titleSchema.safeParse(title);
  if (!t.success) throw entryError(where, `the title is not valid (${t.error.issues[0]?.message})`);
  const d = descriptionSchema.safeParse(description);
  if (!d.success) throw entryError(where, `the text is not valid (${d.error.issues[0]?.message})`);
  return { title: t.data, description: d.data };
}

/** A file the archive names: present, of an accepted type and size, no larger than it declares. */
export function checkedFile(
  where: string,
  file: Omit<FileRef, "size"> & { size?: number },
  entries: ReadonlyMap<string, ZipEntryInfo>,
  limits: ImportLimits,
): FileRef {
  const entry = entries.get(file.entry);
  if (!entry) throw entryError(where, `its file ${file.entry} is not in the archive`);
  if (file.size !== undefined && entry.size !== file.size) {
    throw entryError(file.entry, `the archive holds ${entry.size} bytes, the manifest says ${file.size}`);
  }
  if (entry.size > limits.maxFileBytes) {
    throw entryError(file.entry, `is larger than the ${formatBytes(limits.maxFileBytes)} limit for a file`);
  }
  const type = normaliseContentType(file.contentType) ?? "application/octet-stream";
  if (!isAllowedType(type, limits.allowedTypes)) throw entryError(file.entry, `files of type ${type} are not accepted`);
  return { ...file, contentType: type, size: entry.size };
}
