import type { Instrumentation } from "next";

/** Next.js calls this once per server process (in production, before the first request is handled). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startup } = await import("@/lib/ops/startup");
    await startup();
  }
}

/**
 * Errors Next.js caught while rendering a page, running a server action or a route handler, or in proxy.ts:
 * one log line each, with the route template they happened in (the request id comes from the logger's
 * request context). Route handlers wrapped in apiRoute answer their own errors and never get here.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logger } = await import("@/lib/log");
  logger.error(
    {
      err: error,
      route: context.routePath,
      routeType: context.routeType,
      request: { method: request.method, path: request.path.split("?")[0] },
    },
    "request failed",
  );
};
