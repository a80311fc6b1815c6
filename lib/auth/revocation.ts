import "server-only";
import { config } from "@/lib/config";
import { deleteAllPersonalTokens } from "@/lib/auth/personal-tokens";
import { forgetAccount, forgetSession, type SessionClaims } from "@/lib/auth/session-state";
import { bumpSessionVersion, recordRevokedSession } from "@/lib/users/service";

/** Ending browser sessions on the server, so that a kept copy of a signed-out cookie no longer works. */

/** Signing out: this session's id is recorded as revoked until any copy of its cookie would have expired. */
export async function endSession(claims: SessionClaims): Promise<void> {
  const { sub, sid } = claims;
  if (typeof sub !== "string" || typeof sid !== "string") return;
  // A revoked session is never refreshed again, so no copy outlives its last expiry; a day covers the caches.
  const keepSeconds = config().SESSION_MAX_AGE_DAYS * 24 * 3600 + 24 * 3600;
  await recordRevokedSession(sub, sid, keepSeconds);
  forgetSession(sub, sid);
}

/**
 * "Sign out everywhere": every browser session, API token and personal access token of the user stops working
 * (the version bump alone ends them all; the personal tokens' rows are then dropped too).
 */
export async function endAllSessions(userId: string): Promise<void> {
  await bumpSessionVersion(userId);
  await deleteAllPersonalTokens(userId);
  forgetAccount(userId);
}
