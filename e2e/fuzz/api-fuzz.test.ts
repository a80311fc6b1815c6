import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { SignJWT } from "jose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DESCRIPTION_MAX } from "@/lib/notes/schema";
import { type RunningApp, startApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { productionNodeFlags } from "../support/production";
import { appEnv, bearer, jsonInit, ownBucket, signUp, timedFetch } from "../faults/support";
import { PASSWORD } from "../support/api";
import { signInCookie } from "../support/browser-session";
import { buildRequest, type FuzzContext, requestArb, type Spec, type TokenKind } from "./arbitraries";
import { describeRequest, type RawRequest, rawRequest, type RawResponse } from "./raw-http";

/**
 * Hostile input against every endpoint of a dedicated app instance (so that a crash is attributable): at least
 * 10,000 generated requests (FUZZ_RUNS) from a fixed seed (FUZZ_SEED), 16 in flight. Properties:
 * - no 5xx and no request left unanswered (each failure is printed as a request to replay);
 * - no redirect off the site, whatever callbackUrl a page is given (B's browser session makes /signin and
 *   /signup redirect to it);
 * - no data of another user: user A has planted notes holding a secret word; no response to any request (made
 *   with B's token, a forged one or none) contains it, and no forged token is ever accepted;
 * - the process stays up (/healthz 200 at the end), and A's notes and files are intact.
 * The instance runs with the production node flags (its memory cap), and B owns huge notes too: listings with
 * hostile limits and cursors (real ones among them) must stay within it.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const CONCURRENCY = 16;
/** A deadline for the whole run that grows with FUZZ_RUNS (a loaded 2-core machine answers ~20 requests/s). */
const DEADLINE_MS = Math.max(300_000, RUNS * 60);
/** B's notes of DESCRIPTION_MAX characters: several pages at the byte budget. */
const HUGE_NOTES = 24;
const MAX_UPLOAD_BYTES = 256 * 1024;
const SECRET = `canary${randomBytes(12).toString("hex")}`;
/** Endpoints that must answer 401 to anyone without a valid token: a 2xx there with a forged token is a breach. */
const PROTECTED = new Set([
  "GET /notes",
  "POST /notes",
  "/notes/{id}",
  "/notes/{id}/title",
  "/notes/{id}/description",
  "/notes/{id}/file",
  "/uploads",
]);

let app: RunningApp;
let db: pg.Pool;
let ctx: FuzzContext;
let a: { id: string; token: string };
const aNotes: { id: number; title: string; description: string; fileName: string }[] = [];
const aPending: string[] = [];

async function ok(r: { status: number; text: string }) {
  expect(r.status, r.text.slice(0, 300)).toBe(200);
  return JSON.parse(r.text);
}

async function streamedNote(token: string, title: string, description: string, file: { name: string; data: string }) {
  const form = new FormData();
  form.set("title", title);
  form.set("description", description);
  form.set("file", new Blob([file.data], { type: "text/plain" }), file.name);
  return ok(await timedFetch(`${app.url}/notes`, { method: "POST", body: form, ...bearer(token) }));
}

async function presignedUpload(token: string, name: string, upload: boolean): Promise<string> {
  const p = await ok(
    await timedFetch(`${app.url}/uploads`, jsonInit({ filename: name, content_type: "text/plain", size: 4 }, token)),
  );
  if (upload) {
    const form = new FormData();
    for (const [k, v] of Object.entries(p.fields as Record<string, string>)) form.append(k, v);
    form.append("file", new Blob(["data"], { type: "text/plain" }), name);
    expect((await fetch(p.url, { method: "POST", body: form })).status).toBe(204);
  }
  return p.key;
}

async function forgeTokens(
  secretKey: string,
  victim: string,
  bToken: string,
): Promise<Record<TokenKind, string | null>> {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const key = new TextEncoder().encode(secretKey);
  const sign = (claims: Record<string, unknown>, alg = "HS256", k: Uint8Array = key) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).setSubject(victim).setIssuedAt();
    return jwt.sign(k);
  };
  const [, , bSignature] = bToken.split(".");
  return {
    valid: `Bearer ${bToken}`,
    absent: null,
    "alg-none": `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: victim, typ: "access", exp: now + 3600 })}.`,
    "wrong-key": `Bearer ${await sign({ typ: "access", exp: now + 3600 }, "HS256", new TextEncoder().encode(randomBytes(32).toString("hex")))}`,
    tampered: `Bearer ${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: victim, typ: "access", iat: now, exp: now + 3600 })}.${bSignature}`,
    expired: `Bearer ${await sign({ typ: "access", exp: now - 60 })}`,
    "wrong-alg": `Bearer ${await sign({ typ: "access", exp: now + 3600 }, "HS512")}`,
    "no-typ": `Bearer ${await sign({ exp: now + 3600 })}`,
    "no-exp": `Bearer ${await sign({ typ: "access" })}`,
    "refresh-typ": `Bearer ${await sign({ typ: "refresh", exp: now + 3600 })}`,
    // The right key, but a header that claims an asymmetric algorithm (the classic confusion attack).
    "alg-confusion": `Bearer ${b64({ alg: "RS256", typ: "JWT" })}.${b64({ sub: victim, typ: "access", exp: now + 3600 })}.${bSignature}`,
    garbage: `Bearer ${randomBytes(40).toString("base64url")}.${"x".repeat(10)}`,
    basic: `Basic ${Buffer.from(`${victim}:correct horse battery`).toString("base64")}`,
    malformed: `Bearer  ${bToken} ${bToken}`,
  };
}

