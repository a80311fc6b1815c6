import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PASSWORD } from "../support/api";
import { type RunningApp, startApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { appEnv, jsonInit, ownBucket, timedFetch, type Timed } from "../faults/support";

/**
 * Password guessing against two instances on one database: the login limits are counted in PostgreSQL, so
 * spreading the attempts over instances, or firing them all at once, buys an attacker nothing. Per (account,
 * address), per account (guessing spread over many addresses) and per client address (X-Forwarded-For,
 * believed from the trusted loopback proxy).
 */

const PER_ACCOUNT_AND_IP = 3;
const PER_ACCOUNT = 5;
const PER_IP = 8;

let a: RunningApp;
let b: RunningApp;
/** A third instance that trusts no proxy on loopback: its clients' X-Forwarded-* headers are not believed. */
let direct: RunningApp;

beforeAll(async () => {
  const [databaseUrl, bucket] = await Promise.all([
    createDatabase(inject("pgAdminUrl"), "brute"),
    ownBucket("fuzz-brute"),
  ]);
  const env = appEnv(databaseUrl, bucket, {
    LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: String(PER_ACCOUNT_AND_IP),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT),
    LOGIN_MAX_FAILURES_PER_IP: String(PER_IP),
    WORKER_ENABLED: "false",
  });
  a = await startApp(env);
  [b, direct] = await Promise.all([
    startApp({ ...env, MIGRATE_ON_START: "false" }),
    startApp({ ...env, MIGRATE_ON_START: "false", TRUSTED_PROXIES: "10.255.255.1" }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), direct?.stop()]);
}, 60_000);

const ip = () => `10.${randomBytes(3).join(".")}`;

function login(
  app: RunningApp,
  email: string,
  password: string,
  from: string,
): Promise<Timed & { retryAfter: string | null }> {
  const started = performance.now();
  return fetch(`${app.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": from },
    body: new URLSearchParams({ username: email, password }).toString(),
    signal: AbortSignal.timeout(20_000),
  }).then(async (r) => ({
    status: r.status,
    text: await r.text(),
    ms: performance.now() - started,
    retryAfter: r.headers.get("retry-after"),
  }));
}

async function register(): Promise<string> {
  const email = `brute-${randomBytes(5).toString("hex")}@example.com`;
  const r = await timedFetch(`${a.url}/register`, jsonInit({ email, password: PASSWORD }));
  expect(r.status, r.text).toBe(200);
  return email;
}

function expectLimited(r: { status: number; text: string; retryAfter: string | null }, where: string) {
  expect(r.status, `${where}: ${r.text}`).toBe(429);
  expect(JSON.parse(r.text).detail).toEqual(expect.any(String));
  expect(r.retryAfter, where).toMatch(/^\d+$/);
  expect(Number(r.retryAfter)).toBeGreaterThan(0);
  expect(Number(r.retryAfter)).toBeLessThanOrEqual(15 * 60); // the failure window
}

describe("login rate limits across two instances", () => {
  it("per (account, address): one address's failures on both instances lock it out, even concurrently; the owner elsewhere signs in", async () => {
    const victim = await register();
    const stranger = ip();
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => login(i % 2 ? b : a, victim, `burst-${i}`, stranger)),
    );
    expect(burst.filter((r) => r.status === 401).length).toBeLessThanOrEqual(PER_ACCOUNT_AND_IP);
    expect(burst.map((r) => r.status).filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expectLimited(await login(a, victim, PASSWORD, stranger), "A, right password from the stranger's address");
    expectLimited(await login(b, victim, PASSWORD, stranger), "B, right password from the stranger's address");
    expect((await login(b, victim, PASSWORD, ip())).status).toBe(200);
  });

  it("per account: failures alternated between the instances add up; then both refuse, even the right password", async () => {
    const victim = await register();
    for (let i = 0; i < PER_ACCOUNT; i++) {
      const r = await login(i % 2 ? b : a, victim, `wrong-${i}`, ip());
      expect(r.status, `attempt ${i + 1}: ${r.text}`).toBe(401);
    }
    expectLimited(await login(a, victim, "wrong-again", ip()), "A, wrong password");
    expectLimited(await login(b, victim, "wrong-again", ip()), "B, wrong password");
    expectLimited(await login(a, victim, PASSWORD, ip()), "A, right password");
    expectLimited(await login(b, victim, PASSWORD, ip()), "B, right password");
    // Another account is not affected.
    const other = await register();
    expect((await login(b, other, PASSWORD, ip())).status).toBe(200);
  });

  it("per client address: failures for many accounts from one address add up across the instances", async () => {
    const attacker = ip();
    for (let i = 0; i < PER_IP; i++) {
      const r = await login(
        i % 2 ? a : b,
        `nobody-${i}-${randomBytes(3).toString("hex")}@example.com`,
        "guess",
        attacker,
      );
      expect(r.status, `attempt ${i + 1}: ${r.text}`).toBe(401);
    }
    const real = await register();
    expectLimited(await login(a, `nobody-x@example.com`, "guess", attacker), "A, from the address");
    expectLimited(await login(b, real, PASSWORD, attacker), "B, a real account from the address");
    // The same account from another address signs in.
    expect((await login(a, real, PASSWORD, ip())).status).toBe(200);
  });

  it("from an untrusted address, spoofed X-Forwarded-* headers are ignored: a new fake address per guess buys nothing", async () => {
    // Failures for distinct accounts, each with another forged X-Forwarded-For: all count against the one real
    // address (loopback, which no other test of this file signs in from).
    for (let i = 0; i < PER_IP; i++) {
      const r = await login(direct, `spoof-${i}-${randomBytes(3).toString("hex")}@example.com`, "guess", ip());
      expect(r.status, `attempt ${i + 1}: ${r.text}`).toBe(401);
    }
    expectLimited(await login(direct, `spoof-x@example.com`, "guess", ip()), "a new forged address");
    // X-Forwarded-Host/Proto (which steer the URLs Auth.js builds) are dropped too: a malformed one is refused
    // from a trusted proxy, and does not even matter from anyone else.
    const signinPage = (app: RunningApp, headers: Record<string, string>) =>
      fetch(`${app.url}/signin`, { headers }).then((r) => r.status);
    for (const headers of [{ "x-forwarded-host": "a b" }, { "x-forwarded-proto": "javascript" }] as Record<
      string,
      string
    >[]) {
      expect(await signinPage(direct, headers), JSON.stringify(headers)).toBe(200);
      expect(await signinPage(a, headers), JSON.stringify(headers)).toBe(400);
    }
  });

  it("a burst of concurrent guesses on both instances gets no more than the limit evaluated", async () => {
    const victim = await register();
    const attempts = await Promise.all(
      Array.from({ length: 24 }, (_, i) => login(i % 2 ? b : a, victim, `burst-${i}`, ip())),
    );
    const statuses = attempts.map((r) => r.status);
    const evaluated = statuses.filter((s) => s === 401).length;
    console.log(
      `[brute] 24 concurrent wrong passwords on two instances: ${evaluated} evaluated (401), ${statuses.filter((s) => s === 429).length} refused (429)`,
    );
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(evaluated).toBeLessThanOrEqual(PER_ACCOUNT);
    for (const r of attempts.filter((x) => x.status === 429)) expectLimited(r, "burst");
    // Locked afterwards on both, right password included.
    expectLimited(await login(a, victim, PASSWORD, ip()), "A after the burst");
    expectLimited(await login(b, victim, PASSWORD, ip()), "B after the burst");
  });
});
