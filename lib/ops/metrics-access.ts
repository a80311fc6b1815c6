import { timingSafeEqual } from "node:crypto";
import proxyaddr from "proxy-addr";

const isLoopback = proxyaddr.compile("loopback");

export interface MetricsRequest {
  /** The client address as the server established it (socket, or X-Forwarded-For from a trusted proxy). */
  clientIp: string;
  /** Whether a proxy forwarded the request (it carries X-Forwarded-For). */
  forwarded: boolean;
  authorization: string | null;
}

/**
 * Who may read /metrics: a scraper on this host talking to the instance directly, or anyone presenting
 * METRICS_TOKEN as a bearer token. A request that came through the proxy is never "local", whatever the
 * client's address: NGINX on this host is loopback too, and the internet must not inherit its privileges.
 */
export function mayReadMetrics(r: MetricsRequest, token: string | undefined): boolean {
  if (!r.forwarded && isLoopback(r.clientIp, 0)) return true;
  const given = r.authorization?.replace(/^Bearer\s+/i, "") ?? "";
  return !!token && given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));
}
