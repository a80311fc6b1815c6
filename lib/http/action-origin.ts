/**
 * Server actions' cross-site check, as Next.js makes it (the Origin's host must be X-Forwarded-Host's first
 * value or Host, or match serverActions.allowedOrigins in next.config.ts), made early by proxy.ts so that a
 * refused request gets a 4xx: Next.js refuses the same requests, but by throwing (a 500), and an Origin that
 * is not a URL made it throw too. No Origin: allowed, as Next.js allows it (no browser omits it on a
 * cross-site POST).
 */

/** SERVER_ACTION_ALLOWED_ORIGINS: hosts (with optional "*." / "**." wildcards) allowed besides this one. */
export function allowedActionOrigins(env: Record<string, string | undefined> = process.env): string[] {
  return (env.SERVER_ACTION_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
}

export interface OriginHeaders {
  origin: string | null;
  host: string | null;
  forwardedHost: string | null;
}

export function actionOriginRefusal(
  h: OriginHeaders,
  allowed: readonly string[],
): { status: 400 | 403; detail: string } | null {
  if (h.origin === null) return null;
  let originHost: string;
  try {
    originHost = h.origin === "null" ? "null" : new URL(h.origin).host;
  } catch {
    return { status: 400, detail: "Invalid Origin header" };
  }
  const forwardedHost = h.forwardedHost?.split(",")[0]?.trim();
  if (originHost === (forwardedHost || h.host)) return null;
  if (allowed.some((pattern) => hostMatches(originHost.toLowerCase(), pattern))) return null;
  return { status: 403, detail: "Cross-origin request refused" };
}

/** "a.example" exactly; "*.example" one label below it; "**.example" any depth below it. */
function hostMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith("**.")) return host.endsWith(pattern.slice(2));
  if (pattern.startsWith("*.")) {
    const rest = pattern.slice(1);
    return host.endsWith(rest) && !host.slice(0, -rest.length).includes(".");
  }
  return host === pattern;
}
