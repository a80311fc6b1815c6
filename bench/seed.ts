/**
 * Seeding, in SQL (generate_series), with words drawn from a Zipf-like distribution so that full-text search
 * is as selective as on real notes: a few words are in nearly every note, most are rare.
 *
 * Vocabulary: 50,000 words; the 240 most frequent are real English content words, the rest pseudo-words made
 * of syllables (unique, and not stemmed into each other). A word's rank r is drawn as floor(exp(U·ln 50,001)),
 * so P(r) ≈ 1/(r·ln 50,000): rank 1 is ~9% of all words, rank 1,000 ~0.009%.
 */
import pg from "pg";
import { hash } from "@node-rs/argon2";
import { SignJWT } from "jose";
import { migrate } from "@/lib/db/migrate";
import { FOLD_INBOX } from "@/lib/notes/inbox-sql";

export const VOCABULARY = 50_000;
/** The argon2id parameters of lib/auth/password.ts. */
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const PASSWORD = "correct horse battery staple";

const COMMON = `project meeting notes idea plan budget report travel recipe garden book music photo client design
code review release server database customer invoice contract schedule team lunch coffee weekend family health
workout running shopping list groceries movie series article research paper draft email call follow task goal
habit journal morning evening kitchen house repair car insurance bank account tax payment salary office remote
hiring interview feedback product feature roadmap sprint bug issue ticket deploy backup security password
network laptop phone camera picture video podcast learning course lecture exam homework school university
library reading writing poem story novel chapter letter birthday party gift holiday vacation flight hotel
train ticket museum concert theatre restaurant dinner breakfast bread cheese wine tea chocolate apple banana
orange tomato potato onion garlic pepper salad soup pasta rice chicken fish vegetable fruit market price
discount order delivery package storage cloud upload download folder document spreadsheet slide chart
metric dashboard analytics marketing campaign launch partner vendor supplier warehouse inventory shipment
weather rain snow summer winter spring autumn river mountain forest beach island city village street
bicycle parking doctor dentist appointment medicine vitamin sleep dream memory friend neighbour teacher`
  .split(/\s+/)
  .filter(Boolean);

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ren",
  "tas",
  "vo",
  "bel",
  "dun",
  "fi",
  "gor",
  "hal",
  "jen",
  "kor",
  "lum",
  "nav",
  "pel",
  "quin",
  "ros",
  "sul",
  "tor",
];

/** The word of rank r (1-based). */
export function word(rank: number): string {
  const real = [...new Set(COMMON)];
  if (rank <= real.length) return real[rank - 1]!;
  let n = rank;
  let w = "";
  do {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  return `${w}x`; // a consonant ending keeps the English stemmer from merging pseudo-words
}

/** The benchmark's search word (GET /notes?q=): a frequent word, in some but not all of a reader's notes. */
export const SEARCH_WORD = word(8);

export async function createVocabulary(client: pg.ClientBase): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS bench_vocab (rank int PRIMARY KEY, word text NOT NULL)`);
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM bench_vocab`);
  if (rows[0].n === VOCABULARY) return;
  await client.query(`TRUNCATE bench_vocab`);
  const words = Array.from({ length: VOCABULARY }, (_, i) => word(i + 1));
  await client.query(`INSERT INTO bench_vocab SELECT g, w FROM unnest($1::text[]) WITH ORDINALITY AS t(w, g)`, [words]);
}

export async function migrateDatabase(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}

export interface SeedUser {
  id: string;
  email: string;
}

let passwordHash: Promise<string> | undefined;
export const benchPasswordHash = () => (passwordHash ??= hash(PASSWORD, ARGON2_OPTIONS));

/** Users `<prefix>-<n>@bench.example` with ids `<prefix>_<n>`, all with the bench password. */
export async function createUsers(client: pg.ClientBase, prefix: string, count: number): Promise<SeedUser[]> {
  const { rows } = await client.query<SeedUser>(
    `INSERT INTO users (id, email, password_hash, updated_at)
     SELECT $1 || '_' || g, $1 || '-' || g || '@bench.example', $3, now() FROM generate_series(1, $2) g
     RETURNING id, email`,
    [prefix, count, await benchPasswordHash()],
  );
  return rows;
}

/**
 * `perUser` notes for each user whose id starts with `prefix_`, newest one minute ago, one minute apart.
 * Titles are 3-7 words, descriptions 20-60 words; every `fileEvery`-th note has an attached file (PDF or PNG),
 * so that listing presigns a GET URL for it as for real notes.
 */
