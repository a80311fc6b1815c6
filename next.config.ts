import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";
import { allowedActionOrigins } from "./lib/http/action-origin";

/**
 * Read by `next build` and `next dev`. The production server runs on what the build resolved from it, with the
 * settings that follow the instance's environment applied at start (server/next-standalone.ts).
 */
export default function nextConfig(phase: string): NextConfig {
  return {
    // The standalone build is made once; the running server is that build (no "next start").
    output: phase === PHASE_PRODUCTION_BUILD ? "standalone" : undefined,
    poweredByHeader: false,
    // NGINX compresses (gzip in system/nginx.conf); compressing again in Node would spend event-loop time on
    // every response for nothing.
    compress: false,
    reactStrictMode: true,
    // `npm run dev` answers on localhost; opened as 127.0.0.1 (or [::1]) the page must still load its dev
    // scripts and hot-reload connection, which Next.js refuses to other hosts than the one it was started on.
    allowedDevOrigins: ["localhost", "127.0.0.1", "[::1]"],
    // Loaded from node_modules at run time rather than bundled: native code (argon2), process-wide state shared
    // with the HTTP server (pino, prom-client, pg), the job queue (pg-boss), Node-only stream code, or zod,
    // which bundled would be one more copy per layer (server components, SSR, the HTTP server) kept in the heap.
    serverExternalPackages: [
      "@node-rs/argon2",
      "pg",
      "pg-boss",
      "pino",
      "prom-client",
      "rate-limiter-flexible",
      "busboy",
      "proxy-addr",
      "zod",
    ],
    outputFileTracingIncludes: {
      "/docs/scalar.js": ["./node_modules/@scalar/api-reference/dist/browser/standalone.js"],
      "/*": ["./prisma/migrations/**/*"],
    },
    experimental: {
      serverActions: {
        // The browser's server actions: the largest form (a note's description) is well under this.
        bodySizeLimit: "1mb",
        // Next.js refuses an action whose Origin is not this host or one of these (proxy.ts answers 403 first).
        allowedOrigins: allowedActionOrigins(),
      },
    },
  };
}
