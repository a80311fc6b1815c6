import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setUpLibServices } from "../../e2e/support/lib-services";
import { issueAccessToken, verifyAccessToken } from "@/lib/auth/api-token";
import { endAllSessions, endSession } from "@/lib/auth/revocation";
import { activeSessionUser, activeTokenUser } from "@/lib/auth/session-state";
import { authenticate, registerUser } from "@/lib/users/service";

/**
 * Whether a browser session or an API token still works (lib/auth/session-state.ts, revocation.ts,
 * api-token.ts), against real PostgreSQL: signing out, signing out everywhere, disabled and deleted accounts.
 */

const services = await setUpLibServices();

afterEach(() => void vi.useRealTimers());

let lastIp = 0;

/** A user signed in as the browser does: the claims its session JWT carries. */
async function signedIn() {
  const email = `${randomBytes(6).toString("hex")}@example.com`;
  await registerUser({ email, password: "password1" });
  const user = await authenticate({ email, password: "password1" }, `10.2.0.${++lastIp}`);
  const session = () => ({ sub: user.id, sid: randomUUID(), sv: user.sessionVersion });
  return { user, session };
}

const publicUser = (u: { id: string; email: string; name: string | null }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
});

describe("browser sessions", () => {
  it("a signed-out session is refused at once; the user's other sessions still work", async () => {
    const { user, session } = await signedIn();
    const laptop = session();
    const phone = session();
    expect(await activeSessionUser(laptop)).toEqual(publicUser(user));
    expect(await activeSessionUser(phone)).toEqual(publicUser(user));

    await endSession(laptop);
    expect(await activeSessionUser(laptop)).toBeNull();
    expect(await activeSessionUser(phone)).toEqual(publicUser(user));
  });

  it("'sign out everywhere' ends every session, and a new sign-in works again", async () => {
    const { user, session } = await signedIn();
    const sessions = [session(), session()];
    for (const s of sessions) expect(await activeSessionUser(s)).not.toBeNull();

    await endAllSessions(user.id);
    for (const s of sessions) expect(await activeSessionUser(s)).toBeNull();
    const again = await authenticate({ email: user.email, password: "password1" }, `10.2.1.${++lastIp}`);
    expect(await activeSessionUser({ sub: user.id, sid: randomUUID(), sv: again.sessionVersion })).toEqual(
      publicUser(user),
    );
  });

  it("refuses the sessions of a disabled or deleted account", async () => {
    const disabled = await signedIn();
    const deleted = await signedIn();
    await services.sql.query("UPDATE users SET disabled_at = now() WHERE id = $1", [disabled.user.id]);
    await services.sql.query("DELETE FROM users WHERE id = $1", [deleted.user.id]);
    // The check of a session never looked at before is not cached: refused at once.
    expect(await activeSessionUser(disabled.session())).toBeNull();
    expect(await activeSessionUser(deleted.session())).toBeNull();
  });

  it("refuses a session without an id or version (it could never be ended)", async () => {
    const { user } = await signedIn();
    expect(await activeSessionUser({ sub: user.id, sv: 0 })).toBeNull();
    expect(await activeSessionUser({ sub: user.id, sid: randomUUID() })).toBeNull();
  });
});

describe("API tokens", () => {
  it("a token works for its user until 'sign out everywhere'", async () => {
    const { user } = await signedIn();
    const { accessToken, expiresIn } = await issueAccessToken(user.id, user.sessionVersion);
    expect(expiresIn).toBe(30 * 60);
    const check = await verifyAccessToken(accessToken);
    expect(check).toEqual({ ok: true, userId: user.id, sessionVersion: 0 });
    expect(await activeTokenUser(user.id, 0)).toEqual(publicUser(user));

    await endAllSessions(user.id);
    expect(await activeTokenUser(user.id, 0)).toBeNull();
    const fresh = await issueAccessToken(user.id, 1);
    expect(await verifyAccessToken(fresh.accessToken)).toMatchObject({ ok: true, sessionVersion: 1 });
    expect(await activeTokenUser(user.id, 1)).toEqual(publicUser(user));
  });

  it("refuses the token of a disabled account", async () => {
    const { user } = await signedIn();
    await services.sql.query("UPDATE users SET disabled_at = now() WHERE id = $1", [user.id]);
    expect(await activeTokenUser(user.id, 0)).toBeNull();
  });

  it("rejects an expired token as expired", async () => {
    const { accessToken } = await issueAccessToken("someone", 0);
    vi.useFakeTimers({ now: Date.now() + 31 * 60_000, toFake: ["Date"] });
    expect(await verifyAccessToken(accessToken)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a token as expired after its exp even when it was accepted before", async () => {
    const { accessToken } = await issueAccessToken("someone", 0);
    expect(await verifyAccessToken(accessToken)).toMatchObject({ ok: true, userId: "someone" });
    vi.useFakeTimers({ now: Date.now() + 31 * 60_000, toFake: ["Date"] });
    expect(await verifyAccessToken(accessToken)).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects forged, tampered and unsigned tokens", async () => {
    const { accessToken } = await issueAccessToken("someone", 0);
    const [header, payload, signature] = accessToken.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const otherKey = new TextEncoder().encode("another-secret-of-at-least-32-characters!");
    const forged = await new SignJWT({ typ: "access", sv: 0 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("someone")
      .setExpirationTime("10m")
      .sign(otherKey);
    for (const token of [`${header}.${otherPayload}.${signature}`, `${none}.${payload}.`, forged, "garbage"]) {
      expect(await verifyAccessToken(token)).toEqual({ ok: false, reason: "invalid" });
    }
  });
});