beforeAll(async () => {
  const [databaseUrl, bucket] = await Promise.all([
    createDatabase(inject("pgAdminUrl"), "fuzz"),
    ownBucket("fuzz-api"),
  ]);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  app = await startApp(
    appEnv(databaseUrl, bucket, {
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      WORKER_INTERVAL_SECONDS: "2",
      LOG_LEVEL: "error",
    }),
    { nodeArgs: productionNodeFlags() },
  );

  // A, the victim: notes whose title, description and file name hold the secret word, and uploads of its own.
  a = await signUp(app.url, "victim");
  for (let i = 0; i < 3; i++) {
    const title = `canary ${i} ${SECRET}`;
    const description = `A's private note: the secret word is ${SECRET}.`;
    const fileName = `${SECRET}-${i}.txt`;
    const note = await streamedNote(a.token, title, description, { name: fileName, data: SECRET });
    aNotes.push({ id: note.id, title, description, fileName });
  }
  const aAttachedKey = (await db.query("SELECT file_key FROM notes WHERE id = $1", [aNotes[0]!.id])).rows[0]
    .file_key as string;
  // Keys of A that the fuzzer throws at the API as B: its pending uploads (uploaded or not) and an attached
  // file's key with the secret cut out (so that echoing B's own input back cannot look like a leak).
  aPending.push(
    await presignedUpload(a.token, "a-pending.txt", true),
    await presignedUpload(a.token, "a-unsent.txt", false),
  );

  // B, the fuzzer's own account.
  const b = await signUp(app.url, "fuzzer");
  const bIds: number[] = [];
  for (let i = 0; i < 4; i++)
    bIds.push((await ok(await timedFetch(`${app.url}/notes`, jsonInit({ title: `b note ${i}` }, b.token)))).id);
  bIds.push((await streamedNote(b.token, "b with file", "", { name: "b.txt", data: "bbbb" })).id);
  // Huge lists: notes of the largest description in the costliest text (2-3 bytes per character in UTF-8, or 6
  // in JSON), many created in the same millisecond; and the cursors of B's real pages.
  await db.query(
    `INSERT INTO notes (owner_id, title, description, created_at, updated_at)
     SELECT $1, 'huge ' || i, repeat((ARRAY['ж', '語', chr(1)])[i % 3 + 1], $2), $3, $3 FROM generate_series(1, $4) AS i`,
    [b.id, DESCRIPTION_MAX, new Date(), HUGE_NOTES],
  );
  const cursors: string[] = [];
  for (const limit of [1000, 7]) {
    for (let target: string | undefined = `/notes?limit=${limit}`; target;) {
      const res: Response = await fetch(`${app.url}${target}`, bearer(b.token));
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      target = /^<([^>]+)>; rel="next"$/.exec(res.headers.get("link") ?? "")?.[1];
      const cursor = target && new URL(target, app.url).searchParams.get("cursor");
      if (cursor) cursors.push(encodeURIComponent(cursor));
    }
  }
  expect(cursors.length, "B's listing ends pages at the byte budget").toBeGreaterThan(HUGE_NOTES / 7);
  const bKeys = [
    await presignedUpload(b.token, "b-pending.txt", true),
    await presignedUpload(b.token, "b-unsent.txt", false),
  ];
  bKeys.push((await db.query("SELECT file_key FROM notes WHERE id = $1", [bIds.at(-1)])).rows[0].file_key);

  // The server actions of the pages, with the hidden fields they render for forms without JavaScript.
  const actions: FuzzContext["actions"] = [];
  for (const path of ["/signin", "/signup"]) {
    const html = await (await fetch(`${app.url}${path}`)).text();
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)].map(
      ([, name, value]): [string, string] => [name!, (value ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&")],
    );
    const id = /"id":"([0-9a-f]+)"/.exec(fields.map(([, v]) => v).join(" "))?.[1];
    if (id) actions.push({ path, id, fields });
  }
  expect(actions.length, "the sign-in and sign-up pages render their server actions").toBeGreaterThan(0);

  ctx = {
    actions,
    aIds: aNotes.map((n) => n.id),
    bIds,
    aKeys: [...aPending, aAttachedKey.replace(SECRET, "x")],
    bKeys,
    aUserId: a.id,
    bUserId: b.id,
    cursors,
    tokens: await forgeTokens(app.env.SECRET_KEY!, a.id, b.token),
    maxUploadBytes: MAX_UPLOAD_BYTES,
    sessionCookie: await signInCookie(app.url, b.email, PASSWORD),
  };
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await db?.end();
}, 60_000);

