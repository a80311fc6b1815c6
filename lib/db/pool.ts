import pg from "pg";
import { config } from "@/lib/config";
import { processSingleton } from "@/lib/process-singleton";

/**
 * Settings of every session. Typo-tolerant search (lib/notes/list.ts): pg_trgm's default word similarity of 0.6
 * misses one typo in a word of eight letters or more ("quartely"); 0.5 finds it and still rejects unrelated words.
 */
export const SESSION_OPTIONS = "-c pg_trgm.word_similarity_threshold=0.5";

export function createPool(databaseUrl: string, max: number): pg.Pool {
  const c = config();
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    // Fail fast (503) instead of queueing forever when the database is down or saturated.
    connectionTimeoutMillis: c.DATABASE_CONNECT_TIMEOUT_MS,
    statement_timeout: c.DATABASE_STATEMENT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: "cloudnotes",
    options: SESSION_OPTIONS,
  });
  // An idle client that loses its server (restart, failover) emits here; without a listener the process dies.
  pool.on("error", () => {});
  return pool;
}

/** The process-wide pool shared by Prisma, the rate limiter and the queue worker. */
export function pool(): pg.Pool {
  return processSingleton("pgPool", () => createPool(config().DATABASE_URL, config().DATABASE_POOL_MAX));
}
