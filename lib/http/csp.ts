import { randomBytes } from "node:crypto";
import type { Config } from "@/lib/config";
import { s3BrowserSources } from "@/lib/files/browser-origins";

/**
 * The Content-Security-Policy of pages, set by proxy.ts because it carries a fresh nonce per request, which a
 * static header in NGINX cannot (JSON answers of route handlers get none: they run no script). Next.js reads
 * the nonce back from the request's Content-Security-Policy header while it renders and puts it on its own
 * inline and bundle scripts;
 * 'strict-dynamic' then lets those load their chunks. So no script runs unless the app emitted it: injected
 * markup cannot execute even if it got into a page.
 *
 * - Styles allow 'unsafe-inline': React renders style attributes (progress bars) that nonces cannot cover, and
 *   CSS injection is not script execution. (A nonce in style-src would make browsers ignore 'unsafe-inline'.)
 * - img-src and connect-src add the bucket (lib/files/browser-origins.ts): previews are presigned GETs and
 *   uploads are XHR POSTs straight to S3. blob:/data: are for local previews and inline icons.
 * - No upgrade-insecure-requests: HSTS covers this origin, and an http:// S3 endpoint on a private network
 *   (allowed for loopback/self-hosted servers) must not be rewritten to https.
 * - /docs (the Scalar API reference, a route handler with one inline bootstrap script and no user content)
 *   gets its own policy with 'unsafe-inline' scripts (set by app/docs/route.ts); it never shows a note.
 */
export interface CspSettings {
  /** Sources of the bucket as browsers reach it. */
  s3Sources: readonly string[];
  /** Extra form targets (an OAuth provider that a no-JavaScript form post redirects to). */
  formTargets?: readonly string[];
  /** Development: React's debugging needs eval. */
  dev?: boolean;
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(pathname: string, nonce: string, s: CspSettings): string {
  const s3 = s.s3Sources.join(" ");
  const eval_ = s.dev ? " 'unsafe-eval'" : "";
  const scripts = isDocs(pathname)
    ? `script-src 'self' 'unsafe-inline'${eval_}`
    : `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${eval_}`;
  return [
    "default-src 'self'",
    scripts,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${s3 ? ` ${s3}` : ""}`,
    `connect-src 'self'${s3 ? ` ${s3}` : ""}`,
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${s.formTargets?.length ? ` ${s.formTargets.join(" ")}` : ""}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

function isDocs(pathname: string): boolean {
  return pathname === "/docs" || pathname === "/docs/";
}

/** The settings of this deployment: the bucket's browser origins, GitHub sign-in's form target, dev mode. */
export function cspSettings(c: Config): CspSettings {
  return {
    s3Sources: s3BrowserSources(c),
    formTargets: c.AUTH_GITHUB_ID ? ["https://github.com"] : [],
    dev: c.NODE_ENV === "development",
  };
}
