import "server-only";
import { createHash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import ZipStream from "zip-stream";
import { bucket, s3 } from "@/lib/files/s3";
import { logger } from "@/lib/log";
import { ownedNotePages, ownedTotals } from "@/lib/notes/owned";
import type { Note } from "@/lib/notes/schema";
import { toMarkdown } from "@/lib/transfer/front-matter";
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type FrontMatter,
  type ManifestCounts,
  type ManifestFile,
  MANIFEST_PATH,
  fileRelativeToNote,
  filePath,
  notePath,
} from "@/lib/transfer/manifest";

/**
 * A user's export as a zip stream (the format: lib/transfer/manifest.ts). Notes are read a page at a time and
 * each file is piped from its S3 GetObject into the zip, so memory holds a page of notes and a few stream
 * buffers whatever the export's size; the consumer's pace sets the pace of the reads (back-pressure all the
 * way to S3). Every entry is stored, not deflated: files are mostly compressed already, stored entries cost no
 * CPU, and the size estimate stays close. sha256 and size are counted as the bytes pass, so the manifest is
 * the last entry. ZIP64 records are written by zip-stream once the archive passes 4 GiB.
 *
 * A failure mid-way (S3 error, missing object, database gone) destroys the stream: the client sees a broken
 * download, never a zip that looks complete. Destroying the stream (the client went away) aborts the S3 read
 * in flight and stops reading notes.
 */

export interface ExportEstimate {
  notes: number;
  files: number;
  /** Roughly the zip's size in bytes: exact for the files, close for the notes and the zip's own records. */
  bytes: number;
}

/** Per note: its front matter and the zip's local and central records of its entries, about. */
const NOTE_OVERHEAD_BYTES = 400;
const FILE_OVERHEAD_BYTES = 250;

export async function exportEstimate(userId: string): Promise<ExportEstimate> {
  const t = await ownedTotals(userId);
  return {
    notes: t.notes,
    files: t.files,
    bytes: t.fileBytes + t.textBytes + t.notes * NOTE_OVERHEAD_BYTES + t.files * FILE_OVERHEAD_BYTES + 1024,
  };
}

export function exportArchive(userId: string, options: { signal?: AbortSignal } = {}): Readable {
  const zip = new ZipStream({ store: true });
  const stop = new AbortController();
  let finished = false;
  zip.on("end", () => (finished = true));
  zip.on("close", () => {
    if (!finished) stop.abort(new Error("export stream closed before its end"));
  });
  options.signal?.addEventListener("abort", () => zip.destroy(), { once: true });

  writeArchive(userId, zip, stop.signal).then(
    () => zip.finalize(),
    (error: unknown) => {
      if (!stop.signal.aborted) logger.error({ err: error, userId }, "export failed mid-stream; download aborted");
      else logger.info({ userId }, "export stopped: the client went away");
      zip.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  return zip;
}

async function writeArchive(userId: string, zip: ZipStream, signal: AbortSignal): Promise<void> {
  const exportedAt = new Date();
  const entries: string[] = [];
  const counts: ManifestCounts = { notes: 0, files: 0, bytes: 0 };
  for await (const page of ownedNotePages(userId, signal)) {
    for (const note of page) {
      signal.throwIfAborted();
      const path = notePath(note);
      const fileAt = note.fileKey ? filePath(note, note.fileName ?? note.fileKey.split("/").pop()!) : null;
      const markdown = Buffer.from(toMarkdown(frontMatterOf(note, fileAt), note.description));
      await addEntry(zip, markdown, { name: path, date: note.updatedAt }, signal);
      let file: ManifestFile | null = null;
      if (note.fileKey && fileAt) {
        const { size, sha256 } = await addS3Object(zip, note.fileKey, { name: fileAt, date: note.updatedAt }, signal);
        file = {
          path: fileAt,
          name: note.fileName ?? fileAt.split("/").pop()!,
          content_type: note.contentType ?? "application/octet-stream",
          size,
          sha256,
        };
        counts.files += 1;
        counts.bytes += size;
      }
      counts.notes += 1;
      // Kept as JSON text: the manifest is the one thing held for the whole export (a line per note).
      entries.push(JSON.stringify({ id: note.id, path, file }));
    }
  }
  await addEntry(zip, manifestStream(exportedAt, entries, counts), { name: MANIFEST_PATH, date: exportedAt }, signal);
}

function frontMatterOf(note: Note, fileAt: string | null): FrontMatter {
  return {
    id: note.id,
    title: note.title,
    tags: note.tags,
    pinned: note.pinned,
    archived: note.archived,
    created: note.createdAt.toISOString(),
    updated: note.updatedAt.toISOString(),
    ...(note.deletedAt ? { deleted_at: note.deletedAt.toISOString() } : {}),
    ...(fileAt ? { file: fileRelativeToNote(fileAt) } : {}),
  };
}

/** The manifest, written a note at a time (its text can be larger than one string should be). */
function manifestStream(exportedAt: Date, entries: string[], counts: ManifestCounts): Readable {
  const head = `{"format":${JSON.stringify(EXPORT_FORMAT)},"version":${EXPORT_VERSION},"exported_at":"${exportedAt.toISOString()}","notes":[`;
  const tail = `],"counts":${JSON.stringify(counts)}}\n`;
  return Readable.from(
    (function* () {
      yield head;
      for (let i = 0; i < entries.length; i++) yield i === 0 ? entries[i]! : `,\n${entries[i]}`;
      yield tail;
    })(),
    { objectMode: false },
  );
}

interface EntryData {
  name: string;
  date: Date;
}

/**
 * Appends one entry and resolves once zip-stream has taken all of it (it takes one entry at a time); rejects
 * when the export is stopped meanwhile (a destroyed zip never calls back).
 */
function addEntry(zip: ZipStream, source: Buffer | Readable, data: EntryData, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    zip.entry(source, { ...data, store: true }, (error) => {
      signal.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve();
    });
  });
}

/** Streams one object into the zip, counting its bytes and hashing them on the way. */
async function addS3Object(
  zip: ZipStream,
  key: string,
  data: EntryData,
  signal: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  const object = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }), { abortSignal: signal });
  const body = object.Body as Readable;
  const hash = createHash("sha256");
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  // A failed read must fail the entry (a plain pipe would just end it short), and stopping must stop the read.
  const fail = (error: Error) => counter.destroy(error);
  body.once("error", fail);
  const onAbort = () => body.destroy(signal.reason as Error);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const done = addEntry(zip, counter, data, signal);
    const failed = new Promise<never>((_, reject) => counter.once("error", reject));
    body.pipe(counter);
    await Promise.race([done, failed]);
  } finally {
    signal.removeEventListener("abort", onAbort);
    body.off("error", fail);
  }
  // A body cut short without an error must not pass for the whole file.
  if (object.ContentLength !== undefined && size !== object.ContentLength) {
    throw new Error(`${key}: read ${size} of ${object.ContentLength} bytes`);
  }
  return { size, sha256: hash.digest("hex") };
}
