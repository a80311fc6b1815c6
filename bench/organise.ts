/**
 * Scale of issue 12's queries: first page (pinned first), a tag filter, a prefix search, a typo search and a
 * filtered search, for one user with 1,000 notes and then for one with 100,000 (and 99 users × 1,000 more).
 * Each is timed through the app (one connection, sequential requests: latency) and EXPLAINed as the app sends
 * it (lib/notes/list-sql.ts builds the very statement). Then POST /notes throughput with and without the
 * indexes this issue added, alternating, in one run. `npm run bench:organise`.
 */
import pg from "pg";
import { listingStatement } from "@/lib/notes/list-sql";
import { listQuerySchema } from "@/lib/notes/schema";
import { accessToken, createUsers, migrateDatabase, seedNotes, withClient, word } from "./seed";
import { log, secretKey, startPostgres, startS3, startServer, type BenchPostgres } from "./support";

const REQUESTS = Number(process.env.BENCH_ORGANISE_REQUESTS ?? 100);
const RARE = word(2000);
/** A prefix of the rare word and the rare word with one letter left out (a typo). */
const PREFIX = RARE.slice(0, -2);
const TYPO = RARE.slice(0, 3) + RARE.slice(4);
const COMMON = word(5);
const ORGANISE_INDEXES = [
  "notes_owner_pinned_created_id_idx",
  "notes_owner_pinned_updated_id_idx",
  "notes_owner_pinned_title_id_idx",
  "notes_owner_deleted_at_idx",
  "notes_deleted_at_idx",
  "notes_tags_idx",
  "notes_search_names_idx",
];

const QUERIES: { name: string; query: string }[] = [
  { name: "first page", query: "" },
  { name: "tag filter (2% of notes)", query: "tag=t7" },
  { name: `prefix search (${PREFIX})`, query: `q=${PREFIX}` },
  { name: `typo search (${TYPO})`, query: `q=${TYPO}` },
  {
    name: `filtered search (${COMMON} tag:t3)`,
    query: `q=${encodeURIComponent(`${COMMON} tag:t3`)}`,
  },
];

