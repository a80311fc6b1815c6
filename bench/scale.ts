/**
 * Scale: the listing queries at 1,000 notes, then after seeding one user with 100,000 notes and 99 more users
 * with 1,000 each (100 users × 1,000 in all). Each query is timed through the app (one connection, sequential
 * requests, so it is latency, not throughput) and in SQL; EXPLAIN (ANALYZE, BUFFERS) shows the plan the app's
 * connections use: the statement is prepared and executed 6 times first, as the app's named statements are,
 * so that PostgreSQL's choice between a custom and a generic plan is the one in production (searches, which
 * the app sends unnamed, are planned with their parameters every time: plan_cache_mode = force_custom_plan).
 */
import pg from "pg";
import { encodeCursor } from "@/lib/notes/cursor";
import { httpTimes as sharedHttpTimes, percentile } from "./http-times";
import { accessToken, createUsers, migrateDatabase, seedNotes, withClient, word } from "./seed";
import { log, secretKey, startServer, type BenchPostgres } from "./support";

export const RARE_WORD = word(2000);
export const COMMON_WORD = word(5);
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS ?? 200);

interface Timing {
  p50_ms: number;
  p99_ms: number;
  sql_ms: number;
  rows: number;
  matches?: number;
  plan: string;
}

interface Query {
  name: string;
  path: (cursor: string) => string;
  sql: {
    name: string;
    text: string;
    params: (owner: string, cursor: { createdAt: Date; id: number } | null) => unknown[];
  };
  /** Planned for its parameters every time (the app sends searches as unnamed statements). */
  custom?: boolean;
}

const COLUMNS = `id, title, description, file_key, file_name, file_size::float8 AS file_size, content_type, created_at, updated_at`;
const LIMIT = 100; // the API's default page size

const searchText = `SELECT ${COLUMNS} FROM notes WHERE owner_id = $1 AND search_vector @@ websearch_to_tsquery('english', $3) ORDER BY created_at DESC, id DESC LIMIT $2`;

/** A search as the API runs it: an unnamed statement, planned for its word (`custom`). */
function search(name: string, word: string, limit?: number): Query {
  return {
    name,
    path: () => `/notes?q=${word}${limit ? `&limit=${limit}` : ""}`,
    sql: { name: "list_notes_q", text: searchText, params: (o) => [o, (limit ?? LIMIT) + 1, word] },
    custom: true,
  };
}

/**
 * The rare word matches 100 times more notes at 100,000 notes than at 1,000 (2 → ~180 with this seed), so its
 * default page grows from 2 notes to 100 and the answer, not the search, dominates the time. This variant asks
 * for as many notes as the small case has (`limit`), which isolates the cost of the search itself.
 */
function rareSameSize(limit: number): Query {
  return search(`search, rare word, same answer size (limit=${limit})`, RARE_WORD, limit);
}

