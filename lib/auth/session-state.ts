import "server-only";
import { LRUCache } from "lru-cache";
import { config } from "@/lib/config";
import { processSingleton } from "@/lib/process-singleton";
import { type AccountState, findAccountState, type PublicUser } from "@/lib/users/service";

/**
 * Whether a browser session or an API token still works: its account exists and is not disabled, it carries
 * the account's current session version (so "sign out everywhere" ends it), and a browser session was not
 * signed out. Browser sessions are checked on every page view, server action and /api/auth/session, through a
 * small per-instance cache (SESSION_CHECK_CACHE_MS) so that a page view does not always cost a query; API
 * tokens are checked uncached (personal access tokens in lib/auth/personal-tokens.ts, in the same query that
 * finds them, against the same account state).
 */

/** The claims of a browser session's JWT that the check reads (set at sign-in, see lib/auth/authjs.ts). */
export interface SessionClaims {
  sub?: unknown;
  /** The session's own id, recorded as revoked when it signs out. */
  sid?: unknown;
  /** The account's session version at sign-in. */
  sv?: unknown;
}

/** A deleted account, as the cache stores it (it cannot store null). */
const GONE = "gone";
type Cached = AccountState | typeof GONE;

function cache(): LRUCache<string, Cached, undefined> | null {
  const ttl = config().SESSION_CHECK_CACHE_MS;
  if (ttl === 0) return null;
  return processSingleton("sessionStateCache", () => {
    return new LRUCache<string, Cached, undefined>({
      max: 10_000,
      ttl,
      // Concurrent checks of one session share a single query.
      fetchMethod: async (key) => (await findAccountState(...splitKey(key))) ?? GONE,
    });
  });
}

const key = (userId: string, sessionId: string) => `${userId}\n${sessionId}`;
const splitKey = (k: string): [string, string] => {
  const at = k.indexOf("\n");
  return [k.slice(0, at), k.slice(at + 1)];
};

async function stateOf(userId: string, sessionId: string): Promise<AccountState | null> {
  const c = cache();
  // A failed shared fetch (or one cut short because the session was just forgotten) is asked again directly.
  const state = c
    ? await c.fetch(key(userId, sessionId)).catch(() => findAccountState(userId, sessionId))
    : await findAccountState(userId, sessionId);
  return state === GONE || !state ? null : state;
}

/** The user of a browser session, or null if it no longer works. Throws if the database cannot be asked. */
export async function activeSessionUser(claims: SessionClaims): Promise<PublicUser | null> {
  const { sub, sid, sv } = claims;
  // A session without an id or version predates revocation: it cannot be ended, so it is not honoured.
  if (typeof sub !== "string" || typeof sid !== "string" || typeof sv !== "number") return null;
  const state = await stateOf(sub, sid);
  return state && !state.disabled && !state.sessionRevoked && state.sessionVersion === sv ? state.user : null;
}

/** The user of an API token, or null if it no longer works. Tokens issued before versions existed carry none: 0. */
export async function activeTokenUser(userId: string, sessionVersion: number | undefined): Promise<PublicUser | null> {
  const state = await findAccountState(userId, null);
  return state && !state.disabled && state.sessionVersion === (sessionVersion ?? 0) ? state.user : null;
}

/** After ending one session here: this instance forgets its last look at once (others within the TTL). */
export function forgetSession(userId: string, sessionId: string): void {
  cache()?.delete(key(userId, sessionId));
}

/** After a change to the whole account (sessions ended, disabled, deleted). */
export function forgetAccount(userId: string): void {
  const c = cache();
  if (!c) return;
  const prefix = `${userId}\n`;
  for (const k of c.keys()) if (k.startsWith(prefix)) c.delete(k);
}
