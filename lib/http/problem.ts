import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { type DomainError, type ErrorKind, isDomainError, unavailable } from "@/lib/errors";
import { fastApiIssue } from "@/lib/http/fastapi";
import { logger } from "@/lib/log";

/**
 * The one place where errors become HTTP answers, in the shape FastAPI clients expect: {"detail": "..."}, and
 * for validation 422 {"detail": [{"loc", "msg", "type"}]}. Anything unexpected is logged and answered with a
 * generic 500 that reveals nothing.
 */

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  rate_limited: 429,
  unavailable: 503,
};

export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), { ...init, headers: jsonHeaders(init.headers) });
}

/** The headers of every JSON answer, on top of `extra`. */
export function jsonHeaders(extra?: HeadersInit): Headers {
  const headers = new Headers(extra);
  headers.set("content-type", "application/json");
  headers.set("cache-control", "no-store");
  return headers;
}

export function errorResponse(error: unknown): Response {
  const known = asDomainError(error);
  if (!known) {
    logger.error({ err: error }, "unhandled error");
    return json({ detail: "Internal Server Error" }, { status: 500 });
  }
  const status = STATUS[known.kind];
  const headers = new Headers();
  if (known.kind === "unauthorized") headers.set("www-authenticate", "Bearer");
  if (known.extra.retryAfterSeconds) headers.set("retry-after", String(known.extra.retryAfterSeconds));
  if (known.kind === "unavailable") headers.set("retry-after", "5");
  if (status >= 500) logger.warn({ err: error, status }, known.message);
  const detail =
    known.kind === "validation" && known.extra.issues ? known.extra.issues.map(fastApiIssue) : known.message;
  return json({ detail }, { status, headers });
}

/** Domain errors as they are; an unreachable database as a 503. */
export function asDomainError(error: unknown): DomainError | null {
  if (isDomainError(error)) return error;
  if (isDatabaseUnavailable(error)) return unavailable("Database is unavailable, try again later");
  return null;
}

const UNAVAILABLE_PG_CODES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08006", "53300"]);
// P2028: an interactive transaction that could not start, or outlived its timeout, in time (a saturated pool, a
// row lock held elsewhere): the database is too busy for this request, as with P2024 (pool timeout).
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
const UNAVAILABLE_NET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_PG_CODES.has(code) || UNAVAILABLE_NET_CODES.has(code))) return true;
    if (e instanceof Prisma.PrismaClientKnownRequestError && UNAVAILABLE_PRISMA_CODES.has(e.code)) return true;
    if (e instanceof Prisma.PrismaClientInitializationError) return true;
    const message = e instanceof Error ? e.message : "";
    // "... is not queryable": pg refuses further queries on a client whose connection broke (a transaction
    // that was under way when the server went away), before any network call; it carries no code.
    if (
      /timeout exceeded when trying to connect|Connection terminated|terminating connection|the database system is (starting up|shutting down)|Can't reach database server|connection is closed|is not queryable/i.test(
        message,
      )
    ) {
      return true;
    }
    const kind = (e as { cause?: { kind?: unknown } }).cause?.kind;
    if (
      typeof kind === "string" &&
      /^(DatabaseNotReachable|ConnectionClosed|SocketTimeout|TooManyConnections)/.test(kind)
    ) {
      return true;
    }
  }
  return false;
}
