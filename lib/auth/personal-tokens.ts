import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  type NewPersonalToken,
  PERSONAL_TOKEN_PREFIX,
  type PersonalToken,
  personalTokenIdSchema,
  type TokenScope,
  tokenScopeSchema,
} from "@/lib/auth/contract";
import { pool } from "@/lib/db/pool";
import { notFound } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { PublicUser } from "@/lib/users/service";

/**
 * Personal access tokens: `cnp_` + 256 random bits (base64url). Only their SHA-256 is stored (a fast hash is
 * enough for a secret that cannot be guessed; a slow one would cost every request). Every request looks the
 * token up uncached, so revoking (deleting the row) works at once, on every instance. A token works while its
 * account exists, is not disabled and still has the session version the token was created under ("sign out
 * everywhere" bumps it).
 */

const SECRET_BYTES = 32;
/** What lists and logs show of a token: the marker and 8 characters (48 of its 256 bits). */
const DISPLAY_LENGTH = PERSONAL_TOKEN_PREFIX.length + 8;
/** last_used_at is written at most this often per token, so that using a token is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const isPersonalToken = (token: string) => token.startsWith(PERSONAL_TOKEN_PREFIX);
export const tokenDisplayPrefix = (token: string) => token.slice(0, DISPLAY_LENGTH);
/** The stored form of a bearer secret (also share links': lib/shares). */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
/** 256 random bits, base64url (43 characters). */
export const randomSecret = () => randomBytes(SECRET_BYTES).toString("base64url");

interface TokenRow {
  id: string;
  name: string;
  scope: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  expired: boolean;
  last_used_at: Date | null;
}

function toPersonalToken(row: TokenRow): PersonalToken {
  return {
    id: row.id,
    name: row.name,
    scope: tokenScopeSchema.parse(row.scope),
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    expired: row.expired,
    lastUsedAt: row.last_used_at,
  };
}

const COLUMNS =
  "t.id, t.name, t.scope, t.prefix, t.created_at, t.expires_at, t.last_used_at, " +
  "t.expires_at IS NOT NULL AND t.expires_at <= now() AS expired";

/** Creates a token; its secret is in the answer and nowhere else. */
export async function createPersonalToken(
  userId: string,
  input: NewPersonalToken,
): Promise<{ token: string; info: PersonalToken }> {
  const token = PERSONAL_TOKEN_PREFIX + randomSecret();
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000) : null;
  const { rows } = await pool().query<TokenRow>({
    text: `INSERT INTO personal_access_tokens AS t (id, user_id, name, prefix, token_hash, scope, session_version, expires_at)
           SELECT $1, u.id, $3, $4, $5, $6, u.session_version, $7 FROM users u WHERE u.id = $2
           RETURNING ${COLUMNS}`,
    values: [randomUUID(), userId, input.name, tokenDisplayPrefix(token), hashToken(token), input.scope, expiresAt],
  });
  if (!rows[0]) throw notFound("User not found");
  return { token, info: toPersonalToken(rows[0]) };
}

/** The user's tokens that still work or only expired, newest first (those ended by "sign out everywhere" are gone). */
export async function listPersonalTokens(userId: string): Promise<PersonalToken[]> {
  const { rows } = await pool().query<TokenRow>({
    text: `SELECT ${COLUMNS} FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.user_id = $1 AND t.session_version = u.session_version
           ORDER BY t.created_at DESC, t.id`,
    values: [userId],
  });
  return rows.map(toPersonalToken);
}

/** Revokes one of the user's tokens: it stops working with the next request. */
export async function revokePersonalToken(userId: string, tokenId: string): Promise<void> {
  if (!personalTokenIdSchema.safeParse(tokenId).success) throw notFound("Token not found");
  const { rowCount } = await pool().query({
    text: "DELETE FROM personal_access_tokens WHERE id = $1 AND user_id = $2",
    values: [tokenId, userId],
  });
  if (!rowCount) throw notFound("Token not found");
}

/** After "sign out everywhere": the tokens no longer work (version check); this drops their rows. */
export async function deleteAllPersonalTokens(userId: string): Promise<void> {
  await pool().query({ text: "DELETE FROM personal_access_tokens WHERE user_id = $1", values: [userId] });
}

export type PersonalTokenCheck =
  { ok: true; user: PublicUser; scope: TokenScope } | { ok: false; reason: "expired" | "invalid" };

/** The user and scope of a presented token, or why it does not work. One indexed lookup, uncached. */
export async function checkPersonalToken(token: string): Promise<PersonalTokenCheck> {
  const { rows } = await pool().query<
    PublicUser & {
      token_id: string;
      scope: string;
      expired: boolean;
      current: boolean;
      disabled: boolean;
      last_used_at: Date | null;
    }
  >({
    name: "check_personal_token",
    text: `SELECT t.id AS token_id, t.scope, t.last_used_at,
             t.expires_at IS NOT NULL AND t.expires_at <= now() AS expired,
             t.session_version = u.session_version AS current,
             u.disabled_at IS NOT NULL AS disabled, u.id, u.email, u.name
           FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.token_hash = $1`,
    values: [hashToken(token)],
  });
  const row = rows[0];
  if (!row || !row.current || row.disabled) return { ok: false, reason: "invalid" };
  if (row.expired) return { ok: false, reason: "expired" };
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    await noteUse(row.token_id);
  }
  return { ok: true, user: { id: row.id, email: row.email, name: row.name }, scope: tokenScopeSchema.parse(row.scope) };
}

/** Records the use (once a minute per token, so it is rarely waited for); a failure costs only the date. */
async function noteUse(tokenId: string): Promise<void> {
  await pool()
    .query({
      name: "note_personal_token_use",
      text: `UPDATE personal_access_tokens SET last_used_at = now()
             WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - $2 * interval '1 millisecond')`,
      values: [tokenId, LAST_USED_RESOLUTION_MS],
    })
    .catch((err: unknown) => logger.warn({ err, tokenId }, "could not record the use of a personal access token"));
}
