import "server-only";
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { getToken, type JWT } from "next-auth/jwt";
import { config } from "@/lib/config";
import { processSingleton } from "@/lib/process-singleton";

/** The key Auth.js encrypts session cookies with (lib/auth/authjs.ts). */
export function authSecret(): string {
  const c = config();
  if (c.AUTH_SECRET) return c.AUTH_SECRET;
  // A separate secret is better; deriving one keeps the zero-configuration run working with SECRET_KEY alone.
  if (derived?.from !== c.SECRET_KEY)
    derived = {
      from: c.SECRET_KEY,
      secret: createHash("sha256").update(`cloudnotes-authjs:${c.SECRET_KEY}`).digest("hex"),
    };
  return derived.secret;
}
let derived: { from: string; secret: string } | undefined;

const SECURE_SESSION_COOKIE = "__Secure-authjs.session-token";
const CLAIMS_TTL_MS = 5 * 60_000;

/**
 * The claims of a request's session cookie, or null (none, not ours, tampered with or expired): decrypted by
 * Auth.js's own getToken, as auth() does, without auth()'s whole session round trip (a synthetic request, a
 * CSRF token, the callbacks and a refreshed cookie that a page cannot set anyway). The `__Secure-` cookie
 * (HTTPS) is read when the browser sent one: the two names are salted differently and only this server mints
 * them. Only the Cookie header is passed, so an Authorization header is never taken for a session.
 */
export async function sessionClaims(cookie: string | null): Promise<JWT | null> {
  if (!cookie) return null;
  const cache = claimsCache();
  const hit = cache.get(cookie);
  if (hit) return hit;
  const claims = await getToken({
    req: { headers: { cookie } },
    secret: authSecret(),
    secureCookie: cookie.includes(SECURE_SESSION_COOKIE),
  });
  // Decrypting is a pure function of the cookie, so a browser's next pages reuse it until the token expires
  // (whether the session still works is asked on every use: lib/auth/session-state.ts).
  const ttl = typeof claims?.exp === "number" ? Math.min(CLAIMS_TTL_MS, claims.exp * 1000 - Date.now()) : 0;
  if (claims && ttl > 0) cache.set(cookie, claims, { ttl });
  return claims;
}

function claimsCache(): LRUCache<string, JWT> {
  return processSingleton(
    "sessionClaimsCache",
    () =>
      new LRUCache<string, JWT>({
        maxSize: 4 * 1024 * 1024,
        // UTF-16 keys (the Cookie header) plus the claims, roughly.
        sizeCalculation: (_claims, cookie) => 2 * cookie.length + 512,
      }),
  );
}
