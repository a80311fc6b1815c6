#!/usr/bin/env node
// First Load JS of a page, as `next build` used to print it (Next 16 no longer does): the root main chunks
// plus the entry chunks of the page and its layout, deduplicated, gzipped. Usage:
//   node bench/page-js.mjs [.next dir] [page, default /page] [/n/[id]/page ...]
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

const dir = path.resolve(process.argv[2] ?? ".next");
const pages = process.argv.length > 3 ? process.argv.slice(3) : ["/page", "/n/[id]/page"];
const build = JSON.parse(readFileSync(path.join(dir, "build-manifest.json"), "utf8"));

for (const page of pages) {
  const manifestFile = path.join(dir, "server/app", `${page}_client-reference-manifest.js`);
  const sandbox = { globalThis: {} };
  vm.runInNewContext(readFileSync(manifestFile, "utf8"), sandbox);
  const manifest = sandbox.globalThis.__RSC_MANIFEST[page];
  const entries = Object.entries(manifest.entryJSFiles)
    .filter(([name]) => name === "[project]/app/layout" || name === `[project]/app${page}`)
    .flatMap(([, files]) => files);
  const files = [...new Set([...build.rootMainFiles, ...entries])];
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = readFileSync(path.join(dir, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  console.log(
    `${page}: ${files.length} files, ${(raw / 1024).toFixed(1)} kB raw, ${(gz / 1024).toFixed(1)} kB gzipped (First Load JS)`,
  );
}
