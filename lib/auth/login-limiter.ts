import "server-only";
import { createHash } from "node:crypto";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { isDomainError, rateLimited } from "@/lib/errors";
import { metrics } from "@/lib/metrics";
import { processSingleton } from "@/lib/process-singleton";

/**
 * Failed sign-ins counted in PostgreSQL, so the limits hold across every instance; the REST login and the
 * browser sign-in share these counters. Lock-out is per (account, address): a stranger guessing from their
 * address locks only that address out of the account. Against guessing spread over many addresses, a much
 * higher per-account ceiling applies to every address except those that signed in to the account lately, so
 * that the owner is not locked out either way. A per-address limit caps guessing across accounts.
 */

interface Limiters {
  byPair: RateLimiterPostgres;
  byAccount: RateLimiterPostgres;
  byIp: RateLimiterPostgres;
  /** (account, address) pairs that signed in successfully within LOGIN_KNOWN_ADDRESS_DAYS. */
  known: RateLimiterPostgres;
}

function limiters(): Limiters {
  return processSingleton("loginLimiters", () => {
    const c = config();
    const common = {
      storeClient: pool(),
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true, // created by our migration, not at run time
      duration: c.LOGIN_FAILURE_WINDOW_MINUTES * 60,
    };
    return {
      byPair: new RateLimiterPostgres({
        ...common,
        keyPrefix: "login_pair",
        points: c.LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP,
      }),
      byAccount: new RateLimiterPostgres({
        ...common,
        keyPrefix: "login_account",
        points: c.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      }),
      byIp: new RateLimiterPostgres({ ...common, keyPrefix: "login_ip", points: c.LOGIN_MAX_FAILURES_PER_IP }),
      known: new RateLimiterPostgres({ ...common, keyPrefix: "login_known", points: 1, duration: knownSeconds() }),
    };
  });
}

const knownSeconds = () => config().LOGIN_KNOWN_ADDRESS_DAYS * 24 * 3600;

export interface LoginKeys {
  email: string;
  ip: string;
}

/**
 * Counts an attempt *before* the password is checked, and throws rate_limited (with the seconds until the
 * window frees) when a limit was already used up. Counting first, atomically in PostgreSQL (one upsert per
 * counter), is what makes the limits hold under concurrency. The address's own counters come first: once they
 * refuse, its further guesses do not count against the account, so one address alone cannot use up the
 * account's ceiling.
 */
export async function reserveLoginAttempt({ email, ip }: LoginKeys): Promise<void> {
  const { byPair, byAccount, byIp } = limiters();
  await consumeAll([byPair.consume(pairKey(email, ip)), byIp.consume(counterKey(ip))]);
  try {
    await consumeAll([byAccount.consume(counterKey(email))]);
  } catch (error) {
    if (!isDomainError(error) || error.kind !== "rate_limited" || !(await isKnownAddress(email, ip))) throw error;
  }
}

/**
 * A successful sign-in clears this address's failures for the account, gives back the attempts it reserved,
 * and marks the address as known to the account. The account's ceiling is not cleared: the owner signing in
 * must not reset the count of a guessing campaign spread over other addresses.
 */
export async function recordLoginSuccess({ email, ip }: LoginKeys): Promise<void> {
  const { byPair, byAccount, byIp, known } = limiters();
  const pair = pairKey(email, ip);
  await Promise.all([
    byPair.delete(pair),
    byIp.reward(counterKey(ip), 1),
    byAccount.reward(counterKey(email), 1),
    known.set(pair, 1, knownSeconds()),
  ]);
}

async function isKnownAddress(email: string, ip: string): Promise<boolean> {
  return (await limiters().known.get(pairKey(email, ip))) !== null;
}

/** Consumes a point of each counter; throws rate_limited with the longest wait if any was used up. */
async function consumeAll(attempts: Promise<RateLimiterRes>[]): Promise<void> {
  const results = await Promise.allSettled(attempts);
  const refused: RateLimiterRes[] = [];
  for (const r of results) {
    if (r.status === "fulfilled") continue;
    // consume() rejects with a RateLimiterRes once the points are spent; anything else is a database error.
    if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
    refused.push(r.reason);
  }
  if (refused.length > 0) {
    metrics().rateLimitHits.inc();
    throw rateLimited(Math.max(1, Math.ceil(Math.max(...refused.map((r) => r.msBeforeNext)) / 1000)));
  }
}

function pairKey(email: string, ip: string): string {
  return counterKey(`${email}|${ip}`);
}

/**
 * The counter's key for an email or address as typed (up to 320 characters) or forwarded (any text): the
 * table's key column holds 255 characters and PostgreSQL text no NUL, so a value it could not store (the
 * insert failed: a 500) is counted by its hash.
 */
function counterKey(value: string): string {
  return value.length <= 200 && !value.includes("\u0000")
    ? value
    : `sha256:${createHash("sha256").update(value).digest("hex")}`;
}
