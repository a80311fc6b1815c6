import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AppEnv, type RunningApp, startApp, testSecret } from "../support/app";
import { freePort, waitFor } from "../support/ports";
import { createDatabase } from "../support/postgres";
import { createBucket } from "../support/s3";
import { httpsRequest, type HttpsRequest, type RunningNginx, selfSignedCert, startNginx } from "./nginx";
import { type LogLine, parseLogs, requestLines, sample } from "./observe";

/**
 * CloudNotes as it runs in production: two instances of the standalone build on one database and one bucket,
 * behind Debian's NGINX running system/nginx.conf over HTTPS (a self-signed certificate on loopback). It
 * proves what the operator relies on: the TLS and header setup, the API and a direct-to-S3 upload through the
 * proxy, rate limiting, /metrics protection, request ids from NGINX to the log line, metrics that count what
 * was sent, zero failed requests across a graceful restart, passive failover when an instance is killed, and
 * the browser journey over HTTPS (Secure cookies, the CSP).
 */

const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "correct horse battery";
const METRICS_TOKEN = randomBytes(24).toString("hex");
const SECRET_KEY = testSecret();

let dir: string;
let ca: string;
let nginx: RunningNginx;
let base: string;
let httpBase: string;
let acmeRoot: string;
let env: AppEnv;
let bucket: string;
let databaseUrl: string;
const ports: number[] = [];
/** The running instance on each port, and every log line each port's processes ever wrote. */
const apps: RunningApp[] = [];
const allLogs: { port: number; logs: string[] }[] = [];

const s3 = () => inject("s3");

async function consecutivePorts(): Promise<[number, number]> {
  for (;;) {
    const first = await freePort();
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer().once("error", () => resolve(false));
      srv.listen(first + 1, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return [first, first + 1];
  }
}

async function start(index: number): Promise<RunningApp> {
  const app = await startApp(env, { port: ports[index] });
  apps[index] = app;
  allLogs.push({ port: app.port, logs: app.logs });
  return app;
}

function req(pathname: string, r: Omit<HttpsRequest, "ca"> = {}) {
  return httpsRequest(`${base}${pathname}`, { ...r, ca });
}

function json(pathname: string, body: unknown, r: Omit<HttpsRequest, "ca"> & { token?: string } = {}) {
  return req(pathname, {
    method: "POST",
    ...r,
    headers: {
      "content-type": "application/json",
      ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
      ...r.headers,
    },
    body: JSON.stringify(body),
  });
}

async function multipart(form: FormData): Promise<{ body: Buffer; type: string }> {
  const res = new Response(form);
  return { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get("content-type")! };
}

async function newUser(tag: string): Promise<{ email: string; token: string }> {
  const email = `${tag}-${randomBytes(4).toString("hex")}@example.com`;
  expect((await json("/register", { email, password: PASSWORD })).status).toBe(200);
  const login = await req("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: email, password: PASSWORD }).toString(),
  });
  expect(login.status).toBe(200);
  return { email, token: login.json().access_token };
}

function linesWithId(id: string): { port: number; line: LogLine }[] {
  return allLogs.flatMap(({ port, logs }) =>
    requestLines(logs, `instance ${port}`)
      .filter((l) => l.reqId === id)
      .map((line) => ({ port, line })),
  );
}

