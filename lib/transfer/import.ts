import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { Transform } from "node:stream";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { PoolClient } from "pg";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { isDomainError } from "@/lib/errors";
import { displayFileName, uploadKey } from "@/lib/files/policy";
import { bucket, callS3, isNotFound, s3 } from "@/lib/files/s3";
import { logger } from "@/lib/log";
import { requestInboxFold } from "@/lib/notes/inbox";
import { extractTags } from "@/lib/notes/tags";
import { MANIFEST_PATH, type Manifest } from "@/lib/transfer/manifest";
import { MANIFEST_MAX_BYTES, NOTE_FILE_MAX_BYTES, cloudnotesDraft, parseManifest } from "@/lib/transfer/cloudnotes";
import type { FileRef, ImportLimits, NoteDraft } from "@/lib/transfer/draft";
import type { ImportFormat } from "@/lib/transfer/import-contract";
import { ImportError, entryError } from "@/lib/transfer/import-error";
import { KEEP_NOTE_MAX_BYTES, isKeepTakeout, keepDrafts, keepNoteEntries } from "@/lib/transfer/keep";
import { S3RangeReader } from "@/lib/transfer/s3-range-reader";
import { type OpenZip, damaged, openZip } from "@/lib/transfer/zip-reader";
import { inTransaction } from "@/lib/db/transaction";

/**
 * Runs one import (a row of `imports`), as a background job. Never half an import:
 * 1. the archive is read where it lies in S3 (ranged reads, lib/transfer/s3-range-reader.ts) and every note is
 *    checked, and every file of a note not yet in the account is streamed from its zip entry into the owner's
 *    own key (counted, hashed, bounded by its declared size), each staged key recorded as a pending upload
 *    first, so that a crash leaves nothing the sweeper does not find;
 * 2. then all the notes are written in ONE transaction, which also claims the staged keys.
 * Any failure before the commit marks the import failed with a message for a person, writes no note and
 * queues the staged objects for deletion. Memory holds the zip's listing, one note's text and one file's
 * upload buffers at a time (the texts are read again for step 2 rather than kept).
 */

/** Notes written per INSERT statement in step 2. */
const INSERT_BATCH = 100;
/** Progress is written at most this often. */
const PROGRESS_EVERY_MS = 500;
/** All files together, unpacked: a zip of highly compressible files cannot make us store more than this. */
const unpackedLimit = () => 4 * config().IMPORT_MAX_BYTES;

interface Claimed {
  ownerId: string;
  key: string;
}

/** Runs the import `importId` unless it is already finished; safe to call again after a crash (it starts over). */
export async function runImport(importId: string): Promise<void> {
  const { rows } = await pool().query<{ owner_id: string; key: string }>(
    `UPDATE imports SET status = 'running', started_at = now(), done = 0, bytes_done = 0, error = NULL
      WHERE id = $1 AND status IN ('queued', 'running')
      RETURNING owner_id, key`,
    [importId],
  );
  if (!rows[0]) return;
  const claimed: Claimed = { ownerId: rows[0].owner_id, key: rows[0].key };
  const staged: string[] = [];
  const log = logger.child({ importId, userId: claimed.ownerId });
  try {
    const result = await importArchive(importId, claimed, staged);
    log.info(result, "import done");
  } catch (error) {
    const message = messageOf(error);
    if (error instanceof ImportError) log.info({ reason: message }, "import refused");
    else log.error({ err: error }, "import failed");
    await fail(importId, claimed, staged, message);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof ImportError) return error.message;
  if (isDomainError(error) && error.kind === "unavailable") return `${error.message}; nothing was imported.`;
  return "The import failed unexpectedly; nothing was imported. Try again.";
}

