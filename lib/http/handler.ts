import "server-only";
import { errorResponse } from "@/lib/http/problem";
import { currentRequest } from "@/lib/request-context";

/**
 * Wraps a route handler: names its route for logs and metrics and maps every thrown error to a FastAPI-style
 * response, so handlers contain only the translation between HTTP and the domain.
 */
export function apiRoute<A extends unknown[]>(
  route: string,
  handler: (request: Request, ...rest: A) => Promise<Response>,
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    const ctx = currentRequest();
    if (ctx) ctx.route = route;
    try {
      return await handler(request, ...rest);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The client address as established by the server from the socket and trusted proxies only. */
export function clientIp(): string {
  return currentRequest()?.clientIp ?? "unknown";
}
