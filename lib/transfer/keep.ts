import { z } from "zod";
import { TITLE_MAX } from "@/lib/notes/schema";
import { normalizeTag } from "@/lib/notes/tags";
import { entryError } from "@/lib/transfer/import-error";
import { type ImportLimits, type NoteDraft, checkedFile, checkedText } from "@/lib/transfer/draft";
import type { ZipEntryInfo } from "@/lib/transfer/zip-reader";

/**
 * Reading a Google Keep Takeout: `Takeout/Keep/<note>.json` per note, its attachments beside it. A checklist
 * becomes Markdown task items, labels become #tags (a note's tags are the #words of its text), trashed notes
 * are left out. Keep notes have one file each at most here: a note with several attachments becomes one note
 * per extra attachment, titled after it, so that nothing is dropped.
 */

/** A Keep note's JSON is small; this bounds what one entry may make us hold. */
export const KEEP_NOTE_MAX_BYTES = 4 * 1024 * 1024;

const KEEP_JSON = /^(?:.+\/)?Keep\/[^/]+\.json$/;

export function isKeepTakeout(entries: ReadonlyMap<string, ZipEntryInfo>): boolean {
  for (const name of entries.keys()) if (KEEP_JSON.test(name)) return true;
  return false;
}

/** The notes' JSON files, in a stable order. */
export function keepNoteEntries(entries: ReadonlyMap<string, ZipEntryInfo>): string[] {
  return [...entries.keys()].filter((n) => KEEP_JSON.test(n)).sort();
}

const usec = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

export const keepNoteSchema = z.object({
  title: z.string().default(""),
  textContent: z.string().default(""),
  listContent: z.array(z.object({ text: z.string().default(""), isChecked: z.boolean().default(false) })).optional(),
  labels: z.array(z.object({ name: z.string() })).default([]),
  annotations: z.array(z.object({ url: z.string().optional(), title: z.string().optional() })).default([]),
  attachments: z.array(z.object({ filePath: z.string().min(1), mimetype: z.string().default("") })).default([]),
  isPinned: z.boolean().default(false),
  isArchived: z.boolean().default(false),
  isTrashed: z.boolean().default(false),
  createdTimestampUsec: usec.optional(),
  userEditedTimestampUsec: usec.optional(),
});

export type KeepNote = z.infer<typeof keepNoteSchema>;

/** The drafts of one Keep note (none when it is in Keep's trash). */
export function keepDrafts(
  path: string,
  text: string,
  entries: ReadonlyMap<string, ZipEntryInfo>,
  limits: ImportLimits,
): NoteDraft[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw entryError(path, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = keepNoteSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw entryError(path, `is not a Google Keep note (${issue.path.join(".") || "note"}: ${issue.message})`);
  }
  const note = parsed.data;
  if (note.isTrashed) return [];

  const edited = toDate(note.userEditedTimestampUsec);
  const createdAt = toDate(note.createdTimestampUsec) ?? edited ?? new Date();
  const updatedAt = edited && edited > createdAt ? edited : createdAt;
  const description = keepText(note);
  const title = keepTitle(note, description);
  const base = path
    .split("/")
    .pop()!
    .replace(/\.json$/, "");
  const folder = path.slice(0, path.lastIndexOf("/") + 1);
  const sourceId = `keep:${base}:${note.createdTimestampUsec ?? ""}`;

  const files = note.attachments.map((a) => {
    if (/[/\\]/.test(a.filePath) || a.filePath === "." || a.filePath === "..") {
      throw entryError(path, `its attachment ${a.filePath} is not a plain file name`);
    }
    return checkedFile(
      path,
      { entry: attachmentEntry(folder, a.filePath, entries), name: a.filePath, contentType: a.mimetype, sha256: null },
      entries,
      limits,
    );
  });

  const common = {
    origin: null,
    pinned: note.isPinned,
    archived: note.isArchived,
    createdAt,
    updatedAt,
    deletedAt: null,
  };
  const first: NoteDraft = { ...common, sourceId, ...checkedText(path, title, description), file: files[0] ?? null };
  const extra = files.slice(1).map((file, i): NoteDraft => ({
    ...common,
    sourceId: `${sourceId}#${i + 2}`,
    ...checkedText(path, cut(`${title} (${i + 2})`), `Attachment ${i + 2} of “${title}”.`),
    file,
  }));
  return [first, ...extra];
}

/** Takeout writes some images with another extension than the JSON names (.jpg for .jpeg); both are tried. */
function attachmentEntry(folder: string, name: string, entries: ReadonlyMap<string, ZipEntryInfo>): string {
  const exact = folder + name;
  if (entries.has(exact)) return exact;
  const alternates: Record<string, string> = { ".jpeg": ".jpg", ".jpg": ".jpeg" };
  const ext = /\.[^.]+$/.exec(name)?.[0]?.toLowerCase() ?? "";
  const other = alternates[ext];
  if (other) {
    const candidate = folder + name.slice(0, -ext.length) + other;
    if (entries.has(candidate)) return candidate;
  }
  return exact;
}

function toDate(value: number | undefined): Date | null {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return null;
  const date = new Date(Math.floor(value / 1000));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The note's Markdown: its text, its checklist as task items, its links, then its labels as #tags. */
export function keepText(note: KeepNote): string {
  const parts: string[] = [];
  if (note.textContent.trim()) parts.push(note.textContent.replace(/\r\n?/g, "\n").trimEnd());
  if (note.listContent?.length) {
    parts.push(note.listContent.map((item) => `- [${item.isChecked ? "x" : " "}] ${oneLine(item.text)}`).join("\n"));
  }
  const links = note.annotations.filter((a) => a.url).map((a) => `- [${oneLine(a.title || a.url!)}](${a.url})`);
  if (links.length) parts.push(links.join("\n"));
  if (note.labels.length) {
    const words = note.labels.map((l) => {
      const tag = normalizeTag(l.name.trim().replace(/\s+/g, "-"));
      return tag ? `#${tag}` : l.name;
    });
    parts.push(`Labels: ${words.join(" ")}`);
  }
  return parts.join("\n\n");
}

/** Keep notes often have no title: then the first line of the text, or "Untitled". */
export function keepTitle(note: KeepNote, description: string): string {
  const own = oneLine(note.title);
  if (own) return cut(own);
  const firstLine = description
    .split("\n")
    .map((l) => oneLine(l.replace(/^- \[[ x]\] /, "")))
    .find(Boolean);
  return firstLine ? cut(firstLine) : "Untitled";
}

function oneLine(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function cut(s: string): string {
  const chars = Array.from(s);
  return chars.length <= TITLE_MAX ? s : `${chars.slice(0, TITLE_MAX - 1).join("")}…`;
}