/** Tags as notes would have them (50 tags, 2% of notes each) and a few pinned notes. */
async function tagNotes(c: pg.Client, owner: string) {
  await c.query(
    `UPDATE notes SET tags = ARRAY['t' || (id % 50)], pinned = (id % 997 = 0), title = title || ' #t' || (id % 50)
      WHERE owner_id = $1`,
    [owner],
  );
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(url: string, dbUrl: string, secret: string, owner: string) {
  const token = await accessToken(secret, owner);
  const out: Record<
    string,
    { p50: number; p99: number; rows: number; total: string | null; indexes: string[]; plan: string }
  > = {};
  await withClient(dbUrl, async (c) => {
    for (const q of QUERIES) {
      const path = `/notes?${q.query}`;
      const headers = { authorization: `Bearer ${token}` };
      let rows = 0;
      let total: string | null = null;
      for (let i = 0; i < 10; i++) {
        const res = await fetch(url + path, { headers });
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        total = res.headers.get("x-total-count");
        rows = ((await res.json()) as unknown[]).length;
      }
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t = performance.now();
        await (await fetch(url + path, { headers })).arrayBuffer();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const query = listQuerySchema.parse(Object.fromEntries(new URLSearchParams(q.query)));
      const st = listingStatement(owner, query, { archived: "include" });
      // As the app sends it: unnamed, so planned with its values.
      const explain = await c.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${st.text}`, values: st.values });
      const plan = explain.rows.map((r) => r["QUERY PLAN"]).join("\n");
      const indexes = [...new Set(plan.match(/notes_[a-z_]+_idx/g) ?? [])];
      out[q.name] = { p50: percentile(times, 50), p99: percentile(times, 99), rows, total, indexes, plan };
      log(
        `  ${q.name}: p50 ${out[q.name]!.p50.toFixed(1)} ms, p99 ${out[q.name]!.p99.toFixed(1)} ms, ${rows} rows, indexes ${indexes.join(" ")}`,
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

  log("organise: seeding 1 user × 100,000 notes and 99 users × 1,000 notes");
  const started = performance.now();
  const big = await withClient(dbUrl, async (c) => {
    const [b] = await createUsers(c, "big", 1);
    const others = await createUsers(c, "many", 99);
    await seedNotes(c, [b!.id], 100_000, { seed: 0.2 });
    await seedNotes(
      c,
      others.map((o) => o.id),
      1000,
      { seed: 0.3 },
    );
    await tagNotes(c, b!.id);
    await c.query("VACUUM ANALYZE");
    return b!.id;
  });
  const seedSeconds = (performance.now() - started) / 1000;
  log(`organise: seeded 199,000 notes (with tags) in ${seedSeconds.toFixed(1)} s`);
  const sizes = await withClient(
    dbUrl,
    async (c) =>
      (
        await c.query(
          `SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) AS size FROM pg_class
          WHERE relname = 'notes' OR relname = ANY($1) ORDER BY relname`,
          [ORGANISE_INDEXES],
        )
      ).rows,
  );
  app = await startServer("app", env);
  let after: Awaited<ReturnType<typeof measure>>;
  try {
    after = await measure(app.url, dbUrl, secret, big);
  } finally {
    await app.stop();
  }

  // Write throughput: the same app, with this issue's indexes and without them (alternating, twice each).
  log("organise: POST /notes with and without the organise indexes");
  const writeDb = await pgServer.createDatabase("organise_writes");
  await migrateDatabase(writeDb);
  const writer = await withClient(writeDb, async (c) => (await createUsers(c, "writer", 1))[0]!.id);
  const token = await accessToken(secret, writer);
  app = await startServer("app", { ...env, DATABASE_URL: writeDb });
  const rates: { with: number[]; without: number[] } = { with: [], without: [] };
  const defs = await withClient(writeDb, async (c) =>
    (await c.query(`SELECT indexdef FROM pg_indexes WHERE indexname = ANY($1)`, [ORGANISE_INDEXES])).rows.map(
      (r) => r.indexdef as string,
    ),
  );
  try {
    await postThroughput(app.url, token, 3); // warm-up
    for (let round = 0; round < 2; round++) {
      rates.with.push(await postThroughput(app.url, token, 8));
      await withClient(writeDb, async (c) => {
        for (const name of ORGANISE_INDEXES) await c.query(`DROP INDEX ${name}`);
      });
      rates.without.push(await postThroughput(app.url, token, 8));
      await withClient(writeDb, async (c) => {
        for (const def of defs) await c.query(def);
      });
    }
  } finally {
    await app.stop();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  log(`organise: POST /notes ${mean(rates.without).toFixed(0)}/s without, ${mean(rates.with).toFixed(0)}/s with`);
  return { seed_seconds: seedSeconds, sizes, before, after, rates };
}

if (process.argv[1]?.endsWith("bench/organise.ts")) {
  (async () => {
    const pgServer = await startPostgres();
    const s3 = await startS3();
    try {
      const r = await runOrganise(pgServer, s3.env);
      const rows = QUERIES.map((q) => {
        const a = r.before[q.name]!;
        const b = r.after[q.name]!;
        return `| ${q.name} | ${a.p50.toFixed(1)} / ${a.p99.toFixed(1)} | ${b.p50.toFixed(1)} / ${b.p99.toFixed(1)} | ${(b.p50 / a.p50).toFixed(2)}× | ${b.rows}${b.total ? ` of ${b.total}` : ""} | ${b.indexes.join(", ")} |`;
      });
      console.log(
        [
          "| query | 1,000 notes p50 / p99 ms | 100,000 notes p50 / p99 ms | ratio | rows (100k) | indexes in the plan (100k) |",
          "| --- | ---: | ---: | ---: | ---: | --- |",
          ...rows,
          "",
          `seeding 199,000 notes with tags: ${r.seed_seconds.toFixed(1)} s; sizes: ${r.sizes.map((s) => `${s.relname} ${s.size}`).join(", ")}`,
          `POST /notes (8 connections, 2 × 8 s each, alternating): without the organise indexes ${r.rates.without.map((x) => x.toFixed(0)).join(", ")}/s, with them ${r.rates.with.map((x) => x.toFixed(0)).join(", ")}/s`,
        ].join("\n"),
      );
      for (const q of QUERIES) console.error(`\n--- ${q.name} (100k)\n${r.after[q.name]!.plan}`);
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
