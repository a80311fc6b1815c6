/**
 * Where to send a user back to after signing in or up. A candidate is resolved as a URL against the site's
 * origin, exactly as a browser would resolve it (so tabs, newlines and backslashes are read the browser's
 * way, not ours); only a result on that same origin is kept, and it is re-serialised from the parsed URL, so
 * what reaches a Location header is always a percent-encoded path. Anything else means "/".
 */

/** Stands in for the site's origin when only the path matters: relative input cannot leave it unnoticed. */
const PLACEHOLDER_ORIGIN = "https://cloudnotes.invalid";

export function safeReturnPath(candidate: unknown, origin: string = PLACEHOLDER_ORIGIN): string {
  // A path is the only form the app itself produces; an absolute URL is accepted only for the site's own origin.
  if (typeof candidate !== "string" || candidate.length === 0 || candidate.length > 2048) return "/";
  let url: URL;
  try {
    url = new URL(candidate, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The serialised path of a special URL starts with exactly one "/" unless the input smuggled an empty host.
  return path.startsWith("/") && !path.startsWith("//") ? path : "/";
}

/** Pages that redirect a signed-in user to their return path: returning to them would loop. */
const SIGN_IN_PAGES = new Set(["/signin", "/signup"]);

/** Where to send a user who has just signed in (or up), or who opens those pages while signed in. */
export function afterSignInPath(candidate: unknown): string {
  const path = safeReturnPath(candidate);
  return SIGN_IN_PAGES.has(new URL(path, PLACEHOLDER_ORIGIN).pathname) ? "/" : path;
}
