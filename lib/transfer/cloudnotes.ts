import { fromMarkdown } from "@/lib/transfer/front-matter";
import { entryError } from "@/lib/transfer/import-error";
import { type Manifest, MANIFEST_PATH, fileRelativeToNote, manifestSchema } from "@/lib/transfer/manifest";
import { type ImportLimits, type NoteDraft, checkedFile, checkedText } from "@/lib/transfer/draft";
import type { ZipEntryInfo } from "@/lib/transfer/zip-reader";

/**
 * Reading a CloudNotes export (the format: lib/transfer/manifest.ts): the manifest first, checked against the
 * zip's own listing, then each note's Markdown file into a draft.
 */

/** A manifest is a line of JSON per note: this is room for far more notes than an import takes. */
export const MANIFEST_MAX_BYTES = 64 * 1024 * 1024;
/** Front matter plus a description of at most 100,000 characters (up to 4 bytes each). */
export const NOTE_FILE_MAX_BYTES = 1024 * 1024;

export function parseManifest(text: string, entries: ReadonlyMap<string, ZipEntryInfo>): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw entryError(MANIFEST_PATH, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw entryError(MANIFEST_PATH, `${issue.path.join(".") || "the manifest"}: ${issue.message}`);
  }
  const manifest = parsed.data;
  const paths = new Set<string>();
  for (const note of manifest.notes) {
    for (const path of [note.path, note.file?.path]) {
      if (!path) continue;
      if (paths.has(path)) throw entryError(MANIFEST_PATH, `${path} is listed twice`);
      paths.add(path);
      if (!entries.has(path)) throw entryError(path, "is listed in the manifest but not in the archive");
    }
  }
  return manifest;
}

export function cloudnotesDraft(
  note: Manifest["notes"][number],
  markdown: string,
  entries: ReadonlyMap<string, ZipEntryInfo>,
  limits: ImportLimits,
): NoteDraft {
  const parsed = fromMarkdown(markdown);
  if (!parsed.ok) throw entryError(note.path, lowerFirst(parsed.error));
  const fm = parsed.frontMatter;
  if (fm.id !== note.id) throw entryError(note.path, `its id ${fm.id} is not the manifest's ${note.id}`);
  const expectedFile = note.file ? fileRelativeToNote(note.file.path) : undefined;
  if (fm.file !== expectedFile) {
    throw entryError(note.path, `its file ${fm.file ?? "(none)"} is not the manifest's ${expectedFile ?? "(none)"}`);
  }
  const { title, description } = checkedText(note.path, fm.title, parsed.description);
  const createdAt = new Date(fm.created);
  return {
    sourceId: `cloudnotes:${fm.id}:${fm.created}`,
    origin: { id: fm.id, createdAt },
    title,
    description,
    pinned: fm.pinned,
    archived: fm.archived,
    createdAt,
    updatedAt: new Date(fm.updated),
    deletedAt: fm.deleted_at ? new Date(fm.deleted_at) : null,
    file: note.file
      ? checkedFile(
          note.path,
          {
            entry: note.file.path,
            name: note.file.name,
            contentType: note.file.content_type,
            size: note.file.size,
            sha256: note.file.sha256,
          },
          entries,
          limits,
        )
      : null,
  };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export const manifestIsPresent = (entries: ReadonlyMap<string, ZipEntryInfo>) => entries.has(MANIFEST_PATH);
