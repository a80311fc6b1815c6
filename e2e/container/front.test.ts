import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appEnvFor, type RunningApp, startApp } from "../support/app";
import { freePort, waitFor } from "../support/ports";
import { createDatabase } from "../support/postgres";
import { createBucket } from "../support/s3";

/**
 * compose.yaml's front (system/Caddyfile, run by Debian's caddy) before the image and the run's S3 server:
 * the app and the bucket on one origin, so that a browser's presigned upload and download go through the one
 * published port and their signatures (made for that host) still hold. Runs in the `container` phase.
 */
const image = process.env.E2E_APP_IMAGE;
const haveCaddy = spawnSync("sh", ["-c", "command -v caddy"], { stdio: "ignore" }).status === 0;
const CADDYFILE = path.resolve(import.meta.dirname, "../../system/Caddyfile");

describe.runIf(image && haveCaddy)("the compose front (Caddy) before the image", () => {
  let app: RunningApp;
  let caddy: ChildProcess;
  let origin: string;

  beforeAll(async () => {
    const s3 = inject("s3");
    const bucket = `cloudnotes-front-${randomBytes(3).toString("hex")}`;
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    await createBucket({ ...s3, stop: async () => {} }, bucket, [origin]);
    // As compose.yaml configures the app: presigned URLs for the public origin, the front as a trusted proxy.
    app = await startApp(
      appEnvFor(await createDatabase(inject("pgAdminUrl"), "front"), bucket, s3, {
        S3_PUBLIC_ENDPOINT: origin,
        TRUSTED_PROXIES: "loopback",
      }),
    );
    caddy = spawn("caddy", ["run", "--config", CADDYFILE, "--adapter", "caddyfile"], {
      env: {
        ...process.env,
        SITE_ADDRESS: `:${port}`,
        BUCKET_NAME: bucket,
        APP_UPSTREAM: `127.0.0.1:${app.port}`,
        S3_UPSTREAM: new URL(s3.endpoint).host,
        CADDY_ADMIN: "off",
        XDG_DATA_HOME: await mkdtemp(path.join(os.tmpdir(), "cloudnotes-caddy-")),
        XDG_CONFIG_HOME: await mkdtemp(path.join(os.tmpdir(), "cloudnotes-caddy-")),
      },
      stdio: "ignore",
    });
    await waitFor(async () => (await fetch(`${origin}/readyz`)).ok, 30_000, "the front");
  });

  afterAll(async () => {
    caddy?.kill("SIGTERM");
    await app?.stop();
  });

  it("serves the API, a presigned upload and the presigned download on the one origin", async () => {
    const email = `front-${randomBytes(4).toString("hex")}@example.com`;
    const password = "correct horse battery";
    const json = (body: unknown, token?: string) => ({
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    expect((await fetch(`${origin}/register`, json({ email, password }))).status).toBe(200);
    const { access_token: token } = await (
      await fetch(`${origin}/login`, { method: "POST", body: new URLSearchParams({ username: email, password }) })
    ).json();

    const data = randomBytes(4096);
    const presigned = await (
      await fetch(
        `${origin}/uploads`,
        json({ filename: "front.bin", content_type: "application/octet-stream", size: data.length }, token),
      )
    ).json();
    expect(new URL(presigned.url).origin).toBe(origin);
    const form = new FormData();
    for (const [k, v] of Object.entries(presigned.fields as Record<string, string>)) form.append(k, v);
    form.append("file", new Blob([data], { type: "application/octet-stream" }), "front.bin");
    const uploaded = await fetch(presigned.url, { method: "POST", body: form });
    expect(uploaded.status, await uploaded.text()).toBe(204);

    const note = await (
      await fetch(`${origin}/notes`, json({ title: "through the front", file_key: presigned.key }, token))
    ).json();
    expect(note).toMatchObject({ title: "through the front", file_size: data.length });
    expect(new URL(note.file_url).origin).toBe(origin);
    const download = await fetch(note.file_url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(data)).toBe(true);
  });
});
