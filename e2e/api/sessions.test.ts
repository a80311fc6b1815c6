import { afterAll, describe, expect, it } from "vitest";
import { api, createNote, jsonBody, login, newUser, PASSWORD, register, uniqueEmail } from "../support/api";
import {
  browserSession,
  browserSignOut,
  closeDb,
  expectDetail,
  fakeIp,
  poll,
  seesNotes,
  sessionOf,
  sql,
} from "./helpers";

/**
 * Browser sessions end on the server, not only in the browser that signed out: a kept copy of the cookie stops
 * working after sign-out, and every session and token of a deleted or disabled account stops working.
 * (Other instances may trust their last look for SESSION_CHECK_CACHE_MS, hence the polls after SQL changes.)
 */

afterAll(closeDb);

/** Another instance's copy of a session goes within the check cache's lifetime: wait for it (no timing asserted). */
const untilSignedOut = (cookie: string) =>
  poll(
    () => sessionOf(cookie),
    (s) => s.session === null,
    "the session to end",
    10_000,
  );

describe("signing out", () => {
  it("ends the session for a kept copy of the cookie too", async () => {
    const { email } = await register(uniqueEmail("signout"));
    const cookie = await browserSession(email);
    expect((await sessionOf(cookie)).session?.user?.email).toBe(email);
    expect(await seesNotes(cookie)).toBe(true);

    const out = await browserSignOut(cookie);
    expect(out.status).toBe(302);
    expect(out.headers.getSetCookie().some((c) => /^authjs\.session-token=;/.test(c))).toBe(true);

    // The copy: no session, no refreshed (sliding) cookie, only one that clears it; no notes; private pages and
    // actions send it to sign in.
    const after = await sessionOf(cookie);
    expect(after.session).toBeNull();
    expect(
      after.setCookie.filter((c) => c.startsWith("authjs.session-token=") && !/^authjs\.session-token=;/.test(c)),
    ).toEqual([]);
    expect(await seesNotes(cookie)).toBe(false);
    const note = await api("/n/1", { headers: { cookie } });
    expect(note.status).toBe(307);
    expect(note.headers.get("location")).toMatch(/^\/signin\?callbackUrl=/);
  });

  it("ends only that session: another sign-in of the same user keeps working", async () => {
    const { email } = await register(uniqueEmail("two"));
    const [a, b] = [await browserSession(email), await browserSession(email)];
    expect((await browserSignOut(a)).status).toBe(302);
    expect((await sessionOf(a)).session).toBeNull();
    expect((await sessionOf(b)).session?.user?.email).toBe(email);
    expect(await seesNotes(b)).toBe(true);
  });
});

describe("an account that is deleted or disabled", () => {
  it("deleted: its sessions end", async () => {
    const { email } = await register(uniqueEmail("gone"));
    const cookie = await browserSession(email);
    expect(await seesNotes(cookie)).toBe(true);
    expect((await sql("DELETE FROM users WHERE email = $1", [email])).rowCount).toBe(1);
    await untilSignedOut(cookie);
    expect(await seesNotes(cookie)).toBe(false);
  });

  it("disabled: its sessions and API tokens stop working, and it cannot sign in again", async () => {
    const user = await newUser("disabled");
    const cookie = await browserSession(user.email);
    await createNote(user.token, { title: "before" });
    expect((await sql("UPDATE users SET disabled_at = now() WHERE email = $1", [user.email])).rowCount).toBe(1);

    // API tokens are checked uncached: at once.
    await expectDetail(await api("/notes", { token: user.token }), 401, "Could not validate credentials");
    await untilSignedOut(cookie);
    expect(await seesNotes(cookie)).toBe(false);

    // The right password is told the account is disabled; a wrong one learns nothing.
    const ip = fakeIp();
    await expectDetail(await login(user.email, PASSWORD, { "x-forwarded-for": ip }), 403, "Account disabled");
    await expectDetail(
      await login(user.email, "wrong password", { "x-forwarded-for": ip }),
      401,
      "Invalid email or password",
    );
    await expect(browserSession(user.email)).rejects.toThrow(/sign-in failed/);

    // Enabled again: signing in works.
    await sql("UPDATE users SET disabled_at = NULL WHERE email = $1", [user.email]);
    const res = await login(user.email, PASSWORD, { "x-forwarded-for": ip });
    expect(res.status).toBe(200);
    expect((await api("/notes", { token: (await jsonBody(res)).access_token })).status).toBe(200);
  });

  it("signed out everywhere (session version bumped): old sessions and API tokens stop working, new ones work", async () => {
    const user = await newUser("everywhere");
    const cookie = await browserSession(user.email);
    await sql("UPDATE users SET session_version = session_version + 1 WHERE email = $1", [user.email]);
    await expectDetail(await api("/notes", { token: user.token }), 401, "Could not validate credentials");
    await untilSignedOut(cookie);
    const fresh = await browserSession(user.email);
    expect(await seesNotes(fresh)).toBe(true);
    const token = (await jsonBody(await login(user.email))).access_token;
    expect((await api("/notes", { token })).status).toBe(200);
  });
});
