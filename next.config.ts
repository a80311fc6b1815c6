import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  output: "standalone",
  poweredByHeader: false,
  // NGINX compresses (gzip in system/nginx.conf); compressing again in Node would spend event-loop time on
  // every response for nothing.
  compress: false,
  reactStrictMode: true,
  // Loaded from node_modules at run time rather than bundled: native code (argon2), process-wide state shared
  // with the HTTP server (pino, prom-client, pg), or Node-only stream code.
  serverExternalPackages: [
    "@node-rs/argon2",
    "pg",
    "pino",
    "prom-client",
    "rate-limiter-flexible",
    "busboy",
    "proxy-addr",
  ],
  outputFileTracingIncludes: {
    "/docs/scalar.js": ["./node_modules/@scalar/api-reference/dist/browser/standalone.js"],
    "/*": ["./prisma/migrations/**/*"],
  },
  experimental: {
    // The browser's server actions: the largest form (a note's description) is well under this.
    serverActions: { bodySizeLimit: "1mb" },
  },
};

export default nextConfig;
