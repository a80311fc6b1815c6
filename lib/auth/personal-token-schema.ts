import { z } from "zod";

/**
 * The contract of personal access tokens: what creating one takes and what a listed token shows. Shared by
 * the domain (lib/auth/personal-tokens.ts), the settings page, the REST routes and the OpenAPI document.
 */

/** Every personal access token starts with this, so that secret scanners (and people) recognise one. */
export const PERSONAL_TOKEN_PREFIX = "cnp_";

export const TOKEN_NAME_MAX = 100;
export const TOKEN_EXPIRY_MAX_DAYS = 3650;

/** "write" includes "read". */
export const tokenScopeSchema = z.enum(["read", "write"]);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(TOKEN_NAME_MAX),
  scope: tokenScopeSchema,
  /** Days until it stops working; null or absent: it does not expire. */
  expiresInDays: z.number().int().min(1).max(TOKEN_EXPIRY_MAX_DAYS).nullable().optional(),
});
export type NewToken = z.infer<typeof newTokenSchema>;

/** A token as its owner sees it in lists (never the secret). */
export interface TokenInfo {
  id: string;
  name: string;
  scope: TokenScope;
  /** The first characters of the token, to recognise it. */
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  /** Past its expiry (by the database's clock). */
  expired: boolean;
  lastUsedAt: Date | null;
}
