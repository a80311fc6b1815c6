/** The process-wide store, and this copy of the module's view of it. */
const store = globalThis as unknown as Record<symbol, unknown>;
const keyOf = (name: string) => Symbol.for(`cloudnotes.${name}`);
const seen = new Map<string, unknown>();

/**
 * One instance per process. Next.js may load a module in several bundles (route handlers, server components,
 * instrumentation) and reloads modules in development; a pool or a timer created per copy would multiply.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  // Asked for several times per request (the pool, the S3 clients, the caches): a Map lookup, not a Symbol.for
  // of a new string.
  const known = seen.get(name);
  if (known !== undefined) return known as T;
  let value = store[keyOf(name)] as T | undefined;
  if (value === undefined) {
    value = create();
    store[keyOf(name)] = value;
  }
  seen.set(name, value);
  return value;
}

/** For tests that build an instance again under another configuration. */
export function forgetProcessSingletonForTests(name: string): void {
  seen.delete(name);
  delete store[keyOf(name)];
}
