import "server-only";
import type pg from "pg";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import { z } from "zod";
import { config } from "@/lib/config";
import { logger } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { onShutdown } from "@/lib/ops/lifecycle";
import { processSingleton } from "@/lib/process-singleton";
import { JOBS_SCHEMA, openBoss } from "./boss";

export { JobsStartError } from "./boss";

/**
 * Background jobs on one PostgreSQL queue (pg-boss): retries with exponential back-off, schedules, and each job
 * run once however many instances work the queue. Define a job at the top level of a module listed in
 * lib/jobs/registry.ts, then send it from anywhere:
 *   const resize = defineJob({ name: "images.resize", data: z.object({ key: z.string() }), handler: async ({ key }) => {...} });
 *   await resize.send({ key }, { key, debounceSeconds: 10 });
 */

export interface JobDefinition<S extends z.ZodType> {
  /** Queue name: letters, digits, ".", "-", "_". */
  name: string;
  /** Validated when sent and again when run (a job sent by another version must still fit). */
  data: S;
  /** Throwing fails the run; the queue retries it with back-off until `retry.limit` runs have failed. */
  handler: (data: z.output<S>, job: JobRun) => Promise<void>;
  retry?: Partial<RetryOptions>;
  /** Longest one run may take before it counts as failed (and is retried). Default 15 minutes. */
  expireInSeconds?: number;
  /** Runs on its own every so many seconds (read when the queue starts; below 60 s see scheduleTicks). */
  everySeconds?: () => number;
  /**
   * "standard": every job sent runs. "coalesce": at most one run waiting and one running per key; a job sent
   * while one waits is folded into it (maintenance that looks at the whole table each run). A coalesced run that
   * fails while another of its key already waits for a retry fails for good: the next run comes anyway.
   */
  policy?: "standard" | "coalesce";
  /** Keep finished jobs this long (they show what ran and why it failed). Default 7 days. */
  keepSeconds?: number;
}

export interface RetryOptions {
  /** Retries after the first failed run. */
  limit: number;
  /** First delay; each retry doubles it (with jitter), up to maxDelaySeconds. */
  delaySeconds: number;
  maxDelaySeconds: number;
}

export interface JobRun {
  id: string;
  /** 0 on the first run. */
  retryCount: number;
  /** Aborted when the instance stops before the run ends. */
  signal: AbortSignal;
}

export interface SendOptions {
  /** Jobs with the same key are debounced (and coalesced) together; none means one shared key. */
  key?: string;
  /** At most one job per key every this many seconds; one sent meanwhile runs at the start of the next window. */
  debounceSeconds?: number;
  startAfterSeconds?: number;
}

export interface Job<S extends z.ZodType> {
  name: string;
  /** Queues a run; resolves its id, or null when debouncing or coalescing folded it into another. */
  send(data: z.input<S>, options?: SendOptions): Promise<string | null>;
}

const DEFAULT_RETRY: RetryOptions = { limit: 5, delaySeconds: 10, maxDelaySeconds: 3600 };

/** The key of runs that come from the schedule. */
export const TICK_KEY = "tick";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDefinition = JobDefinition<any>;

interface JobsState {
  definitions: Map<string, AnyDefinition>;
  installed: Map<string, Promise<void>>;
  boss?: Promise<PgBoss>;
  /** Whether the open queue works jobs (startJobs on a WORKER_ENABLED instance) or only sends them. */
  worker: boolean;
  openedAsWorker?: boolean;
}

const state = () =>
  processSingleton<JobsState>("jobs", () => ({ definitions: new Map(), installed: new Map(), worker: false }));

/** Declares a job (once per process; a second definition of the same name replaces the handler). */
export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): Job<S> {
  if (!/^[\w.-]+$/.test(definition.name)) throw new Error(`job name ${JSON.stringify(definition.name)} is invalid`);
  const s = state();
  s.definitions.set(definition.name, definition);
  // Defined after the queue started (a module loaded late): set it up now.
  if (s.boss) void install(definition.name).catch(() => {});
  return {
    name: definition.name,
    send: async (data, options) => sendJob(definition.name, definition.data.parse(data) as object, options),
  };
}

/**
 * Starts the queue in this process (start-up): creates or migrates its schema, then, if WORKER_ENABLED, works
 * every defined job and runs their schedules. Throws JobsStartError with one line an operator can act on.
 */
export async function startJobs(): Promise<void> {
  const s = state();
  s.worker = config().WORKER_ENABLED;
  // Opened send-only by an early send: reopen as a worker.
  if (s.boss && s.openedAsWorker !== s.worker) await stopJobs();
  await boss();
  await Promise.all([...s.definitions.keys()].map((name) => install(name)));
}

/** Stops gracefully: no new runs; runs in flight may finish until SHUTDOWN_TIMEOUT_SECONDS, then are failed (and retried elsewhere). */
export async function stopJobs(): Promise<void> {
  const s = state();
  const pending = s.boss;
  if (!pending) return;
  s.boss = undefined;
  s.installed.clear();
  const b = await pending.catch(() => undefined);
  await b?.stop({ graceful: true, timeout: config().SHUTDOWN_TIMEOUT_SECONDS * 1000 });
}

/** Whether this process has a running queue (started, or opened by a send). */
export function jobsRunning(): boolean {
  return state().boss !== undefined;
}

