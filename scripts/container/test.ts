/**
 * The `container` test phase: builds the image from the Dockerfile on local base images (no registry needed:
 * base-images.sh), then runs the REST end-to-end suite, the graceful-shutdown test, the image's own checks
 * (e2e/container: the image, and compose's front before it) and one browser journey against the image instead of the local build (E2E_APP_IMAGE), on the
 * PostgreSQL and S3 servers of the run (TEST_* variables, as test-run.ts hands them over).
 * Where podman cannot run containers the phase says so in one line and passes.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const IMAGE = process.env.CLOUDNOTES_TEST_IMAGE ?? "localhost/cloudnotes:test";
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? path.join(root, "scripts/container/containers.conf"),
};

function run(
  command: string,
  args: string[],
  options: { quiet?: boolean } = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (!options.quiet) process.stdout.write(chunk);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error) => resolve({ code: 127, output: String(error) }));
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

const have = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(0);

/** podman, runc, debootstrap (and caddy, compose's front) through apt when missing and we may (root). */
async function tools(): Promise<string | undefined> {
  const missing = ["podman", "runc", "debootstrap", "caddy"].filter((t) => !have(t));
  if (missing.length === 0) return undefined;
  if (process.getuid?.() !== 0 || !have("apt-get")) return `${missing.join(", ")} missing (install them as root)`;
  console.log(`container: installing ${missing.join(" ")}`);
  const r = await run(
    "sh",
    [
      "-c",
      `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.join(" ")} >/dev/null`,
    ],
    { quiet: true },
  );
  return r.code === 0
    ? undefined
    : `apt-get could not install ${missing.join(", ")}: ${r.output.trim().split("\n").at(-1)}`;
}

async function main(): Promise<number> {
  const skip = (reason: string) => {
    console.log(`container: SKIPPED, podman cannot run containers here: ${reason}`);
    return 0;
  };
  const problem = await tools();
  if (problem) return skip(problem);

  let started = Date.now();
  const base = await run("bash", ["scripts/container/base-images.sh"], { quiet: true });
  if (base.code !== 0) return skip(`no local base image:\n${base.output.trim().split("\n").slice(-5).join("\n")}`);
  const nodeImage = base.output.trim().split("\n").at(-1)!;
  const probe = await run("podman", ["run", "--rm", "--network=host", nodeImage, "node", "-e", "0"], { quiet: true });
  if (probe.code !== 0) return skip(probe.output.trim().split("\n").at(-1) ?? "podman run failed");
  console.log(`container: base images ready in ${seconds(started)} s (${nodeImage})`);

  // The image, as `docker build` makes it (docker format keeps the HEALTHCHECK), with the host's npm cache.
  started = Date.now();
  console.log(`container: building ${IMAGE} (npm ci + next build inside: minutes, less when its layers are cached)`);
  const npmCache = spawnSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).stdout.trim();
  const hostCacheArgs =
    npmCache && existsSync(npmCache)
      ? ["--volume", `${npmCache}:/npm-cache`, "--build-arg", "NPM_CACHE=/npm-cache"]
      : [];
  const caArgs: string[] = [];
  // A machine whose npm trusts an extra CA (a TLS-inspecting proxy) lends it to the build's npm, through the
  // base image's global npmrc; the image itself is unchanged.
  const cafile = spawnSync("npm", ["config", "get", "cafile"], { encoding: "utf8" }).stdout.trim();
  if (cafile && existsSync(cafile)) {
    const npmrc = path.join(mkdtempSync(path.join(os.tmpdir(), "cloudnotes-npmrc-")), "npmrc");
    writeFileSync(npmrc, "cafile=/host-ca.crt\nupdate-notifier=false\n");
    caArgs.push("--volume", `${cafile}:/host-ca.crt:ro`, "--volume", `${npmrc}:/usr/local/etc/npmrc:ro`);
  }
  // Build steps get nofile 1024 when containers.conf sets no default ulimits, too few for npm ci (EMFILE on its
  // cache): they get this process's own hard limit, which an unprivileged parent container allows.
  const hard = spawnSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" }).stdout.trim();
  const nofile = /^\d+$/.test(hard) ? hard : "65536";
  const build = await run(
    "podman",
    [
      "build",
      "--format",
      "docker",
      "--network=host",
      "--build-arg",
      `BUILD_IMAGE=${nodeImage}`,
      "--build-arg",
      `RUNTIME_IMAGE=${nodeImage}`,
      "--ulimit",
      `nofile=${nofile}:${nofile}`,
      ...hostCacheArgs,
      ...caArgs,
      "--tag",
      IMAGE,
      ".",
    ],
    { quiet: true },
  );
  if (build.code !== 0) {
    console.error(build.output.split("\n").slice(-60).join("\n"));
    console.error("container: FAIL, the image does not build");
    return 1;
  }
  const buildSeconds = seconds(started);
  // Old images of earlier runs go; a day's keep the layer cache (npm ci is redone only when the lockfile changes).
  await run("podman", ["image", "prune", "--force", "--filter", "until=24h"], { quiet: true });
  const size = (
    await run("podman", ["image", "inspect", "--format", "{{.Size}}", IMAGE], { quiet: true })
  ).output.trim();
  const sizeMb = (Number(size) / 1e6).toFixed(0);
  console.log(`container: image ${IMAGE} built in ${buildSeconds} s, ${sizeMb} MB`);

  const testEnv = { E2E_APP_IMAGE: IMAGE };
  Object.assign(env, testEnv);
  const results: { name: string; ok: boolean }[] = [];
  try {
    const vitest = await run("npx", ["vitest", "run", "e2e/api", "e2e/ops/shutdown.test.ts", "e2e/container"]);
    results.push({
      name: "REST end-to-end, shutdown and image checks against the image (vitest)",
      ok: vitest.code === 0,
    });
    const browser = await run("npx", [
      "playwright",
      "test",
      "e2e/ui/journey.spec.ts",
      "--grep",
      "sign up, write, attach",
    ]);
    results.push({ name: "browser journey against the image (Playwright)", ok: browser.code === 0 });
  } finally {
    // Containers left by a test that did not stop its app.
    const left = (
      await run("podman", ["ps", "--all", "--quiet", "--filter", "label=cloudnotes.e2e=1"], { quiet: true })
    ).output.trim();
    if (left) await run("podman", ["rm", "--force", ...left.split(/\s+/)], { quiet: true });
  }
  console.log(`\ncontainer: image ${sizeMb} MB, built in ${buildSeconds} s`);
  for (const r of results) console.log(`  ${r.ok ? "PASS" : "FAIL"}  ${r.name}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
