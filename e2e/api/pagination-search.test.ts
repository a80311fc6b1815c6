import fc from "fast-check";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { DESCRIPTION_MAX, LIST_PAGE_MAX_BYTES } from "@/lib/notes/schema";
import { websearchText } from "@/lib/notes/search";
import { api, apiUrl, createNote, jsonBody, newUser, PASSWORD } from "../support/api";
import { signInCookie } from "../support/browser-session";
import { closeDb, expect422, expectNote, sql, userIdOf } from "./helpers";

afterAll(closeDb);

type Note = ReturnType<typeof expectNote>;

/** The `rel="next"` target of a Link header, or null. */
function nextLink(res: Response): string | null {
  const link = res.headers.get("link");
  if (!link) return null;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  expect(m, `Link header: ${link}`).not.toBeNull();
  return m![1]!;
}

async function page(token: string, pathAndQuery: string): Promise<{ notes: Note[]; next: string | null }> {
  // The Link target may be relative (it is resolved against the URL it came from, as a client does).
  const url = new URL(pathAndQuery, `${apiUrl()}/notes`);
  const res = await api(url.pathname + url.search, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  const notes = ((await jsonBody(res)) as unknown[]).map(expectNote);
  return { notes, next: nextLink(res) };
}

/** Follows Link: rel="next" from `first` to the end; `between` runs before each following page. */
async function walk(token: string, first: string, between: () => Promise<void> = async () => {}) {
  const pages: Note[][] = [];
  let next: string | null = first;
  while (next) {
    const p = await page(token, next);
    pages.push(p.notes);
    next = p.next;
    if (next) await between();
    expect(pages.length).toBeLessThan(200);
  }
  return pages;
}

async function createMany(token: string, titles: string[], concurrency = 6, description?: string): Promise<number[]> {
  const ids: number[] = new Array(titles.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < titles.length) {
        const at = i++;
        ids[at] = (await createNote(token, { title: titles[at]!, description })).id;
      }
    }),
  );
  return ids;
}

/** Newest first = (created_at, id) descending; ids of one user grow with creation except for ties. */
async function expectedOrder(email: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>(
    "SELECT id FROM notes WHERE owner_id = $1 ORDER BY created_at DESC, id DESC",
    [await userIdOf(email)],
  );
  return rows.map((r) => r.id);
}

describe("limit", () => {
  it("defaults to 100 and announces the rest with a Link header", async () => {
    const { email, token } = await newUser("limit");
    await sql(
      `INSERT INTO notes (owner_id, title, updated_at, created_at)
       SELECT $1, 'note ' || g, now(), now() - g * interval '1 second' FROM generate_series(1, 105) g`,
      [await userIdOf(email)],
    );
    const first = await page(token, "/notes");
    expect(first.notes).toHaveLength(100);
    expect(first.next).not.toBeNull();
    const second = await page(token, first.next!);
    expect(second.notes).toHaveLength(5);
    expect(second.next).toBeNull();
    expect(new Set([...first.notes, ...second.notes].map((n) => n.id)).size).toBe(105);

    expect((await page(token, "/notes?limit=1000")).notes).toHaveLength(105);
    const exact = await page(token, "/notes?limit=105");
    expect(exact.notes).toHaveLength(105);
    expect(exact.next).toBeNull();
  });

  it("refuses 0, more than 1000 and non-integers with 422 at query.limit", async () => {
    const { token } = await newUser("limits");
    for (const bad of ["0", "1001", "abc", "-1", "1.5", ""]) {
      await expect422(await api(`/notes?limit=${bad}`, { token }), ["query", "limit"]);
    }
    expect((await api("/notes?limit=1000", { token })).status).toBe(200);
    expect((await api("/notes?limit=1", { token })).status).toBe(200);
  });
});

