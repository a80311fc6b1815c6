import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyBuildConfig } from "./next-standalone";

const VARIABLE = "__NEXT_PRIVATE_STANDALONE_CONFIG";

describe("the build's configuration handed to Next.js", () => {
  afterEach(() => {
    delete process.env[VARIABLE];
  });

  it("is still how this Next.js version takes a standalone build's configuration (fails on an upgrade that changes it)", () => {
    const require = createRequire(import.meta.url);
    const loader = readFileSync(require.resolve("next/dist/server/config.js"), "utf8");
    expect(loader).toContain(`JSON.parse(process.env.${VARIABLE})`);
    // Next's own standalone server.js sets it the same way.
    const writer = readFileSync(require.resolve("next/dist/build/utils.js"), "utf8");
    expect(writer).toContain(`process.env.${VARIABLE} = JSON.stringify(nextConfig)`);
  });

  it("passes the built configuration with this instance's allowed action origins", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cn-standalone-"));
    mkdirSync(path.join(dir, ".next"));
    const built = {
      output: "standalone",
      experimental: { serverActions: { bodySizeLimit: "1mb", allowedOrigins: [] } },
    };
    writeFileSync(path.join(dir, ".next", "required-server-files.json"), JSON.stringify({ config: built }));
    applyBuildConfig(dir, { SERVER_ACTION_ALLOWED_ORIGINS: "notes.example, *.example.org" });
    expect(JSON.parse(process.env[VARIABLE]!)).toEqual({
      output: "standalone",
      experimental: { serverActions: { bodySizeLimit: "1mb", allowedOrigins: ["notes.example", "*.example.org"] } },
    });
  });

  it("leaves development (no build) to Next.js", () => {
    applyBuildConfig(mkdtempSync(path.join(os.tmpdir(), "cn-dev-")));
    expect(process.env[VARIABLE]).toBeUndefined();
  });
});
