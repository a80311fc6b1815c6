import { z } from "zod";

/**
 * The REST edge's form of a domain schema: the original API's snake_case names and dates as ISO 8601 strings.
 * `restSchema` derives the response schema (documented in /openapi.json) and `toRest` maps a domain value onto
 * it, so that a resource's answer is not written out a second time by hand.
 */

type Snake<S extends string> = S extends `${infer C}${infer Rest}`
  ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${Snake<Rest>}`
  : S;

type RestField<F> = F extends z.ZodDate
  ? z.ZodISODateTime
  : F extends z.ZodNullable<z.ZodDate>
    ? z.ZodNullable<z.ZodISODateTime>
    : F;

export type RestShape<S extends z.ZodRawShape> = { [K in keyof S & string as Snake<K>]: RestField<S[K]> };

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function restField(field: z.ZodType): z.ZodType {
  const meta = field.meta();
  if (field instanceof z.ZodDate) return meta ? z.iso.datetime().meta(meta) : z.iso.datetime();
  if (field instanceof z.ZodNullable && field.unwrap() instanceof z.ZodDate) {
    const iso = restField(field.unwrap() as z.ZodType).nullable();
    return meta ? iso.meta(meta) : iso;
  }
  return field;
}

/** The response schema of a domain object schema: its fields renamed to snake_case, dates as ISO strings. */
export function restSchema<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<RestShape<S>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(schema.shape)) shape[snake(name)] = restField(field as z.ZodType);
  return z.object(shape) as unknown as z.ZodObject<RestShape<S>>;
}

/** A domain value as `schema` (a restSchema) answers it: renamed, dates as ISO strings, unknown fields left out. */
export function toRest<T extends z.ZodObject>(schema: T, value: object): z.output<T> {
  const fields: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) fields[snake(name)] = v instanceof Date ? v.toISOString() : v;
  return schema.parse(fields);
}