export async function seedNotes(
  client: pg.ClientBase,
  userIds: string[],
  perUser: number,
  options: { fileEvery?: number; seed?: number } = {},
): Promise<void> {
  await createVocabulary(client);
  await client.query(`SELECT setseed($1)`, [options.seed ?? 0.42]);
  const fileEvery = options.fileEvery ?? 5;
  await client.query(
    `WITH picks AS (
       SELECT u.ord AS u, g AS n, p, floor(exp(random() * ln(${VOCABULARY + 1})))::int AS rank
         FROM unnest($1::text[]) WITH ORDINALITY AS u(id, ord)
         CROSS JOIN generate_series(1, $2::int) g
         CROSS JOIN LATERAL generate_series(1, 20 + ((g * 7 + u.ord::int) % 41)) p
     ), texts AS (
       SELECT u, n, array_agg(v.word ORDER BY p) AS words FROM picks JOIN bench_vocab v USING (rank) GROUP BY u, n
     )
     INSERT INTO notes (owner_id, title, description, file_key, file_name, file_size, content_type, created_at, updated_at)
     SELECT ($1::text[])[t.u],
            initcap(array_to_string(t.words[1:3 + n % 5], ' ')),
            array_to_string(t.words, ' '),
            CASE WHEN n % $3 = 0 THEN 'users/' || ($1::text[])[t.u] || '/uploads/00000000-0000-4000-8000-' || lpad(n::text, 12, '0') || '/file-' || n || CASE WHEN n % 2 = 0 THEN '.pdf' ELSE '.png' END END,
            CASE WHEN n % $3 = 0 THEN 'File ' || n || CASE WHEN n % 2 = 0 THEN '.pdf' ELSE '.png' END END,
            CASE WHEN n % $3 = 0 THEN 10000 + n END,
            CASE WHEN n % $3 = 0 THEN CASE WHEN n % 2 = 0 THEN 'application/pdf' ELSE 'image/png' END END,
            date_trunc('minute', now()) - make_interval(mins => n),
            date_trunc('minute', now()) - make_interval(mins => n)
       FROM texts t`,
    [userIds, perUser, fileEvery],
  );
  await foldInbox(client);
}

/** Folds the notes just written into note_tags, tag_counts and search_words, as the app does after a write. */
async function foldInbox(client: pg.ClientBase): Promise<void> {
  const batch = 50_000;
  while ((await client.query<{ taken: number }>(FOLD_INBOX, [batch])).rows[0]!.taken === batch);
}

/** An access token as POST /login issues it (HS256, typ access, sub), valid for a day. */
export function accessToken(secret: string, userId: string): Promise<string> {
  return new SignJWT({ typ: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime("1d")
    .sign(new TextEncoder().encode(secret));
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * `count` notes of Markdown for one user (headings, emphasis, links, checklists, code, a table, a quote), as a
 * person's notes look in the browser: the notes page renders them, so the page benchmark reads these.
 */
export async function seedMarkdownNotes(client: pg.ClientBase, userId: string, count: number): Promise<void> {
  const words = ["harbour", "lantern", "orchard", "meadow", "granite", "velvet", "compass", "ember", "tide", "quill"];
  const w = (n: number, k: number) => words[(n * 7 + k * 3) % words.length]!;
  const rows: unknown[][] = [];
  for (let n = 1; n <= count; n++) {
    const description = [
      `## ${w(n, 1)} plan ${n}`,
      `Notes about the **${w(n, 2)}** and the _${w(n, 3)}_, with a [reference](https://example.com/${n}) and \`code ${n}\`.`,
      "",
      `- [ ] check the ${w(n, 4)}`,
      `- [x] book the ${w(n, 5)}`,
      `- [ ] ask about the ${w(n, 6)} and the ${w(n, 7)}`,
      `1. first ${w(n, 8)}`,
      `2. then ${w(n, 9)}`,
      "",
      "| item | count |",
      "| --- | ---: |",
      `| ${w(n, 10)} | ${n} |`,
      `| ${w(n, 11)} | ${n * 3} |`,
      "",
      `> ${w(n, 12)} ${w(n, 13)} ${w(n, 14)}, remembered on day ${n}.`,
    ].join("\n");
    rows.push([userId, `${w(n, 0)} ${w(n, 15)} ${n}`, description, n]);
  }
  await client.query(
    `INSERT INTO notes (owner_id, title, description, created_at, updated_at)
     SELECT owner, title, description, date_trunc('minute', now()) - make_interval(mins => n),
            date_trunc('minute', now()) - make_interval(mins => n)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS t(owner, title, description, n)`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
  await foldInbox(client);
}
