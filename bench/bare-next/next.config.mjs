import path from "node:path";

/**
 * The bare Next.js app (a benchmark reference, not part of CloudNotes): route handlers only, built with the
 * repository's Next.js into standalone output, as CloudNotes is. The repository root is the tracing and
 * Turbopack root so that node_modules and bench/reference/work.mjs resolve from there.
 */
const root = path.resolve(import.meta.dirname, "../..");

const nextConfig = {
  output: "standalone",
  outputFileTracingRoot: root,
  turbopack: { root },
  poweredByHeader: false,
  // As CloudNotes (next.config.ts): NGINX compresses, Node does not.
  compress: false,
  serverExternalPackages: ["pg", "@node-rs/argon2"],
};

export default nextConfig;
