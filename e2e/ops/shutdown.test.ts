import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type AppEnv, appEnvFor, startApp } from "../support/app";
import { waitFor } from "../support/ports";
import { createDatabase } from "../support/postgres";
import { createBucket } from "../support/s3";
import { parseLogs, sample } from "./observe";

/**
 * Graceful shutdown of one instance (what systemd's SIGTERM does on stop, restart and upgrade): the port
 * closes at once, requests in flight finish, connections already open are served and then closed, readiness
 * turns false, and the process exits 0 after closing the pool.
 */

let env: AppEnv;
const PASSWORD = "correct horse battery";
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const s3 = inject("s3");
  const bucket = `cloudnotes-shutdown-${randomBytes(3).toString("hex")}`;
  await createBucket({ ...s3, stop: async () => {} }, bucket);
  env = appEnvFor(await createDatabase(inject("pgAdminUrl"), "shutdown"), bucket, s3, {
    SHUTDOWN_TIMEOUT_SECONDS: "20",
  });
});

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

function get(
  url: string,
  agent: http.Agent,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on("error", reject);
  });
}

describe("graceful shutdown on SIGTERM", () => {
  it("finishes a slow upload in flight, refuses new connections, serves open ones once, exits 0", async () => {
    const app = await startApp(env);
    const email = `slow-${randomBytes(4).toString("hex")}@example.com`;
    await fetch(`${app.url}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const login = await fetch(`${app.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ username: email, password: PASSWORD }),
    });
    const token = (await login.json()).access_token as string;

    // A keep-alive connection that is open and idle when the signal comes (as NGINX keeps them).
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(`${app.url}/healthz`, keepAlive)).status).toBe(200);

    // A multipart upload whose file arrives slowly, over about two seconds.
    const boundary = `----cloudnotes${randomBytes(8).toString("hex")}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nSlow upload\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const file = randomBytes(2 * 1024 * 1024);
    const upload = http.request(`${app.url}/notes`, {
      method: "POST",
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(head.length + file.length + tail.length),
      },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      upload.on("response", (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      });
      upload.on("error", reject);
    });
    const chunk = 256 * 1024;
    upload.write(head);
    upload.write(file.subarray(0, chunk));
    // The instance has it in flight (the metrics request itself is the other one).
    await waitFor(
      async () => sample(await (await fetch(`${app.url}/metrics`)).text(), "cloudnotes_http_requests_in_flight") >= 2,
      10_000,
      "the upload in flight",
    );

    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      app.process.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const signalledAt = Date.now();
    app.process.kill("SIGTERM");

    // New connections are refused at once...
    await waitFor(() => refused(app.port), 3000, "the port to close");
    // ...while the open connection is served once more, told to close, and readiness says "going away".
    const ready = await get(`${app.url}/readyz`, keepAlive);
    expect(ready.status).toBe(503);
    expect(ready.headers.connection).toBe("close");
    expect(JSON.parse(ready.body).status).toBe("unavailable");

    // The rest of the upload, slowly: the request that was in flight completes.
    for (let offset = chunk; offset < file.length; offset += chunk) {
      await pause(200);
      upload.write(file.subarray(offset, offset + chunk));
    }
    upload.end(tail);
    const res = await answered;
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ title: "Slow upload", file_name: "slow.bin", file_size: file.length });

    expect(await exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeGreaterThan(1400); // it waited for the upload
    keepAlive.destroy();

    const lines = parseLogs(app.logs, "instance");
    const draining = lines.findIndex((l) => l.msg === "shutting down: draining requests");
    const uploaded = lines.findIndex((l) => l.req?.method === "POST" && l.route === "/notes");
    const stopped = lines.findIndex((l) => l.msg === "stopped");
    expect(lines[draining]).toMatchObject({ signal: "SIGTERM", inFlight: 1 });
    expect(lines[uploaded]).toMatchObject({ res: { status: 200 } });
    expect(draining).toBeLessThan(uploaded);
    expect(uploaded).toBeLessThan(stopped);
    expect(stopped).toBe(lines.length - 1);
  }, 60_000);

  it("exits 0 at once when idle", async () => {
    const app = await startApp(env);
    const signalledAt = Date.now();
    expect(await app.stop("SIGTERM")).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(3000);
    expect(parseLogs(app.logs, "instance").at(-1)?.msg).toBe("stopped");
  }, 60_000);
});
