import "server-only";
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

/** Throws rate_limited (with the seconds until the window frees) when either counter is used up. */
export async function assertLoginAllowed({ email, ip }: LoginKeys): Promise<void> {
  const { byAccount, byIp } = limiters();
  const [account, address] = await Promise.all([byAccount.get(email), byIp.get(ip)]);
  const blocked = [
    [account, byAccount.points],
    [address, byIp.points],
  ].filter(([res, points]) => res !== null && (res as RateLimiterRes).consumedPoints >= (points as number));
  if (blocked.length > 0) {
    const waitMs = Math.max(...blocked.map(([res]) => (res as RateLimiterRes).msBeforeNext));
    metrics().rateLimitHits.inc();
    throw rateLimited(Math.max(1, Math.ceil(waitMs / 1000)));
  }
}

export async function recordLoginFailure({ email, ip }: LoginKeys): Promise<void> {
  const { byAccount, byIp } = limiters();
  // consume() rejects with a RateLimiterRes once the points are spent; the next attempt is refused anyway.
  await Promise.all([byAccount.consume(email).catch(swallowLimit), byIp.consume(ip).catch(swallowLimit)]);
}

export async function recordLoginSuccess({ email }: LoginKeys): Promise<void> {
  await limiters().byAccount.delete(email);
}

function swallowLimit(error: unknown): void {
  if (!(error instanceof RateLimiterRes)) throw error;
}
