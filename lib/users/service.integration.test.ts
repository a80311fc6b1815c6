import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setUpLibServices } from "../../e2e/support/lib-services";
import {
  ACCOUNT_DISABLED,
  authenticate,
  bumpSessionVersion,
  EMAIL_TAKEN,
  findAccountState,
  INVALID_CREDENTIALS,
  recordRevokedSession,
  registerUser,
} from "@/lib/users/service";

/** lib/users/service.ts against real PostgreSQL: registration, sign-in and what decides a session's fate. */

const services = await setUpLibServices();

const email = () => `${randomBytes(6).toString("hex")}@example.com`;
let lastIp = 0;
/** Each test signs in from addresses of its own, so that the login limits of one do not reach another. */
const ip = () => `10.0.${Math.floor(++lastIp / 250)}.${lastIp % 250}`;

describe("registration", () => {
  it("stores a salted argon2id hash, never the password", async () => {
    const a = await registerUser({ email: email(), password: "same password" });
    const b = await registerUser({ email: email(), password: "same password" });
    expect(a).toEqual({ id: expect.any(String), email: expect.stringContaining("@example.com"), name: null });
    const { rows } = await services.sql.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE id = ANY($1) ORDER BY id",
      [[a.id, b.id]],
    );
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^\$argon2id\$/);
      expect(r.password_hash).not.toContain("same password");
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
  });

  it("refuses an email that is already registered with 400, and keeps the first account", async () => {
    const address = email();
    const first = await registerUser({ email: address, password: "first password" });
    await expect(registerUser({ email: address, password: "second password" })).rejects.toMatchObject({
      kind: "bad_request",
      message: EMAIL_TAKEN,
    });
    expect(await authenticate({ email: address, password: "first password" }, ip())).toMatchObject({ id: first.id });
  });
});

describe("authenticate", () => {
  it("signs in with the right password and reports the session version", async () => {
    const address = email();
    const user = await registerUser({ email: address, password: "correct horse" });
    expect(await authenticate({ email: address, password: "correct horse" }, ip())).toEqual({
      ...user,
      sessionVersion: 0,
    });
  });

  it("answers a wrong password and an unknown email alike (401, same message)", async () => {
    const address = email();
    await registerUser({ email: address, password: "correct horse" });
    const invalid = { kind: "unauthorized", message: INVALID_CREDENTIALS };
    await expect(authenticate({ email: address, password: "wrong horse" }, ip())).rejects.toMatchObject(invalid);
    await expect(authenticate({ email: email(), password: "correct horse" }, ip())).rejects.toMatchObject(invalid);
    // Text PostgreSQL cannot store is an unknown account, not a database error.
    await expect(authenticate({ email: "a\u0000@example.com", password: "x" }, ip())).rejects.toMatchObject(invalid);
  });

  it("reads a malformed stored hash as a wrong password", async () => {
    const address = email();
    const user = await registerUser({ email: address, password: "correct horse" });
    await services.sql.query("UPDATE users SET password_hash = 'not-a-hash' WHERE id = $1", [user.id]);
    await expect(authenticate({ email: address, password: "correct horse" }, ip())).rejects.toMatchObject({
      kind: "unauthorized",
    });
  });

  it("tells a disabled account so (403) only once the password was right", async () => {
    const address = email();
    const user = await registerUser({ email: address, password: "correct horse" });
    await services.sql.query("UPDATE users SET disabled_at = now() WHERE id = $1", [user.id]);
    await expect(authenticate({ email: address, password: "wrong horse" }, ip())).rejects.toMatchObject({
      kind: "unauthorized",
    });
    await expect(authenticate({ email: address, password: "correct horse" }, ip())).rejects.toMatchObject({
      kind: "forbidden",
      message: ACCOUNT_DISABLED,
    });
  });
});

describe("account state", () => {
  it("is null for an account that does not exist (or no longer does)", async () => {
    expect(await findAccountState("no-such-user", null)).toBeNull();
    const user = await registerUser({ email: email(), password: "password1" });
    await services.sql.query("DELETE FROM users WHERE id = $1", [user.id]);
    expect(await findAccountState(user.id, null)).toBeNull();
  });

  it("moves the session version on with every 'sign out everywhere'", async () => {
    const user = await registerUser({ email: email(), password: "password1" });
    expect(await findAccountState(user.id, null)).toEqual({
      user,
      sessionVersion: 0,
      disabled: false,
      sessionRevoked: false,
    });
    await bumpSessionVersion(user.id);
    await bumpSessionVersion(user.id);
    expect(await findAccountState(user.id, null)).toMatchObject({ sessionVersion: 2 });
  });

  it("reports a signed-out session as revoked, and only that one", async () => {
    const user = await registerUser({ email: email(), password: "password1" });
    await recordRevokedSession(user.id, "session-a", 3600);
    await recordRevokedSession(user.id, "session-a", 3600); // signing out twice is fine
    expect(await findAccountState(user.id, "session-a")).toMatchObject({ sessionRevoked: true });
    expect(await findAccountState(user.id, "session-b")).toMatchObject({ sessionRevoked: false });
  });

  it("keeps no record for an account that does not exist, and drops records past their time", async () => {
    await recordRevokedSession("no-such-user", "ghost", 3600);
    const user = await registerUser({ email: email(), password: "password1" });
    await recordRevokedSession(user.id, "old", 3600);
    await services.sql.query("UPDATE revoked_sessions SET expires_at = now() - interval '1 second' WHERE id = 'old'");
    await recordRevokedSession(user.id, "new", 3600);
    const { rows } = await services.sql.query<{ id: string }>(
      "SELECT id FROM revoked_sessions WHERE id IN ('ghost', 'old', 'new')",
    );
    expect(rows.map((r) => r.id)).toEqual(["new"]);
  });
});
