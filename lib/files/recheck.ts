import "server-only";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import type pg from "pg";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { normaliseContentType } from "@/lib/files/policy";
import { bucket, isNotFound, s3 } from "@/lib/files/s3";
import { logger } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { inTransaction } from "@/lib/db/transaction";

/**
 * The last word on a presigned key. S3 accepts a presigned POST until it expires, whatever became of its key:
 * posted again after the attach it overwrites the object, after the note's deletion it brings the object back.
 * Once the form is dead (upload_rechecks.due_at, written with the upload row) nothing can write the key any
 * more, so a look then settles it for good, unless the upload is still pending:
 * - still pending (an uploads row): looked at again once the upload is due for the sweep (UPLOAD_TTL_HOURS),
 *   by when it has been attached (and is checked against its note) or swept (and is unreferenced);
 * - referenced by nothing (attached then deleted, discarded, swept): the object is queued for deletion,
 *   whether or not a form posted again brought it back;
 * - attached to a note, or named by a revision of one (its history): the object must be what they say. If its size or type differ, S3 stored bytes
 *   that the policy should have refused and nobody verified: the note loses the file and the object is queued
 *   for deletion (serving it under the note's name, size and type would vouch for unchecked content; the bytes
 *   the user attached are gone either way, since the key was overwritten).
 * Rows are locked with SKIP LOCKED (any number of instances), deleted only once settled in the same transaction
 * (a restart redoes them) and retried with back-off while S3 fails.
 */

const BATCH = 50;
const HEAD_CONCURRENCY = 8;
const MAX_BACKOFF_SECONDS = 3600;

export type RecheckOutcome = "pending" | "unreferenced" | "kept" | "missing" | "detached" | "error";

interface DueRow {
  key: string;
  attempts: number;
  pending: boolean;
  note_id: number | null;
  /** Whether a note's revision names the key (the note's file or one it had). */
  in_history: boolean;
  file_size: number | null;
  content_type: string | null;
}

type Verdict = { outcome: Exclude<RecheckOutcome, "error"> } | { outcome: "error"; error: string };

/** Settles one batch of due rechecks; returns how many rows ended with each outcome. */
export async function recheckExpiredUploadsBatch(client: pg.Pool = pool()): Promise<Map<RecheckOutcome, number>> {
  const counts = new Map<RecheckOutcome, number>();
  await inTransaction(async (conn) => {
    // One statement, so one snapshot: an attach in flight still shows its uploads row (pending), a committed
    // one its note. Nothing can reference a key again once both are gone (attaching needs the uploads row).
    const { rows } = await conn.query<DueRow>(
      `SELECT r.key, r.attempts,
              EXISTS (SELECT 1 FROM uploads u WHERE u.key = r.key) AS pending,
              n.id AS note_id, h.note_id IS NOT NULL AS in_history,
              coalesce(n.file_size, h.file_size)::float8 AS file_size, coalesce(n.content_type, h.content_type) AS content_type
         FROM upload_rechecks r LEFT JOIN notes n ON n.file_key = r.key
         LEFT JOIN LATERAL (SELECT note_id, file_size, content_type FROM note_revisions
                             WHERE file_key = r.key LIMIT 1) AS h ON true
        WHERE r.due_at <= now()
        ORDER BY r.due_at, r.key
        LIMIT ${BATCH}
        FOR UPDATE OF r SKIP LOCKED`,
    );
    const verdicts = await judge(rows);
    for (const row of rows) {
      const verdict = verdicts.get(row.key)!;
      counts.set(verdict.outcome, (counts.get(verdict.outcome) ?? 0) + 1);
      await settle(conn, row, verdict);
    }
  }, client);
  for (const [outcome, n] of counts) metrics().uploadRechecks.inc({ outcome }, n);
  return counts;
}

