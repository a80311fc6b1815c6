import { ApiReference } from "@scalar/nextjs-api-reference";

/**
 * Interactive API reference (as FastAPI's /docs), served entirely from this app: no CDN, no web fonts, and no
 * calls to Scalar's services (its AI agent and telemetry are off), which the page's Content-Security-Policy
 * (lib/http/csp.ts: connect-src 'self') would refuse anyway.
 */
export const GET = ApiReference({
  url: "/openapi.json",
  cdn: "/docs/scalar.js",
  withDefaultFonts: false,
  pageTitle: "CloudNotes API",
  telemetry: false,
  agent: { disabled: true },
});
