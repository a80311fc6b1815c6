import { z } from "zod";

/**
 * The whole configuration of CloudNotes, read from the environment once and validated with zod.
 * Names follow the original FastAPI service where it had them (DATABASE_URL, SECRET_KEY, ALGORITHM,
 * ACCESS_TOKEN_EXPIRE_MINUTES, AWS_REGION, BUCKET_NAME). `.env.example` documents every variable.
 *
 * Not marked server-only on purpose: scripts (migrations, dev services, tests) read it too. Nothing here is
 * ever imported by a client component.
 */

const MiB = 1024 * 1024;

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const list = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),

    // --- database
    DATABASE_URL: z
      .string({ error: "is required (a postgresql:// connection URL)" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
    DATABASE_POOL_MAX: int(1, 500).default(10),
    /** How long a request waits for a pooled connection before it fails with 503. */
    DATABASE_CONNECT_TIMEOUT_MS: int(100, 60_000).default(3000),
    /** Server-side cap on any single statement, so that a stuck query cannot hold a request forever. */
    DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(15_000),
    MIGRATE_ON_START: bool.default(true),

    // --- API tokens (the original's names)
    SECRET_KEY: z
      .string({ error: "is required (at least 32 random characters, e.g. `openssl rand -hex 32`)" })
      .min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)"),
    ALGORITHM: z.enum(["HS256", "HS384", "HS512"]).default("HS256"),
    ACCESS_TOKEN_EXPIRE_MINUTES: int(1, 60 * 24 * 30).default(30),

    // --- browser sessions (Auth.js). AUTH_SECRET defaults to a key derived from SECRET_KEY.
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    AUTH_GITHUB_ID: z.string().min(1).optional(),
    AUTH_GITHUB_SECRET: z.string().min(1).optional(),
    SESSION_MAX_AGE_DAYS: int(1, 365).default(30),
    /**
     * How long an instance may reuse its last look at a session (signed out? account disabled or deleted?);
     * 0 looks every time. The instance that ends a session forgets it at once; others within this time.
     */
    SESSION_CHECK_CACHE_MS: int(0, 60_000).default(1000),

    // --- S3 (AWS or any S3-compatible server)
    AWS_REGION: z.string().min(1).default("us-east-1"),
    BUCKET_NAME: z
      .string({ error: "is required (the S3 bucket that holds note files)" })
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name"),
    /** Endpoint of an S3-compatible server (MinIO, Ceph RGW...). Unset means AWS. */
    S3_ENDPOINT: z.url().optional(),
    /** Endpoint the browser uses for presigned URLs when it differs from S3_ENDPOINT (e.g. a public name). */
    S3_PUBLIC_ENDPOINT: z.url().optional(),
    S3_FORCE_PATH_STYLE: bool.optional(),
    /** Static credentials; unset means the SDK's default chain (instance profile, SSO, ...). */
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** How long an S3 call may go without progress (no byte sent or received) before the request answers 503. */
    S3_TIMEOUT_MS: int(100, 600_000).default(10_000),

    // --- files
    MAX_UPLOAD_BYTES: int(1, 5 * 1024 * MiB).default(25 * MiB),
    /** Comma-separated MIME patterns accepted for uploads (type/subtype or type/*). */
    ALLOWED_UPLOAD_TYPES: list.default([
      "image/*",
      "text/*",
      "audio/*",
      "video/*",
      "application/pdf",
      "application/json",
      "application/xml",
      "application/zip",
      "application/gzip",
      "application/x-tar",
      "application/x-7z-compressed",
      "application/rtf",
      "application/msword",
      "application/vnd.ms-excel",
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.*",
      "application/vnd.oasis.opendocument.*",
      "application/octet-stream",
    ]),
    UPLOAD_URL_EXPIRES_SECONDS: int(30, 3600).default(300),
    /**
     * How long after a presigned POST expires the worker re-checks its key (deletes the object if nothing
     * references it): a margin for the clocks of S3 and PostgreSQL disagreeing.
     */
    UPLOAD_RECHECK_DELAY_SECONDS: int(0, 86_400).default(300),
    DOWNLOAD_URL_EXPIRES_SECONDS: int(30, 7 * 24 * 3600).default(900),
    /** Uploads never attached to a note are deleted after this many hours. */
    UPLOAD_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /**
     * How often the maintenance jobs (S3 deletion drain, upload recheck, trash purge) run, once across all
     * instances (lib/jobs: pg-boss in the `pgboss` schema). Changes also ask for a drain at once.
     */
    WORKER_INTERVAL_SECONDS: z.coerce.number().positive().max(3600).default(30),
    /** How often the sweep of abandoned uploads runs (it lists multipart uploads in S3). */
    UPLOAD_SWEEP_INTERVAL_SECONDS: z.coerce.number().positive().max(86_400).default(60),
    /** Whether this instance runs background jobs; false only serves requests (and still queues jobs). */
    WORKER_ENABLED: bool.default(true),
    /** Largest archive (zip) accepted for an import; S3 takes at most 5 GiB in one POST. */
    IMPORT_MAX_BYTES: int(1, 5 * 1024 * MiB).default(2 * 1024 * MiB),
    /** Days a note stays in the trash before the worker deletes it (and its file) for good. */
    TRASH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),

    // --- login protection (shared by every instance through PostgreSQL)
    /** Failures for one account from one address before that address is locked out of it. */
    LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: int(1, 10_000).default(10),
    /**
     * Failures for one account from all addresses (guessing spread over many): much higher, and an address
     * that signed in to the account before is let through, so that strangers cannot lock its owner out.
     */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 100_000).default(200),
    LOGIN_MAX_FAILURES_PER_IP: int(1, 100_000).default(100),
    /** How long a successful sign-in makes its address "known" to the account (see above). */
    LOGIN_KNOWN_ADDRESS_DAYS: int(1, 365).default(30),
    LOGIN_FAILURE_WINDOW_MINUTES: int(1, 24 * 60).default(15),

    // --- HTTP server and operations
    PORT: int(1, 65535).default(3000),
    HOSTNAME: z.string().min(1).default("127.0.0.1"),
    /**
     * Other hosts whose pages may call this app's server actions (next.config.ts's
     * serverActions.allowedOrigins; lib/http/action-origin.ts): "app.example.com", "*.example.com".
     */
    SERVER_ACTION_ALLOWED_ORIGINS: list.default([]),
    /** Addresses whose X-Forwarded-* headers are believed (proxy-addr syntax: IPs, CIDRs, loopback...). */
    TRUSTED_PROXIES: list.default(["loopback"]),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Bearer token that grants /metrics to non-local scrapers; unset means localhost only. */
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    /** Seconds a shutdown waits for requests in flight before it gives up. */
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(25),
  })
  .transform((c) => ({
    ...c,
    // Path-style addressing is what self-hosted S3 servers expect; AWS prefers virtual hosts.
    S3_FORCE_PATH_STYLE: c.S3_FORCE_PATH_STYLE ?? Boolean(c.S3_ENDPOINT),
  }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses an environment; throws a ConfigError naming every missing or invalid variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings in an EnvironmentFile mean "unset", as they do for most tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  return result.data;
}

let cached: Config | undefined;

/** The configuration of this process, validated on first use (at start-up, from instrumentation.ts). */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For tests that change the environment between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
}
