import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { setUpLibServices } from "../../e2e/support/lib-services";
import { poll } from "../../e2e/support/poll";
import { createDatabase } from "../../e2e/support/postgres";
import { resetConfigForTests } from "@/lib/config";
import { schemaDrift } from "@/lib/db/schema-drift";
import { pendingDeletions } from "@/lib/files/deletion-queue";
import { defineJob, jobsRunning, startJobs, stopJobs } from "@/lib/jobs";
import { JobsStartError, openBoss } from "@/lib/jobs/boss";
import "@/lib/jobs/registry";
import { metrics } from "@/lib/metrics";
import { createNote } from "@/lib/notes/service";
import { trashNote } from "@/lib/notes/trash";
import { registerCollectors } from "@/lib/ops/collectors";
import { registerUser } from "@/lib/users/service";

/**
 * The job queue (lib/jobs, pg-boss) as a worker instance runs it, against real PostgreSQL and Ceph RGW: the
 * maintenance runs on its own schedule, a failed run is retried with back-off, two instances never run one job
 * twice, /metrics shows the queue, and a database user that may not create the queue's schema is told so in
 * one line. WORKER_INTERVAL_SECONDS=1 exercises the sub-minute schedule; the upload sweep (hourly here) only
 * runs when the test makes it.
 */

const services = await setUpLibServices({
  WORKER_ENABLED: "true",
  WORKER_INTERVAL_SECONDS: "1",
  UPLOAD_SWEEP_INTERVAL_SECONDS: "3600",
  TRASH_RETENTION_DAYS: "30",
});

function breakS3(): void {
  process.env.BUCKET_NAME = "cloudnotes-no-such-bucket";
  resetConfigForTests();
}

function repairS3(): void {
  process.env.BUCKET_NAME = services.bucket;
  resetConfigForTests();
}

interface JobRow {
  id: string;
  state: string;
  retry_count: number;
  later: boolean;
}

const jobsOf = async (name: string) =>
  (
    await services.sql.query<JobRow>(
      `SELECT id, state::text AS state, retry_count, start_after > now() AS later
         FROM pgboss.job WHERE name = $1 ORDER BY created_on`,
      [name],
    )
  ).rows;

const exists = (key: string) =>
  services.s3.send(new HeadObjectCommand({ Bucket: services.bucket, Key: key })).then(
    () => true,
    () => false,
  );