async function metricsOf(app: RunningApp): Promise<string> {
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-ops-"));
  await chmod(dir, 0o755);
  ports.push(...(await consecutivePorts()));
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  base = `https://127.0.0.1:${httpsPort}`;
  httpBase = `http://127.0.0.1:${httpPort}`;

  bucket = `cloudnotes-ops-${randomBytes(3).toString("hex")}`;
  await createBucket({ ...s3(), stop: async () => {} }, bucket, [base]);
  databaseUrl = await createDatabase(inject("pgAdminUrl"), "ops");
  env = {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: "5",
    SECRET_KEY,
    BUCKET_NAME: bucket,
    S3_ENDPOINT: s3().endpoint,
    AWS_REGION: s3().region,
    AWS_ACCESS_KEY_ID: s3().accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3().secretAccessKey,
    METRICS_TOKEN,
    TRUSTED_PROXIES: "loopback",
    SHUTDOWN_TIMEOUT_SECONDS: "20",
    LOG_LEVEL: "info",
  };
  // Both at once on an empty database: the advisory lock lets one migrate while the other waits.
  await Promise.all([start(0), start(1)]);

  const cert = await selfSignedCert(dir);
  ca = cert.pem;
  acmeRoot = path.join(dir, "acme");
  nginx = await startNginx(dir, {
    httpPort,
    httpsPort,
    upstreams: ports,
    cert: cert.cert,
    key: cert.key,
    acmeRoot,
    logDir: path.join(dir, "logs"),
  });
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(apps.map((a) => a?.stop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("start-up", () => {
  it("migrates a fresh database once when two instances start together, and only then listens", () => {
    const perApp = apps.map((a) => parseLogs(a.logs, `instance ${a.port}`));
    const migrated = perApp.filter((lines) => lines.some((l) => l.msg === "database migrations applied"));
    expect(migrated).toHaveLength(1);
    const lines = migrated[0]!;
    const applied = lines.findIndex((l) => l.msg === "database migrations applied");
    const listening = lines.findIndex((l) => l.msg === "CloudNotes listening");
    expect(applied).toBeGreaterThanOrEqual(0);
    expect(listening).toBeGreaterThan(applied);
    for (const l of perApp) expect(l.some((x) => x.msg === "CloudNotes listening")).toBe(true);
  });
});

describe("NGINX in front", () => {
  it("redirects HTTP to HTTPS permanently, except Let's Encrypt challenges", async () => {
    const res = await fetch(`${httpBase}/notes?limit=5`, { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("https://127.0.0.1/notes?limit=5");

    await mkdir(path.join(acmeRoot, ".well-known", "acme-challenge"), { recursive: true });
    await writeFile(path.join(acmeRoot, ".well-known", "acme-challenge", "token-123"), "token-123.thumbprint");
    const challenge = await fetch(`${httpBase}/.well-known/acme-challenge/token-123`, { redirect: "manual" });
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toBe("token-123.thumbprint");
  });

  it("speaks TLS 1.3 and 1.2 (forward-secret AEAD suites), offers HTTP/2, refuses TLS 1.1", async () => {
    const port = Number(new URL(base).port);
    const hello = (options: tls.ConnectionOptions) =>
      new Promise<{ protocol: string | null; alpn: string | false; cipher: string }>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port, ca, ...options }, () => {
          const result = {
            protocol: socket.getProtocol(),
            alpn: socket.alpnProtocol ?? false,
            cipher: socket.getCipher().name,
          };
          socket.end();
          resolve(result);
        });
        socket.once("error", reject);
      });
    const modern = await hello({ ALPNProtocols: ["h2", "http/1.1"] });
    expect(modern).toMatchObject({ protocol: "TLSv1.3", alpn: "h2" });
    const older = await hello({ maxVersion: "TLSv1.2" });
    expect(older.protocol).toBe("TLSv1.2");
    expect(older.cipher).toMatch(/^ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    // The client is allowed TLS 1.1 here (security level 0), so a failure is the server's refusal.
    await expect(
      hello({ minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" }),
    ).rejects.toThrow();
  });

  it("puts the security headers on pages, API answers and NGINX's own errors", async () => {
    const expectEdgeHeaders = (headers: Record<string, unknown>) => {
      expect(headers["strict-transport-security"]).toBe("max-age=63072000");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["referrer-policy"]).toBe("same-origin");
      expect(headers["permissions-policy"]).toContain("camera=()");
      expect(headers["x-powered-by"]).toBeUndefined();
      expect(headers.server).toBe("nginx"); // no version
    };
    const page = await req("/");
    expect(page.status).toBe(200);
    expectEdgeHeaders(page.headers);
    // The CSP comes from the app, with a nonce that Next.js put on its scripts, and the bucket as the only
    // other origin for images and uploads.
    const csp = String(page.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(page.text).toContain(`nonce="${nonce}"`);
    expect(csp).toContain(`img-src 'self' data: blob: ${s3().endpoint}/${bucket} ${s3().endpoint}/${bucket}/`);
    expect(csp).toContain(`connect-src 'self' ${s3().endpoint}/${bucket} ${s3().endpoint}/${bucket}/`);
    expect(csp).toContain("frame-ancestors 'none'");

    // A build file: its location hides the app's headers itself, and the app sends some of the same (once each).
    const script = /\/_next\/static\/[^"]+\.js/.exec(page.text)?.[0];
    const asset = await req(script!);
    expect(asset.status).toBe(200);
    expectEdgeHeaders(asset.headers);
    expect(asset.headers["x-request-id"]).not.toContain(",");

    const api = await req("/healthz");
    expectEdgeHeaders(api.headers);
    const refused = await req("/metrics");
    expect(refused.status).toBe(403);
    expectEdgeHeaders(refused.headers);
  });

  it("serves the REST API over HTTPS, with files both through the app and straight to S3", async () => {
    const { token } = await newUser("api");
    const auth = { authorization: `Bearer ${token}` };

    const created = await json("/notes", { title: "Over TLS", description: "behind nginx" }, { token });
    expect(created.status).toBe(200);
    const id = created.json().id;
    expect((await req("/notes", { headers: auth })).json().map((n: { id: number }) => n.id)).toContain(id);
    expect((await json(`/notes/${id}/title`, { title: "Renamed" }, { token, method: "PUT" })).json().title).toBe(
      "Renamed",
    );
    expect(
      (await json(`/notes/${id}/description`, { description: "changed" }, { token, method: "PUT" })).json().description,
    ).toBe("changed");

    // A presigned POST, sent straight to S3 as a browser would (not through NGINX), then attached.
    const bytes = randomBytes(200_000);
    const upload = await json(
      "/uploads",
      { filename: "data.bin", content_type: "application/octet-stream", size: bytes.length },
      { token },
    );
    expect(upload.status).toBe(200);
    const { url, fields, key } = upload.json();
    expect(url.startsWith(s3().endpoint)).toBe(true);
    const form = new FormData();
    for (const [k, v] of Object.entries(fields as Record<string, string>)) form.set(k, v);
    form.set("file", new Blob([bytes], { type: "application/octet-stream" }), "data.bin");
    const posted = await fetch(url, { method: "POST", body: form, headers: { origin: base } });
    expect(posted.status).toBeLessThan(300);
    expect(posted.headers.get("access-control-allow-origin")).toBe(base);
    const attached = await json(`/notes/${id}/file`, { file_key: key }, { token, method: "PUT" });
    expect(attached.status).toBe(200);
    const download = await fetch(attached.json().file_url);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    // The original's multipart upload, streamed through NGINX (no request buffering) to the app and on to S3.
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const mp = new FormData();
    mp.set("title", "Streamed");
    mp.set("description", "3 MiB through the proxy");
    mp.set("file", new Blob([big], { type: "application/octet-stream" }), "big.bin");
    const { body, type } = await multipart(mp);
    const streamed = await req("/notes", { method: "POST", headers: { ...auth, "content-type": type }, body });
    expect(streamed.status, streamed.text).toBe(200);
    expect(streamed.json().file_size).toBe(big.length);
    const back = await fetch(streamed.json().file_url);
    expect(Buffer.from(await back.arrayBuffer()).equals(big)).toBe(true);

    expect((await req(`/notes/${id}`, { method: "DELETE", headers: auth })).status).toBe(200);
    expect((await req(`/notes/${id}`, { headers: auth })).status).toBe(404);
  });

  it("refuses bodies over the upload limit at the edge, as JSON", async () => {
    const { token } = await newUser("big");
    const res = await req("/notes", {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(27 * 1024 * 1024),
      },
      body: Buffer.alloc(0),
    }).catch((e: Error) => e);
    // NGINX answers from the Content-Length alone, before reading a byte.
    expect(res).not.toBeInstanceOf(Error);
    const r = res as Awaited<ReturnType<typeof req>>;
    expect(r.status).toBe(413);
    expect(r.json()).toEqual({ detail: "Request body too large" });
  });

  it("compresses static assets and caches them for a year", async () => {
    const page = await req("/signin");
    const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(asset).toBeTruthy();
    const gz = await req(asset!, { headers: { "accept-encoding": "gzip" } });
    expect(gz.status).toBe(200);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gz.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const plain = await req(asset!);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(gz.body.length).toBeLessThan(plain.body.length);
    // A missing build file is not cached for a year.
    const missing = await req("/_next/static/chunks/missing-0000.js");
    expect(missing.status).toBe(404);
    expect(missing.headers["cache-control"]).not.toBe("public, max-age=31536000, immutable");
  });

  it("keeps /metrics to local scrapers and token holders", async () => {
    const none = await req("/metrics");
    expect(none.status).toBe(403);
    expect(none.json()).toEqual({ detail: "Not authorized" });
    // Through the proxy even a client on this host is "outside": a wrong token is refused by the app.
    const wrong = await req("/metrics", { headers: { authorization: `Bearer ${"x".repeat(METRICS_TOKEN.length)}` } });
    expect(wrong.status).toBe(403);
    const right = await req("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.text).toContain("cloudnotes_http_requests_total");
    // A scraper on the host reads each instance directly.
    expect((await fetch(`${apps[0]!.url}/metrics`)).status).toBe(200);
  });

  it("rate-limits sign-in and sign-up POSTs per client address with 429, leaving others alone", async () => {
    // From 127.0.0.2 (loopback as well): a client of its own for NGINX's per-address zone.
    const attempt = (i: number) =>
      req("/login", {
        method: "POST",
        localAddress: "127.0.0.2",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: `nobody-${i}@example.com`, password: "wrong password" }).toString(),
      });
    const results = [];
    for (let i = 0; i < 45; i += 5) results.push(...(await Promise.all([0, 1, 2, 3, 4].map((j) => attempt(i + j)))));
    const statuses = results.map((r) => r.status);
    const limited = results.filter((r) => r.status === 429);
    // The burst of 30 reaches the app (wrong credentials: 401), the rest is refused by NGINX.
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(30);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(limited[0]!.json()).toEqual({ detail: "Too many requests, try again in a minute" });
    expect(limited[0]!.headers["retry-after"]).toBe("60");
    // Reading the form is not limited; another address is not affected.
    expect((await req("/signin", { localAddress: "127.0.0.2" })).status).toBe(200);
    expect(
      (
        await req("/register", {
          method: "POST",
          localAddress: "127.0.0.2",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(429);
    expect((await json("/register", {})).status).toBe(422);
  });
});

describe("watching it", () => {
  it("carries the request id from the client through NGINX to the app's log line and back", async () => {
    const { token } = await newUser("trace");
    const id = `ops-trace-${randomBytes(6).toString("hex")}`;
    const res = await req("/notes", {
      headers: { authorization: `Bearer ${token}`, "x-request-id": id, "x-forwarded-for": "203.0.113.9" },
    });
    expect(res.status).toBe(200);
    expect(res.headers["x-request-id"]).toBe(id);
    await waitFor(async () => linesWithId(id).length > 0, 5000, "the log line");
    const found = linesWithId(id);
    expect(found).toHaveLength(1);
    const { line } = found[0]!;
    expect(line).toMatchObject({
      level: "info",
      route: "/notes",
      req: { method: "GET", path: "/notes" },
      res: { status: 200 },
    });
    expect(line.userId).toMatch(/^c[a-z0-9]{20,}$/); // the user (a cuid), known once the token was checked
    expect(line.responseTime).toBeGreaterThanOrEqual(0);
    // The address NGINX saw, not the X-Forwarded-For the client made up.
    expect(line.ip).toBe("127.0.0.1");

    // No usable id from the client: NGINX makes one, and the app logs that one.
    const anon = await req("/healthz", { headers: { "x-request-id": "not a valid id!" } });
    const made = String(anon.headers["x-request-id"]);
    expect(made).toMatch(/^[0-9a-f]{32}$/);
    await waitFor(async () => linesWithId(made).length === 1, 5000, "the log line of NGINX's id");
    const access = await readFile(nginx.accessLog, "utf8");
    const entry = access
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((e) => e.request_id === made);
    expect(entry).toMatchObject({ method: "GET", uri: "/healthz", status: 200 });
  });

  it("counts in /metrics exactly the requests each instance answered", async () => {
    const labels = { method: "GET", route: "/healthz", status: "200" };
    const before = await Promise.all(apps.map(metricsOf));
    // Direct to the first instance...
    for (let i = 0; i < 5; i++) expect((await fetch(`${apps[0]!.url}/healthz`)).status).toBe(200);
    // ...and through NGINX, which spreads them; the log says where each went.
    const ids = Array.from({ length: 12 }, (_, i) => `ops-count-${i}-${randomBytes(4).toString("hex")}`);
    for (const id of ids) expect((await req("/healthz", { headers: { "x-request-id": id } })).status).toBe(200);
    // The instances' log lines reach this process through pipes, a moment after the responses.
    await waitFor(async () => ids.every((id) => linesWithId(id).length === 1), 5000, "a log line for every request");
    const after = await Promise.all(apps.map(metricsOf));
    const where = ids.map((id) => linesWithId(id)[0]!.port);
    for (const [i, app] of apps.entries()) {
      const sent = where.filter((p) => p === app.port).length + (i === 0 ? 5 : 0);
      expect(
        sample(after[i]!, "cloudnotes_http_requests_total", labels) -
          sample(before[i]!, "cloudnotes_http_requests_total", labels),
      ).toBe(sent);
      expect(
        sample(after[i]!, "cloudnotes_http_request_duration_seconds_count", labels) -
          sample(before[i]!, "cloudnotes_http_request_duration_seconds_count", labels),
      ).toBe(sent);
    }
    // The operational gauges and counters exist.
    for (const name of [
      "cloudnotes_db_pool_connections",
      "cloudnotes_s3_deletions_pending",
      "cloudnotes_s3_operations_total",
      "cloudnotes_login_failures_total",
      "cloudnotes_rate_limit_hits_total",
      "cloudnotes_jobs",
      "cloudnotes_job_runs_total",
      "process_resident_memory_bytes",
    ]) {
      expect(after[0]).toContain(`# TYPE ${name}`);
    }
    expect(sample(after[0]!, "cloudnotes_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
  });
});

describe("the browser, through NGINX over HTTPS", () => {
  it("passes the UI journeys: Secure cookies, uploads to S3, the CSP", async () => {
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        "npx",
        [
          "playwright",
          "test",
          "e2e/ui/journey.spec.ts",
          "e2e/ui/security.spec.ts",
          "--reporter=list",
          "--output",
          path.join(root, "test-results", "ops-playwright"),
        ],
        {
          cwd: root,
          stdio: ["ignore", "pipe", "pipe"],
          env: {
            ...process.env,
            E2E_BASE_URL: base,
            E2E_IGNORE_HTTPS_ERRORS: "1",
            E2E_BUCKET: bucket,
            E2E_DATABASE_URL: databaseUrl,
            E2E_S3_ENDPOINT: s3().endpoint,
            E2E_S3_REGION: s3().region,
            E2E_S3_ACCESS_KEY_ID: s3().accessKeyId,
            E2E_S3_SECRET_ACCESS_KEY: s3().secretAccessKey,
            E2E_MAX_UPLOAD_BYTES: String(25 * 1024 * 1024),
          },
        },
      );
      child.stdout.on("data", (d) => output.push(String(d)));
      child.stderr.on("data", (d) => output.push(String(d)));
      child.on("exit", resolve);
    });
    expect(code, output.join("")).toBe(0);
    expect(output.join("")).toMatch(/\d+ passed/);
  }, 240_000);
});

describe("restarts and failures", () => {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Requests through NGINX in a loop until stopped: GETs of the list and POSTs creating notes. */
  function traffic(token: string, concurrency = 3, pauseMs = 0) {
    const agent = new https.Agent({ keepAlive: true, ca });
    const results = {
      get: { ok: 0, failed: [] as string[] },
      post: { ok: 0, failed: [] as string[] },
      created: [] as number[],
    };
    let running = true;
    const loop = async (kind: "get" | "post", n: number) => {
      for (let i = 0; running; i++) {
        try {
          const res =
            kind === "get"
              ? await req("/notes?limit=5", { agent, headers: { authorization: `Bearer ${token}` } })
              : await json("/notes", { title: `loop ${n}-${i}` }, { agent, token });
          if (res.status === 200) {
            results[kind].ok += 1;
            if (kind === "post") results.created.push(res.json().id);
          } else results[kind].failed.push(`${res.status} ${res.text.slice(0, 100)}`);
        } catch (error) {
          results[kind].failed.push(String(error));
        }
        if (pauseMs) await pause(pauseMs);
      }
    };
    const loops = Array.from({ length: concurrency }, (_, n) => [loop("get", n), loop("post", n)]).flat();
    return {
      results,
      async stop() {
        running = false;
        await Promise.all(loops);
        agent.destroy();
        return results;
      },
    };
  }

  /** Until NGINX sends this instance requests again (after fail_timeout it tries it with live traffic). */
  async function servedAgain(app: RunningApp, token: string): Promise<void> {
    await waitFor(
      async () => {
        await req("/notes?limit=1", { headers: { authorization: `Bearer ${token}` } });
        return requestLines(app.logs, `instance ${app.port}`).some((l) => l.route === "/notes");
      },
      20_000,
      `instance ${app.port} to get traffic from NGINX again`,
    );
  }

  it("loses no request, GET or POST, in a rolling restart (the upgrade procedure of docs/deploy.md)", async () => {
    const { token } = await newUser("restart");
    const load = traffic(token, 2, 100);
    await pause(500);
    // for port in 3001 3002; do systemctl restart cloudnotes@$port; <wait for /readyz>; sleep 11; done
    for (const i of [0, 1]) {
      const exit = await apps[i]!.stop("SIGTERM");
      expect(exit).toBe(0);
      expect(parseLogs(apps[i]!.logs, "stopped instance").at(-1)?.msg).toBe("stopped");
      await start(i); // returns once /readyz answers 200
      await pause(11_000); // NGINX's fail_timeout: it takes this instance back before the next one goes
    }
    const results = await load.stop();
    expect(results.get.failed).toEqual([]);
    expect(results.post.failed).toEqual([]);
    expect(results.get.ok + results.post.ok).toBeGreaterThan(100);
    // Every note a POST reported is really there, once.
    const list = await req("/notes?limit=1000", { headers: { authorization: `Bearer ${token}` } });
    const ids = list.json().map((n: { id: number }) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(results.created.length);
    for (const id of results.created) expect(ids).toContain(id);
    // Both restarted instances are in service again.
    for (const app of apps) await servedAgain(app, token);
  }, 90_000);

  it("fails over when an instance is killed (SIGKILL): GETs are retried, POSTs in flight may fail", async () => {
    const { token } = await newUser("failover");
    const load = traffic(token);
    await pause(800);
    apps[0]!.process.kill("SIGKILL");
    await pause(1500);
    const results = await load.stop();
    // Idempotent requests are retried on the other instance by NGINX: never an error status. The one thing no
    // proxy can retry is a response that had already begun when the instance died (NGINX had passed its
    // headers on): such a GET is cut off, at most one per concurrent client, and rarely (most runs: none).
    expect(results.get.failed.length).toBeLessThanOrEqual(3);
    for (const f of results.get.failed) expect(f).toMatch(/aborted|socket hang up|ECONNRESET/);
    expect(results.get.ok).toBeGreaterThan(10);
    console.log(
      `SIGKILL failover: GET ${results.get.ok} ok / ${results.get.failed.length} failed; ` +
        `POST ${results.post.ok} ok / ${results.post.failed.length} failed ${JSON.stringify(results.post.failed)}`,
    );
    // A POST that had reached the killed instance is not retried (it may have been applied): those in flight at
    // the kill, or sent down a keep-alive connection the kill had just broken, fail with a 502. Never replayed:
    // no note exists twice, and every note a POST reported exists.
    expect(results.post.failed.length).toBeLessThanOrEqual(6);
    for (const f of results.post.failed) expect(f).toMatch(/^502 /);
    expect(results.post.ok).toBeGreaterThan(10);
    const list = await req("/notes?limit=1000", { headers: { authorization: `Bearer ${token}` } });
    const titles = list.json().map((n: { title: string }) => n.title);
    expect(new Set(titles).size).toBe(titles.length);
    const ids = new Set(list.json().map((n: { id: number }) => n.id));
    for (const id of results.created) expect(ids.has(id)).toBe(true);
    console.log(`  notes created by POSTs that got a 502: ${titles.length - results.created.length}`);

    // Back on the same port, it serves again.
    await start(0);
    await servedAgain(apps[0]!, token);
  }, 60_000);
});

describe("logs of the whole run", () => {
  it("are JSON on every line of every instance, with no secret in them", () => {
    const secrets = [
      PASSWORD,
      SECRET_KEY,
      METRICS_TOKEN,
      "X-Amz-Signature",
      "X-Amz-Credential",
      "Bearer ey",
      s3().secretAccessKey,
    ];
    let requests = 0;
    for (const { port, logs } of allLogs) {
      expect(logs.length).toBeGreaterThan(0);
      const lines = parseLogs(logs, `instance ${port}`);
      requests += lines.filter((l) => l.req).length;
      for (const [i, raw] of logs.entries()) {
        for (const secret of secrets)
          expect(raw.includes(secret), `instance ${port} line ${i + 1} holds a secret: ${raw.slice(0, 200)}`).toBe(
            false,
          );
      }
      for (const line of lines.filter((l) => l.req)) {
        expect(line.reqId, JSON.stringify(line)).toBeTruthy();
        expect(line.route, JSON.stringify(line)).toBeTruthy();
      }
    }
    expect(requests).toBeGreaterThan(100);
  });
});
