import { randomBytes } from "node:crypto";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { migrate } from "@/lib/db/migrate";
import { createDatabase } from "./postgres";
import { s3Client } from "./s3";
import { ensureBucket } from "../../scripts/lib/bucket";

/**
 * For lib-level integration tests (`*.integration.test.ts`): gives the calling test file a database of its own
 * (migrated with lib/db/migrate.ts) and a bucket of its own on the servers of services-setup.ts, and points
 * the app's configuration at them through the environment, as production does. lib/config.ts and the pool,
 * Prisma and S3 singletons read it on first use, so files run in parallel (one process each) without meeting.
 * Call it at the top level of the test file, before any service runs.
 */
export interface LibServices {
  databaseUrl: string;
  bucket: string;
  /** A pool of the test's own, to look at or arrange rows the services do not expose. */
  sql: pg.Pool;
  /** An S3 client of the test's own, to look at the bucket. */
  s3: S3Client;
  /** Whether the bucket holds an object under `key`. */
  objectExists(key: string): Promise<boolean>;
}

export async function setUpLibServices(env: Record<string, string> = {}): Promise<LibServices> {
  const s3 = inject("s3");
  const databaseUrl = await createDatabase(inject("pgAdminUrl"), "lib");
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await migrate(sql);
  const bucket = `cloudnotes-lib-${randomBytes(4).toString("hex")}`;
  await ensureBucket({ ...s3, bucket }, ["http://localhost"]);

  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: "5",
    SECRET_KEY: randomBytes(32).toString("hex"),
    BUCKET_NAME: bucket,
    S3_ENDPOINT: s3.endpoint,
    AWS_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    WORKER_ENABLED: "false",
    ...env,
  });
  resetConfigForTests();

  const client = s3Client(s3);
  afterAll(async () => {
    client.destroy();
    await sql.end();
    // The job queue and the app's own pool, if a test or service opened them (imported here, not above, so
    // that they read the env set here).
    const { stopJobs } = await import("@/lib/jobs");
    await stopJobs();
    const { pool } = await import("@/lib/db/pool");
    await pool().end();
  });
  const objectExists = async (key: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  };
  return { databaseUrl, bucket, sql, s3: client, objectExists };
}

/** A new account, made through the users service; its id. */
export async function newUser(): Promise<string> {
  const { registerUser } = await import("@/lib/users/service");
  return (await registerUser({ email: `${randomBytes(6).toString("hex")}@example.com`, password: "password1" })).id;
}

/** A file uploaded the way browsers do (presigned POST), verified and ready to attach to a note. */
export async function uploadedFile(
  userId: string,
  data = "hello",
  { contentType = "text/plain", fileName = "a.txt" }: { contentType?: string; fileName?: string } = {},
) {
  const { inspectUpload, presignUpload } = await import("@/lib/files/uploads");
  const form = await presignUpload(userId, { fileName, contentType, size: Buffer.byteLength(data) });
  await postToForm(form, data, contentType);
  return inspectUpload(userId, form.key);
}

/** Posts bytes to a presigned upload form, as a browser does; throws unless S3 stored them. */
export async function postToForm(
  form: { url: string; fields: Record<string, string> },
  data: Uint8Array | string,
  contentType: string,
): Promise<void> {
  const body = new FormData();
  for (const [k, v] of Object.entries(form.fields)) body.set(k, v);
  body.set("file", new Blob([data as BlobPart], { type: contentType }));
  const res = await fetch(form.url, { method: "POST", body });
  if (res.status >= 300) throw new Error(`S3 refused the form: ${res.status} ${await res.text()}`);
}