/** Whether a Location header keeps the browser on the app (its port, on 127.0.0.1 or localhost). */
function isOnSite(location: string): boolean {
  const own = new URL(app.url);
  const target = URL.parse(location, app.url);
  return (
    !!target &&
    target.protocol === own.protocol &&
    target.port === own.port &&
    [own.hostname, "localhost"].includes(target.hostname)
  );
}

interface Failure {
  index: number;
  why: string;
  spec: Spec;
  request: RawRequest;
  res: RawResponse;
}

describe("hostile input", () => {
  it(
    `${RUNS} generated requests: no 5xx, no hang, no other user's data, no crash`,
    async () => {
      const specs = fc.sample(requestArb(ctx), { seed: SEED, numRuns: RUNS });
      console.log(
        `[fuzz] seed ${SEED} (FUZZ_SEED), ${RUNS} requests (FUZZ_RUNS), ${CONCURRENCY} in flight, against pid ${app.process.pid}`,
      );
      const pid = app.process.pid;
      const failures: Failure[] = [];
      const statuses = new Map<string, Map<number, number>>();
      const answers = new Map<string, number>();
      let next = 0;
      let slowest = 0;
      const started = performance.now();

      const worker = async () => {
        for (let i = next++; i < specs.length; i = next++) {
          const spec = specs[i]!;
          const request = buildRequest(spec);
          // Our request id, so that the app's log lines of a failure can be found (unless the spec sends one).
          if (!request.headers.some(([n]) => n.toLowerCase() === "x-request-id"))
            request.headers.push(["X-Request-Id", `fuzz-${i}`]);
          const res = await rawRequest(app.port, request, 30_000);
          slowest = Math.max(slowest, res.ms);
          const detail = /^\{"detail":"([^"]{0,80})/.exec(res.body.toString("utf8"))?.[1] ?? "";
          answers.set(`${res.status} ${detail}`, (answers.get(`${res.status} ${detail}`) ?? 0) + 1);
          const byEndpoint = statuses.get(spec.endpoint) ?? new Map<number, number>();
          byEndpoint.set(res.status, (byEndpoint.get(res.status) ?? 0) + 1);
          statuses.set(spec.endpoint, byEndpoint);

          const why: string[] = [];
          if (res.status === 0) why.push(`no answer (${res.error})`);
          if (res.status >= 500) why.push(`${res.status} ${res.body.toString("utf8").slice(0, 200)}`);
          // A redirect never leaves the site, whatever callbackUrl said (a Host header of the fuzzer's aside).
          // Auth.js names the site "localhost" where the pages say 127.0.0.1: the same server.
          const location = res.headers.location;
          if (location && !spec.headers.some(([n]) => /^(host|x-forwarded-host)$/i.test(n)) && !isOnSite(location)) {
            why.push(`redirected off the site: ${location}`);
          }
          if (res.body.toString("latin1").includes(SECRET) || JSON.stringify(res.headers).includes(SECRET))
            why.push("A's secret in the response");
          // A JSON success with a forged token on the API. (OPTIONS is answered by Next.js itself: no data.)
          const apiAnswer = /json/.test(res.headers["content-type"] ?? "");
          if (
            spec.token !== "valid" &&
            PROTECTED.has(spec.endpoint) &&
            spec.method !== "OPTIONS" &&
            apiAnswer &&
            res.status >= 200 &&
            res.status < 300
          ) {
            why.push(`a ${spec.token} token was accepted (${res.status})`);
          }
          if (why.length) failures.push({ index: i, why: why.join("; "), spec, request, res });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const seconds = (performance.now() - started) / 1000;

      const table = [...statuses.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(
          ([endpoint, m]) =>
            `  ${endpoint.padEnd(24)} ${[...m.entries()]
              .sort(([x], [y]) => x - y)
              .map(([s, n]) => `${s}×${n}`)
              .join(" ")}`,
        );
      console.log(
        `[fuzz] ${RUNS} requests in ${seconds.toFixed(1)} s (${(RUNS / seconds).toFixed(0)}/s), slowest ${slowest.toFixed(0)} ms, ` +
          `${failures.length} failures; statuses by endpoint:\n${table.join("\n")}\n` +
          `[fuzz] most frequent answers:\n${[...answers.entries()]
            .sort(([, x], [, y]) => y - x)
            .slice(0, 12)
            .map(([k, n]) => `  ${String(n).padStart(5)}  ${k}`)
            .join("\n")}`,
      );
      // Each failure as a request to replay, with the app's own account of it (its log lines for that request).
      for (const f of failures.slice(0, 15)) {
        const own = app.logs.filter(
          (l) => l.includes(`"reqId":"fuzz-${f.index}"`) && !l.includes("failed with status code"),
        );
        console.log(
          `[fuzz] FAILED #${f.index} (seed ${SEED}): ${f.why}\n${describeRequest(f.request)}\n${own.map((l) => `  log: ${l.slice(0, 1500)}`).join("\n")}`,
        );
      }
      // And what Next.js printed itself (no request id there).
      if (failures.length)
        console.log(
          app.logs
            .filter((l) => !l.startsWith("{"))
            .slice(0, 40)
            .join("\n"),
        );

      // The failures in the assertion's message, so that npm test's summary shows them.
      const failed = failures.map(
        (f) =>
          `#${f.index} ${f.spec.method} ${f.spec.target.slice(0, 80)} (${f.spec.endpoint}): ${f.why.slice(0, 200)}`,
      );
      expect(failures.length, `the failed requests: ${failed.join(" | ")}`).toBe(0);

      // Still the same process, alive and well.
      expect(app.process.exitCode).toBeNull();
      expect(app.process.pid).toBe(pid);
      expect((await timedFetch(`${app.url}/healthz`)).status).toBe(200);
      expect((await timedFetch(`${app.url}/readyz`)).status).toBe(200);

      // A's notes, files and pending uploads went through all that untouched.
      for (const n of aNotes) {
        const note = await ok(await timedFetch(`${app.url}/notes/${n.id}`, bearer(a.token)));
        expect({ title: note.title, description: note.description, file_name: note.file_name }).toEqual({
          title: n.title,
          description: n.description,
          file_name: n.fileName,
        });
        const file = await fetch(note.file_url);
        expect(file.status).toBe(200);
        expect(await file.text()).toBe(SECRET);
      }
      const pending = await db.query<{ key: string; owner_id: string }>(
        "SELECT key, owner_id FROM uploads WHERE key = ANY($1)",
        [aPending],
      );
      expect(pending.rows.map((r) => r.owner_id)).toEqual(aPending.map(() => a.id));
    },
    DEADLINE_MS,
  );
});
