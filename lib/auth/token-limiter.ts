import "server-only";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/pool";
import { rateLimited } from "@/lib/errors";
import { metrics } from "@/lib/metrics";
import { processSingleton } from "@/lib/process-singleton";

/**
 * Refused personal access tokens, counted per client address in PostgreSQL (shared by every instance, same
 * table and window as the sign-in limits). Only failures count, and past the limit only failures are answered
 * 429 instead of 401: a valid token keeps working from any address, so nobody can lock its owner out.
 */
function limiter(): RateLimiterPostgres {
  return processSingleton("tokenFailureLimiter", () => {
    const c = config();
    return new RateLimiterPostgres({
      storeClient: pool(),
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true,
      keyPrefix: "token_ip",
      points: c.LOGIN_MAX_FAILURES_PER_IP,
      duration: c.LOGIN_FAILURE_WINDOW_MINUTES * 60,
    });
  });
}

/** Counts a refused token from `ip`; throws rate_limited once the address used up its failures. */
export async function recordTokenFailure(ip: string): Promise<void> {
  try {
    await limiter().consume(ip.length <= 200 ? ip : ip.slice(0, 200));
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    metrics().rateLimitHits.inc();
    throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
  }
}
