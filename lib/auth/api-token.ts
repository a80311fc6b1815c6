import "server-only";
import { errors, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import { accessClaimsSchema, type IssuedToken } from "@/lib/auth/contract";
import { config } from "@/lib/config";

/**
 * The bearer tokens of the REST API, as the original issued them: HS256 (or the configured HMAC algorithm)
 * signed with SECRET_KEY, `sub` = the user, expiring after ACCESS_TOKEN_EXPIRE_MINUTES; `sv` = the account's
 * session version, so that "sign out everywhere" ends API tokens too.
 */

let key: Uint8Array | undefined;
const secret = () => (key ??= new TextEncoder().encode(config().SECRET_KEY));

export async function issueAccessToken(userId: string, sessionVersion: number): Promise<IssuedToken> {
  const { ALGORITHM, ACCESS_TOKEN_EXPIRE_MINUTES } = config();
  const expiresIn = ACCESS_TOKEN_EXPIRE_MINUTES * 60;
  const accessToken = await new SignJWT({ typ: "access", sv: sessionVersion })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${expiresIn}s`)
    .sign(secret());
  return { accessToken, expiresIn };
}

/** sessionVersion is undefined for a token issued before versions existed. */
export type TokenCheck =
  { ok: true; userId: string; sessionVersion?: number } | { ok: false; reason: "expired" | "invalid" };

type Verified = Extract<TokenCheck, { ok: true }> & { expiresAt: number };

/**
 * Tokens whose signature was checked, by their exact text: a client sends one token with every request, and
 * the HMAC check through WebCrypto is a good part of a request's CPU. Only valid tokens are kept (bounded), and
 * a kept one is still refused once its `exp` has passed; what the token stands for (account, session version)
 * is checked on every request by the caller.
 */
const verified = new LRUCache<string, Verified>({ max: 10_000 });

/** Accepts only the configured algorithm (so never `none`), a valid signature, an unexpired `exp` and a `sub`. */
export async function verifyAccessToken(token: string): Promise<TokenCheck> {
  const known = verified.get(token);
  if (known) {
    if (Date.now() >= known.expiresAt) {
      verified.delete(token);
      return { ok: false, reason: "expired" };
    }
    return { ok: true, userId: known.userId, sessionVersion: known.sessionVersion };
  }
  try {
    const { payload } = await jwtVerify(token, secret(), {
      algorithms: [config().ALGORITHM],
      requiredClaims: ["exp", "sub"],
    });
    const claims = accessClaimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, reason: "invalid" };
    const check = { ok: true as const, userId: claims.data.sub, sessionVersion: claims.data.sv };
    verified.set(token, { ...check, expiresAt: payload.exp! * 1000 });
    return check;
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}
