import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setUpLibServices } from "../../e2e/support/lib-services";
import { authenticate, registerUser } from "@/lib/users/service";

/**
 * The login limits (lib/auth/login-limiter.ts) as sign-in meets them, counted in real PostgreSQL: guessing is
 * cut off, and the account's owner is not locked out by it.
 */

await setUpLibServices({
  LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: "3",
  LOGIN_MAX_FAILURES_PER_ACCOUNT: "6",
  LOGIN_MAX_FAILURES_PER_IP: "8",
});

const PASSWORD = "correct horse";
let lastIp = 0;
const newIp = () => `10.1.${Math.floor(++lastIp / 250)}.${lastIp % 250}`;

async function newAccount(): Promise<string> {
  const email = `${randomBytes(6).toString("hex")}@example.com`;
  await registerUser({ email, password: PASSWORD });
  return email;
}

const signIn = (email: string, ip: string, password = PASSWORD) => authenticate({ email, password }, ip);
async function fail(email: string, ip: string, times: number) {
  for (let i = 0; i < times; i++) {
    await expect(signIn(email, ip, "wrong password")).rejects.toMatchObject({ kind: "unauthorized" });
  }
}
const limited = { kind: "rate_limited", extra: { retryAfterSeconds: expect.any(Number) } };

describe("login limits", () => {
  it("locks an address out of an account after its failures, even with the right password; others still sign in", async () => {
    const email = await newAccount();
    const guesser = newIp();
    await fail(email, guesser, 3);
    const refused = await signIn(email, guesser).catch((e: unknown) => e);
    expect(refused).toMatchObject(limited);
    expect((refused as { extra: { retryAfterSeconds: number } }).extra.retryAfterSeconds).toBeGreaterThan(0);
    expect(await signIn(email, newIp())).toMatchObject({ email });
  });

  it("a successful sign-in clears the address's failures for the account", async () => {
    const email = await newAccount();
    const ip = newIp();
    await fail(email, ip, 2);
    await signIn(email, ip);
    await fail(email, ip, 2);
    expect(await signIn(email, ip)).toMatchObject({ email });
  });

  it("caps guessing spread over many addresses, but lets in an address that signed in before", async () => {
    const email = await newAccount();
    const home = newIp();
    await signIn(email, home);
    for (let i = 0; i < 6; i++) await fail(email, newIp(), 1);

    await expect(signIn(email, newIp())).rejects.toMatchObject(limited);
    expect(await signIn(email, home)).toMatchObject({ email });
  });

  it("caps one address's guessing across accounts", async () => {
    const ip = newIp();
    for (let i = 0; i < 4; i++) await fail(await newAccount(), ip, 2);
    const email = await newAccount();
    await expect(signIn(email, ip)).rejects.toMatchObject(limited);
    expect(await signIn(email, newIp())).toMatchObject({ email });
  });

  it("counts concurrent guesses exactly: a burst gets no more tries than the limit", async () => {
    const email = await newAccount();
    const ip = newIp();
    // As many as the address's own limit (8): every guess of the burst counts against it, so a larger burst
    // could also be refused by that counter, in whatever order the guesses reach PostgreSQL.
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => signIn(email, ip, "wrong password")));
    const kinds = results.map((r) => (r.status === "rejected" ? (r.reason as { kind: string }).kind : "ok"));
    expect(kinds.filter((k) => k === "unauthorized")).toHaveLength(3);
    expect(kinds.filter((k) => k === "rate_limited")).toHaveLength(5);
  });

  it("counts an address or email too long for the table's key without failing", async () => {
    const email = await newAccount();
    const ip = `${"x".repeat(300)}\u0000`;
    await fail(email, ip, 3);
    await expect(signIn(email, ip)).rejects.toMatchObject(limited);
    await expect(signIn(`${"y".repeat(310)}@example.com`, newIp())).rejects.toMatchObject({ kind: "unauthorized" });
  });
});
