import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { freePort, waitFor } from "./ports";

/**
 * Runs the production build (.next/standalone/server.mjs, as systemd does) with the given environment, and
 * keeps its JSON log lines for assertions.
 */
export interface RunningApp {
  url: string;
  port: number;
  env: AppEnv;
  logs: string[];
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const SERVER = path.resolve(import.meta.dirname, "../../.next/standalone/server.mjs");

/** The environment of an app instance on the given database, bucket and S3 server (plus `extra`). */
export function appEnvFor(
  databaseUrl: string,
  bucket: string,
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string },
  extra: AppEnv = {},
): AppEnv {
  return {
    DATABASE_URL: databaseUrl,
    SECRET_KEY: testSecret(),
    BUCKET_NAME: bucket,
    S3_ENDPOINT: s3.endpoint,
    AWS_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    ...extra,
  };
}

export function testSecret(): string {
  return randomBytes(32).toString("hex");
}

export type AppEnv = Record<string, string | undefined>;

export interface StartOptions {
  port?: number;
  waitReady?: boolean;
  /** Flags for node itself, before the script (e.g. productionNodeFlags() from ./production). */
  nodeArgs?: string[];
  /** Another copy of server.mjs (a release unpacked elsewhere) instead of the project's build. */
  server?: string;
}

export async function startApp(env: AppEnv, options: StartOptions = {}): Promise<RunningApp> {
  const server = options.server ?? SERVER;
  if (!existsSync(server)) throw new Error(`${server} is missing: run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const fullEnv: AppEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEXT_TELEMETRY_DISABLED: "1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    HOSTNAME: "127.0.0.1",
    LOG_LEVEL: "info",
    ...env,
    PORT: String(port),
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), server], { env: fullEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const logs: string[] = [];
  let buffered = "";
  const collect = (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    logs.push(...lines.filter(Boolean));
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  const app: RunningApp = {
    url,
    port,
    env: fullEnv,
    logs,
    process: child,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady !== false) {
    try {
      await Promise.race([
        waitFor(async () => (await fetch(`${url}/readyz`)).ok, 60_000, `the app on ${url}`),
        exited.then((code) => {
          throw new Error(`the app exited (${code}) during start:\n${logs.slice(-20).join("\n")}`);
        }),
      ]);
    } catch (error) {
      await app.stop("SIGKILL");
      throw error;
    }
  }
  return app;
}
