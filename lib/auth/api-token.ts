import "server-only";
import { errors, jwtVerify, SignJWT } from "jose";
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

/** Accepts only the configured algorithm (so never `none`), a valid signature, an unexpired `exp` and a `sub`. */
export async function verifyAccessToken(token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, secret(), {
      algorithms: [config().ALGORITHM],
      requiredClaims: ["exp", "sub"],
    });
    const claims = accessClaimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, reason: "invalid" };
    return { ok: true, userId: claims.data.sub, sessionVersion: claims.data.sv };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}
