import { execFile, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * compose.yaml: valid against the Compose specification (`docker compose config` where Docker Compose is
 * installed; dclint's schema check always), with the services the README documents, only the front publishing
 * ports, and every variable it reads named in .env.example (so that `cp .env.example .env` is the whole setup).
 */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const file = path.join(root, "compose.yaml");
const SERVICES = ["app", "bucket-init", "postgres", "minio", "front"];

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  volumes?: string[];
  env_file?: string;
  environment?: Record<string, string>;
  stop_grace_period?: string;
}
const load = async () =>
  parse(await readFile(file, "utf8")) as { services: Record<string, Service>; volumes: Record<string, unknown> };

describe("compose.yaml", () => {
  it("is valid against the Compose specification", async () => {
    // Both uses are intended: `build` from a clone, `image` for `docker compose pull`; the front serves everyone.
    // Its bin straight under node: `npx` would first spend a second or more finding it.
    const { stdout } = await run(
      process.execPath,
      [
        path.join(root, "node_modules/dclint/bin/dclint.cjs"),
        file,
        "--quiet",
        "--color",
        "false",
        "--disable-rule",
        "no-build-and-image",
        "no-unbound-port-interfaces",
      ],
      { cwd: root },
    );
    expect(stdout.trim()).toBe("");
  });

  it.runIf(spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0)(
    "passes `docker compose config`",
    async () => {
      const env = {
        ...process.env,
        SECRET_KEY: "x".repeat(32),
        POSTGRES_PASSWORD: "p",
        AWS_ACCESS_KEY_ID: "k",
        AWS_SECRET_ACCESS_KEY: "s".repeat(8),
        PUBLIC_URL: "http://localhost",
      };
      await expect(
        run("docker", ["compose", "--env-file", path.join(root, ".env.example"), "-f", file, "config", "--quiet"], {
          cwd: root,
          env,
        }),
      ).resolves.toBeDefined();
    },
  );

  it("runs the documented services, with volumes for the data and nothing published but the front", async () => {
    const { services, volumes } = await load();
    expect(Object.keys(services).sort()).toEqual([...SERVICES].sort());
    const readme = await readFile(path.join(root, "README.md"), "utf8");
    for (const name of SERVICES) expect(readme).toContain(`\`${name}\``);

    for (const [name, service] of Object.entries(services))
      if (name !== "front") expect(service.ports, name).toBeUndefined();
    expect(services.postgres!.volumes).toContain("postgres:/var/lib/postgresql/data");
    expect(services.minio!.volumes).toContain("s3:/data");
    expect(Object.keys(volumes)).toEqual(expect.arrayContaining(["postgres", "s3"]));
    // The app drains for 25 s on SIGTERM; the engine must wait longer than that before SIGKILL.
    expect(parseInt(services.app!.stop_grace_period!)).toBeGreaterThan(25);
    expect(services.app!.env_file).toBe(".env");
  });

  it("reads only variables that .env.example names", async () => {
    const text = await readFile(file, "utf8");
    const example = await readFile(path.join(root, ".env.example"), "utf8");
    const documented = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const used = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!));
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
  });
});
