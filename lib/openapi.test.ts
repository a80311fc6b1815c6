import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/openapi";
import { generatedClientTypes } from "@/scripts/lib/openapi-client-types";

/**
 * /openapi.json is a contract third parties build on: it passes Redocly's recommended lint (redocly.yaml), every
 * operation has a stable operationId and documented errors, and a TypeScript client generated from it
 * (openapi-typescript) compiles and types a client's requests and answers.
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);
let dir: string;

beforeAll(async () => {
  await mkdir(path.join(ROOT, ".tmp"), { recursive: true });
  // Inside the repository (ignored), so that the check file can import the app's own types.
  dir = await mkdtemp(path.join(ROOT, ".tmp/openapi-"));
  await writeFile(path.join(dir, "openapi.json"), JSON.stringify(openApiDocument()));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended lint without errors or warnings", async () => {
    const result = await run(
      bin("redocly"),
      ["lint", "--config", path.join(ROOT, "redocly.yaml"), "--format", "json", path.join(dir, "openapi.json")],
      { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
    const report = JSON.parse(result.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

  it("gives every operation a unique operationId and documented error answers", () => {
    const ids: string[] = [];
    for (const [route, item] of Object.entries(openApiDocument().paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, { operationId?: string; responses: object }>)) {
        if (!HTTP_METHODS.has(method)) continue; // a path item's own fields (description, parameters)
        expect(op.operationId, `${method} ${route}`).toMatch(/^[a-z][A-Za-z]+$/);
        ids.push(op.operationId!);
        if (route !== "/healthz") {
          expect(
            Object.keys(op.responses).some((s) => /^[45]/.test(s)),
            `${method} ${route}`,
          ).toBe(true);
        }
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("generates a TypeScript client that compiles and types requests and answers", async () => {
    await writeFile(path.join(dir, "api.d.ts"), await generatedClientTypes());
    // Used as a client would: typed answers are read, typed requests are built, and wrong ones do not compile.
    await writeFile(
      path.join(dir, "check.ts"),
      `import type { components, operations, paths } from "./api";

type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Note = components["schemas"]["Note"];

export function titles(list: Json<operations["listNotes"]["responses"]["200"]>): string[] {
  return list.map((n: Note) => \`\${n.id}: \${n.title} \${n.file_url ?? ""} \${n.file_size ?? 0}\`);
}
export const newNote: Json<NonNullable<operations["createNote"]["requestBody"]>> = { title: "t", description: "d" };
export const newToken: Json<paths["/tokens"]["post"]["requestBody"]> = { name: "ci", scope: "read", expires_in_days: 30 };
// @ts-expect-error: a scope the API does not have
export const badToken: Json<paths["/tokens"]["post"]["requestBody"]> = { name: "ci", scope: "admin" };
export const secret = (t: Json<operations["createToken"]["responses"]["201"]>): string => t.token;
export const lastUsed = (t: components["schemas"]["PersonalAccessToken"]): string | null => t.last_used_at;
export const problem = (e: Json<operations["getNote"]["responses"]["404"]>): string => e.detail;
`,
    );
    // Standalone and small, so that it checks the generated client alone (the app's own types are not loaded).
    await writeFile(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          target: "ES2023",
          lib: ["ES2023"],
          types: [],
          module: "esnext",
          moduleResolution: "bundler",
          noUncheckedIndexedAccess: true,
        },
        files: ["check.ts"],
      }),
    );
    const tsc = await run(bin("tsc"), ["-p", path.join(dir, "tsconfig.json"), "--noEmit"], { cwd: ROOT }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? "tsc failed" }),
    );
    expect(tsc.stdout).toBe("");
  });

  it("is what the REST end-to-end tests' client types were generated from", async () => {
    const committed = await readFile(path.join(ROOT, "e2e/support/openapi-types.ts"), "utf8");
    expect(committed === (await generatedClientTypes()), "stale: run `npm run openapi:types`").toBe(true);
  });
});