describe("cursor", () => {
  it("walks every page with no duplicate and no gap, in order, even while notes are being added", async () => {
    const { email, token } = await newUser("walk");
    await createMany(
      token,
      Array.from({ length: 23 }, (_, i) => `walk ${i}`),
    );
    const before = await expectedOrder(email);
    expect(before).toHaveLength(23);

    let added = 0;
    const pages = await walk(token, "/notes?limit=5", async () => {
      for (let i = 0; i < 2; i++) await createNote(token, { title: `added while paging ${added++}` });
    });
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    // Exactly the notes that existed when the walk began, newest first; the new ones are newer than any cursor.
    expect(pages.flat().map((n) => n.id)).toEqual(before);
    expect(added).toBe(8);
    // And a new walk sees everything.
    expect((await walk(token, "/notes?limit=7")).flat().map((n) => n.id)).toEqual(await expectedOrder(email));
  });

  it("notes created in the same millisecond are neither skipped nor repeated", async () => {
    const { email, token } = await newUser("ties");
    const owner = await userIdOf(email);
    await sql(
      `INSERT INTO notes (owner_id, title, updated_at, created_at)
       SELECT $1, 'tie ' || g, now(), '2030-01-01T00:00:00.123Z' FROM generate_series(1, 7) g`,
      [owner],
    );
    await createNote(token, { title: "older" }); // created now, i.e. before 2030: last in the list
    const all = await expectedOrder(email);
    expect(all).toHaveLength(8);
    for (const limit of [1, 2, 3]) {
      const ids = (await walk(token, `/notes?limit=${limit}`)).flat().map((n) => n.id);
      expect(ids, `limit=${limit}`).toEqual(all);
    }
  });

  it("refuses a cursor it did not make with 422 at query.cursor", async () => {
    const { token } = await newUser("badcursor");
    await createMany(token, ["a", "b", "c"]);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const bad of [
      "garbage!",
      "x".repeat(300),
      b64({ a: 1 }),
      b64(["not a date", 5]),
      b64(["2030-01-01T00:00:00.000Z", -1]),
      b64(["2030-01-01T00:00:00.000Z", 99999999999]),
      b64(["2030-01-01T00:00:00.000Z"]),
    ]) {
      await expect422(await api(`/notes?limit=1&cursor=${encodeURIComponent(bad)}`, { token }), ["query", "cursor"]);
    }
  });

  it("a cursor only moves within the caller's own notes", async () => {
    const a = await newUser("cursor-a");
    const b = await newUser("cursor-b");
    await createMany(a.token, ["a1", "a2", "a3"]);
    await createMany(b.token, ["b1", "b2", "b3"]);
    const first = await page(a.token, "/notes?limit=1");
    const viaB = (await walk(b.token, first.next!)).flat();
    expect(viaB.every((n) => n.title.startsWith("b"))).toBe(true);
  });
});

describe("byte budget", () => {
  it("ends a page of large notes early, under 1 MiB, and its cursor walks every note exactly once", async () => {
    const { email, token } = await newUser("budget");
    const description = "ж".repeat(DESCRIPTION_MAX); // 200,000 bytes of UTF-8
    await createMany(
      token,
      Array.from({ length: 12 }, (_, i) => `large ${i}`),
      4,
      description,
    );
    const pages = await walk(token, "/notes?limit=1000");
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    for (const p of pages) {
      expect(
        p.reduce((sum, n) => sum + Buffer.byteLength(n.title) + Buffer.byteLength(n.description), 0),
      ).toBeLessThanOrEqual(LIST_PAGE_MAX_BYTES);
      expect(p.every((n) => n.description === description)).toBe(true);
    }
    expect(pages.flat().map((n) => n.id)).toEqual(await expectedOrder(email));
    // A limit smaller than the budget's count still rules.
    expect((await walk(token, "/notes?limit=3")).map((p) => p.length)).toEqual([3, 3, 3, 3]);
  });

  it("holds a note larger than the budget on a page of its own, so the cursor still moves on", async () => {
    const { email, token } = await newUser("budget-one");
    await createNote(token, { title: "older" });
    // Larger than the API accepts today (written by an older version, or imported): 3 MiB.
    await sql(
      `INSERT INTO notes (owner_id, title, description, updated_at) VALUES ($1, 'giant', repeat('g', 3 * 1024 * 1024), now())`,
      [await userIdOf(email)],
    );
    await createNote(token, { title: "newest" });
    const pages = await walk(token, "/notes?limit=1000");
    expect(pages.map((p) => p.map((n) => n.title))).toEqual([["newest"], ["giant"], ["older"]]);
    expect(pages[1]![0]!.description).toHaveLength(3 * 1024 * 1024);
  });
});

