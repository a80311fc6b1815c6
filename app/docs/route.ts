import { ApiReference } from "@scalar/nextjs-api-reference";
import { config } from "@/lib/config";
import { contentSecurityPolicy, cspSettings } from "@/lib/http/csp";

/**
 * Interactive API reference (as FastAPI's /docs), served entirely from this app: no CDN, no web fonts, and no
 * calls to Scalar's services (its AI agent and telemetry are off), which the page's Content-Security-Policy
 * (lib/http/csp.ts: connect-src 'self') would refuse anyway. A route handler, so proxy.ts leaves it alone: it
 * sets its own policy (inline scripts, no nonce).
 */
const reference = ApiReference({
  url: "/openapi.json",
  cdn: "/docs/scalar.js",
  withDefaultFonts: false,
  pageTitle: "CloudNotes API",
  telemetry: false,
  agent: { disabled: true },
});

export function GET(): Response {
  const res = reference();
  const headers = new Headers(res.headers);
  headers.set("content-security-policy", contentSecurityPolicy("/docs", "", cspSettings(config())));
  return new Response(res.body, { status: res.status, headers });
}
