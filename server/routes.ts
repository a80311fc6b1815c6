/**
 * The app's routes as route templates (the app/ tree in Next.js's notation), for the server layer: metric and
 * log labels (so that /n/12 and /n/34 count as one series) and which POSTs can be server actions (a POST to a
 * page; route handlers stream their own bodies). server/routes.test.ts checks this list against app/, so a
 * route added there without being added here fails the unit tests.
 */
export const PAGES = [
  "/",
  "/n/[id]",
  "/n/[id]/history",
  "/s/[token]",
  "/settings/export",
  "/settings/import",
  "/settings/tokens",
  "/signin",
  "/signup",
] as const;

export const ROUTE_HANDLERS = [
  "/register",
  "/login",
  "/notes",
  "/notes/[id]",
  "/notes/[id]/title",
  "/notes/[id]/description",
  "/notes/[id]/file",
  "/notes/[id]/pin",
  "/notes/[id]/archive",
  "/notes/[id]/trash",
  "/notes/[id]/restore",
  "/notes/[id]/revisions",
  "/notes/[id]/revisions/[number]",
  "/notes/[id]/revisions/[number]/restore",
  "/notes/[id]/shares",
  "/notes/[id]/shares/[shareId]",
  "/trash",
  "/trash/[id]",
  "/tags",
  "/tags/[...tag]",
  "/uploads",
  "/imports",
  "/imports/uploads",
  "/imports/[id]",
  "/tokens",
  "/tokens/[id]",
  "/export",
  "/settings/export/zip",
  "/healthz",
  "/readyz",
  "/metrics",
  "/openapi.json",
  "/docs",
  "/docs/scalar.js",
  "/api/auth/[...nextauth]",
  "/icon.svg",
  "/manifest.webmanifest",
  "/n/[id]/attachment",
] as const;

interface Route {
  template: string;
  handler: boolean;
  re: RegExp;
}

function compile(template: string, handler: boolean): Route {
  const source = template
    .split("/")
    .map((segment) => {
      if (/^\[\.\.\.[^\]]+\]$/.test(segment)) return ".+";
      if (/^\[[^\]]+\]$/.test(segment)) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { template, handler, re: new RegExp(`^${source === "" ? "/" : source}$`) };
}

// Static templates first, so that a literal segment wins over a parameter, as in Next.js.
const routes: Route[] = [...PAGES.map((t) => compile(t, false)), ...ROUTE_HANDLERS.map((t) => compile(t, true))].sort(
  (a, b) => Number(a.template.includes("[")) - Number(b.template.includes("[")),
);
const exact = new Map(routes.filter((r) => !r.template.includes("[")).map((r) => [r.template, r]));
const dynamic = routes.filter((r) => r.template.includes("["));

function match(pathname: string): Route | undefined {
  // Next.js serves "/notes/1/" as "/notes/1" (it redirects the trailing slash away).
  const p = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  return exact.get(p) ?? dynamic.find((r) => r.re.test(p));
}

/** The route template a path is served by; "unmatched" for anything else (a 404). */
export function routeOf(pathname: string): string {
  if (pathname.startsWith("/_next/"))
    return pathname.startsWith("/_next/static/") ? "/_next/static" : pathname.split("/").slice(0, 3).join("/");
  return match(pathname)?.template ?? "unmatched";
}

/** Whether a route handler (not a page) serves this path. */
export function isRouteHandlerPath(pathname: string): boolean {
  return match(pathname)?.handler ?? false;
}
