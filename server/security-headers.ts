import type http from "node:http";

/**
 * Headers every response of the app carries, pages, JSON, static files and the server's own refusals alike,
 * so that it is safe without a proxy in front. The values are system/nginx.conf's (which hides the app's
 * copies and adds its own to every response, its own errors included, so that each is sent once).
 * The Content-Security-Policy (frame-ancestors 'none') is set per request with its nonce (lib/http/csp.ts).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

export function setSecurityHeaders(res: http.ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}