/** The queue of this process, opened on first use (send-only unless startJobs asked for a worker). */
function boss(): Promise<PgBoss> {
  const s = state();
  if (!s.boss) {
    const c = config();
    const opening = openBoss({
      databaseUrl: c.DATABASE_URL,
      worker: s.worker,
      migrate: c.MIGRATE_ON_START,
      connectTimeoutMs: c.DATABASE_CONNECT_TIMEOUT_MS,
    });
    s.boss = opening;
    s.openedAsWorker = s.worker;
    opening.then(
      () => onShutdown(stopJobs),
      () => {
        if (s.boss === opening) s.boss = undefined;
      },
    );
  }
  return s.boss;
}

async function sendJob(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
  const b = await boss();
  await install(name);
  return b.send(name, data, {
    ...(options.key ? { singletonKey: options.key } : {}),
    ...(options.debounceSeconds ? { singletonSeconds: options.debounceSeconds, singletonNextSlot: true } : {}),
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
  });
}

/** Creates (or updates) the job's queue; on a worker also works it and schedules it. Once per process. */
function install(name: string): Promise<void> {
  const s = state();
  let done = s.installed.get(name);
  if (!done) {
    done = installNow(name);
    s.installed.set(name, done);
    done.catch(() => s.installed.delete(name));
  }
  return done;
}

async function installNow(name: string): Promise<void> {
  const s = state();
  const def = s.definitions.get(name);
  if (!def) throw new Error(`no job named ${name} is defined`);
  const b = await boss();
  const retry = { ...DEFAULT_RETRY, ...def.retry };
  const options = {
    retryLimit: retry.limit,
    retryDelay: retry.delaySeconds,
    retryBackoff: true,
    retryDelayMax: retry.maxDelaySeconds,
    // pg-boss refuses keys present but undefined: leave them out for its defaults.
    ...(def.expireInSeconds ? { expireInSeconds: def.expireInSeconds } : {}),
    ...(def.keepSeconds ? { deleteAfterSeconds: def.keepSeconds } : {}),
  };
  await b.createQueue(name, { ...options, policy: def.policy === "coalesce" ? "stately" : "standard" });
  // Retry settings may have changed since the queue was created (the policy cannot).
  await b.updateQueue(name, options);
  if (!s.worker) return;

  const every = def.everySeconds?.();
  await b.work<object>(
    name,
    { includeMetadata: true, pollingIntervalSeconds: Math.max(0.5, Math.min(2, every ?? 2)) },
    (jobs) => run(b, name, jobs[0] as JobWithMetadata<object>),
  );
  if (every) await scheduleTicks(b, name, every);
}

/**
 * pg-boss schedules are cron (one minute at best), so a job runs from a cron entry every minute, throttled to
 * one run per `every` seconds when that is longer. Shorter intervals (WORKER_INTERVAL_SECONDS=1 in tests) are
 * a chain: each successful run queues the next `every` seconds later, under the coalescing key TICK_KEY, so
 * however many instances finish runs only one next run waits; the cron entry restarts a broken chain.
 */
async function scheduleTicks(b: PgBoss, name: string, every: number): Promise<void> {
  await b.schedule(
    name,
    "* * * * *",
    {},
    { singletonKey: TICK_KEY, ...(every > 60 ? { singletonSeconds: Math.round(every) } : {}) },
  );
  // A first run now, as an instance that starts has had nothing run for a while.
  await b.send(name, {}, { singletonKey: TICK_KEY });
}

async function run(b: PgBoss, name: string, job: JobWithMetadata<object>): Promise<void> {
  const def = state().definitions.get(name);
  if (!def) throw new Error(`no job named ${name} is defined in this version`);
  const jobRuns = metrics().jobRuns;
  try {
    const data = def.data.parse(job.data ?? {});
    await def.handler(data, { id: job.id, retryCount: job.retryCount, signal: job.signal });
  } catch (error) {
    jobRuns.inc({ queue: name, outcome: "failed" });
    logger.warn(
      { err: error, job: name, id: job.id, retryCount: job.retryCount },
      job.retryCount < job.retryLimit ? "job failed; will retry with back-off" : "job failed for good",
    );
    throw error;
  }
  jobRuns.inc({ queue: name, outcome: "completed" });
  const every = def.everySeconds?.();
  if (every && every < 60) {
    await b
      .send(name, {}, { singletonKey: TICK_KEY, startAfter: Math.max(1, Math.round(every)) })
      .catch((error) => logger.warn({ err: error, job: name }, "could not queue the next run; the schedule will"));
  }
}

export const JOB_STATES = ["created", "retry", "active", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * Jobs waiting (created, or retry after a failure), running and failed for good, by job: one grouped count
 * over pg-boss's job table (finished jobs are pruned by pg-boss), for /metrics. Every defined job is listed,
 * with zeros, so that an alert on it has a series before its first failure.
 */
export async function queueDepth(db: pg.Pool): Promise<Map<string, Record<JobState, number>>> {
  const depth = new Map<string, Record<JobState, number>>();
  const row = (name: string) => {
    let r = depth.get(name);
    if (!r) depth.set(name, (r = { created: 0, retry: 0, active: 0, failed: 0 }));
    return r;
  };
  for (const name of state().definitions.keys()) row(name);
  const { rows } = await db.query<{ name: string; state: JobState; n: number }>(
    `SELECT name, state::text AS state, count(*)::int AS n FROM ${JOBS_SCHEMA}.job
      WHERE state = ANY($1::${JOBS_SCHEMA}.job_state[]) AND name NOT LIKE '\\_\\_pgboss\\_\\_%'
      GROUP BY name, state`,
    [JOB_STATES],
  );
  for (const r of rows) row(r.name)[r.state] = r.n;
  return depth;
}
