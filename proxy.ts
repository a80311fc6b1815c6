import { type NextRequest, NextResponse } from "next/server";
import { config as appConfig } from "@/lib/config";
import { actionOriginRefusal, allowedActionOrigins } from "@/lib/http/action-origin";
import { contentSecurityPolicy, cspSettings, newNonce } from "@/lib/http/csp";
import { sharedPageHeaders } from "@/lib/shares/page-headers";

/**
 * Per-request work of pages (Next.js runs this before rendering them): the Content-Security-Policy with a
 * fresh nonce, which Next.js reads from the request headers and puts on its scripts; and the early refusal
 * of cross-site server actions (lib/http/action-origin.ts); and the headers of shared pages (lib/shares/page-headers.ts). The matcher leaves out the route handlers (the
 * REST API, health, metrics, Auth.js, /docs) and build assets, so JSON answers pay none of it;
 * server/routes.test.ts checks it against the app's routes.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (request.method === "POST" && (request.headers.has("next-action") || isMultipart(request))) {
    const refusal = actionOriginRefusal(
      {
        origin: request.headers.get("origin"),
        host: request.headers.get("host"),
        forwardedHost: request.headers.get("x-forwarded-host"),
      },
      allowedActionOrigins(),
    );
    if (refusal) return NextResponse.json({ detail: refusal.detail }, { status: refusal.status });
  }
  const policy = contentSecurityPolicy(request.nextUrl.pathname, newNonce(), settings());
  // Any client-sent policy is replaced: Next.js takes the nonce from this request header.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  for (const [name, value] of await sharedPageHeaders(request.nextUrl.pathname)) response.headers.set(name, value);
  return response;
}

let cached: ReturnType<typeof cspSettings> | undefined;
function settings() {
  cached ??= cspSettings(appConfig());
  return cached;
}

function isMultipart(request: NextRequest): boolean {
  return /^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "");
}

export const config = {
  // Every path except build assets and the paths of route handlers (server/routes.ts's ROUTE_HANDLERS, written
  // out: Next.js reads this value at build time and needs a literal).
  matcher: [
    "/((?!_next/static/|_next/image|(?:register|login|uploads|healthz|readyz|metrics|openapi\\.json|icon\\.svg|manifest\\.webmanifest|docs(?:/scalar\\.js)?|notes(?:/[^/]+(?:/(?:title|description|file|pin|archive|trash|restore|shares(?:/[^/]+)?|revisions(?:/[^/]+(?:/restore)?)?))?)?|trash(?:/[^/]+)?|tags(?:/.+)?|tokens(?:/[^/]+)?|n/[^/]+/attachment|imports(?:/[^/]+)?|export|settings/export/zip|api/auth/.*)/?$).*)",
  ],
};
