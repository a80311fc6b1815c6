import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appEnvFor, type RunningApp, startApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { createBucket } from "../support/s3";
import { poll } from "./helpers";

/**
 * The audit of refused personal access tokens: each refusal is logged with the token's prefix (to tell which
 * token a client is still sending) and never with its secret. Its own app, to read its log lines.
 */

let app: RunningApp;

beforeAll(async () => {
  const s3 = inject("s3");
  const bucket = `cloudnotes-audit-${randomBytes(3).toString("hex")}`;
  await createBucket({ ...s3, stop: async () => {} }, bucket);
  const databaseUrl = await createDatabase(inject("pgAdminUrl"), "audit");
  app = await startApp(appEnvFor(databaseUrl, bucket, s3, { LOG_LEVEL: "info" }));
});

afterAll(async () => {
  await app?.stop();
});

describe("refused personal access tokens", () => {
  it("are logged by prefix, never by secret", async () => {
    const token = `cnp_${randomBytes(32).toString("base64url")}`;
    const res = await fetch(`${app.url}/notes`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    const line = await poll(
      async () => app.logs.find((l) => l.includes("personal access token refused")),
      (l) => l !== undefined,
      "the refusal's log line",
      10_000,
    );
    expect(JSON.parse(line!)).toMatchObject({ tokenPrefix: token.slice(0, 12), reason: "invalid" });
    expect(app.logs.join("\n")).not.toContain(token.slice(12));
  });
});
