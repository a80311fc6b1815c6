import "server-only";
import { createHash } from "node:crypto";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { rateLimited } from "@/lib/errors";
import { metrics } from "@/lib/metrics";
import { processSingleton } from "@/lib/process-singleton";

/**
 * Failed sign-ins counted per account and per client IP in PostgreSQL, so the limit holds across every
 * instance. The REST login and the browser sign-in share these counters.
 */

interface Limiters {
  byAccount: RateLimiterPostgres;
  byIp: RateLimiterPostgres;
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
      byAccount: new RateLimiterPostgres({ ...common, keyPrefix: "login_account", points: c.LOGIN_MAX_FAILURES_PER_ACCOUNT }),
      byIp: new RateLimiterPostgres({ ...common, keyPrefix: "login_ip", points: c.LOGIN_MAX_FAILURES_PER_IP }),
    };
  });
}

export interface LoginKeys {
  email: string;
  ip: string;
}

/**
 * Counts an attempt against both counters *before* the password is checked, and throws rate_limited (with the
 * seconds until the window frees) when either was already used up. Counting first, atomically in PostgreSQL
 * (one upsert per counter), is what makes the limit hold under concurrency: a check followed by counting only
 * the failures let a burst of simultaneous guesses, on one instance or many, all pass the check before any
 * failure was recorded.
 */
export async function reserveLoginAttempt({ email, ip }: LoginKeys): Promise<void> {
  const { byAccount, byIp } = limiters();
  const results = await Promise.allSettled([byAccount.consume(counterKey(email)), byIp.consume(counterKey(ip))]);
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

/** A successful sign-in clears the account's failures and gives back the address's reserved attempt. */
export async function recordLoginSuccess({ email, ip }: LoginKeys): Promise<void> {
  const { byAccount, byIp } = limiters();
  await Promise.all([byAccount.delete(counterKey(email)), byIp.reward(counterKey(ip), 1)]);
}

/**
 * The counter's key for an email or address as typed (up to 320 characters) or forwarded (any text): the
 * table's key column holds 255 characters and PostgreSQL text no NUL, so a value it could not store (the
 * insert failed: a 500) is counted by its hash.
 */
function counterKey(value: string): string {
  return value.length <= 200 && !value.includes("\u0000") ? value : `sha256:${createHash("sha256").update(value).digest("hex")}`;
}
