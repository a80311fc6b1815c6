import type { TestProject } from "vitest/node";
import { appEnvFor, startApp, testSecret, type RunningApp } from "./app";
import { createDatabase } from "./postgres";
import { createBucket } from "./s3";
import { startTestServices } from "./services";
import { Stops } from "../../scripts/lib/stops";

/**
 * Starts what the integration tests share, once per run: real PostgreSQL, a real S3 server (Ceph RGW, unless
 * TEST_S3_ENDPOINT names another), and the production build of the app on them. Test files that need their
 * own database, bucket, app or even their own servers (fault tests) make them from these.
 */

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
    apiUrl: string;
    apiBucket: string;
    apiDatabaseUrl: string;
    apiMaxUploadBytes: number;
    apiSecretKey: string;
  }
}

export const API_MAX_UPLOAD_BYTES = 12 * 1024 * 1024;

export default async function setup(project: TestProject) {
  const stops = new Stops();
  const teardown = () => stops.stopAll();
  try {
    const services = await startTestServices();
    stops.add(services.stop);
    const { pgAdminUrl, s3 } = services;

    const apiBucket = "cloudnotes-api";
    await createBucket(s3, apiBucket);
    const apiDatabaseUrl = await createDatabase(pgAdminUrl, "api");
    const apiSecretKey = testSecret();
    const app: RunningApp = await startApp(
      appEnvFor(apiDatabaseUrl, apiBucket, s3, {
        SECRET_KEY: apiSecretKey,
        MAX_UPLOAD_BYTES: String(API_MAX_UPLOAD_BYTES),
        WORKER_INTERVAL_SECONDS: "1",
        // Every test client is 127.0.0.1: per-IP limits are tested with X-Forwarded-For from the trusted loopback.
        LOGIN_MAX_FAILURES_PER_IP: "20",
        LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: "5",
        LOGIN_MAX_FAILURES_PER_ACCOUNT: "12",
      }),
    );
    stops.add(() => app.stop());

    project.provide("pgAdminUrl", pgAdminUrl);
    project.provide("s3", {
      endpoint: s3.endpoint,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    project.provide("apiUrl", app.url);
    project.provide("apiBucket", apiBucket);
    project.provide("apiDatabaseUrl", apiDatabaseUrl);
    project.provide("apiMaxUploadBytes", API_MAX_UPLOAD_BYTES);
    project.provide("apiSecretKey", apiSecretKey);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
