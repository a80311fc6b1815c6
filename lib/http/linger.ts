/**
 * How much further, and how long, a request body is read and discarded before an answer goes out on its
 * connection (lib/http/drain.ts inside route handlers, server/linger.ts and server/http-guards.ts around them).
 */
export const LINGER_BYTES = 16 * 1024 * 1024;
export const LINGER_MS = 2000;