describe("q: full-text search", () => {
  it("finds words of the title and of the description, with English stemming", async () => {
    const { token } = await newUser("search");
    const budget = await createNote(token, { title: "Quarterly budget", description: "numbers for the board" });
    const run = await createNote(token, {
      title: "Morning routine",
      description: "I run five kilometres before breakfast",
    });
    const pancakes = await createNote(token, { title: "Recipes", description: "pancakes and waffles" });
    await createNote(token, { title: "Unrelated", description: "nothing to see" });

    const search = async (q: string) => (await page(token, `/notes?q=${encodeURIComponent(q)}`)).notes.map((n) => n.id);
    expect(await search("budget")).toEqual([budget.id]); // title
    expect(await search("pancakes")).toEqual([pancakes.id]); // description
    expect(await search("PANCAKE")).toEqual([pancakes.id]); // case and plural
    expect(await search("running")).toEqual([run.id]); // running → run
    expect(await search("boards")).toEqual([budget.id]);
    expect(await search("run breakfast")).toEqual([run.id]); // every word
    expect(await search("run budget")).toEqual([]);
    expect(await search("zeppelin")).toEqual([]);
    // An empty q is no filter.
    expect(await search("")).toHaveLength(4);
  });

  it("takes any text without failing (operators, quotes, punctuation)", async () => {
    const { token } = await newUser("search-odd");
    const n = await createNote(token, { title: "C++ & Rust: a comparison" });
    for (const q of ['"unterminated', "a & | ! ( ) : * <->", "rust:*", "' OR 1=1 --", "\\", "-rust", "🚀"]) {
      const res = await api(`/notes?q=${encodeURIComponent(q)}`, { token });
      expect(res.status, `q=${q}: ${await res.clone().text()}`).toBe(200);
    }
    expect((await page(token, `/notes?q=${encodeURIComponent("rust comparison")}`)).notes.map((x) => x.id)).toEqual([
      n.id,
    ]);
    await expect422(await api(`/notes?q=${"a".repeat(201)}`, { token }), ["query", "q"]);
  });

  it("answers 200 to runs of '-' (33 and more NOTs for websearch_to_tsquery), on the API and the notes page", async () => {
    const { email, token } = await newUser("search-dashes");
    const keep = await createNote(token, { title: "rust and tea" });
    await createNote(token, { title: "rust and coffee" });
    const runs = [
      "-".repeat(33),
      "-".repeat(200),
      `${"- ".repeat(40)}rust`,
      `${"-!".repeat(60)}tea`,
      `rust ${"-".repeat(50)}coffee`,
    ];
    for (const q of runs) {
      const res = await api(`/notes?q=${encodeURIComponent(q)}`, { token });
      expect(res.status, `q=${q}: ${await res.clone().text()}`).toBe(200);
    }
    // A '-' touching a word still excludes it.
    expect((await page(token, `/notes?q=${encodeURIComponent("rust -coffee")}`)).notes.map((n) => n.id)).toEqual([
      keep.id,
    ]);
    const cookie = await signInCookie(apiUrl(), email, PASSWORD);
    for (const q of runs) {
      const res = await fetch(`${apiUrl()}/?q=${encodeURIComponent(q)}`, { headers: { cookie } });
      expect(res.status, `page q=${q}`).toBe(200);
      expect(await res.text()).toContain("Results for");
    }
  });

  it("every text PostgreSQL is given parses (hostile runs of operators, fuzzed)", async () => {
    // Straight into websearch_to_tsquery, as listNotes hands it: thousands of texts built from what makes
    // that parser stack operators, hundreds of which fail as they are.
    // Pieces that leave the parser waiting for a word (each "-" then stacks a NOT), and pieces that give it one.
    const operators = ["-", "-", "-", "- ", "-!", "-(", "!", "(", ")", " ", "|", "&", "<", "\t"];
    const words = ["\u3000", ">", '"', '-"', "a", "é", "or ", "語", "rust", "*", "'", ":"];
    const text = (pieces: string[], minLength: number) =>
      fc.array(fc.constantFrom(...pieces), { minLength, maxLength: 150 }).map((p) => p.join("").slice(0, 200));
    const texts = fc.sample(
      fc.oneof(
        { weight: 3, arbitrary: text(operators, 40).map((t) => `${t}rust`) },
        { weight: 1, arbitrary: text([...operators, ...words], 1) },
      ),
      { seed: 9, numRuns: 4000 },
    );
    const failing = async (qs: string[]) => {
      // One connection: a function of its own that tells whether a text fails to parse.
      const client = new pg.Client({ connectionString: inject("apiDatabaseUrl") });
      await client.connect();
      try {
        await client.query(`CREATE FUNCTION pg_temp.fails(q text) RETURNS boolean LANGUAGE plpgsql AS $$
          BEGIN PERFORM websearch_to_tsquery('english', q); RETURN false; EXCEPTION WHEN OTHERS THEN RETURN true; END $$`);
        return (
          await client.query("SELECT count(*) FILTER (WHERE pg_temp.fails(q))::int AS n FROM unnest($1::text[]) AS q", [
            qs,
          ])
        ).rows[0].n as number;
      } finally {
        await client.end();
      }
    };
    expect(await failing(texts), "the sample holds texts that fail as they are").toBeGreaterThan(0);
    expect(await failing(texts.map(websearchText))).toBe(0);
  });

  it("pages through search results with the cursor, keeping q in the Link", async () => {
    const { token } = await newUser("search-pages");
    const titles = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? `gizmo number ${i}` : `widget number ${i}`));
    await createMany(token, titles, 1);
    await createNote(token, { title: "plain", description: "a gizmo in the description" });
    const first = await page(token, "/notes?q=gizmo&limit=3");
    expect(first.next).toMatch(/[?&]q=gizmo(&|$)/);
    expect(first.next).toMatch(/[?&]limit=3(&|$)/);
    const pages = await walk(token, "/notes?q=gizmo&limit=3");
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    const found = pages.flat();
    expect(new Set(found.map((n) => n.id)).size).toBe(7);
    for (const n of found) expect(`${n.title} ${n.description}`).toContain("gizmo");
    const all = (await page(token, "/notes?q=gizmo&limit=1000")).notes.map((n) => n.id);
    expect(found.map((n) => n.id)).toEqual(all);
  });
});
