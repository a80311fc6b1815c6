import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/lib/postgres";
import { freePort } from "./ports";

/** Real PostgreSQL for a test run: a throw-away embedded server, or TEST_DATABASE_ADMIN_URL's server. */
export interface TestPostgres {
  adminUrl: string;
  stop(): Promise<void>;
  /** Fast shutdown (SIGINT: sessions are terminated, committed data is kept), for fault tests. */
  shutdown(): Promise<void>;
  /** Starts the server again after shutdown(): same data directory, same port. */
  restart(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-pg-"));
  // As root, the server runs as the `postgres` user, which must be able to enter the directory.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "data"),
    port: await freePort(),
    persistent: false,
  });
  return {
    adminUrl: server.adminUrl,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
    shutdown: () => server.shutdown(),
    restart: () => server.restart(),
  };
}

/** A fresh, empty database on the test server (each test file gets its own). */
export async function createDatabase(adminUrl: string, prefix = "test"): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
