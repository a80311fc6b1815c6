import { execFile } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The systemd side of system/: every unit passes `systemd-analyze verify` (and its sandbox scores well in
 * `systemd-analyze security`), the single-instance unit and the template stay the same but for the port, and
 * the health-check script restarts exactly the instance it should.
 *
 * There is no systemd running here (no PID 1 manager in this container), so the units are verified offline
 * against a throw-away root: systemd's own units (for the default dependencies) plus stand-ins for the
 * programs the units start, which `verify` requires to exist and be executable.
 */
const run = promisify(execFile);
const system = path.resolve(import.meta.dirname, "../../system");
const UNITS = [
  "cloudnotes.service",
  "cloudnotes@.service",
  "cloudnotes.target",
  "cloudnotes-healthcheck.service",
  "cloudnotes-healthcheck.timer",
  "cloudnotes-logship.service",
];
const PROGRAMS = ["/usr/bin/node", "/usr/bin/env", "/usr/bin/journalctl", "/usr/local/bin/cloudnotes-healthcheck"];

let root: string;

async function analyze(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("systemd-analyze", [...args], {
      env: { ...process.env, SYSTEMD_COLORS: "0", SYSTEMD_LOG_COLOR: "0" },
    });
    return { code: 0, output: (stdout + stderr).trim() };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: (e.stdout + e.stderr).trim() };
  }
}

/** `verify` exits 0 on warnings ("Unknown key ..., ignoring"): clean means no output at all. */
function verify(unit: string) {
  return analyze("verify", `--root=${root}`, "--man=no", `/etc/systemd/system/${unit}`);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-systemd-"));
  await mkdir(path.join(root, "etc/systemd/system"), { recursive: true });
  await mkdir(path.join(root, "usr/lib/systemd"), { recursive: true });
  await cp("/usr/lib/systemd/system", path.join(root, "usr/lib/systemd/system"), {
    recursive: true,
    verbatimSymlinks: true,
  });
  for (const unit of UNITS) await cp(path.join(system, unit), path.join(root, "etc/systemd/system", unit));
  for (const program of PROGRAMS) {
    const file = path.join(root, program);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "#!/bin/sh\n");
    await chmod(file, 0o755);
  }
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("systemd units", () => {
  it.each([
    "cloudnotes.service",
    "cloudnotes@3001.service",
    "cloudnotes.target",
    "cloudnotes-healthcheck.service",
    "cloudnotes-healthcheck.timer",
    "cloudnotes-logship.service",
  ])("%s passes systemd-analyze verify without a warning", async (unit) => {
    expect(await verify(unit)).toEqual({ code: 0, output: "" });
  });

  it("would notice a mistake (the check is not vacuous)", async () => {
    const broken = (await readFile(path.join(system, "cloudnotes@.service"), "utf8")).replace(
      "Restart=on-failure",
      "Restart=sometimes",
    );
    await writeFile(path.join(root, "etc/systemd/system/broken@.service"), broken);
    const result = await verify("broken@1.service");
    expect(result.output).toMatch(/Failed to parse service restart specifier/);
    await rm(path.join(root, "etc/systemd/system/broken@.service"));
  });

  it("confines the app well (systemd-analyze security exposure 2.0 or less) without MemoryDenyWriteExecute", async () => {
    for (const unit of ["cloudnotes@3001.service", "cloudnotes.service"]) {
      const { output } = await analyze("security", "--offline=yes", `--root=${root}`, "--no-pager", unit);
      const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(output)?.[1]);
      expect(exposure, output.slice(-300)).toBeLessThanOrEqual(2.0);
    }
    // V8 compiles to machine code at run time: W^X memory would abort node at start.
    const template = await readFile(path.join(system, "cloudnotes@.service"), "utf8");
    expect(template).not.toMatch(/^MemoryDenyWriteExecute=/m);
  });

  it("keeps the single-instance unit and the template the same but for the port", async () => {
    const settings = async (file: string) =>
      (await readFile(path.join(system, file), "utf8"))
        .split("\n")
        .filter((l) => /^[A-Z]\w*=/.test(l))
        .filter((l) => !/^(Description|ExecStart|PartOf|WantedBy|LogExtraFields)=/.test(l));
    expect(await settings("cloudnotes.service")).toEqual(await settings("cloudnotes@.service"));
    const template = await readFile(path.join(system, "cloudnotes@.service"), "utf8");
    const single = await readFile(path.join(system, "cloudnotes.service"), "utf8");
    const execOf = (unit: string) => /^ExecStart=(.*)$/m.exec(unit)?.[1];
    // The same node command (flags included), the template only adding its port.
    expect(execOf(single)).toMatch(/^\/usr\/bin\/node (--[\w-]+=\S+ )*server\.mjs$/);
    expect(execOf(template)).toBe(`/usr/bin/env PORT=%i ${execOf(single)}`);
    // systemd must wait longer than the app's own drain (SHUTDOWN_TIMEOUT_SECONDS, 25 s by default).
    const stop = Number(/^TimeoutStopSec=(\d+)$/m.exec(template)?.[1]);
    expect(stop).toBeGreaterThan(25 + 5);
  });
});

