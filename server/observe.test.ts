import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poll } from "@/e2e/support/poll";
import { metrics } from "@/lib/metrics";
import type { RequestContext } from "@/lib/request-context";
import { observer, requestIdOf } from "./observe";

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(JSON.parse(String(chunk)));
    done();
  },
});
const logger = pino({ level: "info" }, sink);
const m = metrics();
const watch = observer(logger, m, (req) => (req.url?.startsWith("/n/") ? "/n/[id]" : "unmatched"));

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const ctx: RequestContext = { requestId: requestIdOf(req), clientIp: "192.0.2.7" };
    if (req.url?.startsWith("/api")) {
      // A route handler names its own route, and the user once its token was checked.
      ctx.route = "/notes/[id]";
      ctx.userId = "user-1";
    }
    watch.observe(req, res, ctx);
    res.statusCode = req.url?.startsWith("/missing") ? 404 : 200;
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function count(labels: Record<string, string>): Promise<number> {
  const values = (await m.httpRequests.get()).values;
  return (
    values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k as keyof typeof v.labels] === x))?.value ?? 0
  );
}

const get = async (path: string, headers: Record<string, string> = {}) =>
  (await fetch(`${base}${path}`, { headers })).text();
const lineWhere = (test: (l: Record<string, unknown>) => boolean) =>
  poll(
    async () => lines.find(test),
    (l) => l !== undefined,
    "the log line",
  ).then((l) => l!);

describe("the request observer", () => {
  it("writes one line per request: id, route, path without the query, status, time, user and address", async () => {
    await get("/api?q=secret+words", { "x-request-id": "trace-1" });
    const line = await lineWhere((l) => l.reqId === "trace-1");
    expect(line).toMatchObject({
      level: 30,
      msg: "GET 200",
      route: "/notes/[id]",
      userId: "user-1",
      ip: "192.0.2.7",
      req: { method: "GET", path: "/api" },
      res: { status: 200 },
    });
    expect(line.responseTime).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(line)).not.toContain("secret");
  });

  it("makes a request id when the client's is missing or unusable, and warns on 4xx", async () => {
    await get("/missing", { "x-request-id": "bad id!" });
    const line = await lineWhere((l) => (l.req as { path: string }).path === "/missing");
    expect(line.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.level).toBe(40);
  });

  it("counts each request once, by method, route template and status", async () => {
    const labels = { method: "GET", route: "/n/[id]", status: "200" };
    const before = await count(labels);
    await get("/n/1");
    await get("/n/2");
    await poll(
      () => count(labels),
      (n) => n - before >= 2,
      "the count",
    );
    await get("/n/3"); // and after another one, exactly 3
    expect(
      await poll(
        () => count(labels),
        (n) => n - before >= 3,
        "the count",
      ),
    ).toBe(before + 3);
  });

  it("counts build assets but does not log them", async () => {
    const labels = { method: "GET", route: "unmatched", status: "200" };
    const before = await count(labels);
    await get("/_next/static/chunks/a.js");
    await get("/logged");
    await poll(
      () => count(labels),
      (n) => n - before >= 2,
      "the count",
    );
    await lineWhere((l) => (l.req as { path: string }).path === "/logged");
    expect(lines.some((l) => (l.req as { path: string }).path.startsWith("/_next/static/"))).toBe(false);
  });
});
