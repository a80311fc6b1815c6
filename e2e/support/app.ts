import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { freePort, waitFor } from "./ports";

/**
 * Runs the production build (.next/standalone/server.mjs, as systemd does) with the given environment, and
 * keeps its JSON log lines for assertions. With E2E_APP_IMAGE=<image> it runs that container image instead
 * (podman, host network, same environment and port), so the same suites test the image
 * (scripts/container/test.ts).
 */
export interface RunningApp {
  url: string;
  port: number;
  env: AppEnv;
  logs: string[];
  process: ChildProcess;
  /** The container's name when the app runs from E2E_APP_IMAGE. */
  container?: string;
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
  const image = process.env.E2E_APP_IMAGE;
  const server = options.server ?? SERVER;
  if (!image && !existsSync(server)) throw new Error(`${server} is missing: run \`npm run build\` first`);
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
  const container = image ? runContainer(image, fullEnv) : undefined;
  const child =
    container?.child ??
    spawn(process.execPath, [...(options.nodeArgs ?? []), server], {
      env: fullEnv as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
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
  // "close": the process has exited and its output is all read (the last log line included).
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      if (!container) return resolve(code);
      void container.remove(logs).then(() => resolve(code));
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const app: RunningApp = {
    url,
    port,
    env: fullEnv,
    logs,
    process: child,
    container: container?.name,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) {
        if (container) await container.kill(signal);
        else child.kill(signal);
      }
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

/**
 * The image in the foreground of a `podman run` child: its exit code is the server's, and a signal sent to the
 * child reaches the server (podman proxies signals). SIGKILL cannot be proxied, so `kill` goes through podman.
 * Read-only root file system, as the app writes nothing on disk. No health-check timer (podman's needs systemd;
 * `podman healthcheck run` still runs the image's HEALTHCHECK), and podman's own log lines stay out of the
 * server's (its errors still print).
 */
interface Container {
  name: string;
  child: ChildProcess;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Once it has exited: appends what `podman run` had not passed on yet (it may exit before the last lines); removes it. */
  remove(logs: string[]): Promise<void>;
}

function runContainer(image: string, env: AppEnv): Container {
  const name = `cloudnotes-e2e-${env.PORT}-${randomBytes(3).toString("hex")}`;
  const envArgs = Object.entries(env)
    .filter(([key, value]) => value !== undefined && key !== "PATH" && key !== "HOME")
    .flatMap(([key, value]) => ["--env", `${key}=${value}`]);
  const child = spawn(
    "podman",
    [
      "--log-level=fatal",
      "run",
      "--name",
      name,
      "--label",
      "cloudnotes.e2e=1",
      "--network=host",
      "--read-only",
      "--health-interval=disable",
      ...envArgs,
      image,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const podman = (...args: string[]) =>
    new Promise<string>((resolve) => {
      let out = "";
      const p = spawn("podman", args, { stdio: ["ignore", "pipe", "pipe"] });
      p.stdout!.on("data", (d) => (out += d));
      p.stderr!.on("data", (d) => (out += d));
      p.once("close", () => resolve(out));
    });
  return {
    name,
    child,
    kill: async (signal) => void (await podman("kill", "--signal", signal, name)),
    async remove(logs) {
      const all = (await podman("logs", name)).split("\n").filter(Boolean);
      if (all.length > logs.length) logs.push(...all.slice(logs.length));
      void podman("rm", "--force", name); // not waited for (the test phase removes what is left)
    },
  };
}
