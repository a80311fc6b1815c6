import { z } from "zod";
import { newTokenSchema, tokenScopeSchema, type TokenInfo } from "@/lib/auth/personal-token-schema";

/** Personal access tokens at the REST edge (/tokens): snake_case fields, as the rest of the API. */

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: tokenScopeSchema,
    prefix: z.string().meta({ description: "The token's first characters, to recognise it" }),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime().nullable(),
    last_used_at: z.iso.datetime().nullable().meta({ description: "Updated at most once a minute" }),
  })
  .meta({ id: "PersonalAccessToken" });

export const createdTokenSchema = apiTokenSchema
  .extend({ token: z.string().meta({ description: "The secret: shown this once, never again" }) })
  .meta({ id: "CreatedPersonalAccessToken" });

export const newTokenRequestSchema = z
  .object({
    name: newTokenSchema.shape.name,
    scope: tokenScopeSchema.meta({ description: "`read`, or `write` (which includes read)" }),
    expires_in_days: newTokenSchema.shape.expiresInDays.meta({ description: "Absent or null: never expires" }),
  })
  .meta({ id: "NewPersonalAccessToken" });

export type ApiToken = z.infer<typeof apiTokenSchema>;

export function toApiToken(info: TokenInfo): ApiToken {
  return {
    id: info.id,
    name: info.name,
    scope: info.scope,
    prefix: info.prefix,
    created_at: info.createdAt.toISOString(),
    expires_at: info.expiresAt?.toISOString() ?? null,
    last_used_at: info.lastUsedAt?.toISOString() ?? null,
  };
}
