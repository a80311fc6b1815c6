import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appEnvFor } from "../support/app";
import { poll } from "../support/poll";
import { freePort, waitFor } from "../support/ports";
import { createDatabase } from "../support/postgres";
import { createBucket } from "../support/s3";

/**
 * `npm run dev` as a developer uses it: the development server (server/main.ts --dev, started on localhost as
 * scripts/dev.ts starts it) opened in Chromium both as http://localhost:<port> and as http://127.0.0.1:<port>.
 * On both the page hydrates (React owns the form), the hot-reload socket connects and a note form works;
 * Next.js refuses its dev scripts and socket to hosts it was not started on unless next.config.ts's
 * allowedDevOrigins names them.
 */

const root = path.resolve(import.meta.dirname, "../..");
let dev: ChildProcess;
let port: number;
let browser: Browser;
const output: string[] = [];

beforeAll(async () => {
  port = await freePort();
  const s3 = inject("s3");
  const bucket = `cloudnotes-dev-${randomBytes(3).toString("hex")}`;
  await createBucket({ ...s3, stop: async () => {} }, bucket, [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  const env = appEnvFor(await createDatabase(inject("pgAdminUrl"), "dev"), bucket, s3, {
    HOSTNAME: "localhost",
    PORT: String(port),
    WORKER_ENABLED: "false",
  });
  dev = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/main.ts"), "--dev"], {
    cwd: root,
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  dev.stdout!.on("data", (d) => output.push(String(d)));
  dev.stderr!.on("data", (d) => output.push(String(d)));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 180_000, "the dev server");
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (dev?.exitCode === null) {
    const exited = new Promise((r) => dev.once("exit", r));
    dev.kill("SIGTERM");
    await exited;
  }
});

/** React has attached to the form (its fiber is on the element): the page hydrated. */
const hydrated = (page: Page) =>
  page
    .locator("form")
    .first()
    .evaluate((el) => Object.keys(el).some((k) => k.startsWith("__react")));

describe("the development server", () => {
  for (const host of ["localhost", "127.0.0.1"]) {
    it(`hydrates and saves a note when opened at http://${host}`, async () => {
      const context = await browser.newContext({ baseURL: `http://${host}:${port}` });
      const page = await context.newPage();
      // Hot reload: the page's connection to the dev server's HMR socket opens and hears from it.
      let hmrFrames = 0;
      const sockets: string[] = [];
      page.on("websocket", (ws) => {
        sockets.push(ws.url());
        ws.on("close", () => sockets.push(`closed ${ws.url()}`));
        ws.on("socketerror", (e) => sockets.push(`error ${e}`));
        if (/\/_next\/(webpack-)?hmr/.test(ws.url())) ws.on("framereceived", () => (hmrFrames += 1));
      });
      const password = "correct horse battery";
      await page.goto("/signup", { timeout: 180_000 });
      await expect.poll(() => hydrated(page), { timeout: 120_000, message: output.join("").slice(-3000) }).toBe(true);
      await poll(
        async () => hmrFrames,
        (n) => n > 0,
        "frames from the HMR socket",
        30_000,
      ).catch(() => {});
      expect(hmrFrames, `sockets: ${JSON.stringify(sockets)}\n${output.join("").slice(-2000)}`).toBeGreaterThan(0);
      await page.getByLabel("Email").fill(`dev-${randomBytes(4).toString("hex")}@example.com`);
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByLabel("Confirm password").fill(password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Your notes", exact: true }).waitFor({ timeout: 120_000 });
      await expect.poll(() => hydrated(page), { timeout: 120_000 }).toBe(true);

      const title = `Written at ${host}`;
      await page.getByLabel("Title").fill(title);
      await page.getByRole("button", { name: "Add note" }).click();
      await page.getByRole("article", { name: title }).waitFor({ timeout: 60_000 });
      await context.close();
    }, 420_000);
  }
});
