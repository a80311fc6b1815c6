import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { config as proxyConfig } from "@/proxy";
import { isRouteHandlerPath, PAGES, ROUTE_HANDLERS, routeOf } from "./routes";

const APP = path.resolve(import.meta.dirname, "../app");

/** Route templates of the app/ tree by Next.js's file conventions: page.tsx, route.ts and metadata files. */
function appRoutes(dir = APP, prefix = ""): { pages: string[]; handlers: string[] } {
  const pages: string[] = [];
  const handlers: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_") || entry.name.startsWith("@")) continue;
      // Route groups "(name)" add no segment.
      const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
      const sub = appRoutes(path.join(dir, entry.name), prefix + segment);
      pages.push(...sub.pages);
      handlers.push(...sub.handlers);
    } else if (/^page\.(tsx?|jsx?|mdx)$/.test(entry.name)) pages.push(prefix || "/");
    else if (/^route\.(ts|js)$/.test(entry.name)) handlers.push(prefix || "/");
    else if (
      /^(icon|apple-icon|favicon|opengraph-image|twitter-image)\.\w+$|^(sitemap|robots|manifest)\.\w+$/.test(entry.name)
    ) {
      // A generated file is served under its output name (manifest.ts: /manifest.webmanifest).
      const served = entry.name
        .replace(/^manifest\.(ts|js)$/, "manifest.webmanifest")
        .replace(/^robots\.(ts|js)$/, "robots.txt")
        .replace(/^sitemap\.(ts|js)$/, "sitemap.xml");
      handlers.push(`${prefix}/${served}`);
    }
  }
  return { pages, handlers };
}

/** Next.js compiles each matcher with path-to-regexp; ours holds no parameter, so it is a plain regex. */
const proxyRuns = (pathname: string) => proxyConfig.matcher.some((m) => new RegExp(`^${m}$`).test(pathname));

/** A concrete path for a template ("/notes/[id]/title" -> "/notes/12/title"). */
const example = (template: string) => template.replace(/\[\.\.\.[^\]]+\]/g, "a/b").replace(/\[[^\]]+\]/g, "12");

describe("the route table", () => {
  it("lists exactly the pages and route handlers of app/", () => {
    const found = appRoutes();
    expect([...PAGES].sort()).toEqual(found.pages.sort());
    expect([...ROUTE_HANDLERS].sort()).toEqual(found.handlers.sort());
  });

  it("labels paths by their route template, and everything else as unmatched", () => {
    expect(routeOf("/")).toBe("/");
    expect(routeOf("/n/42")).toBe("/n/[id]");
    expect(routeOf("/notes")).toBe("/notes");
    expect(routeOf("/notes/42")).toBe("/notes/[id]");
    expect(routeOf("/notes/42/")).toBe("/notes/[id]");
    expect(routeOf("/notes/42/title")).toBe("/notes/[id]/title");
    expect(routeOf("/notes/42/unknown")).toBe("unmatched");
    expect(routeOf("/api/auth/callback/credentials")).toBe("/api/auth/[...nextauth]");
    expect(routeOf("/docs/scalar.js")).toBe("/docs/scalar.js");
    expect(routeOf("/docsXscalar.js")).toBe("unmatched");
    expect(routeOf("/_next/static/chunks/a.js")).toBe("/_next/static");
    expect(routeOf("/_next/image")).toBe("/_next/image");
  });

  it("tells route handlers from pages", () => {
    for (const t of ROUTE_HANDLERS) expect(isRouteHandlerPath(example(t)), t).toBe(true);
    for (const t of PAGES) expect(isRouteHandlerPath(example(t)), t).toBe(false);
    expect(isRouteHandlerPath("/no-such-page")).toBe(false);
  });
});

describe("proxy.ts's matcher", () => {
  it("runs the proxy for every page, and for paths nothing serves (their 404 page is HTML)", () => {
    for (const t of PAGES) expect(proxyRuns(example(t)), t).toBe(true);
    for (const p of [
      "/no-such-page",
      "/notes/12/unknown",
      "/notes/12/title/x",
      "/notes/12/revisions/3/x",
      "/registerx",
      "/docs/other",
      "/_next/data/x.json",
    ]) {
      expect(proxyRuns(p), p).toBe(true);
    }
  });

  it("leaves out every route handler (JSON answers pay no CSP work) and build assets", () => {
    for (const t of ROUTE_HANDLERS) {
      expect(proxyRuns(example(t)), t).toBe(false);
      expect(proxyRuns(`${example(t)}/`), `${t}/`).toBe(false);
    }
    expect(proxyRuns("/_next/static/chunks/app.js")).toBe(false);
    expect(proxyRuns("/_next/image")).toBe(false);
  });
});
