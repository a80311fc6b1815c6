import "server-only";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { logger } from "@/lib/log";

/**
 * The pg-boss instance of a process: its own small pool on DATABASE_URL and its own schema (`pgboss`, created
 * and migrated by pg-boss under an advisory lock, so instances may start together). prisma/schema.prisma and
 * lib/db/schema-drift only look at the public schema.
 */

export const JOBS_SCHEMA = "pgboss";

export interface BossOptions {
  databaseUrl: string;
  /** Works queues, runs schedules and pg-boss's own upkeep; false for an instance that only sends jobs. */
  worker: boolean;
  /** Creates or migrates the schema (MIGRATE_ON_START); false expects it current (`npx pg-boss migrate`). */
  migrate: boolean;
  connectTimeoutMs?: number;
}

export class JobsStartError extends Error {
  override name = "JobsStartError";
}

export async function openBoss(options: BossOptions): Promise<PgBoss> {
  const schemaExists = await hasSchema(options.databaseUrl, options.connectTimeoutMs);
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: JOBS_SCHEMA,
    // Polling, schedules and upkeep: a few connections are plenty; handlers use the app's pool for their work.
    max: 3,
    application_name: "cloudnotes-jobs",
    connectionTimeoutMillis: options.connectTimeoutMs,
    supervise: options.worker,
    schedule: options.worker,
    migrate: options.migrate,
    // A schema made beforehand by an administrator (CREATE SCHEMA pgboss AUTHORIZATION <app user>) needs no
    // CREATE on the database, which `CREATE SCHEMA IF NOT EXISTS` would check even though it exists.
    createSchema: !schemaExists,
  });
  // Without a listener an 'error' event (a lost connection during upkeep) would end the process.
  boss.on("error", (error) => logger.warn({ err: error }, "job queue error"));
  boss.on("warning", ({ message, data }) => logger.warn({ data }, `job queue: ${message}`));
  try {
    await boss.start();
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => {});
    throw new JobsStartError(explainStartError(error));
  }
  return boss;
}

async function hasSchema(databaseUrl: string, connectTimeoutMs?: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
  try {
    await client.connect();
    const { rowCount } = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [JOBS_SCHEMA]);
    return rowCount === 1;
  } catch (error) {
    throw new JobsStartError(explainStartError(error));
  } finally {
    await client.end().catch(() => {});
  }
}

/** One line an operator can act on, instead of a driver's stack trace. */
export function explainStartError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const detail = String(e?.message ?? error).split("\n")[0] ?? "";
  if (e?.code === "42501") {
    return (
      `the job queue cannot set up its schema "${JOBS_SCHEMA}" (${detail}): grant the app's database user ` +
      `CREATE on the database, or create the schema for it once: CREATE SCHEMA ${JOBS_SCHEMA} AUTHORIZATION <user>`
    );
  }
  if (/migrat|not installed/i.test(detail)) {
    return `the job queue's schema "${JOBS_SCHEMA}" is missing or out of date (${detail}): run \`PGBOSS_DATABASE_URL=... npx pg-boss migrate\` or set MIGRATE_ON_START=true`;
  }
  return `the job queue could not start: ${detail}`;
}
