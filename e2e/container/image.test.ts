import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type AppEnv, appEnvFor, startApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { createBucket } from "../support/s3";

/**
 * The container image itself (E2E_APP_IMAGE, set by the `container` test phase; skipped otherwise): it runs as
 * a non-root user, carries no package manager, compiler or dev dependency, answers /healthz with its
 * HEALTHCHECK passing, and stops at once and cleanly on SIGTERM. The REST suite and the shutdown test run
 * against the same image in that phase.
 */
const image = process.env.E2E_APP_IMAGE;
const exec = promisify(execFile);
const podman = async (...args: string[]) => (await exec("podman", args)).stdout.trim();
const root = path.resolve(import.meta.dirname, "../..");

describe.runIf(image)("the container image", () => {
  let env: AppEnv;

  beforeAll(async () => {
    const s3 = inject("s3");
    const bucket = `cloudnotes-image-${randomBytes(3).toString("hex")}`;
    await createBucket({ ...s3, stop: async () => {} }, bucket);
    env = appEnvFor(await createDatabase(inject("pgAdminUrl"), "image"), bucket, s3);
  });

  it("runs as a non-root user, with no package manager, compiler or dev dependency inside", async () => {
    const [config] = JSON.parse(await podman("image", "inspect", image!)) as [
      { Config: { User: string; Cmd: string[] } },
    ];
    expect(config.Config.User).toBe("cloudnotes:cloudnotes");
    const { scripts } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
      scripts: { start: string };
    };
    // The same command as `npm start` (and the systemd units), heap cap included.
    expect(config.Config.Cmd.join(" ")).toBe(scripts.start);
    expect(await podman("run", "--rm", image!, "id", "-u")).not.toBe("0");

    const tools = await podman(
      "run",
      "--rm",
      image!,
      "sh",
      "-c",
      "for t in npm npx corepack yarn gcc cc g++ make python3; do command -v $t || true; done",
    );
    expect(tools).toBe("");

    const { devDependencies } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    const present = await podman(
      "run",
      "--rm",
      image!,
      "node",
      "-e",
      "const fs=require('fs');for(const n of process.argv.slice(1))if(fs.existsSync('.next/standalone/node_modules/'+n+'/package.json'))console.log(n)",
      ...Object.keys(devDependencies),
    );
    expect(present).toBe("");
  });

  it("answers /healthz, passes its HEALTHCHECK, and exits 0 at once on SIGTERM when idle", async () => {
    const started = Date.now();
    const app = await startApp(env);
    console.log(`[container] ${image} ready (migrations applied) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    try {
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      // podman runs the image's HEALTHCHECK command inside the container: exit 0 means "healthy".
      await expect(podman("healthcheck", "run", app.container!)).resolves.toBeDefined();
      // Every process in the container (the server alone) runs as that user.
      const users = (await podman("top", app.container!, "user")).split("\n").slice(1);
      expect(users.length).toBeGreaterThan(0);
      expect(new Set(users.map((u) => u.trim()))).toEqual(new Set(["cloudnotes"]));
    } finally {
      const signalled = Date.now();
      expect(await app.stop("SIGTERM")).toBe(0);
      // Well within the drain time (SHUTDOWN_TIMEOUT_SECONDS, 25 s): nothing was in flight.
      expect(Date.now() - signalled).toBeLessThan(25_000);
    }
  }, 120_000);
});
