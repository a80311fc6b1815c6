/**
 * Runs the test phases against one shared PostgreSQL server (embedded) and one S3 server (Ceph RGW, or the one
 * named by TEST_S3_ENDPOINT), started once here and stopped at the end whatever happens:
 *   vitest      unit tests, integration tests of lib/, the REST API, faults and operations (e2e/**\/*.test.ts)
 *   playwright  browser journeys in Chromium (e2e/ui)
 *   container   the image built from the Dockerfile, under the REST suite and a journey (scripts/container/test.ts)
 * `node --import tsx scripts/test-run.ts [phase...]` runs only the named phases.
 */
import { spawn } from "node:child_process";
import { servicesEnv, startTestServices } from "../e2e/support/services";
import { Stops } from "./lib/stops";

const phases: Record<string, string[]> = {
  vitest: ["npx", "vitest", "run"],
  playwright: ["npx", "playwright", "test"],
  container: ["node", "--import", "tsx", "scripts/container/test.ts"],
};

function run(name: string, command: string[], env: NodeJS.ProcessEnv): Promise<{ name: string; ok: boolean; seconds: number }> {
  const started = Date.now();
  console.log(`\n==> ${name}: ${command.join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: "inherit", env });
    child.on("exit", (code) => resolve({ name, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000) }));
  });
}

async function main(): Promise<number> {
  const selected = process.argv.slice(2).filter((a) => a !== "--");
  const names = selected.length > 0 ? selected : Object.keys(phases);
  for (const n of names) if (!phases[n]) throw new Error(`unknown phase ${n}; known: ${Object.keys(phases).join(", ")}`);

  const stops = new Stops();
  const env: NodeJS.ProcessEnv = { ...process.env };
  try {
    const started = Date.now();
    const services = await startTestServices();
    stops.add(services.stop);
    Object.assign(env, servicesEnv(services));
    console.log(`services ready in ${((Date.now() - started) / 1000).toFixed(1)} s: PostgreSQL and S3 at ${env.TEST_S3_ENDPOINT}`);

    const results = [];
    for (const name of names) results.push(await run(name, phases[name]!, env));
    console.log("\n==> summary");
    for (const r of results) console.log(`  ${r.ok ? "PASS" : "FAIL"}  ${r.name} (${r.seconds} s)`);
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    await stops.stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
