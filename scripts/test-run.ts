/**
 * Runs the test tiers, one after the other, in this order:
 *   unit         vitest, no server (needs nothing started: runs first, before the servers start)
 *   integration  vitest, lib/ against real PostgreSQL and S3
 *   e2e          vitest, the REST API, faults and operations against the production build (e2e/**\/*.test.ts)
 *   playwright   browser journeys in Chromium (e2e/ui)
 *   container    the image built from the Dockerfile, under the REST suite and a journey (scripts/container/test.ts)
 * The tiers that need servers share one PostgreSQL (embedded) and one S3 server (Ceph RGW, or the one named by
 * TEST_S3_ENDPOINT), started here once, before the first of them, and stopped at the end whatever happens.
 * `node --import tsx scripts/test-run.ts [tier...]` runs only the named tiers (`vitest`: the three vitest tiers).
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { servicesEnv, startTestServices } from "../e2e/support/services";
import { Stops } from "./lib/stops";
import { warnOldNode } from "./lib/node-version";
import { errorMessage } from "./lib/setup-error";
import { failedTests, outsideTestErrors } from "./lib/failed-tests";

interface Tier {
  command: string[];
  needsServices: boolean;
  env?: Record<string, string>;
}

const root = path.resolve(import.meta.dirname, "..");
/** Each tier's JSON report, read for the summary's list of failed tests. */
const reports = path.join(root, ".tmp/test-reports");
const report = (tier: string) => path.join(reports, `${tier}.json`);
/** A vitest tier's errors outside its tests (scripts/lib/errors-reporter.ts). */
const errors = (tier: string) => path.join(reports, `${tier}-errors.json`);
const vitest = (project: string, needsServices: boolean): Tier => ({
  command: [
    ...["npx", "vitest", "run", "--project", project, "--reporter=default"],
    ...["--reporter=json", `--outputFile.json=${report(project)}`, "--reporter=./scripts/lib/errors-reporter.ts"],
  ],
  needsServices,
  env: { TEST_ERRORS_FILE: errors(project) },
});

const tiers: Record<string, Tier> = {
  unit: vitest("unit", false),
  integration: vitest("integration", true),
  e2e: vitest("e2e", true),
  playwright: {
    command: ["npx", "playwright", "test"],
    needsServices: true,
    // playwright.config.ts adds its JSON reporter when this is set.
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: report("playwright") },
  },
  container: { command: ["node", "--import", "tsx", "scripts/container/test.ts"], needsServices: true },
};
const aliases: Record<string, string[]> = { vitest: ["unit", "integration", "e2e"] };

function run(
  name: string,
  command: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ name: string; ok: boolean; seconds: number }> {
  const started = Date.now();
  console.log(`\n==> ${name}: ${command.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: "inherit", env });
    child.on("error", () => resolve({ name, ok: false, seconds: 0 }));
    child.on("exit", (code) => resolve({ name, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000) }));
  });
}

/** The tiers named on the command line (aliases expanded), in the canonical order; all when none is named. */
function selectTiers(args: string[]): string[] {
  const named = args.filter((a) => a !== "--").flatMap((a) => aliases[a] ?? [a]);
  const unknown = named.filter((n) => !tiers[n]);
  if (unknown.length > 0)
    throw new Error(
      `unknown tier ${unknown.join(", ")}; known: ${[...Object.keys(tiers), ...Object.keys(aliases)].join(", ")}`,
    );
  return Object.keys(tiers).filter((n) => named.length === 0 || named.includes(n));
}

async function main(): Promise<number> {
  warnOldNode();
  const names = selectTiers(process.argv.slice(2));
  const stops = new Stops();
  const env: NodeJS.ProcessEnv = { ...process.env };
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const results = [];
  try {
    let servicesStarted = false;
    for (const name of names) {
      const tier = tiers[name]!;
      if (tier.needsServices && !servicesStarted) {
        servicesStarted = true;
        const started = Date.now();
        const services = await startTestServices();
        stops.add(services.stop);
        Object.assign(env, servicesEnv(services));
        console.log(
          `services ready in ${((Date.now() - started) / 1000).toFixed(1)} s: PostgreSQL and S3 at ${env.TEST_S3_ENDPOINT}`,
        );
      }
      results.push(await run(name, tier.command, { ...env, ...tier.env }));
    }
  } finally {
    await stops.stopAll();
  }
  console.log("\n==> summary");
  for (const r of results) {
    console.log(`  ${r.ok ? "PASS" : "FAIL"}  ${r.name} (${r.seconds} s)`);
    if (!r.ok) {
      const lines = [...failedTests(report(r.name), root), ...outsideTestErrors(errors(r.name))];
      for (const line of lines) console.log(`          ${line}`);
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`npm test: ${errorMessage(error)}`);
    process.exit(1);
  },
);