async function importArchive(importId: string, claimed: Claimed, staged: string[]) {
  const c = config();
  const limits: ImportLimits = { maxFileBytes: c.MAX_UPLOAD_BYTES, allowedTypes: c.ALLOWED_UPLOAD_TYPES };
  const size = await archiveSize(claimed.key);
  const zip = await openZip(new S3RangeReader(claimed.key, size), size);
  try {
    const source = await readSource(zip, limits);
    const progress = new Progress(importId);
    await progress.start(source.format, source.total, source.bytesTotal);

    // Step 1: check every note, stage the files of the new ones.
    const existing = await existingSources(claimed.ownerId);
    const files = new Map<string, string>(); // sourceId -> staged key
    let unpacked = 0;
    let skipped = 0;
    for await (const drafts of source.notes()) {
      for (const draft of drafts) {
        if (isExisting(draft, existing)) {
          skipped += 1;
          continue;
        }
        if (!draft.file) continue;
        unpacked += draft.file.size;
        if (unpacked > unpackedLimit()) {
          throw new ImportError("The archive's files unpack to more than an import accepts");
        }
        files.set(draft.sourceId, await stage(zip, claimed.ownerId, draft.file, staged, progress));
      }
      progress.note();
    }
    await progress.flush();

    // Step 2: every note in one transaction.
    const created = await writeNotes(importId, claimed, source, existing, files, staged);
    return { created, skipped };
  } finally {
    zip.close();
  }
}

async function archiveSize(key: string): Promise<number> {
  try {
    const head = await callS3(() => s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: key })));
    return Number(head.ContentLength ?? 0);
  } catch (error) {
    if (isNotFound(error)) throw new ImportError("The uploaded archive is gone; upload it again");
    throw error;
  }
}

interface Source {
  format: ImportFormat;
  /** Notes (CloudNotes) or note files (Keep) to go through. */
  total: number;
  bytesTotal: number;
  /** The drafts, one text entry at a time; can be walked again (step 2 reads the texts anew). */
  notes(): AsyncGenerator<NoteDraft[]>;
}

async function readSource(zip: OpenZip, limits: ImportLimits): Promise<Source> {
  if (zip.entries.has(MANIFEST_PATH)) {
    const manifest: Manifest = parseManifest(await zip.readText(MANIFEST_PATH, MANIFEST_MAX_BYTES), zip.entries);
    return {
      format: "cloudnotes",
      total: manifest.notes.length,
      bytesTotal: manifest.notes.reduce((sum, n) => sum + (n.file?.size ?? 0), 0),
      async *notes() {
        for (const note of manifest.notes) {
          yield [cloudnotesDraft(note, await zip.readText(note.path, NOTE_FILE_MAX_BYTES), zip.entries, limits)];
        }
      },
    };
  }
  if (isKeepTakeout(zip.entries)) {
    const paths = keepNoteEntries(zip.entries);
    const jsons = new Set(paths);
    let bytesTotal = 0;
    for (const [name, entry] of zip.entries) {
      if (name.includes("/Keep/") || name.startsWith("Keep/")) if (!jsons.has(name)) bytesTotal += entry.size;
    }
    return {
      format: "keep",
      total: paths.length,
      bytesTotal,
      async *notes() {
        for (const path of paths)
          yield keepDrafts(path, await zip.readText(path, KEEP_NOTE_MAX_BYTES), zip.entries, limits);
      },
    };
  }
  throw new ImportError(
    "This archive is neither a CloudNotes export (no manifest.json at its root) nor a Google Keep Takeout (no Keep/*.json)",
  );
}

/** The account's imported sources, and its own notes by id (an export of this very account, imported back). */
interface Existing {
  sources: Set<string>;
  created: Map<number, number>;
}

async function existingSources(ownerId: string): Promise<Existing> {
  const { rows } = await pool().query<{ id: number; created_at: Date; import_source_id: string | null }>(
    "SELECT id, created_at, import_source_id FROM notes WHERE owner_id = $1",
    [ownerId],
  );
  const existing: Existing = { sources: new Set(), created: new Map() };
  for (const r of rows) {
    if (r.import_source_id) existing.sources.add(r.import_source_id);
    existing.created.set(r.id, r.created_at.getTime());
  }
  return existing;
}

