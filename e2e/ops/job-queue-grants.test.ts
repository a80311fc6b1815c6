import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { expect, inject, it } from "vitest";
import { appEnvFor, SERVER } from "../support/app";
import { freePort } from "../support/ports";
import { createDatabase } from "../support/postgres";
import { migrate } from "@/lib/db/migrate";

/**
 * The job queue creates its own schema (pgboss) when an instance starts. A database user allowed to use the
 * app's tables but not to create a schema in the database must get one line saying what to grant, and the
 * instance must stop (exit 1), not serve without its background work.
 */
it("stops with one line naming the grant when the user may not create the queue's schema", async () => {
  const databaseUrl = await createDatabase(inject("pgAdminUrl"), "grants");
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const role = `app_${randomBytes(3).toString("hex")}`;
  try {
    await migrate(admin);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'role-password'`);
    await admin.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
    await admin.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await admin.query(`GRANT CREATE ON SCHEMA public TO ${role}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.username = role;
  url.password = "role-password";
  const env = appEnvFor(url.toString(), "cloudnotes-grants", inject("s3"), {
    PORT: String(await freePort()),
    LOG_LEVEL: "info",
  });

  const run = spawnSync(process.execPath, [SERVER], {
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  const lines = run.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string; err?: unknown });
  const fatal = lines.filter((l) => l.level === "fatal");
  expect(fatal).toHaveLength(1);
  expect(fatal[0]!.msg).toMatch(
    /^Start-up failed: the job queue cannot set up its schema "pgboss" \(permission denied/,
  );
  expect(fatal[0]!.msg).toContain("CREATE SCHEMA pgboss AUTHORIZATION <user>");
  expect(fatal[0]!.msg).not.toContain("\n");
  // No stack trace anywhere: not on stderr, not in a log line.
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(lines.filter((l) => l.err !== undefined)).toEqual([]);
}, 120_000);
