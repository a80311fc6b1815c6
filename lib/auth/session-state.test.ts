import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AccountState } from "@/lib/users/service";

const findAccountState = vi.fn<(userId: string, sessionId: string | null) => Promise<AccountState | null>>();
let databaseDown = false;
vi.mock("@/lib/users/service", () => ({
  findAccountState: async (u: string, s: string | null) => {
    if (databaseDown) throw new Error("connection refused");
    return findAccountState(u, s);
  },
}));
vi.mock("@/lib/config", () => ({ config: () => ({ SESSION_CHECK_CACHE_MS: 60_000 }) }));

const { activeSessionUser, activeTokenUser, forgetAccount, forgetSession } = await import("./session-state");

const user = { id: "u1", email: "a@example.com", name: null };
const state = (over: Partial<AccountState> = {}): AccountState => ({
  user,
  sessionVersion: 2,
  disabled: false,
  sessionRevoked: false,
  ...over,
});
let sid = 0;
const claims = (over: object = {}) => ({ sub: "u1", sid: `s${++sid}`, sv: 2, ...over });

beforeEach(() => findAccountState.mockReset());

describe("activeSessionUser", () => {
  it("honours a session of a live account at its current version", async () => {
    findAccountState.mockResolvedValue(state());
    expect(await activeSessionUser(claims())).toEqual(user);
  });

  it.each([
    ["signed out", state({ sessionRevoked: true })],
    ["of a disabled account", state({ disabled: true })],
    ["from before sign out everywhere", state({ sessionVersion: 3 })],
    ["of a deleted account", null],
  ])("refuses a session %s", async (_why, s) => {
    findAccountState.mockResolvedValue(s);
    expect(await activeSessionUser(claims())).toBeNull();
  });

  it("refuses a session without an id or version (from before revocation) without asking the database", async () => {
    expect(await activeSessionUser({ sub: "u1", sv: 2 })).toBeNull();
    expect(await activeSessionUser({ sub: "u1", sid: "x" })).toBeNull();
    expect(await activeSessionUser({})).toBeNull();
    expect(findAccountState).not.toHaveBeenCalled();
  });

  it("asks once per session within the cache time, and again once the session or the account is forgotten", async () => {
    findAccountState.mockResolvedValue(state());
    const c = claims();
    await Promise.all([activeSessionUser(c), activeSessionUser(c), activeSessionUser(c)]);
    expect(findAccountState).toHaveBeenCalledTimes(1);

    findAccountState.mockResolvedValue(state({ sessionRevoked: true }));
    forgetSession("u1", c.sid);
    expect(await activeSessionUser(c)).toBeNull();
    expect(findAccountState).toHaveBeenCalledTimes(2);

    const other = claims();
    findAccountState.mockResolvedValue(state());
    expect(await activeSessionUser(other)).toEqual(user);
    findAccountState.mockResolvedValue(state({ disabled: true }));
    forgetAccount("u1");
    expect(await activeSessionUser(other)).toBeNull();
  });

  it("throws when the database cannot be asked (never reads that as signed in)", async () => {
    databaseDown = true;
    await expect(activeSessionUser(claims())).rejects.toThrow("connection refused");
    databaseDown = false;
  });
});

describe("activeTokenUser", () => {
  it("checks uncached, and reads a token without a version as version 0", async () => {
    findAccountState.mockResolvedValue(state({ sessionVersion: 0 }));
    expect(await activeTokenUser("u1", undefined)).toEqual(user);
    expect(await activeTokenUser("u1", 0)).toEqual(user);
    expect(findAccountState).toHaveBeenCalledTimes(2);
    expect(findAccountState).toHaveBeenCalledWith("u1", null);
    findAccountState.mockResolvedValue(state({ sessionVersion: 1 }));
    expect(await activeTokenUser("u1", 0)).toBeNull();
    findAccountState.mockResolvedValue(state({ sessionVersion: 0, disabled: true }));
    expect(await activeTokenUser("u1", 0)).toBeNull();
  });
});