describe("job queue", () => {
  it("retries a job that failed with exponential back-off, and the retry succeeds once S3 is back", async () => {
    breakS3();
    try {
      await startJobs(); // a worker starts with a run of each scheduled job: the sweep fails without S3
      const [failed] = await poll(
        () => jobsOf("files.sweep-uploads"),
        (rows) => rows.some((r) => r.state === "retry"),
        "the sweep to fail and wait for its retry",
      );
      // Backing off: not due again yet.
      expect(failed).toMatchObject({ state: "retry", later: true });
    } finally {
      repairS3();
    }
    const id = (await jobsOf("files.sweep-uploads")).find((r) => r.state === "retry")!.id;
    await services.sql.query("UPDATE pgboss.job SET start_after = now() WHERE id = $1", [id]);
    const done = await poll(
      async () => (await jobsOf("files.sweep-uploads")).find((r) => r.id === id),
      (job) => job?.state === "completed",
      "the retried sweep to complete",
    );
    expect(done?.retry_count).toBe(1); // the same job, run a second time
    const runs = await metrics().jobRuns.get();
    const count = (outcome: string) =>
      runs.values.find((v) => v.labels.queue === "files.sweep-uploads" && v.labels.outcome === outcome)?.value;
    expect(count("failed")).toBeGreaterThanOrEqual(1);
    expect(count("completed")).toBeGreaterThanOrEqual(1);
  });

  it("runs the maintenance on its schedule: queued objects are deleted, expired trash is purged", async () => {
    const prefix = `users/${randomBytes(4).toString("hex")}/`;
    const keys = [`${prefix}${randomUUID()}`, `${prefix}${randomUUID()}`];
    for (const key of keys) {
      await services.s3.send(new PutObjectCommand({ Bucket: services.bucket, Key: key, Body: "x" }));
    }
    const user = (await registerUser({ email: `${randomBytes(6).toString("hex")}@example.com`, password: "pw123456" }))
      .id;
    const note = await createNote(user, { title: "old", description: "" });
    await trashNote(user, note.id);
    await services.sql.query("UPDATE notes SET deleted_at = now() - interval '31 days' WHERE id = $1", [note.id]);
    // Written as a change that orphans objects writes them, without asking for a drain.
    await services.sql.query("INSERT INTO file_deletions (key) SELECT unnest($1::text[])", [keys]);

    await poll(
      async () => ({
        pending: await pendingDeletions(),
        objects: (await Promise.all(keys.map(exists))).filter(Boolean).length,
        note: (await services.sql.query("SELECT 1 FROM notes WHERE id = $1", [note.id])).rowCount,
      }),
      (s) => s.pending === 0 && s.objects === 0 && s.note === 0,
      "the scheduled maintenance to delete the objects and purge the note",
    );
  });

  it("coalesces: a job sent while one of its key waits is folded into it", async () => {
    const parked = defineJob({
      name: "test.coalesced",
      data: z.object({}),
      policy: "coalesce",
      handler: async () => {},
    });
    const first = await parked.send({}, { key: "k", startAfterSeconds: 3600 });
    expect(first).toEqual(expect.any(String));
    expect(await parked.send({}, { key: "k", startAfterSeconds: 3600 })).toBeNull();
    expect(await parked.send({}, { key: "other", startAfterSeconds: 3600 })).toEqual(expect.any(String));
  });

  it("refuses data that does not fit the job's schema when it is sent", async () => {
    const typed = defineJob({ name: "test.typed", data: z.object({ n: z.number() }), handler: async () => {} });
    await expect(typed.send({ n: "1" } as unknown as { n: number })).rejects.toThrow();
  });

  it("shows the queue on /metrics: jobs by name and state, and run outcomes", async () => {
    const waiting = defineJob({ name: "test.waiting", data: z.object({}), handler: async () => {} });
    await waiting.send({}, { startAfterSeconds: 3600 });
    await waiting.send({}, { startAfterSeconds: 3600 });
    registerCollectors();
    const text = await metrics().registry.metrics();
    const line = (job: string, state: string) =>
      text
        .split("\n")
        .find(
          (l) => l.startsWith("cloudnotes_jobs{") && l.includes(`queue="${job}"`) && l.includes(`state="${state}"`),
        );
    expect(line("test.waiting", "created")).toMatch(/ 2$/);
    for (const state of ["created", "retry", "active", "failed"])
      expect(line("files.drain-deletions", state)).toBeDefined();
    expect(line("files.drain-deletions", "failed")).toMatch(/ 0$/);
    expect(text).toMatch(/cloudnotes_job_runs_total\{[^}]*queue="files.drain-deletions"[^}]*outcome="completed"/);
  });

  it("never runs one job twice when two instances work the same queue", async () => {
    const ran: string[] = [];
    const record = async (id: string) => {
      ran.push(id);
      await new Promise((r) => setTimeout(r, 20));
    };
    const shared = defineJob({
      name: "test.shared",
      data: z.object({ i: z.number() }),
      handler: async (_data, job) => record(job.id),
    });
    // A second instance: its own pg-boss on the same database, working the same queue.
    const other = await openBoss({ databaseUrl: services.databaseUrl, worker: true, migrate: true });
    try {
      await other.work("test.shared", { pollingIntervalSeconds: 0.5, batchSize: 2 }, async (jobs) => {
        for (const job of jobs) await record(job.id);
      });
      const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => shared.send({ i })));
      await poll(
        async () => ran.length,
        (n) => n >= ids.length,
        "both instances to run all the jobs",
      );
      expect([...ran].sort()).toEqual([...ids].sort());
    } finally {
      await other.stop({ graceful: true });
    }
  });

  it("finishes the run in flight when the instance stops", async () => {
    let started = false;
    let finished = false;
    const slow = defineJob({
      name: "test.slow",
      data: z.object({}),
      handler: async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 1000));
        finished = true;
      },
    });
    const id = await slow.send({});
    await poll(
      async () => started,
      (s) => s,
      "the slow job to start",
    );
    await stopJobs();
    expect(jobsRunning()).toBe(false);
    expect(finished).toBe(true);
    expect((await jobsOf("test.slow")).find((r) => r.id === id)?.state).toBe("completed");
  });

  it("leaves the public schema as schema.prisma declares it", async () => {
    const schemaText = await readFile(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
    expect(await schemaDrift(schemaText, services.sql)).toEqual([]);
    const { rowCount } = await services.sql.query("SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'");
    expect(rowCount).toBe(1);
  });
});

describe("a database user without CREATE on the database", () => {
  it("gets one line saying what to grant; with the schema made for it, the queue starts", async () => {
    // A database of the administrator's, which the new role may connect to but not create schemas in.
    const databaseUrl = await createDatabase(inject("pgAdminUrl"), "jobs_grants");
    const role = `jobs_${randomBytes(4).toString("hex")}`;
    const sql = new pg.Client({ connectionString: databaseUrl });
    await sql.connect();
    try {
      await sql.query(`CREATE ROLE ${role} LOGIN PASSWORD 'secret-password'`);
      const url = new URL(databaseUrl);
      url.username = role;
      url.password = "secret-password";

      const refused = await openBoss({ databaseUrl: url.toString(), worker: false, migrate: true }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(JobsStartError);
      expect((refused as Error).message).not.toContain("\n");
      expect((refused as Error).message).toContain(`CREATE SCHEMA pgboss AUTHORIZATION`);

      await sql.query(`CREATE SCHEMA pgboss AUTHORIZATION ${role}`);
      const boss = await openBoss({ databaseUrl: url.toString(), worker: false, migrate: true });
      await boss.stop({ graceful: false });
    } finally {
      await sql.end();
    }
  });
});
