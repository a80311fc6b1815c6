/**
 * Scale of issue 12's queries: first page (pinned first), a tag filter, a prefix search, a typo search and a
 * filtered search, for one user with 1,000 notes, then for one with 100,000 and for one of 99 users of 1,000 notes
 * beside it (BENCH_ORGANISE_USERS).
 * Each is timed through the app (one connection, sequential requests: latency) and EXPLAINed as the app sends
 * it (lib/notes/list-sql.ts builds the very statement). Then POST /notes throughput with and without the
 * indexes this issue added, alternating, in one run. `npm run bench:organise` (BENCH_ORGANISE_WRITES_ONLY=1: only the
 * latter).
 */
import os from "node:os";
import pg from "pg";
import { listingStatement } from "@/lib/notes/list-sql";
import { listQuerySchema } from "@/lib/notes/schema";
import { SEARCH_TYPOS_BELOW } from "@/lib/notes/search";
import { tagCountsStatement } from "@/lib/notes/tag-service";
import { httpTimes } from "./http-times";
import { accessToken, createUsers, migrateDatabase, seedNotes, withClient, word } from "./seed";
import { log, secretKey, startPostgres, startS3, startServer, type BenchPostgres } from "./support";

const REQUESTS = Number(process.env.BENCH_ORGANISE_REQUESTS ?? 100);
/** The other users of 1,000 notes each beside the one of 100,000 (BENCH_ORGANISE_USERS=999: the issue's 1,000). */
const CROWD = Number(process.env.BENCH_ORGANISE_USERS ?? 99);
const RARE = word(2000);
/** A prefix of the rare word and the rare word with one letter left out (a typo). */
const PREFIX = RARE.slice(0, -2);
const TYPO = RARE.slice(0, 3) + RARE.slice(4);
const COMMON = word(5);
/**
 * What this issue adds to every write: its indexes, the triggers that keep the tag counts, note_tags and the
 * words on changes, and the inbox's (a new note's fold runs in the app, meanwhile: its cost is in "with").
 */
const ORGANISE_TRIGGERS = [
  "notes_tag_counts_upd",
  "notes_tag_counts_del",
  // prisma/migrations/20261129000000_search_words
  "notes_search_words_upd",
  // prisma/migrations/20261130000000_note_tags
  "notes_note_tags_upd",
  "notes_note_tags_del",
  // prisma/migrations/20261201000000_note_inbox
  "notes_inbox_ins",
];
const ORGANISE_INDEXES = [
  "notes_owner_pinned_created_id_idx",
  "notes_owner_pinned_updated_id_idx",
  "notes_owner_pinned_title_id_idx",
  "notes_owner_deleted_at_idx",
  "notes_deleted_at_idx",
  "notes_tags_idx",
  "notes_search_names_idx",
  // Their successors, per owner (prisma/migrations/20261128400000_search_per_owner, 20261129000000_search_words,
  // 20261202000000_owner_tag_keys).
  "notes_owner_tag_keys_idx",
  "notes_owner_name_words_idx",
  "notes_owner_search_vector_idx",
];
/** The generated columns this issue added: computed on every write, dropped for "without" too. */
const ORGANISE_COLUMNS = ["search_names", "name_words"];
/** The full-text index as it was before this issue: "without" puts it back in place of its per-owner successor. */
const PLAIN_TEXT_INDEX = `CREATE INDEX notes_search_vector_idx ON notes USING GIN (search_vector)`;
/** Rounds of POST /notes with and without (each `WRITE_SECONDS`), the order swapped every round. */
const WRITE_ROUNDS = Number(process.env.BENCH_ORGANISE_WRITE_ROUNDS ?? 8);
const WRITE_SECONDS = Number(process.env.BENCH_ORGANISE_WRITE_SECONDS ?? 4);
/** Which of them "without" leaves out (comma-separated names; default all): to weigh one part of the cost. */
const LEFT_OUT = process.env.BENCH_ORGANISE_WITHOUT?.split(",");
const leftOut = (name: string) => !LEFT_OUT || LEFT_OUT.includes(name);

