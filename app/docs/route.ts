import { ApiReference } from "@scalar/nextjs-api-reference";

/** Interactive API reference (as FastAPI's /docs), served entirely from this app: no CDN, no web fonts. */
export const GET = ApiReference({
  url: "/openapi.json",
  cdn: "/docs/scalar.js",
  withDefaultFonts: false,
  pageTitle: "CloudNotes API",
});
