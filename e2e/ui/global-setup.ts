import type { FullConfig } from "@playwright/test";
import { appEnvFor, startApp } from "../support/app";
import { freePort } from "../support/ports";
import { createDatabase } from "../support/postgres";
import { createBucket } from "../support/s3";
import { startTestServices } from "../support/services";
import { Stops } from "../../scripts/lib/stops";

/**
 * Playwright's world: real PostgreSQL, real S3 (Ceph RGW, or TEST_S3_ENDPOINT) and the production build of the
 * app, reachable at the same origin the bucket's CORS rule allows. Workers read what they need from env.
 */
export const UI_MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/** What the journeys read from the environment; a caller that gives E2E_BASE_URL gives all of it. */
const PROVIDED = ["E2E_BUCKET", "E2E_S3_ENDPOINT", "E2E_S3_REGION", "E2E_S3_ACCESS_KEY_ID", "E2E_S3_SECRET_ACCESS_KEY"];

export default async function globalSetup(_config: FullConfig) {
  if (process.env.E2E_BASE_URL) {
    // Another deployment (the operations test runs the journeys through NGINX over HTTPS): it owns its database
    // and bucket, so nothing is started here; the tests inspect that deployment's bucket.
    const missing = PROVIDED.filter((name) => !process.env[name]);
    if (missing.length > 0) throw new Error(`E2E_BASE_URL is set: also set ${missing.join(", ")} (its bucket)`);
    process.env.E2E_MAX_UPLOAD_BYTES ??= String(25 * 1024 * 1024);
    return;
  }
  const stops = new Stops();
  const teardown = () => stops.stopAll();
  try {
    const services = await startTestServices();
    stops.add(services.stop);
    const { pgAdminUrl, s3 } = services;
    const port = Number(process.env.E2E_APP_PORT ?? (await freePort()));
    const origin = `http://127.0.0.1:${port}`;
    const bucket = "cloudnotes-ui";
    await createBucket(s3, bucket, [origin]);
    const databaseUrl = await createDatabase(pgAdminUrl, "ui");
    const app = await startApp(
      appEnvFor(databaseUrl, bucket, s3, {
        MAX_UPLOAD_BYTES: String(UI_MAX_UPLOAD_BYTES),
        WORKER_INTERVAL_SECONDS: "1",
      }),
      { port },
    );
    stops.add(() => app.stop());
    Object.assign(process.env, {
      E2E_BASE_URL: origin,
      E2E_BUCKET: bucket,
      E2E_DATABASE_URL: databaseUrl,
      E2E_S3_ENDPOINT: s3.endpoint,
      E2E_S3_REGION: s3.region,
      E2E_S3_ACCESS_KEY_ID: s3.accessKeyId,
      E2E_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      E2E_MAX_UPLOAD_BYTES: String(UI_MAX_UPLOAD_BYTES),
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
