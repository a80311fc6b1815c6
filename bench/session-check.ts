/**
 * `node --conditions=react-server --import tsx bench/session-check.ts` — what the session check costs a page
 * view: the lookup every signed-in page view made before (the user by id), the check that replaces it (the
 * user's session version and disabled flag, and whether the session id was revoked, among
 * BENCH_REVOKED_ROWS revoked sessions) uncached, and the check as a page view pays it within
 * SESSION_CHECK_CACHE_MS of the previous one (an in-process cache hit). Sequential calls, this process and
 * PostgreSQL pinned to the server core. Prints µs per call.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createUsers, migrateDatabase, withClient } from "./seed";
import { CPUS, runMain, startPostgres, timeCalls } from "./support";

const N = Number(process.env.BENCH_SESSION_CALLS ?? 1000);
const REVOKED = Number(process.env.BENCH_REVOKED_ROWS ?? 100_000);
const ROUNDS = 5;

async function main() {
  execFileSync("taskset", ["-a", "-p", "-c", CPUS.server, String(process.pid)], { stdio: "ignore" });
  const server = await startPostgres();
  try {
    const url = await server.createDatabase("session_check");
    await migrateDatabase(url);
    const userId = await withClient(url, async (c) => {
      const [u] = await createUsers(c, "session", 1);
      // A busy table of signed-out sessions (their ids are random, as the app's are).
      await c.query(
        `INSERT INTO revoked_sessions (id, user_id, expires_at)
         SELECT md5(random()::text || g), $1, now() + interval '31 days' FROM generate_series(1, $2) AS g`,
        [u!.id, REVOKED],
      );
      await c.query("ANALYZE revoked_sessions");
      return u!.id;
    });
    Object.assign(process.env, {
      DATABASE_URL: url,
      SECRET_KEY: randomBytes(32).toString("hex"),
      BUCKET_NAME: "bench-unused",
      LOG_LEVEL: "silent",
    });
    const { activeSessionUser } = await import("@/lib/auth/session-state");
    const { findAccountState } = await import("@/lib/users/service");
    const { pool } = await import("@/lib/db/pool");
    const sid = randomBytes(16).toString("base64url");
    const claims = { sub: userId, sid, sv: 0 };
    if (!(await activeSessionUser(claims))) throw new Error("the session should be valid");

    // Alternated in rounds, so that a change of load on the machine weighs on both alike.
    const lookup = () =>
      pool().query({ name: "u", text: "SELECT id, email, name FROM users WHERE id = $1", values: [userId] });
    const check = () => findAccountState(userId, sid);
    let before = 0;
    let uncached = 0;
    for (let round = 0; round < ROUNDS; round++) {
      before += (await timeCalls(`before: user by id (prepared), round ${round + 1}`, N, lookup)) / ROUNDS;
      uncached += (await timeCalls(`now, uncached: account state + revoked?, round ${round + 1}`, N, check)) / ROUNDS;
    }
    console.log(`${"before, mean".padEnd(60)} ${before.toFixed(1).padStart(7)} µs per call`);
    console.log(`${"now uncached, mean".padEnd(60)} ${uncached.toFixed(1).padStart(7)} µs per call`);
    const cached = await timeCalls("now, a page view within the cache time (hit)", N, () => activeSessionUser(claims));
    console.log(
      `\nper page view: uncached +${(uncached - before).toFixed(1)} µs over the lookup it replaces; ` +
        `cached ${cached.toFixed(1)} µs (${REVOKED} revoked sessions in the table, load ${(await import("node:os")).loadavg()[0]!.toFixed(1)})`,
    );
    await pool().end();
  } finally {
    await server.stop();
  }
}

runMain(main);
