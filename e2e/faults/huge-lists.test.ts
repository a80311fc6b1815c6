import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DESCRIPTION_MAX } from "@/lib/notes/schema";
import { PASSWORD } from "../support/api";
import { type RunningApp, startApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { nodeFlagsOfUnit, productionNodeFlags } from "../support/production";
import { signInCookie } from "../support/browser-session";
import { appEnv, bearer, expectAlive, jsonInit, ownBucket, peakRss, signUp, type Timed, timedFetch } from "./support";

/**
 * One user listing huge notes cannot take the process down. An app instance of this file's own runs with
 * exactly the production node flags (npm start's, among them the old-space cap); one user fills it with the
 * largest notes the API accepts and lists them many at a time (the REST listing, search, the notes page).
 * The process must stay up and keep answering, every listing must answer 200, and walking the Link cursor
 * must return every note exactly once. The peak RSS (VmHWM) is printed.
 */

const DEADLINE_MS = 180_000;

let app: RunningApp;
let db: pg.Pool;

beforeAll(async () => {
  const [databaseUrl, bucket] = await Promise.all([
    createDatabase(inject("pgAdminUrl"), "huge"),
    ownBucket("huge-lists"),
  ]);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  app = await startApp(appEnv(databaseUrl, bucket, { LOG_LEVEL: "error" }), { nodeArgs: productionNodeFlags() });
  console.log(`[huge-lists] ${productionNodeFlags().join(" ")}; peak RSS after start: ${peakRss(app)}`);
}, 120_000);

afterAll(async () => {
  if (app) console.log(`[huge-lists] peak RSS of the app (VmHWM), whole file: ${peakRss(app)}`);
  await app?.stop();
  await db?.end();
}, 60_000);

/** `count` requests at once; each answer is read whole. */
function concurrently(count: number, path: string, init: RequestInit): Promise<Timed[]> {
  return Promise.all(Array.from({ length: count }, () => timedFetch(`${app.url}${path}`, init, DEADLINE_MS)));
}

function expectAllOk(answers: Timed[]) {
  expect(answers.map((a) => (a.status === 200 ? 200 : `${a.status} ${a.error ?? a.text.slice(0, 200)}`))).toEqual(
    answers.map(() => 200),
  );
}

/** The target of a Link: <...>; rel="next" header, or null on the last page. */
function nextOf(link: string | null): string | null {
  return link ? (/^<([^>]+)>;\s*rel="next"$/.exec(link)?.[1] ?? null) : null;
}

/** Follows rel="next" from `first` to the last page; the ids of every page in order, and the page count. */
async function walk(token: string, first: string): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let pages = 0;
  for (let target: string | null = first; target; pages++) {
    const res = await fetch(`${app.url}${target}`, { ...bearer(token), signal: AbortSignal.timeout(DEADLINE_MS) });
    const text = await res.text();
    expect(res.status, text.slice(0, 200)).toBe(200);
    const notes = JSON.parse(text) as { id: number }[];
    expect(notes.length, `page ${pages + 1} (${target}) is empty`).toBeGreaterThan(0);
    ids.push(...notes.map((n) => n.id));
    target = nextOf(res.headers.get("link"));
  }
  return { ids, pages };
}

function expectEachOnce(walked: number[], all: number[]) {
  expect(new Set(walked).size, "a note was listed twice").toBe(walked.length);
  expect([...walked].sort((x, y) => x - y)).toEqual([...all].sort((x, y) => x - y));
}

async function idsOf(ownerId: string): Promise<number[]> {
  return (await db.query<{ id: number }>("SELECT id FROM notes WHERE owner_id = $1", [ownerId])).rows.map((r) => r.id);
}

describe("huge lists", () => {
  it("runs the app with the production node flags, which the systemd units share", () => {
    const flags = productionNodeFlags();
    expect(flags.some((f) => f.startsWith("--max-old-space-size="))).toBe(true);
    expect(nodeFlagsOfUnit("cloudnotes.service")).toEqual(flags);
    expect(nodeFlagsOfUnit("cloudnotes@.service")).toEqual(flags);
    expect(app.process.spawnargs.slice(1, 1 + flags.length)).toEqual(flags);
  });

  it("the issue's attack: 300 notes of 100,000 'ж', then 4 concurrent GET /notes?limit=300", async () => {
    const pid = app.process.pid!;
    const user = await signUp(app.url, "huge");
    const description = "ж".repeat(DESCRIPTION_MAX);
    const created: number[] = [];
    let next = 0;
    const writer = async () => {
      for (let i = next++; i < 300; i = next++) {
        const r = await timedFetch(
          `${app.url}/notes`,
          jsonInit({ title: `huge ${i}`, description }, user.token),
          DEADLINE_MS,
        );
        expect(r.status, r.text.slice(0, 200)).toBe(200);
        created.push(JSON.parse(r.text).id);
      }
    };
    await Promise.all(Array.from({ length: 4 }, writer));

    const answers = await concurrently(4, "/notes?limit=300", bearer(user.token));
    await expectAlive(app, pid);
    expectAllOk(answers);
    for (const a of answers) {
      const notes = JSON.parse(a.text) as { description: string }[];
      expect(notes.length).toBeGreaterThan(0);
      expect(notes.every((n) => n.description === description)).toBe(true);
    }

    const { ids, pages } = await walk(user.token, "/notes?limit=300");
    expectEachOnce(ids, created);
    console.log(
      `[huge-lists] 300 × 100,000 'ж', 4 × limit=300: all 200, cursor walk ${pages} pages; peak RSS ${peakRss(app)}`,
    );
  }, 600_000);

  it("larger: 1,000 notes of the costliest text, 8 concurrent limit=1000, searches and the notes page", async () => {
    const pid = app.process.pid!;
    const user = await signUp(app.url, "huger");
    // The costliest descriptions the API accepts: CJK (3 bytes each in UTF-8) and control characters (6 bytes
    // each in JSON), all created in the same millisecond so that the cursor must break ties by id.
    await db.query(
      `INSERT INTO notes (owner_id, title, description, created_at, updated_at)
         SELECT $1, 'huge note ' || i, CASE WHEN i % 2 = 0 THEN repeat('語', $2) ELSE repeat(chr(1), $2) END, $3, $3
           FROM generate_series(1, 1000) AS i`,
      [user.id, DESCRIPTION_MAX, new Date()],
    );
    const all = await idsOf(user.id);
    expect(all).toHaveLength(1000);

    expectAllOk(await concurrently(8, "/notes?limit=1000", bearer(user.token)));
    await expectAlive(app, pid);
    expectAllOk(await concurrently(8, "/notes?limit=1000&q=huge", bearer(user.token)));
    await expectAlive(app, pid);

    const cookie = await signInCookie(app.url, user.email, PASSWORD);
    const pages = await concurrently(8, "/", { headers: { cookie } });
    expectAllOk(pages);
    expect(pages.every((p) => p.text.includes("Older notes"))).toBe(true);
    expectAllOk(await concurrently(8, "/?q=huge", { headers: { cookie } }));
    await expectAlive(app, pid);

    const listed = await walk(user.token, "/notes?limit=1000");
    expectEachOnce(listed.ids, all);
    const searched = await walk(user.token, "/notes?limit=1000&q=huge");
    expectEachOnce(searched.ids, all);
    console.log(
      `[huge-lists] 1,000 × 100,000 costly characters, 8 × limit=1000, 8 × search, 8 × the notes page: all 200; ` +
        `cursor walks ${listed.pages} and ${searched.pages} pages; peak RSS ${peakRss(app)}`,
    );
  }, 600_000);
});
