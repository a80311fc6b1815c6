import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Three tiers (`vitest run --project <name>`; `npm test` runs them all):
 *   unit         the rules, no server of any kind: must pass on a bare machine in seconds;
 *   integration  lib/ against real PostgreSQL and S3 (e2e/support/services-setup.ts starts only those);
 *   e2e          the REST API, faults and operations against the production build (e2e/support/global-setup.ts).
 */

/** Tests that need PostgreSQL or S3 are named `*.integration.test.ts`, beside the code; every other one is a unit test. */
const SOURCE = ["lib", "server", "scripts"];
const INTEGRATION = SOURCE.map((dir) => `${dir}/**/*.integration.test.ts`);

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Marks modules as server-only for Next.js; in tests every module is server code.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", LOG_LEVEL: "silent" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: SOURCE.map((dir) => `${dir}/**/*.test.ts`),
          exclude: INTEGRATION,
          pool: "threads",
          // CPU-bound: one worker per core (vitest's default leaves one core to its main process, idle here).
          maxWorkers: availableParallelism(),
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION,
          globalSetup: ["e2e/support/services-setup.ts"],
          // Each file has its own database and bucket, and mostly waits on PostgreSQL and S3.
          maxWorkers: 2 * availableParallelism(),
        },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["e2e/**/*.test.ts"], globalSetup: ["e2e/support/global-setup.ts"] },
      },
    ],
  },
});
