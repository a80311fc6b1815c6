import { AsyncLocalStorage } from "node:async_hooks";
import { processSingleton } from "@/lib/process-singleton";

/**
 * What the HTTP server knows about the request being handled, readable from any code that runs for it
 * (route handlers, server actions, the domain). The server fills it; handlers add the user once known.
 */
export interface RequestContext {
  requestId: string;
  clientIp: string;
  /** The request came through a proxy (it carried X-Forwarded-For when it reached the server). */
  viaProxy?: boolean;
  userId?: string;
  /** Route template for logs and metrics (e.g. /notes/[id]); set by the handler that matched. */
  route?: string;
}

export const requestContextStorage = processSingleton("requestContext", () => new AsyncLocalStorage<RequestContext>());

export function currentRequest(): RequestContext | undefined {
  return requestContextStorage.getStore();
}

export function setRequestUser(userId: string): void {
  const ctx = requestContextStorage.getStore();
  if (ctx) ctx.userId = userId;
}