function isExisting(draft: NoteDraft, existing: Existing): boolean {
  if (existing.sources.has(draft.sourceId)) return true;
  return !!draft.origin && existing.created.get(draft.origin.id) === draft.origin.createdAt.getTime();
}

/** Streams one file from its zip entry into a new key of the owner (multipart: bounded memory), checking it. */
async function stage(zip: OpenZip, ownerId: string, file: FileRef, staged: string[], progress: Progress) {
  const key = uploadKey(ownerId, randomUUID(), displayFileName(file.name));
  // Recorded before the first byte: if this process dies, the sweeper deletes what it left.
  await pool().query("INSERT INTO uploads (key, owner_id, file_name, content_type, size) VALUES ($1, $2, $3, $4, $5)", [
    key,
    ownerId,
    displayFileName(file.name),
    file.contentType,
    file.size,
  ]);
  staged.push(key);

  const source = await zip.openStream(file.entry);
  const hash = createHash("sha256");
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      progress.bytes(chunk.length);
      done(null, chunk);
    },
  });
  let sourceError: Error | undefined;
  source.once("error", (error: Error) => {
    sourceError = damaged(file.entry, error);
    counter.destroy(sourceError);
  });
  source.pipe(counter);
  const upload = new Upload({
    client: s3(),
    params: { Bucket: bucket(), Key: key, Body: counter, ContentType: file.contentType },
    queueSize: 2,
    partSize: 5 * 1024 * 1024,
    leavePartsOnError: false,
  });
  try {
    await upload.done();
  } catch (error) {
    source.destroy();
    if (sourceError) throw sourceError;
    await callS3(() => Promise.reject(error));
  }
  if (size !== file.size) throw entryError(file.entry, `holds ${size} bytes, not the ${file.size} it declares`);
  if (file.sha256 && hash.digest("hex") !== file.sha256) {
    throw entryError(file.entry, "its contents do not match the manifest's sha256 (the archive is damaged)");
  }
  return key;
}

async function writeNotes(
  importId: string,
  claimed: Claimed,
  source: Source,
  existing: Existing,
  files: Map<string, string>,
  staged: string[],
): Promise<number> {
  const created = await inTransaction(async (conn) => {
    let skipped = 0;
    let attempted = 0;
    const inserted = new Set<string>();
    let batch: NoteDraft[] = [];
    const flush = async () => {
      for (const id of await insertNotes(conn, claimed.ownerId, batch, files)) inserted.add(id);
      batch = [];
    };
    for await (const drafts of source.notes()) {
      for (const draft of drafts) {
        if (isExisting(draft, existing)) {
          skipped += 1;
          continue;
        }
        batch.push(draft);
        attempted += 1;
        if (batch.length >= INSERT_BATCH) await flush();
      }
    }
    await flush();
    const created = inserted.size;
    // Staged keys now belong to notes; a file whose note turned out to exist (a race) is deleted.
    const orphans = [...files].filter(([sourceId]) => !inserted.has(sourceId)).map(([, key]) => key);
    await conn.query("DELETE FROM uploads WHERE key = ANY($1::text[])", [staged]);
    if (orphans.length) await conn.query("INSERT INTO file_deletions (key) SELECT unnest($1::text[])", [orphans]);
    await finishArchive(conn, claimed.key);
    await conn.query(
      `UPDATE imports SET status = 'done', finished_at = now(), done = total, bytes_done = bytes_total,
                          created_notes = $2, skipped_notes = $3
        WHERE id = $1`,
      [importId, created, skipped + attempted - created],
    );
    return created;
  });
  staged.length = 0;
  if (created > 0) requestInboxFold();
  return created;
}

