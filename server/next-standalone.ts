import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { allowedActionOrigins } from "@/lib/http/action-origin";

/**
 * The one private Next.js interface the server uses. Standalone output is meant to be started by Next's own
 * server.js, which hands Next the configuration resolved at build time in __NEXT_PRIVATE_STANDALONE_CONFIG; a
 * custom server on that output has to do the same. Without it Next loads next.config again at start, which
 * needs build-time files (its webpack hooks) that the standalone output leaves out, so a release copied out of
 * the project does not start; `next({ conf })` loads them too. next-standalone.test.ts fails if Next stops
 * reading the variable. Settings that follow the instance's environment are applied on top.
 */
export function applyBuildConfig(dir: string, env: Record<string, string | undefined> = process.env): void {
  const file = path.join(dir, ".next", "required-server-files.json");
  if (!existsSync(file)) return;
  const { config } = JSON.parse(readFileSync(file, "utf8")) as { config: { experimental: { serverActions?: object } } };
  config.experimental.serverActions = {
    ...config.experimental.serverActions,
    allowedOrigins: allowedActionOrigins(env),
  };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
}
