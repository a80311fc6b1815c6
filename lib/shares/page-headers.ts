import "server-only";
import { shareIndexable } from "@/lib/shares/service";

const SHARED_PAGE = /^\/s\/([^/]+)\/?$/;

/**
 * The response headers of a shared page (/s/<token>), which a page cannot set itself: never stored by a
 * browser or CDN (revoking must take effect at once), no Referer carrying the token to linked sites, and
 * X-Robots-Tag: noindex unless the owner let search engines in. Other paths get none.
 */
export async function sharedPageHeaders(pathname: string): Promise<[string, string][]> {
  const token = SHARED_PAGE.exec(pathname)?.[1];
  if (token === undefined) return [];
  const headers: [string, string][] = [
    ["cache-control", "private, no-store"],
    ["referrer-policy", "no-referrer"],
  ];
  if (!(await shareIndexable(token))) headers.push(["x-robots-tag", "noindex, nofollow"]);
  return headers;
}