const QUERIES: Query[] = [
  {
    name: "first page",
    path: () => "/notes",
    sql: {
      name: "list_notes_",
      text: `SELECT ${COLUMNS} FROM notes WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      params: (o) => [o, LIMIT + 1],
    },
  },
  {
    name: "deep page (cursor in the middle)",
    path: (cursor) => `/notes?cursor=${cursor}`,
    sql: {
      name: "list_notes_c",
      text: `SELECT ${COLUMNS} FROM notes WHERE owner_id = $1 AND (created_at, id) < ($3, $4) ORDER BY created_at DESC, id DESC LIMIT $2`,
      params: (o, c) => [o, LIMIT + 1, c!.createdAt, c!.id],
    },
  },
  search(`search, rare word (${RARE_WORD})`, RARE_WORD),
  search(`search, common word (${COMMON_WORD})`, COMMON_WORD),
];

async function httpTimes(url: string, token: string, reqPath: string) {
  return sharedHttpTimes(url, token, reqPath, { requests: REQUESTS, warmUp: 20 });
}

async function sqlTiming(client: pg.Client, q: Query, owner: string, cursor: { createdAt: Date; id: number } | null) {
  const params = q.sql.params(owner, cursor);
  const stmt = `bench_${q.sql.name}`;
  await client.query(`DEALLOCATE ALL`);
  // As the app's connections plan it: named statements may switch to a generic plan after 5 executions,
  // unnamed ones (searches) are planned with their parameters every time.
  await client.query(`SET plan_cache_mode = ${q.custom ? "force_custom_plan" : "auto"}`);
  const types =
    params.length === 2 ? "(text, int)" : params.length === 3 ? "(text, int, text)" : "(text, int, timestamptz, int)";
  await client.query(`PREPARE ${stmt} ${types} AS ${q.sql.text}`);
  const literal = params
    .map((p) => (p instanceof Date ? `'${p.toISOString()}'` : typeof p === "number" ? String(p) : `'${p}'`))
    .join(", ");
  for (let i = 0; i < 6; i++) await client.query(`EXECUTE ${stmt}(${literal})`);
  const explain = await client.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE ${stmt}(${literal})`);
  const plan = explain.rows.map((r) => r["QUERY PLAN"]).join("\n");
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await client.query(`EXECUTE ${stmt}(${literal})`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { sql_ms: percentile(times, 50), plan };
}

async function middleCursor(
  client: pg.Client,
  owner: string,
  offset: number,
): Promise<{ createdAt: Date; id: number }> {
  const { rows } = await client.query(
    `SELECT created_at, id FROM notes WHERE owner_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [owner, offset - 1],
  );
  return { createdAt: rows[0].created_at, id: rows[0].id };
}

async function measure(
  url: string,
  dbUrl: string,
  secret: string,
  owner: string,
  total: number,
  queries: Query[],
): Promise<Record<string, Timing>> {
  const token = await accessToken(secret, owner);
  const out: Record<string, Timing> = {};
  await withClient(dbUrl, async (c) => {
    const cursor = await middleCursor(c, owner, Math.floor(total / 2));
    const encoded = encodeCursor(cursor);
    for (const q of queries) {
      const http = await httpTimes(url, token, q.path(encoded));
      const sql = await sqlTiming(c, q, owner, cursor);
      const matches =
        q.sql.params(owner, cursor).length === 3
          ? (
              await c.query(
                `SELECT count(*)::int AS n FROM notes WHERE owner_id = $1 AND search_vector @@ websearch_to_tsquery('english', $2)`,
                [owner, q.sql.params(owner, cursor)[2]],
              )
            ).rows[0].n
          : undefined;
      out[q.name] = { p50_ms: http.p50, p99_ms: http.p99, rows: http.rows, matches, ...sql };
      log(
        `  ${q.name}: p50 ${http.p50.toFixed(1)} ms, p99 ${http.p99.toFixed(1)} ms, SQL ${sql.sql_ms.toFixed(2)} ms, ${http.rows} rows${matches === undefined ? "" : ` of ${matches} matches`}`,
      );
    }
  });
  return out;
}

export async function runScale(pgServer: BenchPostgres, s3env: Record<string, string>) {
  const secret = secretKey();
  const dbUrl = await pgServer.createDatabase("scale");
  await migrateDatabase(dbUrl);
  const env = { ...s3env, DATABASE_URL: dbUrl, SECRET_KEY: secret, LOG_LEVEL: "info" };

  log("scale: 1 user with 1,000 notes");
  const small = await withClient(dbUrl, async (c) => {
    const [u] = await createUsers(c, "small", 1);
    await seedNotes(c, [u!.id], 1000, { seed: 0.1 });
    await c.query("VACUUM ANALYZE");
    return u!.id;
  });
  const rareMatches = await withClient(
    dbUrl,
    async (c) =>
      (
        await c.query(
          `SELECT count(*)::int AS n FROM notes WHERE owner_id = $1 AND search_vector @@ websearch_to_tsquery('english', $2)`,
          [small, RARE_WORD],
        )
      ).rows[0].n as number,
  );
  const queries = [...QUERIES.slice(0, 3), rareSameSize(Math.max(1, rareMatches)), QUERIES[3]!];
  let app = await startServer("app", env);
  const before = await measure(app.url, dbUrl, secret, small, 1000, queries).finally(() => app.stop());

  log("scale: seeding 1 user × 100,000 notes and 99 users × 1,000 notes");
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
    await c.query("VACUUM ANALYZE");
    return b!.id;
  });
  const seedSeconds = (performance.now() - started) / 1000;
  log(`scale: seeded 199,000 notes in ${seedSeconds.toFixed(1)} s`);
  const sizes = await withClient(
    dbUrl,
    async (c) =>
      (
        await c.query(`SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) AS size FROM pg_class
                      WHERE relname IN ('notes', 'notes_owner_created_id_idx', 'notes_search_vector_idx', 'notes_pkey')`)
      ).rows,
  );

  app = await startServer("app", env);
  let after100k: Record<string, Timing>;
  let after1k: Record<string, Timing>;
  try {
    log("scale: the 100,000-note user");
    after100k = await measure(app.url, dbUrl, secret, big, 100_000, queries);
    log("scale: the 1,000-note user in the large database");
    after1k = await measure(app.url, dbUrl, secret, small, 1000, queries);
  } finally {
    await app.stop();
  }
  return {
    seed_seconds: seedSeconds,
    seeded_notes: 199_000,
    total_notes: 200_000,
    sizes,
    words: { rare: RARE_WORD, common: COMMON_WORD },
    queries: queries.map((q) => ({
      name: q.name,
      small: before[q.name]!,
      big: after100k[q.name]!,
      small_in_big_db: after1k[q.name]!,
    })),
  };
}
