/**
 * `npm run bench:write-growth -- [--server=app] [--rounds=5] [--seconds=8]` — POST /notes round after round
 * against one server on one growing table: req/s and PostgreSQL's CPU per request after each round, with the
 * number of notes written so far. A save whose cost grows with the notes already written shows here, where the
 * side-by-side runs of bench/run.ts (short rounds, servers taking turns) blur it.
 */
import { fixtureAndRequests } from "./run";
import { withClient } from "./seed";
import {
  commandLine,
  cpuSeconds,
  log,
  pinSelf,
  runMain,
  runWrk,
  startPostgres,
  startS3,
  startServer,
  type ServerKind,
} from "./support";

async function main() {
  const flags = commandLine().options;
  const kind = (flags.server ?? "app") as ServerKind;
  const rounds = Number(flags.rounds ?? 5);
  const seconds = Number(flags.seconds ?? 8);
  pinSelf();
  const pg = await startPostgres();
  const s3 = await startS3();
  try {
    const { env, requests } = await fixtureAndRequests(pg, s3.env, "post_notes");
    const server = await startServer(kind, env);
    try {
      const reqs = await requests(server.url);
      for (let round = 1; round <= rounds; round++) {
        const before = cpuSeconds([pg.postmasterPid]);
        const r = await runWrk(server.url, reqs, { seconds });
        const pgMs = ((cpuSeconds([pg.postmasterPid]) - before) / r.requests) * 1e3;
        const notes = await withClient(env.DATABASE_URL, async (c) => {
          return (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM notes")).rows[0]!.n;
        });
        log(
          `${kind} round ${round}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99_ms.toFixed(0)} ms, PostgreSQL ${pgMs.toFixed(2)} ms CPU per request, ${notes} notes in the table`,
        );
      }
    } finally {
      await server.stop();
    }
  } finally {
    await s3.stop().catch(() => {});
    await pg.stop().catch(() => {});
  }
}

runMain(main);
