import { z } from "zod";
import { restSchema, toRest } from "@/lib/http/rest-shape";
import { credentialsSchema } from "@/lib/users/schema";

/**
 * The session/token contract: the REST API's login form and token answer (the original's OAuth2 password
 * flow, in its names), the claims of an access token, and the domain's issued token they map from; and
 * personal access tokens (lib/auth/personal-tokens.ts): what creating one takes, what a listed one shows.
 */

/** POST /login: OAuth2PasswordRequestForm's `username` (an email here), or `email` from JSON clients. */
export const loginFormSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== "object" || raw === null) return raw;
    const body = raw as Record<string, unknown>;
    return { ...body, username: body.username ?? body.email };
  },
  z.object({
    username: credentialsSchema.shape.email,
    password: credentialsSchema.shape.password,
  }),
);

/** The claims CloudNotes puts in an access token besides `exp` (jose checks the signature and expiry). */
export const accessClaimsSchema = z.object({
  sub: z.string().min(1),
  typ: z.literal("access"),
  /** The account's session version; absent from tokens issued before versions existed. */
  sv: z.number().int().optional(),
});

export const issuedTokenSchema = z.object({ accessToken: z.string(), expiresIn: z.number().int() });

export type IssuedToken = z.infer<typeof issuedTokenSchema>;

export const apiTokenSchema = z
  .object({ access_token: z.string(), token_type: z.literal("bearer"), expires_in: z.number().int() })
  .meta({ id: "Token" });

export type ApiToken = z.infer<typeof apiTokenSchema>;

export function toApiToken(token: IssuedToken): ApiToken {
  return { access_token: token.accessToken, token_type: "bearer", expires_in: token.expiresIn };
}

// --- Personal access tokens ------------------------------------------------------------------------------

/** Every personal access token starts with this, so that secret scanners (and people) recognise one. */
export const PERSONAL_TOKEN_PREFIX = "cnp_";
export const TOKEN_NAME_MAX = 100;
export const TOKEN_EXPIRY_MAX_DAYS = 3650;

/** "write" includes "read". */
export const tokenScopeSchema = z.enum(["read", "write"]);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

/** Creating a token (the settings page and POST /tokens). */
export const newPersonalTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(TOKEN_NAME_MAX),
  scope: tokenScopeSchema,
  /** Days until it stops working; null or absent: it does not expire. */
  expiresInDays: z.number().int().min(1).max(TOKEN_EXPIRY_MAX_DAYS).nullish(),
});
export type NewPersonalToken = z.infer<typeof newPersonalTokenSchema>;

/** Tokens are made with a random UUID as id (lib/auth/personal-tokens.ts). */
export const personalTokenIdSchema = z.uuid();

/** A token as its owner sees it in lists: never the secret. */
export const personalTokenSchema = z.object({
  id: personalTokenIdSchema,
  name: z.string(),
  scope: tokenScopeSchema,
  prefix: z.string().meta({ description: "The token's first characters, to recognise it" }),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  /** Past its expiry (by the database's clock). */
  expired: z.boolean(),
  lastUsedAt: z.date().nullable().meta({ description: "Updated at most once a minute" }),
});
export type PersonalToken = z.infer<typeof personalTokenSchema>;

/** A personal access token at the REST edge (/tokens), in snake_case as the rest of the API. */
export const apiPersonalTokenSchema = restSchema(personalTokenSchema.omit({ expired: true })).meta({
  id: "PersonalAccessToken",
});

export type ApiPersonalToken = z.infer<typeof apiPersonalTokenSchema>;

export const apiCreatedPersonalTokenSchema = apiPersonalTokenSchema
  .extend({ token: z.string().meta({ description: "The secret: shown this once, never again" }) })
  .meta({ id: "CreatedPersonalAccessToken" });

/** POST /tokens: the contract's fields in the API's names. */
export const apiNewPersonalTokenSchema = z
  .object({
    name: newPersonalTokenSchema.shape.name,
    scope: tokenScopeSchema.meta({ description: "`read`, or `write` (which includes read)" }),
    expires_in_days: newPersonalTokenSchema.shape.expiresInDays.meta({ description: "Absent or null: never expires" }),
  })
  .meta({ id: "NewPersonalAccessToken" })
  .transform(({ expires_in_days, ...token }) => ({ ...token, expiresInDays: expires_in_days }));

export const toApiPersonalToken = (token: PersonalToken): ApiPersonalToken => toRest(apiPersonalTokenSchema, token);