/** Settles every due recheck (stops at the first batch that makes no progress). */
export async function recheckExpiredUploads(client: pg.Pool = pool()): Promise<Map<RecheckOutcome, number>> {
  const total = new Map<RecheckOutcome, number>();
  for (;;) {
    const counts = await recheckExpiredUploadsBatch(client);
    let settled = 0;
    let seen = 0;
    for (const [outcome, n] of counts) {
      total.set(outcome, (total.get(outcome) ?? 0) + n);
      seen += n;
      if (outcome !== "error") settled += n;
    }
    if (settled === 0 || seen < BATCH) return total;
  }
}

async function judge(rows: DueRow[]): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const attached: DueRow[] = [];
  for (const row of rows) {
    if (row.pending) verdicts.set(row.key, { outcome: "pending" });
    else if (row.note_id === null && !row.in_history) verdicts.set(row.key, { outcome: "unreferenced" });
    else attached.push(row);
  }
  // HEADs a few at a time; once S3 fails, the rest wait for the retry instead of each waiting for a timeout.
  let s3Error: string | undefined;
  for (let i = 0; i < attached.length; i += HEAD_CONCURRENCY) {
    const chunk = attached.slice(i, i + HEAD_CONCURRENCY);
    if (s3Error) {
      for (const row of chunk) verdicts.set(row.key, { outcome: "error", error: s3Error });
      continue;
    }
    await Promise.all(
      chunk.map(async (row) => {
        const verdict = await compareWithNote(row);
        if (verdict.outcome === "error") s3Error ??= verdict.error;
        verdicts.set(row.key, verdict);
      }),
    );
  }
  return verdicts;
}

async function compareWithNote(row: DueRow): Promise<Verdict> {
  try {
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: row.key }));
    const sameSize = Number(head.ContentLength ?? -1) === row.file_size;
    const sameType = normaliseContentType(head.ContentType ?? "") === row.content_type;
    return { outcome: sameSize && sameType ? "kept" : "detached" };
  } catch (error) {
    // Gone already (deleted outside the app): nothing is left to outlive its row.
    if (isNotFound(error)) return { outcome: "missing" };
    return { outcome: "error", error: String((error as Error)?.message ?? error) };
  }
}

async function settle(conn: pg.PoolClient, row: DueRow, verdict: Verdict): Promise<void> {
  if (verdict.outcome === "pending") {
    await conn.query("UPDATE upload_rechecks SET due_at = now() + make_interval(secs => $2) WHERE key = $1", [
      row.key,
      config().UPLOAD_TTL_HOURS * 3600,
    ]);
    return;
  }
  if (verdict.outcome === "error") {
    const backoff = Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.min(row.attempts, 12));
    await conn.query(
      `UPDATE upload_rechecks
          SET attempts = attempts + 1, last_error = $2, due_at = now() + make_interval(secs => $3)
        WHERE key = $1`,
      [row.key, verdict.error.slice(0, 1000), backoff],
    );
    return;
  }
  if (verdict.outcome === "detached") {
    logger.warn(
      { key: row.key, noteId: row.note_id },
      "stored object differs from its note after the upload form expired; file removed",
    );
    // The guard on file_key: if the note changed meanwhile, whoever changed it already queued this key.
    await conn.query(
      `UPDATE notes SET file_key = NULL, file_name = NULL, file_size = NULL, content_type = NULL,
                        updated_at = GREATEST(CURRENT_TIMESTAMP, updated_at + interval '1 millisecond')
        WHERE id = $1 AND file_key = $2`,
      [row.note_id, row.key],
    );
    // Nor is it offered by the note's history any more (the latest revision stays the note as it now is).
    await conn.query(
      `UPDATE note_revisions SET file_key = NULL, file_name = NULL, file_size = NULL, content_type = NULL
        WHERE file_key = $1`,
      [row.key],
    );
  }
  if (verdict.outcome === "detached" || verdict.outcome === "unreferenced") {
    await conn.query("INSERT INTO file_deletions (key) VALUES ($1)", [row.key]);
  }
  await conn.query("DELETE FROM upload_rechecks WHERE key = $1", [row.key]);
}
