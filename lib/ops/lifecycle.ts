import { processSingleton } from "@/lib/process-singleton";

/**
 * Process state shared by the HTTP server (which drains on SIGTERM) and code inside Next.js (readiness, the
 * background worker), without the server having to import that code.
 */
const lifecycle = () =>
  processSingleton("lifecycle", () => ({ draining: false, hooks: [] as (() => Promise<void>)[] }));

export function markDraining(): void {
  lifecycle().draining = true;
}

export function isDraining(): boolean {
  return lifecycle().draining;
}

/** Registers work to finish before the process exits (stopping background jobs); runs while requests drain. */
export function onShutdown(hook: () => Promise<void>): void {
  lifecycle().hooks.push(hook);
}

export async function runShutdownHooks(): Promise<void> {
  await Promise.allSettled(lifecycle().hooks.map((hook) => hook()));
}
