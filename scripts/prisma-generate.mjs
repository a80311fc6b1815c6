#!/usr/bin/env node
// Generates the Prisma Client (run by `npm install` / `npm ci` through postinstall).
// `prisma generate` does not use the native schema engine, but the CLI tries to download it and fails where
// there is no internet; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

// A production install (`npm ci --omit=dev`) has no Prisma CLI and needs no generation: the build contains the client.
if (!existsSync(path.join(import.meta.dirname, "..", "node_modules", "prisma", "package.json"))) {
  console.log("prisma-generate: no Prisma CLI (production install): skipped, the build already contains the client");
  process.exit(0);
}

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
