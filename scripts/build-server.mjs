#!/usr/bin/env node
// Bundles server/main.ts into the standalone build (.next/standalone/server.mjs) and copies what Next's
// standalone output leaves out: public/, .next/static and the migrations.
import { cp, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, ".next", "standalone");
if (!existsSync(out)) {
  console.error("No .next/standalone: run `next build` first (next.config.ts sets output: standalone).");
  process.exit(1);
}

await build({
  entryPoints: [path.join(root, "server", "main.ts")],
  outfile: path.join(out, "server.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Shared with the Next.js bundles at run time (one logger, one metrics registry, one pool, one zod): load the
  // same node_modules copies that the standalone trace already contains.
  external: ["next", "pino", "prom-client", "pg", "proxy-addr", "zod"],
  alias: { "@": root },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
});

for (const [from, to] of [
  ["public", "public"],
  [".next/static", ".next/static"],
  ["prisma/migrations", "prisma/migrations"],
]) {
  const src = path.join(root, from);
  if (!existsSync(src)) continue;
  await mkdir(path.dirname(path.join(out, to)), { recursive: true });
  await cp(src, path.join(out, to), { recursive: true });
}
console.log("standalone server: .next/standalone/server.mjs");
