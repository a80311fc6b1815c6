import { startTestPostgres } from "./postgres";
import { s3FromEnv, startRgw, type TestS3 } from "./s3";
import { Stops } from "../../scripts/lib/stops";

/**
 * The real servers a test run needs: PostgreSQL (TEST_DATABASE_ADMIN_URL's, or an embedded one) and S3
 * (TEST_S3_ENDPOINT's, or a one-node Ceph RGW). What is started here is stopped by `stop()`; what the
 * environment gave is left alone. `npm test` starts them once and hands them to every phase through env.
 */
export interface TestServices {
  pgAdminUrl: string;
  s3: TestS3;
  stop(): Promise<void>;
}

export async function startTestServices(): Promise<TestServices> {
  const stops = new Stops();
  const stop = () => stops.stopAll();
  try {
    let pgAdminUrl = process.env.TEST_DATABASE_ADMIN_URL;
    if (!pgAdminUrl) {
      const pg = await startTestPostgres();
      stops.add(pg.stop);
      pgAdminUrl = pg.adminUrl;
    }
    let s3 = s3FromEnv();
    if (!s3) {
      s3 = await startRgw();
      stops.add(s3.stop);
    }
    return { pgAdminUrl, s3, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The environment that hands these servers to another process (vitest, Playwright). */
export function servicesEnv(services: TestServices): Record<string, string> {
  return {
    TEST_DATABASE_ADMIN_URL: services.pgAdminUrl,
    TEST_S3_ENDPOINT: services.s3.endpoint,
    TEST_S3_REGION: services.s3.region,
    TEST_S3_ACCESS_KEY_ID: services.s3.accessKeyId,
    TEST_S3_SECRET_ACCESS_KEY: services.s3.secretAccessKey,
  };
}
