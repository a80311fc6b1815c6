/** This copy of the module's view of the process-wide store below. */
const seen = new Map<string, unknown>();

/**
 * One instance per process. Next.js may load a module in several bundles (route handlers, server components,
 * instrumentation) and reloads modules in development; a pool or a timer created per copy would multiply.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  // Asked for several times per request (config, pool, metrics): a Map lookup, not a Symbol.for of a new string.
  const known = seen.get(name);
  if (known !== undefined) return known as T;
  const key = Symbol.for(`cloudnotes.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  let value = store[key];
  if (value === undefined) {
    value = create();
    store[key] = value;
  }
  seen.set(name, value);
  return value;
}

/** For tests that build an instance again under another configuration. */
export function forgetProcessSingletonForTests(name: string): void {
  seen.delete(name);
  delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for(`cloudnotes.${name}`)];
}