describe("the health check", () => {
  type Mode = { healthz: number | "hang"; readyz: number };
  const servers: { port: number; mode: Mode; close(): Promise<void> }[] = [];
  let bin: string;
  let state: string;
  let restarts: string;

  async function instance(mode: Mode) {
    const entry = { port: 0, mode, close: async () => {} };
    const server = http.createServer((req, res) => {
      const status = req.url === "/healthz" ? entry.mode.healthz : entry.mode.readyz;
      if (status === "hang") return; // never answers
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    entry.port = (server.address() as AddressInfo).port;
    entry.close = () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    servers.push(entry);
    return entry;
  }

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-healthcheck-"));
    bin = path.join(dir, "bin");
    state = path.join(dir, "state");
    restarts = path.join(dir, "restarts");
    await mkdir(bin);
    await writeFile(restarts, "");
  });

  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  /** One timer round, with a stand-in systemctl that lists the given instances and records restarts. */
  async function round(
    instances: { port: number }[],
  ): Promise<{ lines: { level: string; msg: string; unit: string }[]; restarted: string[] }> {
    const listing = instances
      .map((i) => `cloudnotes@${i.port}.service loaded active running CloudNotes instance on port ${i.port}`)
      .join("\n");
    await writeFile(
      path.join(bin, "systemctl"),
      `#!/bin/sh\ncase "$1" in\n  list-units) printf '%s\\n' '${listing.replace(/\n/g, "' '")}' ;;\n  restart) echo "$2" >> ${restarts} ;;\nesac\n`,
    );
    await chmod(path.join(bin, "systemctl"), 0o755);
    const { stdout } = await run(path.join(system, "cloudnotes-healthcheck"), [], {
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        RUNTIME_DIRECTORY: state,
        CLOUDNOTES_HEALTHCHECK_TIMEOUT: "1",
      },
    });
    const lines = stdout
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const restarted = (await readFile(restarts, "utf8")).trim().split("\n").filter(Boolean);
    await writeFile(restarts, "");
    return { lines, restarted };
  }

  it("restarts an instance after 3 failed rounds while the others are fine, and only that one", async () => {
    const a = await instance({ healthz: 200, readyz: 200 });
    const b = await instance({ healthz: 200, readyz: 503 });
    const first = await round([a, b]);
    expect(first.restarted).toEqual([]);
    expect(first.lines).toEqual([
      expect.objectContaining({ level: "warn", msg: "check failed (1 of 3)", unit: `cloudnotes@${b.port}.service` }),
    ]);
    expect((await round([a, b])).restarted).toEqual([]);
    const third = await round([a, b]);
    expect(third.restarted).toEqual([`cloudnotes@${b.port}.service`]);
    expect(third.lines[0]).toMatchObject({ level: "error", msg: "restarting after 3 failed checks" });
    // It recovered: the counter starts again from zero.
    b.mode.readyz = 200;
    expect(await round([a, b])).toEqual({ lines: [], restarted: [] });
  });

  it("restarts an instance that stops answering /healthz (a wedged process)", async () => {
    const a = await instance({ healthz: 200, readyz: 200 });
    const wedged = await instance({ healthz: "hang", readyz: 200 });
    for (let i = 0; i < 2; i++) expect((await round([a, wedged])).restarted).toEqual([]);
    expect((await round([a, wedged])).restarted).toEqual([`cloudnotes@${wedged.port}.service`]);
  }, 20_000);

  it("does not restart anything when every instance is unready (the database or S3 is down)", async () => {
    const a = await instance({ healthz: 200, readyz: 503 });
    const b = await instance({ healthz: 200, readyz: 503 });
    for (let i = 0; i < 4; i++) {
      const r = await round([a, b]);
      expect(r.restarted).toEqual([]);
      expect(r.lines.map((l) => l.msg)).toEqual([
        "not ready, like every instance: database or S3 unavailable",
        "not ready, like every instance: database or S3 unavailable",
      ]);
    }
  });
});
