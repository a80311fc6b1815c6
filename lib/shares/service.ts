import "server-only";
import { randomUUID } from "node:crypto";
import { hashToken, randomSecret } from "@/lib/auth/personal-tokens";
import { pool } from "@/lib/db/pool";
import { notFound } from "@/lib/errors";
import { logger } from "@/lib/log";
import { NOTE_COLUMNS, type NoteRow, toNote } from "@/lib/notes/rows";
import { isNoteId, type Note } from "@/lib/notes/schema";
import { openToken, sealToken } from "@/lib/shares/seal";
import { isShareToken, type NewShare, type Share } from "@/lib/shares/schema";

/**
 * Read-only share links. The owner creates, lists and revokes the links of a note; anyone with a link reads
 * the note while the link is neither revoked nor expired and the note is not in the trash (an archived note
 * stays shared: archiving tidies the owner's list, it does not withdraw anything; a note restored from the
 * trash is shared again by the links it had, which its owner still sees and can revoke). Every check runs in
 * the one uncached query of each view, so revoking or trashing ends a link with the next request.
 */

const NOTE_NOT_FOUND = "Note not found";
const SHARE_NOT_FOUND = "Share link not found";

interface ShareRow {
  id: string;
  note_id: number;
  token_sealed: string;
  indexable: boolean;
  created_at: Date;
  expires_at: Date | null;
  expired: boolean;
  last_viewed_at: Date | null;
  view_count: number;
}

const COLUMNS =
  "s.id, s.note_id, s.token_sealed, s.indexable, s.created_at, s.expires_at, s.last_viewed_at, s.view_count, " +
  "s.expires_at IS NOT NULL AND s.expires_at <= now() AS expired";

function toShare(row: ShareRow, token = openToken(row.token_sealed)): Share {
  return {
    id: row.id,
    noteId: row.note_id,
    token,
    indexable: row.indexable,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    expired: row.expired,
    lastViewedAt: row.last_viewed_at,
    viewCount: row.view_count,
  };
}

/** Creates a link to one of the user's notes (not one in the trash). */
export async function createShare(userId: string, noteId: number, input: NewShare): Promise<Share> {
  if (!isNoteId(noteId)) throw notFound(NOTE_NOT_FOUND);
  const token = randomSecret();
  const { rows } = await pool().query<ShareRow>({
    text: `INSERT INTO note_shares AS s (id, note_id, owner_id, token_hash, token_sealed, indexable, expires_at)
           SELECT $1, n.id, n.owner_id, $4, $5, $6, $7 FROM notes n
           WHERE n.id = $2 AND n.owner_id = $3 AND n.deleted_at IS NULL
           RETURNING ${COLUMNS}`,
    values: [
      randomUUID(),
      noteId,
      userId,
      hashToken(token),
      sealToken(token),
      input.indexable,
      input.expiresAt ?? null,
    ],
  });
  if (!rows[0]) throw notFound(NOTE_NOT_FOUND);
  return toShare(rows[0], token);
}

/** The links of one of the user's notes that are not revoked (expired ones too, marked), newest first. */
export async function listShares(userId: string, noteId: number): Promise<Share[]> {
  if (!isNoteId(noteId)) throw notFound(NOTE_NOT_FOUND);
  const { rows } = await pool().query<ShareRow & { note_found: boolean }>({
    text: `SELECT ${COLUMNS} FROM notes n LEFT JOIN note_shares s ON s.note_id = n.id AND s.revoked_at IS NULL
           WHERE n.id = $1 AND n.owner_id = $2 AND n.deleted_at IS NULL
           ORDER BY s.created_at DESC, s.id`,
    values: [noteId, userId],
  });
  if (rows.length === 0) throw notFound(NOTE_NOT_FOUND);
  return rows.filter((r) => r.id !== null).map((r) => toShare(r));
}

/** Revokes a link: it stops working with the next request, and its token is forgotten. */
export async function revokeShare(userId: string, noteId: number, shareId: string): Promise<void> {
  if (!isNoteId(noteId)) throw notFound(SHARE_NOT_FOUND);
  const { rowCount } = await pool().query({
    text: `UPDATE note_shares SET revoked_at = now(), token_sealed = ''
           WHERE id = $1 AND note_id = $2 AND owner_id = $3 AND revoked_at IS NULL`,
    values: [shareId, noteId, userId],
  });
  if (!rowCount) throw notFound(SHARE_NOT_FOUND);
}

/** What a link opens: the note, and whether its owner lets search engines index it. Nothing of the owner. */
export interface SharedNote {
  note: Note;
  indexable: boolean;
}

// Every condition under which a link works, in one place (the view and the robots check must agree).
const LIVE_SHARE = `s.token_hash = $1 AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())
  AND n.id = s.note_id AND n.owner_id = s.owner_id AND n.deleted_at IS NULL
  AND u.id = n.owner_id AND u.disabled_at IS NULL`;

/**
 * The note behind a token, counting the view; null for a token that is malformed, unknown, revoked or expired,
 * or whose note is in the trash (callers answer the same 404 for all, so nobody learns a token existed). The
 * lookup is by the SHA-256 of the token through a unique index: timing can tell at most about hash prefixes,
 * which says nothing of other tokens; with 256-bit tokens guessing is hopeless, so there is no rate limit.
 */
export async function openSharedNote(token: string): Promise<SharedNote | null> {
  if (!isShareToken(token)) return null;
  const { rows } = await pool().query<NoteRow & { share_indexable: boolean }>({
    name: "open_shared_note",
    text: `WITH hit AS (
             UPDATE note_shares s SET view_count = s.view_count + 1, last_viewed_at = now()
             FROM notes n, users u WHERE ${LIVE_SHARE}
             RETURNING s.note_id, s.indexable)
           SELECT ${NOTE_COLUMNS}, hit.indexable AS share_indexable FROM notes JOIN hit ON notes.id = hit.note_id`,
    values: [hashToken(token)],
  });
  const row = rows[0];
  return row ? { note: toNote(row), indexable: row.share_indexable } : null;
}

/** Whether the page of a token may be indexed (false for any link that does not work); for the proxy's header. */
export async function shareIndexable(token: string): Promise<boolean> {
  if (!isShareToken(token)) return false;
  try {
    const { rows } = await pool().query<{ indexable: boolean }>({
      name: "share_indexable",
      text: `SELECT s.indexable FROM note_shares s, notes n, users u WHERE ${LIVE_SHARE}`,
      values: [hashToken(token)],
    });
    return rows[0]?.indexable ?? false;
  } catch (err) {
    // Failing closed: the page itself reports the outage; search engines are told not to index.
    logger.warn({ err }, "could not read a share link's robots setting");
    return false;
  }
}
