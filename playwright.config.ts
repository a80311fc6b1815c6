import { defineConfig, devices } from "@playwright/test";

/**
 * Browser journeys against the production build, in Debian's Chromium (Playwright cannot download its own
 * browser here). e2e/ui/global-setup.ts starts PostgreSQL, Ceph RGW and the app; E2E_BASE_URL points the
 * journeys at another deployment instead (the operations test runs them through NGINX over HTTPS).
 */
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e/ui",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/ui/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ["list"],
    ["html", { open: "never", outputFolder: "playwright-report" }],
    // npm test names the failed journeys in its summary from this report (scripts/test-run.ts).
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [["json"] as const] : []),
  ],
  outputDir: "test-results",
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    video: "off",
    ignoreHTTPSErrors: !!process.env.E2E_IGNORE_HTTPS_ERRORS,
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
});
