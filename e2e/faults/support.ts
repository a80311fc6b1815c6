import { randomBytes } from "node:crypto";
import { expect, inject } from "vitest";
import { PASSWORD } from "../support/api";
import { type AppEnv, appEnvFor, type RunningApp } from "../support/app";
import { peakRssMiB } from "../support/production";
import { createBucket, type TestS3 } from "../support/s3";

/**
 * What the fault and fuzz tests share: an environment for an app instance of their own, calls with a deadline
 * (a request that hangs must fail the test, not the run) and polling.
 */

type S3Target = Pick<TestS3, "endpoint" | "region" | "accessKeyId" | "secretAccessKey">;

/** The environment of an app instance on the given database and bucket (the shared S3 server by default). */
export function appEnv(databaseUrl: string, bucket: string, extra: AppEnv = {}, s3: S3Target = inject("s3")): AppEnv {
  return appEnvFor(databaseUrl, bucket, s3, { LOG_LEVEL: "warn", ...extra });
}

/** A bucket of this test file's own on the shared S3 server. */
export async function ownBucket(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  await createBucket({ ...inject("s3"), stop: async () => {} }, name);
  return name;
}

export interface Timed {
  status: number; // 0: no answer (network error or deadline)
  ms: number;
  text: string;
  error?: string;
}

/** One request with a deadline; never throws (a refused or timed-out call is status 0 with the error). */
export async function timedFetch(url: string, init: RequestInit = {}, deadlineMs = 20_000): Promise<Timed> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(deadlineMs) });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, text };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, text: "", error: String((error as Error)?.cause ?? error) };
  }
}

export function jsonInit(body: unknown, token?: string, method = "POST"): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return { method, headers, body: JSON.stringify(body) };
}

export const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

/** Registers a user on the given app and signs in; returns its id (from /register) and a token. */
export async function signUp(baseUrl: string, tag: string): Promise<{ id: string; email: string; token: string }> {
  const email = `${tag}-${randomBytes(5).toString("hex")}@example.com`;
  const reg = await timedFetch(`${baseUrl}/register`, jsonInit({ email, password: PASSWORD }));
  if (reg.status !== 200) throw new Error(`register: ${reg.status} ${reg.text}`);
  const login = await timedFetch(`${baseUrl}/login`, jsonInit({ email, password: PASSWORD }));
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  return { id: JSON.parse(reg.text).id, email, token: JSON.parse(login.text).access_token };
}

export { poll } from "../support/poll";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A JSON body {"detail": "<non-empty string>"} (FastAPI's error shape). */
export function hasTextDetail(text: string): boolean {
  try {
    const body = JSON.parse(text);
    return typeof body?.detail === "string" && body.detail.length > 0;
  } catch {
    return false;
  }
}

/** The app's peak resident set size so far (VmHWM), for the report. */
export function peakRss(app: RunningApp): string {
  try {
    return `${peakRssMiB(app.process.pid!).toFixed(1)} MiB`;
  } catch {
    return "(the app is gone)";
  }
}

/** Same process, still running, still answering (else the app's last words, e.g. V8's "Reached heap limit"). */
export async function expectAlive(app: RunningApp, pid: number): Promise<void> {
  const health = await timedFetch(`${app.url}/healthz`);
  const state = {
    exitCode: app.process.exitCode,
    signal: app.process.signalCode,
    pid: app.process.pid,
    healthz: health.status,
  };
  const lastWords = app.logs.filter((l) => /heap|FATAL|JSON|abort/i.test(l)).slice(0, 12);
  expect(state, lastWords.join("\n").slice(0, 3000)).toEqual({ exitCode: null, signal: null, pid, healthz: 200 });
  expect((await timedFetch(`${app.url}/readyz`)).status).toBe(200);
}
