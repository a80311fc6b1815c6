import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";

/**
 * Applies prisma/migrations the way `prisma migrate deploy` does, for machines where Prisma's native schema
 * engine is not available: same advisory lock, same `_prisma_migrations` bookkeeping (checksum = SHA-256 of
 * migration.sql), so either tool can take over from the other.
 */

// The lock id `prisma migrate` takes; holding the same one keeps both tools (and concurrent instances) apart.
const PRISMA_MIGRATE_LOCK_ID = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function defaultMigrationsDir(): string {
  const candidates = [path.join(process.cwd(), "prisma", "migrations")];
  return candidates.find((dir) => existsSync(/* turbopackIgnore: true */ dir)) ?? candidates[0]!;
}

export async function readMigrations(dir: string = defaultMigrationsDir()): Promise<Migration[]> {
  const entries = await readdir(/* turbopackIgnore: true */ dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const file = path.join(dir, name, "migration.sql");
    if (!existsSync(/* turbopackIgnore: true */ file)) continue;
    const bytes = await readFile(/* turbopackIgnore: true */ file);
    migrations.push({ name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") });
  }
  return migrations;
}

/** Applies every pending migration, each in its own transaction. Safe to call from many processes at once. */
export async function migrate(pool: pg.Pool, dir?: string): Promise<MigrateResult> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_ID]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
      }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);

      const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed) {
        throw new MigrationError(
          `Migration ${failed.migration_name} failed earlier and was not resolved; ` +
            "fix the database and run `prisma migrate resolve` before starting again.",
        );
      }
      const done = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
      const known = new Set(migrations.map((m) => m.name));
      const unknown = [...done].filter((name) => !known.has(name));
      if (unknown.length > 0) {
        // A database ahead of the code (a rollback of the app): refusing is safer than guessing.
        throw new MigrationError(
          `The database has migrations this build does not know: ${unknown.join(", ")}. Deploy the newer build.`,
        );
      }

      const result: MigrateResult = { applied: [], alreadyApplied: [] };
      for (const m of migrations) {
        if (done.has(m.name)) {
          result.alreadyApplied.push(m.name);
          continue;
        }
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
          [id, m.checksum, m.name],
        );
        try {
          await client.query("BEGIN");
          await client.query(m.sql);
          await client.query(
            `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
            [id],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          // The transaction left the schema untouched, so the attempt is recorded as rolled back (as
          // `prisma migrate resolve --rolled-back` would) and the next start retries it.
          await client.query(`UPDATE "_prisma_migrations" SET logs = $2, rolled_back_at = now() WHERE id = $1`, [
            id,
            String(error),
          ]);
          throw new MigrationError(`Migration ${m.name} failed: ${(error as Error).message}`);
        }
        result.applied.push(m.name);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_ID]).catch(() => {});
    }
  } finally {
    client.release();
  }
}
