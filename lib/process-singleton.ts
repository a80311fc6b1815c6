/**
 * One instance per process. Next.js may load a module in several bundles (route handlers, server components,
 * instrumentation) and reloads modules in development; a pool or a timer created per copy would multiply.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`cloudnotes.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  let value = store[key];
  if (value === undefined) {
    value = create();
    store[key] = value;
  }
  return value;
}
