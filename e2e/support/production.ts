import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The node flags production runs the server with, read from the one place they are written: `npm start`
 * (package.json), e.g. the old-space cap. The systemd units must start node with the same flags
 * (nodeFlagsOfUnit lets a test hold them to it).
 */
export function productionNodeFlags(): string[] {
  const start: unknown = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"))?.scripts?.start;
  if (typeof start !== "string") throw new Error("package.json has no start script");
  return flagsBefore(start.trim().split(/\s+/), "node", ".next/standalone/server.mjs");
}

/** The node flags of a systemd unit's ExecStart (system/<unit>). */
export function nodeFlagsOfUnit(unit: string): string[] {
  const text = readFileSync(path.join(ROOT, "system", unit), "utf8");
  const exec = /^ExecStart=(.*)$/m.exec(text)?.[1];
  if (!exec) throw new Error(`${unit} has no ExecStart`);
  return flagsBefore(exec.trim().split(/\s+/), "/usr/bin/node", "server.mjs");
}

function flagsBefore(words: string[], node: string, script: string): string[] {
  const from = words.indexOf(node);
  const to = words.indexOf(script);
  if (from < 0 || to < from) throw new Error(`not a "${node} ... ${script}" command: ${words.join(" ")}`);
  return words.slice(from + 1, to);
}

/** The peak resident set size of a process so far (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (!kib) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(kib) / 1024;
}
