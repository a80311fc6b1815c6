import type http from "node:http";
import net from "node:net";

/**
 * Graceful shutdown, built around NGINX's passive failover:
 * 1. Stop listening at once: a new connection is refused, and NGINX passes the request to another instance
 *    (even a POST, since nothing was sent) and soon marks this one down.
 * 2. Keep the connections NGINX already has open: a request arriving on one is served, with
 *    `Connection: close`, so that each closes after its response. Closing an idle keep-alive connection while
 *    NGINX may be writing a request into it would turn that request into a 502 (and a POST is not retried),
 *    so idle connections are closed only once no request has arrived for `quietMs`: by then NGINX has
 *    stopped choosing this instance. (http.Server#close would close them at once, hence net.Server#close.)
 * 3. Wait for requests in flight, up to `timeoutMs`; then close every connection.
 */
export class Drain {
  private readonly inFlight = new Set<http.ServerResponse>();
  private lastRequestAt = 0;
  draining = false;

  constructor(
    private readonly server: http.Server,
    private readonly quietMs = 1000,
  ) {}

  /** Tracks a request until its response closes; while draining, its connection closes after it. */
  track(res: http.ServerResponse): void {
    this.inFlight.add(res);
    this.lastRequestAt = Date.now();
    if (this.draining) res.setHeader("connection", "close");
    res.once("close", () => this.inFlight.delete(res));
  }

  /** Whether a request on this connection is in flight (its response not yet closed). */
  isServing(socket: object): boolean {
    for (const res of this.inFlight) if (res.socket === socket) return true;
    return false;
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Resolves with the number of requests still in flight when it gave up (0 when all finished). */
  async drain(timeoutMs: number): Promise<number> {
    this.draining = true;
    net.Server.prototype.close.call(this.server);
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader("connection", "close");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.inFlight.size > 0 || Date.now() - this.lastRequestAt < this.quietMs)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const left = this.inFlight.size;
    this.server.closeAllConnections();
    return left;
  }
}
