import type { TestProject } from "vitest/node";
import { startTestServices } from "./services";

/**
 * The integration tier's global setup: real PostgreSQL and a real S3 server (those of `npm test` when it
 * passes them through env, else started here), and nothing else — no build, no app.
 */
export default async function setup(project: TestProject) {
  const services = await startTestServices();
  project.provide("pgAdminUrl", services.pgAdminUrl);
  const { endpoint, region, accessKeyId, secretAccessKey } = services.s3;
  project.provide("s3", { endpoint, region, accessKeyId, secretAccessKey });
  return () => services.stop();
}
