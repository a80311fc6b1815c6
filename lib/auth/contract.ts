import { z } from "zod";
import { credentialsSchema } from "@/lib/users/schema";

/**
 * The session/token contract: the REST API's login form and token answer (the original's OAuth2 password
 * flow, in its names), the claims of an access token, and the domain's issued token they map from.
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
