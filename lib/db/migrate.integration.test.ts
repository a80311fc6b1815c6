import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrate, MigrationError } from "@/lib/db/migrate";
import { createDatabase } from "../../e2e/support/postgres";

/**
 * lib/db/migrate.ts against real PostgreSQL: the `_prisma_migrations` bookkeeping `prisma migrate deploy`
 * keeps, idempotence, concurrent starts, failed migrations and a database ahead of the code.
 */

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
  applied_steps_count: number;
}

let adminUrl: string;
const pools: pg.Pool[] = [];
const tempDirs: string[] = [];

function poolFor(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return pool;
}

/** A pool on a new, empty database. */
async function freshPool(): Promise<pg.Pool> {
  return poolFor(await createDatabase(adminUrl, "migrate"));
}

async function rows(pool: pg.Pool): Promise<MigrationRow[]> {
  return (await pool.query<MigrationRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`))
    .rows;
}

async function tableExists(pool: pg.Pool, table: string): Promise<boolean> {
  return (await pool.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [table])).rows[0]!.t !== null;
}

/** The migrations the project ships, with the SHA-256 of each migration.sql, computed independently. */
async function shippedMigrations(): Promise<{ name: string; checksum: string }[]> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash("sha256")
        .update(await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql")))
        .digest("hex"),
    })),
  );
}

/** A migrations directory in Prisma's layout with the given migration.sql files. */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-migrations-"));
  tempDirs.push(dir);
  await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

beforeAll(() => {
  adminUrl = inject("pgAdminUrl");
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("migrate", () => {
  it("applies every migration to an empty database and records it like `prisma migrate deploy`", async () => {
    const shipped = await shippedMigrations();
    expect(shipped.length).toBeGreaterThan(0);
    const pool = await freshPool();

    const result = await migrate(pool);
    expect(result).toEqual({ applied: shipped.map((m) => m.name), alreadyApplied: [] });

    const recorded = await rows(pool);
    expect(recorded.map((r) => r.migration_name)).toEqual(shipped.map((m) => m.name));
    for (const [i, row] of recorded.entries()) {
      expect(row).toMatchObject({
        checksum: shipped[i]!.checksum,
        applied_steps_count: 1,
        rolled_back_at: null,
        logs: null,
        finished_at: expect.any(Date),
      });
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    for (const table of ["users", "notes", "uploads", "file_deletions", "rate_limits"]) {
      expect(await tableExists(pool, table), table).toBe(true);
    }

    // A second run finds nothing to do and writes nothing.
    const again = await migrate(pool);
    expect(again).toEqual({ applied: [], alreadyApplied: shipped.map((m) => m.name) });
    expect(await rows(pool)).toEqual(recorded);
  });

  it("lets five instances start at once: all succeed and each migration is applied exactly once", async () => {
    const shipped = await shippedMigrations();
    // Five separate pools, as five app instances starting against the same new database would have.
    const url = await createDatabase(adminUrl, "migrate");
    const instances = Array.from({ length: 5 }, () => poolFor(url));
    const first = instances[0]!;

    const results = await Promise.allSettled(instances.map((p) => migrate(p)));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill("fulfilled"));
    const values = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof migrate>>>).value);
    expect(values.flatMap((v) => v.applied).sort()).toEqual(shipped.map((m) => m.name));
    for (const v of values) expect([...v.applied, ...v.alreadyApplied].sort()).toEqual(shipped.map((m) => m.name));

    const recorded = await rows(first);
    expect(recorded.map((r) => r.migration_name)).toEqual(shipped.map((m) => m.name));
    expect(recorded.every((r) => r.finished_at !== null && r.rolled_back_at === null)).toBe(true);
  });

  it("rolls a failing migration back, records it as rolled back with its error, and retries it on the next run", async () => {
    const dir = await migrationsDir({
      "20260101000000_first": `CREATE TABLE "first_table" ("id" INTEGER NOT NULL);`,
      // Its first statement succeeds; the second fails, so the whole migration must be undone.
      "20260102000000_broken": `CREATE TABLE "broken_table" ("id" INTEGER NOT NULL);\nINSERT INTO "no_such_table" VALUES (1);`,
      "20260103000000_after": `CREATE TABLE "after_table" ("id" INTEGER NOT NULL);`,
    });
    const pool = await freshPool();

    const failure = await migrate(pool, dir).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toMatch(/20260102000000_broken failed: .*no_such_table/);

    expect(await tableExists(pool, "first_table")).toBe(true);
    expect(await tableExists(pool, "broken_table")).toBe(false);
    expect(await tableExists(pool, "after_table")).toBe(false);
    let recorded = await rows(pool);
    expect(recorded.map((r) => [r.migration_name, r.finished_at !== null, r.rolled_back_at !== null])).toEqual([
      ["20260101000000_first", true, false],
      ["20260102000000_broken", false, true],
    ]);
    expect(recorded[1]).toMatchObject({ applied_steps_count: 0, logs: expect.stringContaining("no_such_table") });

    // Still broken: retried, fails again, recorded again; nothing after it runs.
    await expect(migrate(pool, dir)).rejects.toBeInstanceOf(MigrationError);
    recorded = await rows(pool);
    expect(
      recorded.filter((r) => r.migration_name === "20260102000000_broken" && r.rolled_back_at !== null),
    ).toHaveLength(2);
    expect(await tableExists(pool, "after_table")).toBe(false);

    // Fixed: the next run applies it and the ones after it.
    const fixedSql = `CREATE TABLE "broken_table" ("id" INTEGER NOT NULL);`;
    await writeFile(path.join(dir, "20260102000000_broken", "migration.sql"), fixedSql);
    expect(await migrate(pool, dir)).toEqual({
      applied: ["20260102000000_broken", "20260103000000_after"],
      alreadyApplied: ["20260101000000_first"],
    });
    expect(await tableExists(pool, "broken_table")).toBe(true);
    expect(await tableExists(pool, "after_table")).toBe(true);
    const finished = (await rows(pool)).filter((r) => r.finished_at !== null);
    expect(finished.map((r) => r.migration_name)).toEqual([
      "20260101000000_first",
      "20260102000000_broken",
      "20260103000000_after",
    ]);
    expect(finished[1]!.checksum).toBe(createHash("sha256").update(fixedSql).digest("hex"));
  });

  it("refuses a database that has an applied migration this build does not know", async () => {
    const shipped = await shippedMigrations();
    const pool = await freshPool();
    await migrate(pool);
    await pool.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, $1, '20991231000000_from_the_future', now(), now(), 1)`,
      ["0".repeat(64)],
    );

    const error = await migrate(pool).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain("20991231000000_from_the_future");
    expect((await rows(pool)).map((r) => r.migration_name).sort()).toEqual(
      [...shipped.map((m) => m.name), "20991231000000_from_the_future"].sort(),
    );
  });

  it("refuses to continue after a migration that started and never finished (a crash mid-migration)", async () => {
    const pool = await freshPool();
    const dir = await migrationsDir({ "20260101000000_only": `CREATE TABLE "only_table" ("id" INTEGER);` });
    await pool.query(`CREATE TABLE "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    await pool.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES (gen_random_uuid()::text, $1, '20260101000000_only')`,
      ["0".repeat(64)],
    );

    const error = await migrate(pool, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/20260101000000_only failed earlier/);
    expect(await tableExists(pool, "only_table")).toBe(false);
  });
});