const QUERIES: { name: string; query: string }[] = [
  { name: "first page", query: "" },
  { name: "tag filter (2% of notes)", query: "tag=t7" },
  { name: `prefix search (${PREFIX})`, query: `q=${PREFIX}` },
  { name: `typo search (${TYPO})`, query: `q=${TYPO}` },
  {
    name: `filtered search (${COMMON} tag:t3)`,
    query: `q=${encodeURIComponent(`${COMMON} tag:t3`)}`,
  },
  { name: "tag counts (GET /tags, the sidebar)", query: "tags" },
];

/** Tags as notes would have them (50 tags, 2% of notes each) and a few pinned notes. */
async function tagNotes(c: pg.Client, owner: string) {
  await c.query(
    `UPDATE notes SET tags = ARRAY['t' || (id % 50)], pinned = (id % 997 = 0), title = title || ' #t' || (id % 50)
      WHERE owner_id = $1`,
    [owner],
  );
}

interface Figure {
  p50: number;
  p99: number;
  rows: number;
  total: string | null;
  indexes: string[];
  /** EXPLAIN ANALYZE's execution time: the database's own time, less inflated by a loaded machine than p50. */
  sqlMs: number | null;
  plan: string;
  /** The 1-minute load average when the figure was taken. */
  load: number;
}

/**
 * The statements of a query as the app sends them (lib/notes/list-sql.ts or lib/notes/tag-service.ts builds
 * them): a search that counts too few full-text matches is sent again with similar words, as lib/notes/list.ts does.
 */
async function statementsOf(c: pg.Client, owner: string, q: string): Promise<{ text: string; values: unknown[] }[]> {
  if (q === TAGS) return [{ text: tagCountsStatement.text, values: [owner] }];
  const query = listQuerySchema.parse(Object.fromEntries(new URLSearchParams(q)));
  const st = listingStatement(owner, query, { archived: "include" });
  if (st.kind !== "search" || !st.withTypos) return [st];
  const { rows } = await c.query<{ total: string }>(st);
  return Number(rows[0]?.total) >= SEARCH_TYPOS_BELOW ? [st] : [st, st.withTypos];
}

const TAGS = "tags";

/**
 * Each query timed through the app and EXPLAINed (ANALYZE, BUFFERS) as the app sends it: unnamed, so planned
 * with its values. `sameSize` adds, for each query, the variant that asks for as many notes as it answered
 * there (`limit`): the answer at 100,000 notes is a full page, at 1,000 often a few notes, and the size of the
 * answer, not the query, then dominates the ratio.
 */
