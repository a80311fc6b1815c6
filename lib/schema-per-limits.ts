/**
 * A schema factory that builds its schema once per distinct arguments (configured limits, a handful per
 * process). zod compiles an object schema's parser on its first parse: a schema built anew for each request
 * paid that, about 0.3 ms, on every request.
 */
export function schemaPerLimits<A extends readonly (string | number | readonly string[])[], S>(
  build: (...args: A) => S,
): (...args: A) => S {
  const built = new Map<string, S>();
  return (...args) => {
    const key = JSON.stringify(args);
    let schema = built.get(key);
    if (schema === undefined) built.set(key, (schema = build(...args)));
    return schema;
  };
}