/** Inserts a batch; returns the source ids actually inserted (one already there is left as it is). */
async function insertNotes(
  conn: PoolClient,
  ownerId: string,
  drafts: NoteDraft[],
  files: Map<string, string>,
): Promise<string[]> {
  if (drafts.length === 0) return [];
  const values: unknown[] = [];
  const rows = drafts.map((d) => {
    const key = d.file ? files.get(d.sourceId) : undefined;
    const row = [
      ownerId,
      d.title,
      d.description,
      extractTags(d.title, d.description),
      key ?? null,
      key ? displayFileName(d.file!.name) : null,
      key ? d.file!.size : null,
      key ? d.file!.contentType : null,
      d.createdAt,
      d.updatedAt,
      d.pinned,
      d.archived,
      d.deletedAt,
      d.sourceId,
    ];
    const at = values.length;
    values.push(...row);
    return `(${row.map((_, i) => `$${at + i + 1}`).join(", ")})`;
  });
  const { rows: inserted } = await conn.query<{ import_source_id: string }>(
    `INSERT INTO notes (owner_id, title, description, tags, file_key, file_name, file_size, content_type,
                        created_at, updated_at, pinned, archived, deleted_at, import_source_id)
     VALUES ${rows.join(", ")}
     ON CONFLICT (owner_id, import_source_id) DO NOTHING
     RETURNING import_source_id`,
    values,
  );
  return inserted.map((r) => r.import_source_id);
}

/**
 * The archive is deleted once the import ends, a little later than now: its upload form may still be posted
 * again until it expires, which would bring the object back after an immediate deletion.
 */
async function finishArchive(conn: PoolClient, key: string): Promise<void> {
  const c = config();
  await conn.query("INSERT INTO file_deletions (key, next_attempt_at) VALUES ($1, now() + make_interval(secs => $2))", [
    key,
    c.UPLOAD_URL_EXPIRES_SECONDS + c.UPLOAD_RECHECK_DELAY_SECONDS,
  ]);
}

async function fail(importId: string, claimed: Claimed, staged: string[], message: string): Promise<void> {
  await inTransaction(async (conn) => {
    await conn.query("DELETE FROM uploads WHERE key = ANY($1::text[])", [staged]);
    if (staged.length) await conn.query("INSERT INTO file_deletions (key) SELECT unnest($1::text[])", [staged]);
    await finishArchive(conn, claimed.key);
    await conn.query("UPDATE imports SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1", [
      importId,
      message.slice(0, 2000),
    ]);
  }).catch((error: unknown) => {
    // The staged keys keep their pending rows: the sweeper deletes them; the import stays "running" until retried.
    logger.error({ err: error, importId }, "could not record a failed import");
  });
}

/** Progress of one import, written to its row at most every PROGRESS_EVERY_MS. */
class Progress {
  private done = 0;
  private bytesDone = 0;
  private last = 0;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly importId: string) {}

  async start(format: ImportFormat, total: number, bytesTotal: number): Promise<void> {
    await pool().query("UPDATE imports SET format = $2, total = $3, bytes_total = $4 WHERE id = $1", [
      this.importId,
      format,
      total,
      bytesTotal,
    ]);
  }

  note(): void {
    this.done += 1;
    this.maybeWrite();
  }

  bytes(n: number): void {
    this.bytesDone += n;
    this.maybeWrite();
  }

  private maybeWrite(): void {
    if (Date.now() - this.last < PROGRESS_EVERY_MS) return;
    this.last = Date.now();
    void this.flush();
  }

  flush(): Promise<unknown> {
    const done = this.done;
    const bytesDone = this.bytesDone;
    this.writing = this.writing
      .then(() =>
        pool().query("UPDATE imports SET done = $2, bytes_done = $3 WHERE id = $1", [this.importId, done, bytesDone]),
      )
      .catch((error: unknown) => logger.warn({ err: error, importId: this.importId }, "import progress not written"));
    return this.writing;
  }
}
