import pino, { type LoggerOptions } from "pino";
import { isoTime } from "@/lib/log-time";
import { processSingleton } from "@/lib/process-singleton";
import { currentRequest } from "@/lib/request-context";

const base: LoggerOptions = {
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "cloudnotes", pid: process.pid },
  timestamp: isoTime,
  formatters: { level: (label) => ({ level: label }) },
};

/**
 * Structured JSON logs on stdout (journald keeps them; the CloudWatch agent ships them). Every line written
 * while a request is handled carries its request id and, once known, the user id. Secrets never reach a log:
 * the paths below are redacted wherever they appear.
 */
export const logger = processSingleton("logger", () =>
  pino({
    ...base,
    redact: {
      paths: [
        "password",
        "*.password",
        "access_token",
        "*.access_token",
        "req.headers.authorization",
        "req.headers.cookie",
        'res.headers["set-cookie"]',
        "file_url",
        "*.file_url",
        "fields",
        "*.fields",
      ],
      censor: "[redacted]",
    },
    mixin() {
      const ctx = currentRequest();
      return ctx ? { reqId: ctx.requestId, ...(ctx.userId ? { userId: ctx.userId } : {}) } : {};
    },
  }),
);

/**
 * The one line per request (server/observe.ts), in the same format. It is built from named fields only (ids,
 * method, path without its query, status, time), never from bodies or headers, so it skips the redaction and
 * the request-context lookup that every line of `logger` pays: this one is written for every request, so its
 * lines are written to stdout in batches (at 4 kB or every quarter second, and on exit) rather than a write each.
 */
export const accessLogger = processSingleton("accessLogger", () =>
  pino(base, pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 })),
);
