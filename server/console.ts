import { format } from "node:util";
import type { Logger } from "pino";

/**
 * One log format: console output of Next.js and libraries (Auth.js errors, React render errors) becomes pino
 * lines at the matching level, with the request id when written during a request. Node's own warning printer
 * is replaced the same way (it would write plain text to stderr).
 */
export function consoleToLogger(logger: Logger): void {
  const levels = { log: "info", info: "info", debug: "debug", warn: "warn", error: "error", trace: "trace" } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      logger[level]({ source: "console", ...(err ? { err } : {}) }, format(...args));
    };
  }
  process.removeAllListeners("warning");
  process.on("warning", (warning) => logger.warn({ source: "process", err: warning }, warning.message));
}
