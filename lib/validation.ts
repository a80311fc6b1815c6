import type { z } from "zod";
import { issuesFromZod, validationError } from "@/lib/errors";

/** Validates untrusted input against a contract; failures become a validation error in the contract's names. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) throw validationError(issuesFromZod(result.error));
  return result.data;
}