async function measure(
  url: string,
  dbUrl: string,
  secret: string,
  owner: string,
  sameSize?: Record<string, Figure>,
): Promise<Record<string, Figure>> {
  const token = await accessToken(secret, owner);
  const out: Record<string, Figure> = {};
  const queries = [
    ...QUERIES,
    ...(sameSize
      ? QUERIES.filter(
          (q) => q.query !== TAGS && sameSize[q.name] && sameSize[q.name]!.rows > 0 && sameSize[q.name]!.rows < 100,
        ).map((q) => ({
          name: `${q.name}, limit=${sameSize[q.name]!.rows}`,
          query: `${q.query}${q.query ? "&" : ""}limit=${sameSize[q.name]!.rows}`,
        }))
      : []),
  ];
  await withClient(dbUrl, async (c) => {
    // As the app's connections are set up (lib/db/pool.ts).
    await c.query("SET pg_trgm.word_similarity_threshold = 0.5");
    for (const q of queries) {
      const path = q.query === TAGS ? "/tags" : `/notes?${q.query}`;
      const load = os.loadavg()[0]!;
      const http = await httpTimes(url, token, path, { requests: REQUESTS, warmUp: 10 });
      const plans: string[] = [];
      for (const st of await statementsOf(c, owner, q.query)) {
        const explain = await c.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${st.text}`, values: st.values });
        plans.push(explain.rows.map((r) => r["QUERY PLAN"]).join("\n"));
      }
      const plan = plans.join("\n\n");
      const indexes = [...new Set(plan.match(/notes_[a-z_]+_(idx|pkey)|tag_counts_pkey|note_tags_pkey/g) ?? [])];
      const sqlMs = plans.reduce((sum, p) => sum + Number(/Execution Time: ([\d.]+) ms/.exec(p)?.[1] ?? NaN), 0);
      out[q.name] = {
        p50: http.p50,
        p99: http.p99,
        rows: http.rows,
        total: http.headers.get("x-total-count"),
        indexes,
        sqlMs: Number.isNaN(sqlMs) ? null : sqlMs,
        plan,
        load,
      };
      log(
        `  ${q.name}: p50 ${http.p50.toFixed(1)} ms, p99 ${http.p99.toFixed(1)} ms, SQL ${sqlMs.toFixed(2)} ms, ${http.rows} rows, load ${load.toFixed(1)}, indexes ${indexes.join(" ")}`,
      );
    }
  });
  return out;
}

/** POST /notes at 8 connections for `seconds`: notes per second. */
async function postThroughput(url: string, token: string, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const body = JSON.stringify({
    title: "Throughput #bench",
    description: "A note with #tags and some words to index.",
  });
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() < end) {
        const res = await fetch(`${url}/notes`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
        });
        await res.arrayBuffer();
        if (res.status === 200) done++;
      }
    }),
  );
  return done / seconds;
}

export async function runOrganise(pgServer: BenchPostgres, s3env: Record<string, string>) {
  const secret = secretKey();
  const dbUrl = await pgServer.createDatabase("organise");
  await migrateDatabase(dbUrl);
  const env = { ...s3env, DATABASE_URL: dbUrl, SECRET_KEY: secret, LOG_LEVEL: "warn" };

  log("organise: 1 user with 1,000 notes");
  const small = await withClient(dbUrl, async (c) => {
    const [u] = await createUsers(c, "small", 1);
    await seedNotes(c, [u!.id], 1000, { seed: 0.1 });
    await tagNotes(c, u!.id);
    await c.query("VACUUM ANALYZE");
    return u!.id;
  });
  let app = await startServer("app", env);
  const before = await measure(app.url, dbUrl, secret, small).finally(() => app.stop());
  const loadBeforeSeeding = os.loadavg()[0]!;

  const seeded = (100_000 + CROWD * 1000).toLocaleString("en");
  log(`organise: seeding 1 user × 100,000 notes and ${CROWD} users × 1,000 notes`);
  const started = performance.now();
  const { big, crowd } = await withClient(dbUrl, async (c) => {
    const [b] = await createUsers(c, "big", 1);
    const others = await createUsers(c, "many", CROWD);
    await seedNotes(c, [b!.id], 100_000, { seed: 0.2 });
    // 100 users per statement: one statement for all of them would build every note's words at once.
    for (let i = 0; i < others.length; i += 100) {
      await seedNotes(
        c,
        others.slice(i, i + 100).map((o) => o.id),
        1000,
        { seed: 0.3 },
      );
    }
    await tagNotes(c, b!.id);
    await tagNotes(c, others[0]!.id);
    await c.query("VACUUM ANALYZE");
    return { big: b!.id, crowd: others[0]!.id };
  });
  const seedSeconds = (performance.now() - started) / 1000;
  const seedLoad = [loadBeforeSeeding, os.loadavg()[0]!];
  log(`organise: seeded ${seeded} notes (with tags) in ${seedSeconds.toFixed(1)} s, load ${seedLoad.join(" → ")}`);
  // Every index of the notes (and of the tag counts and note_tags), and the tables with all their indexes.
  const sizes = await withClient(
    dbUrl,
    async (c) =>
      (
        await c.query(
          `SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)) AS size FROM pg_index i
             JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid IN (SELECT oid FROM pg_class WHERE relname IN ('notes', 'tag_counts', 'note_tags'))
           UNION ALL
           SELECT relname || ' (table with indexes)', pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class
            WHERE relname IN ('notes', 'tag_counts', 'note_tags') AND relkind = 'r'
           ORDER BY 1`,
        )
      ).rows as { relname: string; size: string }[],
  );
  app = await startServer("app", env);
  let after: Awaited<ReturnType<typeof measure>>;
  let among: Awaited<ReturnType<typeof measure>>;
  try {
    after = await measure(app.url, dbUrl, secret, big, before);
    log(`organise: one of the ${CROWD} users of 1,000 notes, among ${seeded}`);
    among = await measure(app.url, dbUrl, secret, crowd);
  } finally {
    await app.stop();
  }

  const writes = await writeThroughput(pgServer, env, secret);
  return {
    seeded,
    seed_seconds: seedSeconds,
    seedLoad,
    sizes,
    before,
    after,
    among,
    ...writes,
  };
}

/** POST /notes with this issue's indexes, triggers and columns and without them, alternating, in one run. */
async function writeThroughput(pgServer: BenchPostgres, env: Record<string, string>, secret: string) {
  // Write throughput: the same app, with this issue's indexes and without them (alternating, twice each).
  log("organise: POST /notes with and without the organise indexes");
  const writeDb = await pgServer.createDatabase("organise_writes");
  await migrateDatabase(writeDb);
  const writer = await withClient(writeDb, async (c) => (await createUsers(c, "writer", 1))[0]!.id);
  const token = await accessToken(secret, writer);
  const app = await startServer("app", { ...env, DATABASE_URL: writeDb });
  const rates: { with: number[]; without: number[] } = { with: [], without: [] };
  const backlog: number[] = [];
  const defs = await withClient(writeDb, async (c) =>
    (
      await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY($1)`, [
        ORGANISE_INDEXES.filter(leftOut),
      ])
    ).rows.map((r) => ({ name: r.indexname as string, def: r.indexdef as string })),
  );
  const triggerDefs = await withClient(writeDb, async (c) =>
    (
      await c.query(
        `SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'notes'::regclass AND tgname = ANY($1)`,
        [ORGANISE_TRIGGERS.filter(leftOut)],
      )
    ).rows.map((r) => ({ name: r.tgname as string, def: r.def as string })),
  );
  const triggers = triggerDefs.map((t) => t.name);
  let columnNames: string[] = [];
  try {
    await postThroughput(app.url, token, 3); // warm-up
    const hasPlain = await withClient(
      writeDb,
      async (c) =>
        !leftOut("notes_owner_search_vector_idx") ||
        (await c.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'notes_search_vector_idx'`)).rowCount! > 0,
    );
    const columns = await withClient(
      writeDb,
      async (c) =>
        (
          await c.query(
            `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS expr
               FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attrelid = 'notes'::regclass AND a.attgenerated = 's' AND a.attname = ANY($1)`,
            [ORGANISE_COLUMNS.filter(leftOut)],
          )
        ).rows as { name: string; type: string; expr: string }[],
    );
    columnNames = columns.map((c) => c.name);
    const without = () =>
      withClient(writeDb, async (c) => {
        // Dropped rather than disabled: a trigger's WHEN may name a column dropped here.
        for (const name of triggers) await c.query(`DROP TRIGGER ${name} ON notes`);
        for (const { name } of defs) await c.query(`DROP INDEX IF EXISTS ${name}`);
        for (const { name } of columns) await c.query(`ALTER TABLE notes DROP COLUMN ${name}`);
        if (!hasPlain) await c.query(PLAIN_TEXT_INDEX);
      });
    const withThem = () =>
      withClient(writeDb, async (c) => {
        if (!hasPlain) await c.query(`DROP INDEX notes_search_vector_idx`);
        for (const { name, type, expr } of columns) {
          await c.query(`ALTER TABLE notes ADD COLUMN ${name} ${type} GENERATED ALWAYS AS (${expr}) STORED`);
        }
        for (const { def } of defs) await c.query(def);
        for (const { def } of triggerDefs) await c.query(def);
      });
    // The notes not yet folded when a round with ends: the fold keeps up if this stays a moment's writes.
    const withRound = async () => {
      rates.with.push(await postThroughput(app.url, token, WRITE_SECONDS));
      const { rows } = await withClient(writeDb, (c) => c.query("SELECT count(*)::int AS n FROM note_inbox"));
      backlog.push(rows[0].n);
    };
    for (let round = 0; round < WRITE_ROUNDS; round++) {
      // with, without | without, with | …: a drift of the machine's load over the run falls on both alike.
      if (round % 2 === 0) {
        await withRound();
        await without();
        rates.without.push(await postThroughput(app.url, token, WRITE_SECONDS));
      } else {
        rates.without.push(await postThroughput(app.url, token, WRITE_SECONDS));
        await withThem();
        await withRound();
      }
    }
    if (WRITE_ROUNDS % 2 === 1) await withThem();
  } finally {
    await app.stop();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratios = rates.with.map((w, i) => w / rates.without[i]!);
  log(
    `organise: POST /notes ${mean(rates.without).toFixed(0)}/s without, ${mean(rates.with).toFixed(0)}/s with; with/without per round ${ratios.map((r) => r.toFixed(2)).join(" ")}, median ${median(ratios).toFixed(2)}; notes not yet folded at the end of each round with: ${backlog.join(" ")}`,
  );
  return { rates, backlog, dropped: [...defs.map((d) => d.name), ...triggers, ...columnNames] };
}

if (process.argv[1]?.endsWith("bench/organise.ts")) {
  (async () => {
    const pgServer = await startPostgres();
    const s3 = await startS3();
    try {
      if (process.env.BENCH_ORGANISE_WRITES_ONLY) {
        // The write throughput alone (its rounds are the noisy part): a few minutes instead of a full run.
        const secret = secretKey();
        await writeThroughput(pgServer, { ...s3.env, SECRET_KEY: secret, LOG_LEVEL: "warn" }, secret);
        await s3.stop().catch(() => {});
        await pgServer.stop().catch(() => {});
        process.exit(0);
      }
      const r = await runOrganise(pgServer, s3.env);
      const ms = (x: number | null) => (x === null ? "–" : x.toFixed(1));
      const rows = Object.keys(r.after).map((name) => {
        const a = r.before[name.replace(/, limit=\d+$/, "")]!;
        const b = r.after[name]!;
        const c = r.among[name];
        const sqlRatio = a.sqlMs && b.sqlMs ? `${(b.sqlMs / a.sqlMs).toFixed(2)}×` : "–";
        return `| ${name} | ${a.p50.toFixed(1)} / ${a.p99.toFixed(1)} | ${b.p50.toFixed(1)} / ${b.p99.toFixed(1)} | ${(b.p50 / a.p50).toFixed(2)}× | ${c ? `${c.p50.toFixed(1)} / ${c.p99.toFixed(1)}` : "–"} | ${ms(a.sqlMs)} | ${ms(b.sqlMs)} | ${sqlRatio} | ${a.load.toFixed(1)} / ${b.load.toFixed(1)} | ${b.rows}${b.total ? ` of ${b.total}` : ""} | ${b.indexes.join(", ")} |`;
      });
      console.log(
        [
          `| query | 1,000 notes p50 / p99 ms | 100,000 notes p50 / p99 ms | ratio | 1,000 notes among ${r.seeded} p50 / p99 ms | SQL ms 1k | SQL ms 100k | SQL ratio | load 1k / 100k | rows (100k) | indexes in the plan (100k) |`,
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
          ...rows,
          "",
          `seeding ${r.seeded} notes with tags: ${r.seed_seconds.toFixed(1)} s (load ${r.seedLoad.map((x) => x.toFixed(1)).join(" → ")})`,
          `sizes: ${r.sizes.map((s) => `${s.relname} ${s.size}`).join(", ")}`,
          `POST /notes (8 connections, ${WRITE_ROUNDS} × ${WRITE_SECONDS} s each, alternating; without = ${r.dropped.join(", ")} dropped/disabled, the plain full-text index instead): without ${r.rates.without.map((x) => x.toFixed(0)).join(", ")}/s, with ${r.rates.with.map((x) => x.toFixed(0)).join(", ")}/s; with/without per round ${r.rates.with.map((w, i) => (w / r.rates.without[i]!).toFixed(2)).join(" ")}; not yet folded at the end of each round with: ${r.backlog.join(" ")} notes`,
        ].join("\n"),
      );
      for (const name of Object.keys(r.after)) console.error(`\n--- ${name} (100k)\n${r.after[name]!.plan}`);
      for (const name of Object.keys(r.before)) console.error(`\n--- ${name} (1k)\n${r.before[name]!.plan}`);
    } finally {
      await s3.stop().catch(() => {});
      await pgServer.stop().catch(() => {});
    }
    process.exit(0);
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
