import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DESCRIPTION_MAX } from "@/lib/notes/schema";
import { PASSWORD } from "../support/api";
import { type RunningApp, startApp } from "../support/app";
import { createDatabase } from "../support/postgres";
import { productionNodeFlags } from "../support/production";
import { signInCookie } from "../support/browser-session";
import { appEnv, expectAlive, jsonInit, ownBucket, peakRss, signUp, type Timed, timedFetch } from "./support";

/**
 * One note's Markdown cannot take the process down. An app instance of this file's own runs with the production
 * node flags (the old-space cap); one user creates notes of the costliest Markdown shapes through the REST API
 * and loads the notes page and each note's page, one at a time and then 8 at once. Every page must answer 200
 * and the process must stay up and keep answering. The peak RSS (VmHWM) is printed.
 */

const DEADLINE_MS = 120_000;
const fill = (unit: string, chars: number) => unit.repeat(Math.floor(chars / unit.length));

const SHAPES: Record<string, string> = {
  "100,000 characters of list items": fill("- a\n", DESCRIPTION_MAX),
  "100,000 characters of emphasis": fill("*a* ", DESCRIPTION_MAX),
  "a 96,000-character table": `| a | b | c | d |\n|---|---|---|---|\n${fill("| 1 | 2 | 3 | 4 |\n", 96_000 - 36)}`,
  "10,000 characters of list items": fill("- a\n", 10_000),
};

let app: RunningApp;

beforeAll(async () => {
  const [databaseUrl, bucket] = await Promise.all([
    createDatabase(inject("pgAdminUrl"), "markdown"),
    ownBucket("huge-markdown"),
  ]);
  app = await startApp(appEnv(databaseUrl, bucket, { LOG_LEVEL: "error" }), { nodeArgs: productionNodeFlags() });
  console.log(`[huge-markdown] ${productionNodeFlags().join(" ")}; peak RSS after start: ${peakRss(app)}`);
}, 120_000);

afterAll(async () => {
  if (app) console.log(`[huge-markdown] peak RSS of the app (VmHWM), whole file: ${peakRss(app)}`);
  await app?.stop();
}, 60_000);

function expectOk(answer: Timed, what: string) {
  expect(answer.status, `${what}: ${answer.error ?? answer.text.slice(0, 200)}`).toBe(200);
}

describe("huge markdown", () => {
  it("the notes page and each note's page answer for the costliest Markdown, alone and 8 at once", async () => {
    const pid = app.process.pid!;
    const user = await signUp(app.url, "markdown");
    const ids: Record<string, number> = {};
    for (const [title, description] of Object.entries(SHAPES)) {
      const r = await timedFetch(`${app.url}/notes`, jsonInit({ title, description }, user.token), DEADLINE_MS);
      expect(r.status, r.text.slice(0, 200)).toBe(200);
      ids[title] = JSON.parse(r.text).id;
    }
    const cookie = { headers: { cookie: await signInCookie(app.url, user.email, PASSWORD) } };

    // The notes page is bounded in bytes, so the notes span several pages: walk them by their "older" link.
    const listed: string[] = [];
    for (let target: string | null = "/"; target;) {
      const list = await timedFetch(`${app.url}${target}`, cookie, DEADLINE_MS);
      await expectAlive(app, pid);
      expectOk(list, `the notes page ${target}`);
      listed.push(...Object.keys(SHAPES).filter((title) => list.text.includes(`>${title}</a>`)));
      console.log(`[huge-markdown] the notes page ${target}: ${list.ms.toFixed(0)} ms; peak RSS ${peakRss(app)}`);
      target = /href="(\/\?cursor=[^"]+)"/.exec(list.text)?.[1]?.replaceAll("&amp;", "&") ?? null;
      expect(listed.length, "the notes pages do not end").toBeLessThanOrEqual(Object.keys(SHAPES).length);
    }
    expect(listed.sort()).toEqual(Object.keys(SHAPES).sort());

    for (const [title, id] of Object.entries(ids)) {
      const page = await timedFetch(`${app.url}/n/${id}`, cookie, DEADLINE_MS);
      await expectAlive(app, pid);
      expectOk(page, title);
      expect(page.text).toContain("too long to format");
      console.log(`[huge-markdown] the page of ${title}: ${page.ms.toFixed(0)} ms; peak RSS ${peakRss(app)}`);
    }

    const paths = ["/", ...Object.values(ids).map((id) => `/n/${id}`)];
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => timedFetch(`${app.url}${paths[i % paths.length]}`, cookie, DEADLINE_MS)),
    );
    await expectAlive(app, pid);
    burst.forEach((answer, i) => expectOk(answer, paths[i % paths.length]!));
    console.log(`[huge-markdown] 8 pages at once: all 200; peak RSS ${peakRss(app)}`);
  }, 900_000);
});
